#include "profiler/equal_stages_cost_model.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace multiplex {

EqualStagesCostModel::EqualStagesCostModel(const CostModel* base,
                                           std::string model,
                                           ParallelConfig config, double alpha)
    : base_(base), model_(std::move(model)), config_(config), alpha_(alpha) {}

std::string EqualStagesCostModel::Name() const {
  return absl::StrCat(base_->Name(), " with ", model_, " ", config_.ToString(),
                      " as equal stages of alpha=", alpha_, " x L1");
}

absl::StatusOr<StageCosts> EqualStagesCostModel::Stages(
    absl::string_view model, const ParallelConfig& config,
    int batch_size) const {
  absl::StatusOr<StageCosts> costs = base_->Stages(model, config, batch_size);
  if (!costs.ok() || model != model_ || config != config_ || batch_size != 1) {
    return costs;
  }
  ASSIGN_OR_RETURN(const StageCosts single, base_->Stages(model, {1, 1, 1}, 1));
  const double stage = alpha_ * single.TotalLatency() / config.pp;
  costs->latency_s.assign(config.pp, stage);
  return costs;
}

}  // namespace multiplex
