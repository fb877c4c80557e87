// sr-search: one (1,1,1) group per GPU; a beam search (beam 3) that adds one
// replica at a time. Each step expands every state of the beam by (group,
// model) pairs that fit and are new to the group, scores each expansion by
// simulating the training workload, and keeps the `beam` best (ties:
// generation order). The best state seen is the answer. Since the groups are
// identical GPUs, a state is kept in a canonical form (groups sorted by their
// model lists) and duplicates are scored once.
//
// Which pairs (docs/study.md 5.7): with search=exhaustive, every pair, so a
// step scores O(GPUs x models) expansions and the search grows with the
// fourth power of the cluster. By default only the `candidates` models with
// the most unserved requests (the greedy fill's order, from a simulation of
// the state; ties: most requests per replica) times, for each, the `candidates`
// groups with the fewest served requests where it fits: a step scores at most
// beam x candidates^2 expansions, and the component simulation re-runs only the
// group an expansion changes, so the search grows with the square of the
// cluster.

#include <algorithm>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

constexpr char kName[] = "sr-search";

using State = std::vector<std::vector<int>>;  // sorted models per group

Placement ToPlacement(const State& s) {
  Placement p = EmptyGroups({1, 1, 1}, static_cast<int>(s.size()));
  for (size_t g = 0; g < s.size(); ++g) p.groups[g].models = s[g];
  return p;
}

class SrSearch : public PlacementPolicy {
 public:
  SrSearch(int beam, int candidates, SearchBudget budget)
      : beam_(beam), candidates_(candidates), budget_(budget) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    const ParallelConfig single{1, 1, 1};
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> made =
        StartFillingPolicy(problem, kName, single, budget_);
    if (!made.ok()) return made.status();
    PlacementEvaluator& ev = **made;
    const int n = ev.num_models();
    std::vector<State> beam = {State(problem.cluster.num_devices)};
    bool have_best = false;
    double best_score = 0;
    State best;
    while (true) {
      std::set<State> seen;
      std::vector<std::pair<double, State>> scored;
      for (const State& s : beam) {
        std::vector<double> used(s.size(), 0.0);
        for (size_t g = 0; g < s.size(); ++g) {
          for (int m : s[g]) used[g] += *ev.WeightBytes(m, single);
        }
        auto fits = [&](int m, int g) {
          return !std::binary_search(s[g].begin(), s[g].end(), m) &&
                 ev.Fits(m, single, used[g]);
        };
        std::vector<std::pair<int, int>> pairs;  // (group, model)
        if (budget_.exhaustive) {
          for (size_t g = 0; g < s.size(); ++g) {
            for (int m = 0; m < n; ++m) {
              if (fits(m, g)) pairs.emplace_back(g, m);
            }
          }
        } else {
          absl::Status ok = CandidatePairs(ev, s, fits, &pairs);
          if (!ok.ok()) return ok;
        }
        for (const auto& [g, m] : pairs) {
          State next = s;
          next[g].insert(std::lower_bound(next[g].begin(), next[g].end(), m),
                         m);
          std::sort(next.begin(), next.end());
          if (!seen.insert(next).second) continue;
          absl::StatusOr<double> score = ev.Score(ToPlacement(next));
          if (!score.ok()) return score.status();
          scored.emplace_back(*score, std::move(next));
        }
      }
      if (scored.empty()) break;
      std::stable_sort(
          scored.begin(), scored.end(),
          [](const auto& a, const auto& b) { return a.first > b.first; });
      if (!have_best || scored[0].first > best_score) {
        have_best = true;
        best_score = scored[0].first;
        best = scored[0].second;
      }
      beam.clear();
      for (size_t i = 0; i < scored.size() && i < static_cast<size_t>(beam_);
           ++i) {
        beam.push_back(std::move(scored[i].second));
      }
    }
    Placement p = have_best ? ToPlacement(best)
                            : EmptyGroups(single, problem.cluster.num_devices);
    absl::Status ok = CheckNotEmpty(p, problem, kName);
    if (!ok.ok()) return ok;
    return p;
  }

 private:
  // The greedy's first `candidates_` models (most unserved requests in a
  // simulation of `s`) that fit somewhere, each with its first
  // `candidates_` groups (fewest served) where it fits; groups with the same
  // models count once.
  template <typename Fits>
  absl::Status CandidatePairs(PlacementEvaluator& ev, const State& s,
                              const Fits& fits,
                              std::vector<std::pair<int, int>>* pairs) const {
    absl::StatusOr<const LeanResult*> r = ev.Simulate(ToPlacement(s));
    if (!r.ok()) return r.status();
    const int n = ev.num_models();
    std::vector<int64_t> unserved(n);
    for (int m = 0; m < n; ++m) unserved[m] = (*r)->requests[m] - (*r)->good[m];
    const std::vector<int64_t> served = ev.GroupLoad(**r);
    std::vector<int> models(n), groups(s.size());
    std::iota(models.begin(), models.end(), 0);
    std::iota(groups.begin(), groups.end(), 0);
    // Ties (all of them with infinite SLOs, where nothing placed is lost):
    // the most requests per replica first, so replicas go where the load is
    // rather than to the lowest indices.
    std::vector<double> per_replica(n);
    std::vector<int> replicas(n, 0);
    for (const std::vector<int>& group : s) {
      for (int m : group) ++replicas[m];
    }
    for (int m = 0; m < n; ++m) {
      per_replica[m] =
          static_cast<double>((*r)->requests[m]) / std::max(1, replicas[m]);
    }
    std::stable_sort(models.begin(), models.end(), [&](int a, int b) {
      if (unserved[a] != unserved[b]) return unserved[a] > unserved[b];
      return per_replica[a] > per_replica[b];
    });
    std::stable_sort(groups.begin(), groups.end(),
                     [&](int a, int b) { return served[a] < served[b]; });
    int taken_models = 0;
    for (int m : models) {
      if (taken_models == candidates_) break;
      int taken_groups = 0;
      std::set<std::vector<int>> contents;
      for (int g : groups) {
        if (taken_groups == candidates_) break;
        if (!fits(m, g) || !contents.insert(s[g]).second) continue;
        pairs->emplace_back(g, m);
        ++taken_groups;
      }
      if (taken_groups > 0) ++taken_models;
    }
    return absl::OkStatus();
  }

  int beam_;
  int candidates_;
  SearchBudget budget_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {PluginParam::Int("beam").Default("3").AtLeast(1).Help(
          "states kept per step"),
      PluginParam::Int("candidates")
          .Default("4")
          .AtLeast(1)
          .AtMost(1 << 20)
          .Help("models, and groups per model, a step expands a state by "
                "(ignored with search=exhaustive: every pair)"),
      SearchParam(), FiniteSloParam()},
     "one GPU per group; beam search adding one replica at a time, scored "
     "by the simulator",
     "sr-search:beam=2",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<SrSearch>(args.GetInt("beam"),
                                         args.GetInt("candidates"),
                                         SearchBudgetFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
