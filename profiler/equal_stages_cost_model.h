#ifndef MULTIPLEX_PROFILER_EQUAL_STAGES_COST_MODEL_H_
#define MULTIPLEX_PROFILER_EQUAL_STAGES_COST_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "core/cost_model.h"

namespace multiplex {

// A cost model that answers like `base` except for one (model, config): its
// batch-1 stages become pp equal stages of alpha x L1 / pp, where L1 is the
// base model's single-device batch-1 latency. Models a pipeline whose only
// overhead is a factor alpha (Figure 7b, docs/study.md §6.5). Memory is
// unchanged.
//
// The `equal-stages` cost-model plugin builds one around another cost model:
//   equal-stages:base=<cost model spec>,model=bert-2.6b,pp=8,alpha=1.5
// replaces bert-2.6b's (1,1,8) stages. A value after the colon holds no ','
// or '=', so a spec's text can name only a base without parameters
// ("analytical"); a study fills `base` with its own cost model when a
// policy's cost_model leaves it out (experiments/lib/study.proto), and code
// passes any base in Registry::Create's args.
class EqualStagesCostModel : public CostModel {
 public:
  // `base` is borrowed and must outlive this object.
  EqualStagesCostModel(const CostModel* base, std::string model,
                       ParallelConfig config, double alpha);
  // Owns `base`.
  EqualStagesCostModel(std::unique_ptr<const CostModel> base, std::string model,
                       ParallelConfig config, double alpha);

  std::string Name() const override;
  // The base model's.
  std::vector<std::string> Provenance() const override {
    return base_->Provenance();
  }
  std::vector<std::string> Models() const override { return base_->Models(); }
  std::vector<ParallelConfig> Configs(absl::string_view model) const override {
    return base_->Configs(model);
  }
  std::vector<int> BatchSizes(absl::string_view model,
                              const ParallelConfig& config) const override {
    return base_->BatchSizes(model, config);
  }
  absl::StatusOr<StageCosts> Stages(absl::string_view model,
                                    const ParallelConfig& config,
                                    int batch_size) const override;

 private:
  std::unique_ptr<const CostModel> owned_base_;
  const CostModel* base_;
  std::string model_;
  ParallelConfig config_;
  double alpha_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_EQUAL_STAGES_COST_MODEL_H_
