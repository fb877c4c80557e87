// mp-greedy-<G> (docs/study.md §5.5): #GPUs / G groups, each a G-stage
// pipeline (1,1,G), filled by the greedy.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

class MpGreedy : public PlacementPolicy {
 public:
  MpGreedy(int stages, SearchBudget budget)
      : stages_(stages), budget_(budget) {}
  std::string Name() const override {
    return absl::StrCat("mp-greedy-", stages_);
  }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    const std::string name = Name();
    absl::Status ok = ValidateProblem(problem, name);
    if (!ok.ok()) return ok;
    const int devices = problem.cluster.num_devices;
    if (devices % stages_ != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": ", devices, " devices cannot be split into ",
                       stages_, "-GPU pipeline groups"));
    }
    const ParallelConfig config{1, 1, stages_};
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        StartFillingPolicy(problem, name, config, budget_);
    if (!ev.ok()) return ev.status();
    return FillGroups(**ev, config, devices / stages_, name);
  }

 private:
  int stages_;
  SearchBudget budget_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {"mp-greedy",
     R"(mp-greedy-(\d+))",
     {PluginParam::Int("G").AtLeast(1).Help(
          "pipeline stages (GPUs) per group; must divide the device count"),
      SearchParam(), FiniteSloParam()},
     "groups of G-stage pipelines (1,1,G), filled greedily",
     "mp-greedy-4",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpGreedy>(args.GetInt("G"),
                                         SearchBudgetFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
