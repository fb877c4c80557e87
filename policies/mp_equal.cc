// mp-equal-<pp>-<op>: #GPUs / (pp x op) equal groups of config (1,op,pp), one
// model per group: group i hosts model i mod #models. With fewer groups than
// models the models past the last group get no replica; with more, the
// models are replicated round-robin.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

class MpEqual : public PlacementPolicy {
 public:
  MpEqual(int pp, int op) : pp_(pp), op_(op) {}
  std::string Name() const override {
    return absl::StrCat("mp-equal-", pp_, "-", op_);
  }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    const std::string name = Name();
    absl::Status ok = ValidateProblem(problem, name);
    if (!ok.ok()) return ok;
    const int devices = problem.cluster.num_devices;
    const ParallelConfig config{1, op_, pp_};
    if (devices % config.NumDevices() != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": ", devices, " devices cannot be split into groups of ",
          config.NumDevices(), " ", config.ToString()));
    }
    const std::vector<ModelSpec>& models = *problem.models;
    const int n = static_cast<int>(models.size());
    Placement p = EmptyGroups(config, devices / config.NumDevices());
    for (size_t g = 0; g < p.groups.size(); ++g) {
      const int m = static_cast<int>(g) % n;
      absl::StatusOr<StageCosts> costs =
          problem.cost_model->Stages(models[m].type, config, 1);
      if (!costs.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": model ", models[m].name, ": ", costs.status().message()));
      }
      if (costs->MaxWeightBytes() >
          problem.cluster.mem_budget_bytes * kMemoryBudgetTolerance) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s: model %s needs %.3f GiB per device under %s, over the "
            "memory budget of %.3f GiB",
            name, models[m].name, costs->MaxWeightBytes() / kGiB,
            config.ToString(), problem.cluster.mem_budget_bytes / kGiB));
      }
      p.groups[g].models.push_back(m);
    }
    return p;
  }

 private:
  int pp_;
  int op_;
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {"mp-equal",
     R"(mp-equal-(\d+)-(\d+))",
     {PluginParam::Int("pp").AtLeast(1).Help("pipeline stages per group"),
      PluginParam::Int("op").AtLeast(1).Help(
          "operator-parallel degree per group")},
     "equal groups of (1,op,pp), one model per group",
     "mp-equal-2-1",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpEqual>(args.GetInt("pp"), args.GetInt("op"));
     }});

}  // namespace
}  // namespace multiplex
