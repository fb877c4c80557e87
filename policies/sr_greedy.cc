// sr-greedy (STUDY.md §5): one (1,1,1) group per GPU, filled by the greedy.

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
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::Status ok = ValidateProblem(problem, kName);
    if (!ok.ok()) return ok;
    const ParallelConfig single{1, 1, 1};
    if (!AnyModelKnows(problem, single)) {
      return absl::InvalidArgumentError(
          absl::StrCat(kName, ": cost model ", problem.cost_model->Name(),
                       " has no config (1,1,1) for these models"));
    }
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        PlacementEvaluator::Create(problem);
    if (!ev.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(kName, ": ", ev.status().message()));
    }
    Placement p = EmptyGroups(single, problem.cluster.num_devices);
    ok = GreedyFill(**ev, &p);
    if (!ok.ok()) return ok;
    ok = CheckNotEmpty(p, problem, kName);
    if (!ok.ok()) return ok;
    return p;
  }
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {},
     "one GPU per group, filled greedily by simulated unserved requests",
     [](const PluginArgs&) -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<SrGreedy>();
     }});

}  // namespace
}  // namespace multiplex
