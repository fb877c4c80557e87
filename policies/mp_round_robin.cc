// mp-round-robin-<G> (docs/study.md §5.10): the placement ablation's round
// robin (the paper's Section 6.5), the original's ModelParallelismRR and
// replica_placement_round_robin: the groups mp-greedy-G uses (#GPUs / G
// pipelines (1,1,G)), filled without simulation. A cursor walks the groups;
// passes over the models in index order put a model on the cursor's group
// when the group lacks it and it fits, and then advance the cursor; a model
// that does not fit is skipped and the cursor stays. Passes repeat while one
// adds anything.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

class MpRoundRobin : public PlacementPolicy {
 public:
  explicit MpRoundRobin(int stages) : stages_(stages) {}
  std::string Name() const override {
    return absl::StrCat("mp-round-robin-", stages_);
  }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    const std::string name = Name();
    if (absl::Status ok = ValidateProblem(problem, name); !ok.ok()) return ok;
    const int devices = problem.cluster.num_devices;
    if (devices % stages_ != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": ", devices, " devices cannot be split into ",
                       stages_, "-GPU pipeline groups"));
    }
    const ParallelConfig config{1, 1, stages_};
    if (!AnyModelKnows(problem, config)) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": cost model ", problem.cost_model->Name(), " has no config ",
          config.ToString(), " for these models"));
    }
    const std::vector<ModelSpec>& models = *problem.models;
    const int n = static_cast<int>(models.size());
    std::vector<double> weight(n, -1.0);  // < 0: the config is unknown
    for (int m = 0; m < n; ++m) {
      absl::StatusOr<StageCosts> costs =
          problem.cost_model->Stages(models[m].type, config, 1);
      if (costs.ok()) weight[m] = costs->MaxWeightBytes();
    }
    const double limit =
        problem.cluster.mem_budget_bytes * kMemoryBudgetTolerance;
    Placement p = EmptyGroups(config, devices / stages_);
    const int num_groups = static_cast<int>(p.groups.size());
    std::vector<double> used(num_groups, 0.0);
    std::vector<std::vector<char>> hosted(num_groups, std::vector<char>(n, 0));
    int g = 0;
    bool found = true;
    while (found) {
      found = false;
      for (int m = 0; m < n; ++m) {
        if (hosted[g][m] || weight[m] < 0 || used[g] + weight[m] > limit) {
          continue;
        }
        found = true;
        p.groups[g].models.push_back(m);
        used[g] += weight[m];
        hosted[g][m] = 1;
        g = (g + 1) % num_groups;
      }
    }
    if (absl::Status ok = CheckNotEmpty(p, problem, name); !ok.ok()) return ok;
    return p;
  }

 private:
  int stages_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {"mp-round-robin",
     R"(mp-round-robin-(\d+))",
     {PluginParam::Int("G").AtLeast(1).AtMost(1 << 20).Help(
         "pipeline stages (GPUs) per group; must divide the device count")},
     "mp-greedy-G's groups of G-stage pipelines (1,1,G), filled round robin "
     "without simulation (the placement ablation's baseline)",
     "mp-round-robin-4",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpRoundRobin>(
           static_cast<int>(args.GetInt("G")));
     }});

}  // namespace
}  // namespace multiplex
