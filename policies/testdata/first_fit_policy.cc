// A test-only placement policy: everything a new policy needs is this file
// and one cc_library entry (alwayslink) in policies/BUILD. `first-fit` puts
// each model, in index order, on the first one-GPU group with room.

#include <memory>
#include <string>
#include <vector>

#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

class FirstFit : public PlacementPolicy {
 public:
  std::string Name() const override { return "first-fit"; }
  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::Status ok = ValidateProblem(problem, Name());
    if (!ok.ok()) return ok;
    const ParallelConfig single{1, 1, 1};
    Placement p = EmptyGroups(single, problem.cluster.num_devices);
    std::vector<double> used(p.groups.size(), 0);
    for (int m = 0; m < static_cast<int>(problem.models->size()); ++m) {
      absl::StatusOr<StageCosts> c =
          problem.cost_model->Stages((*problem.models)[m].type, single, 1);
      if (!c.ok()) continue;
      for (size_t g = 0; g < p.groups.size(); ++g) {
        if (used[g] + c->MaxWeightBytes() <= problem.cluster.mem_budget_bytes) {
          p.groups[g].models.push_back(m);
          used[g] += c->MaxWeightBytes();
          break;
        }
      }
    }
    ok = CheckNotEmpty(p, problem, Name());
    if (!ok.ok()) return ok;
    return p;
  }
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {"first-fit",
     "",
     {},
     "test only: each model on the first GPU with room",
     /*example=*/"first-fit",
     [](const PluginValues&)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<FirstFit>();
     }});

}  // namespace
}  // namespace multiplex
