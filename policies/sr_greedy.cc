// sr-greedy (docs/study.md §5.4): one (1,1,1) group per GPU, filled by the
// greedy.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

constexpr char kName[] = "sr-greedy";

class SrGreedy : public PlacementPolicy {
 public:
  explicit SrGreedy(SearchBudget budget) : budget_(budget) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    const ParallelConfig single{1, 1, 1};
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        StartFillingPolicy(problem, kName, single, budget_);
    if (!ev.ok()) return ev.status();
    return FillGroups(**ev, single, problem.cluster.num_devices, kName);
  }

 private:
  SearchBudget budget_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {SearchParam(), FiniteSloParam()},
     "one GPU per group, filled greedily by simulated unserved requests",
     /*example=*/kName,
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<SrGreedy>(SearchBudgetFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
