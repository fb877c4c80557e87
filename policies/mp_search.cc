// mp-search (docs/study.md §5.6): for each power-of-two group size G up to
// #GPUs and each split G = op x pp (op <= 4, pp <= 8), #GPUs / G groups of
// (1,op,pp) (left-over GPUs as power-of-two pipelines (1,1,p), largest
// first); each candidate is filled by the greedy and scored on the training
// workload; the best score wins (ties: the earlier candidate, in order of G,
// then op). Candidates with a config the cost model knows for none of the
// models are skipped, as are those the greedy cannot put any model on.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"
#include "policies/mp_search_core.h"

namespace multiplex {
namespace {

constexpr char kName[] = "mp-search";

class MpSearch : public PlacementPolicy {
 public:
  explicit MpSearch(SearchBudget budget) : budget_(budget) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        StartSearchingPolicy(problem, kName, budget_);
    if (!ev.ok()) return ev.status();
    absl::StatusOr<MpSearchBest> best =
        BestMpSearchPlacement(**ev, problem.cluster.num_devices);
    if (!best.ok()) return best.status();
    if (!best->found) {
      return NoCandidateFitsError(kName, problem, best->skipped);
    }
    return std::move(best->placement);
  }

 private:
  SearchBudget budget_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {SearchParam(), FiniteSloParam()},
     "best greedy-filled split of the GPUs into (1,op,pp) groups",
     /*example=*/kName,
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpSearch>(SearchBudgetFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
