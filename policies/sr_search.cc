// sr-search: one (1,1,1) group per GPU; a beam search (beam 3) that adds one
// replica at a time. Each step expands every state of the beam by every
// (group, model) pair that fits and is new to the group, scores each
// expansion by simulating the training workload, and keeps the `beam` best
// (ties: generation order). The best state seen is the answer. Since the
// groups are identical GPUs, a state is kept in a canonical form (groups
// sorted by their model lists) and duplicates are scored once.

#include <algorithm>
#include <memory>
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
  explicit SrSearch(int beam) : beam_(beam) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    const ParallelConfig single{1, 1, 1};
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> made =
        StartFillingPolicy(problem, kName, single);
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
        for (size_t g = 0; g < s.size(); ++g) {
          double used = 0;
          for (int m : s[g]) used += *ev.WeightBytes(m, single);
          for (int m = 0; m < n; ++m) {
            if (std::binary_search(s[g].begin(), s[g].end(), m)) continue;
            if (!ev.Fits(m, single, used)) continue;
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
  int beam_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {PluginParam::Int("beam").Default("3").AtLeast(1).Help(
         "states kept per step")},
     "one GPU per group; beam search adding one replica at a time, scored "
     "by the simulator",
     "sr-search:beam=2",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<SrSearch>(args.GetInt("beam"));
     }});

}  // namespace
}  // namespace multiplex
