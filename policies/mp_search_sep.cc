// mp-search-sep (docs/study.md §5.6.1): mp-search run separately on buckets
// of models with similar single-GPU latency. Models are bucketed by latency
// (`ratio`), the GPUs are split between the buckets in every way allowed by
// the step (#GPUs / `split_steps`), each bucket is searched by mp-search on
// its share of the training workload with its share of the GPUs, and the
// union of the buckets' placements is scored on the whole training workload.
// The first candidate is mp-search on all models (one bucket); the best
// score wins (ties: the earlier candidate). With one bucket this is
// mp-search.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"
#include "policies/latency_buckets.h"
#include "policies/mp_search_core.h"

namespace multiplex {
namespace {

constexpr char kName[] = "mp-search-sep";
// More splits than this is a parameter mistake, not a search to run.
constexpr double kMaxSplits = 1e5;

// One bucket's models as a problem of their own: its models, the requests
// of the (possibly budget-trimmed) training workload for them, renumbered.
struct Bucket {
  std::vector<int> global;  // bucket model -> problem model
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;
  std::unique_ptr<PlacementEvaluator> ev;  // created on first use
  // Per GPU count: the best mp-search placement, in problem model indices
  // (nullopt: no model of the bucket fits on that many GPUs).
  std::map<int, std::optional<Placement>> best;
};

std::unique_ptr<Bucket> MakeBucket(const PlacementProblem& problem,
                                   const std::vector<int>& members) {
  auto b = std::make_unique<Bucket>();
  b->global = members;
  const Workload& w = *problem.training_workload;
  std::vector<int32_t> local(problem.models->size(), -1);
  for (size_t i = 0; i < members.size(); ++i) {
    local[members[i]] = static_cast<int32_t>(i);
    b->models.push_back((*problem.models)[members[i]]);
    b->workload.model_names.push_back(w.model_names[members[i]]);
  }
  for (size_t r = 0; r < w.size(); ++r) {
    const int32_t m = local[w.model[r]];
    if (m < 0) continue;
    b->workload.arrival_s.push_back(w.arrival_s[r]);
    b->workload.model.push_back(m);
    b->workload.slo_s.push_back(w.slo_s[r]);
  }
  b->problem = problem;
  b->problem.models = &b->models;
  b->problem.training_workload = &b->workload;
  return b;
}

class MpSearchSep : public PlacementPolicy {
 public:
  MpSearchSep(double ratio, int split_steps, SearchBudget budget)
      : ratio_(ratio), split_steps_(split_steps), budget_(budget) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        StartSearchingPolicy(problem, kName, budget_);
    if (!ev.ok()) return ev.status();
    const std::vector<ModelSpec>& models = *problem.models;
    std::vector<double> latency;
    for (const ModelSpec& m : models) {
      absl::StatusOr<double> l = SingleGpuLatency(*problem.cost_model, m.type);
      if (!l.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(kName, ": ", l.status().message()));
      }
      latency.push_back(*l);
    }
    const int devices = problem.cluster.num_devices;
    const int step = std::max(1, devices / split_steps_);
    std::vector<std::vector<int>> groups = BucketByLatency(latency, ratio_);
    MergeBuckets(latency, devices / step, &groups);
    const int k = static_cast<int>(groups.size());
    if (k > 1 && CountDeviceSplits(devices, k, step) > kMaxSplits) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: %d buckets on %d GPUs in steps of %d make %.0f splits, over "
          "%.0f: lower split_steps",
          kName, k, devices, step, CountDeviceSplits(devices, k, step),
          kMaxSplits));
    }
    // The one-bucket candidate first: mp-search itself.
    absl::StatusOr<MpSearchBest> whole = BestMpSearchPlacement(**ev, devices);
    if (!whole.ok()) return whole.status();
    if (k == 1) {
      if (!whole->found) {
        return NoCandidateFitsError(kName, problem, whole->skipped);
      }
      return std::move(whole->placement);
    }
    std::vector<std::unique_ptr<Bucket>> buckets;
    for (const std::vector<int>& g : groups) {
      buckets.push_back(MakeBucket((*ev)->problem(), g));
    }
    bool have_best = whole->found;
    double best_score = whole->score;
    Placement best = std::move(whole->placement);
    for (const std::vector<int>& split : DeviceSplits(devices, k, step)) {
      Placement combined;
      for (int b = 0; b < k; ++b) {
        absl::StatusOr<const std::optional<Placement>*> part =
            BucketBest(buckets[b].get(), split[b]);
        if (!part.ok()) return part.status();
        if (!part.value()->has_value()) continue;  // its GPUs stay idle
        for (const Group& g : (**part)->groups) combined.groups.push_back(g);
      }
      if (combined.NumReplicas() == 0) continue;
      absl::StatusOr<double> score = (*ev)->Score(combined);
      if (!score.ok()) return score.status();
      if (!have_best || *score > best_score) {
        have_best = true;
        best_score = *score;
        best = std::move(combined);
      }
    }
    if (!have_best) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: no model fits the memory budget of %.3f GiB per device in any "
          "split of the %d GPUs between %d latency buckets",
          kName, problem.cluster.mem_budget_bytes / kGiB, devices, k));
    }
    return best;
  }

 private:
  // The bucket's best mp-search placement on `devices` GPUs, cached.
  absl::StatusOr<const std::optional<Placement>*> BucketBest(
      Bucket* b, int devices) const {
    auto it = b->best.find(devices);
    if (it != b->best.end()) return &it->second;
    if (b->ev == nullptr) {
      absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
          PlacementEvaluator::Create(b->problem, budget_);
      if (!ev.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(kName, ": ", ev.status().message()));
      }
      b->ev = std::move(*ev);
    }
    absl::StatusOr<MpSearchBest> found = BestMpSearchPlacement(*b->ev, devices);
    if (!found.ok()) return found.status();
    std::optional<Placement> placement;
    if (found->found) {
      placement = std::move(found->placement);
      for (Group& g : placement->groups) {
        for (int& m : g.models) m = b->global[m];
      }
    }
    return &b->best.emplace(devices, std::move(placement)).first->second;
  }

  double ratio_;
  int split_steps_;
  SearchBudget budget_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {PluginParam::Double("ratio").Default("2").AtLeast(1).Help(
          "a model joins a latency bucket while its single-GPU latency is at "
          "most ratio x the bucket's fastest"),
      PluginParam::Int("split_steps")
          .Default("8")
          .AtLeast(1)
          .Help("the GPUs are split between buckets in steps of "
                "max(1, #GPUs / split_steps)"),
      SearchParam(), FiniteSloParam()},
     "mp-search on buckets of models with similar latency, the best split "
     "of the GPUs between the buckets",
     /*example=*/"mp-search-sep:ratio=2",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpSearchSep>(args.GetDouble("ratio"),
                                            args.GetInt("split_steps"),
                                            SearchBudgetFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
