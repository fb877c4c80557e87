// sr-uniform (docs/study.md §5.3): one (1,1,1) group per GPU;
// k = min(floor(budget / model weight), #models) models per GPU; GPU i hosts
// models i, i+1, ..., i+k-1 (mod #models). With models of different types
// the largest (1,1,1) weight sets k, so every GPU stays within the budget.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

constexpr char kName[] = "sr-uniform";

class SrUniform : public PlacementPolicy {
 public:
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::Status ok = ValidateProblem(problem, kName);
    if (!ok.ok()) return ok;
    const std::vector<ModelSpec>& models = *problem.models;
    const ParallelConfig single{1, 1, 1};
    double weight = 0;
    for (const ModelSpec& m : models) {
      absl::StatusOr<StageCosts> costs =
          problem.cost_model->Stages(m.type, single, 1);
      if (!costs.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            kName, ": model ", m.name, ": ", costs.status().message()));
      }
      weight = std::max(weight, costs->MaxWeightBytes());
    }
    const int n = static_cast<int>(models.size());
    const double per_gpu = weight > 0
                               ? std::floor(problem.cluster.mem_budget_bytes *
                                            kMemoryBudgetTolerance / weight)
                               : n;
    const int k = static_cast<int>(std::min<double>(per_gpu, n));
    if (k < 1) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: no model fits the memory budget of %.3f GiB per device (a "
          "model needs %.3f GiB on one GPU)",
          kName, problem.cluster.mem_budget_bytes / kGiB, weight / kGiB));
    }
    Placement p = EmptyGroups(single, problem.cluster.num_devices);
    for (int i = 0; i < problem.cluster.num_devices; ++i) {
      for (int j = 0; j < k; ++j) p.groups[i].models.push_back((i + j) % n);
    }
    return p;
  }
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName,
     "",
     {},
     "one GPU per group, the same number of models on each, round-robin",
     /*example=*/kName,
     [](const PluginValues&)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<SrUniform>();
     }});

}  // namespace
}  // namespace multiplex
