#include "profiler/equal_stages_cost_model.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/registry.h"
#include "core/status_macros.h"

namespace multiplex {

EqualStagesCostModel::EqualStagesCostModel(const CostModel* base,
                                           std::string model,
                                           ParallelConfig config, double alpha)
    : base_(base), model_(std::move(model)), config_(config), alpha_(alpha) {}

EqualStagesCostModel::EqualStagesCostModel(
    std::unique_ptr<const CostModel> base, std::string model,
    ParallelConfig config, double alpha)
    : owned_base_(std::move(base)),
      base_(owned_base_.get()),
      model_(std::move(model)),
      config_(config),
      alpha_(alpha) {}

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

namespace {

// The base through the registry; then the model and its pipeline must exist
// there, so that a typo fails here rather than answering like the base.
absl::StatusOr<std::unique_ptr<CostModel>> MakeEqualStages(
    const PluginValues& args) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<CostModel> base,
      Registry<CostModel>::Global().Create(args.GetString("base")));
  const std::string& model = args.GetString("model");
  const ParallelConfig config{1, 1, args.GetInt("pp")};
  absl::StatusOr<StageCosts> single = base->Stages(model, {1, 1, 1}, 1);
  if (!single.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("base ", base->Name(), " cannot serve model '", model,
                     "' on one GPU at batch 1: ", single.status().message()));
  }
  const std::vector<ParallelConfig> configs = base->Configs(model);
  if (std::find(configs.begin(), configs.end(), config) == configs.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("base ", base->Name(), " has no config ",
                     config.ToString(), " for model '", model, "'"));
  }
  return std::unique_ptr<CostModel>(new EqualStagesCostModel(
      std::unique_ptr<const CostModel>(std::move(base)), model, config,
      args.GetDouble("alpha")));
}

const bool kRegistered = RegisterPlugin<CostModel>(
    {/*name=*/"equal-stages",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::String("base").Help(
          "the cost model to wrap, as a plugin spec; after a colon only one "
          "without parameters fits (values hold no ',' or '='): a study "
          "fills it with its own cost model when a policy's cost_model "
          "leaves it out"),
      PluginParam::String("model").Help("the model whose pipeline changes"),
      PluginParam::Int("pp").AtLeast(1).Help(
          "pipeline stages: config (1,1,pp) is replaced"),
      PluginParam::Double("alpha").GreaterThan(0).Help(
          "each stage takes alpha x L1 / pp (L1: the base's single-GPU "
          "batch-1 latency)")},
     /*help=*/
     "what-if pipeline: another cost model with one model's (1,1,pp) batch-1 "
     "stages replaced by pp equal stages of alpha x L1 / pp (Figure 7b)",
     /*example=*/"equal-stages:base=analytical,model=bert-2.6b,pp=8,alpha=1.5",
     /*factory=*/MakeEqualStages});

}  // namespace
}  // namespace multiplex
