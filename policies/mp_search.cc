// mp-search (docs/study.md §5.6): for each power-of-two group size G up to
// #GPUs and each split G = op x pp (op <= 4, pp <= 8), #GPUs / G groups of
// (1,op,pp) (left-over GPUs as power-of-two pipelines (1,1,p), largest
// first); each candidate is filled by the greedy and scored on the training
// workload; the best score wins (ties: the earlier candidate, in order of G,
// then op). Candidates with a config the cost model knows for none of the
// models are skipped, as are those the greedy cannot put any model on.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

constexpr char kName[] = "mp-search";
constexpr int kMaxOp = 4;
constexpr int kMaxPp = 8;

std::vector<Placement> Candidates(int devices) {
  std::vector<Placement> out;
  for (int g = 1; g <= devices; g *= 2) {
    for (int op = 1; op <= g && op <= kMaxOp; op *= 2) {
      const int pp = g / op;
      if (pp > kMaxPp) continue;
      Placement p = EmptyGroups({1, op, pp}, devices / g);
      int left = devices % g;
      for (int s = g / 2; s >= 1; s /= 2) {
        if (left >= s) {
          p.groups.push_back(Group{{1, 1, s}, {}});
          left -= s;
        }
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

class MpSearch : public PlacementPolicy {
 public:
  explicit MpSearch(SearchBudget budget) : budget_(budget) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::Status ok = ValidateProblem(problem, kName);
    if (!ok.ok()) return ok;
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        PlacementEvaluator::Create(problem, budget_);
    if (!ev.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(kName, ": ", ev.status().message()));
    }
    bool have_best = false;
    double best_score = 0;
    Placement best;
    std::vector<std::string> skipped;
    for (Placement& candidate : Candidates(problem.cluster.num_devices)) {
      bool known = true;
      for (const Group& g : candidate.groups) {
        known = known && AnyModelKnows(problem, g.config);
      }
      if (!known) {
        skipped.push_back(candidate.groups[0].config.ToString());
        continue;
      }
      ok = GreedyFill(**ev, &candidate);
      if (!ok.ok()) return ok;
      if (candidate.NumReplicas() == 0) {
        skipped.push_back(candidate.groups[0].config.ToString());
        continue;
      }
      absl::StatusOr<double> score = (*ev)->Score(candidate);
      if (!score.ok()) return score.status();
      if (!have_best || *score > best_score) {
        have_best = true;
        best_score = *score;
        best = std::move(candidate);
      }
    }
    if (!have_best) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: no model fits the memory budget of %.3f GiB per device under "
          "any candidate config the cost model knows (candidates: %s)",
          kName, problem.cluster.mem_budget_bytes / kGiB,
          absl::StrJoin(skipped, " ")));
    }
    return best;
  }

 private:
  SearchBudget budget_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {SearchParam()},
     "best greedy-filled split of the GPUs into (1,op,pp) groups",
     /*example=*/kName,
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpSearch>(
           SearchBudgetFromName(args.GetString("search")));
     }});

}  // namespace
}  // namespace multiplex
