#ifndef MULTIPLEX_CORE_TESTING_FAKE_COST_MODEL_H_
#define MULTIPLEX_CORE_TESTING_FAKE_COST_MODEL_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/cost_model.h"

namespace multiplex {

// A cost model whose answers a test spells out: Set(model, config, costs).
// Every batch size answers with the same costs.
class FakeCostModel : public CostModel {
 public:
  void Set(const std::string& model, const ParallelConfig& config,
           StageCosts costs) {
    table_[{model, config}] = std::move(costs);
  }
  // Convenience: `pp` equal stages of latency_s / pp and weights / pp each.
  void SetUniform(const std::string& model, const ParallelConfig& config,
                  double latency_s, double weight_bytes) {
    StageCosts c;
    for (int i = 0; i < config.pp; ++i) {
      c.latency_s.push_back(latency_s / config.pp);
      c.activation_bytes.push_back(0);
      c.weight_bytes.push_back(weight_bytes / config.pp / config.op);
    }
    Set(model, config, c);
  }

  std::string Name() const override { return "fake"; }
  std::vector<std::string> Models() const override {
    std::vector<std::string> out;
    for (const auto& [key, costs] : table_) {
      if (out.empty() || out.back() != key.first) out.push_back(key.first);
    }
    return out;
  }
  std::vector<ParallelConfig> Configs(absl::string_view model) const override {
    std::vector<ParallelConfig> out;
    for (const auto& [key, costs] : table_) {
      if (key.first == model) out.push_back(key.second);
    }
    return out;
  }
  std::vector<int> BatchSizes(absl::string_view,
                              const ParallelConfig&) const override {
    return {1};
  }
  absl::StatusOr<StageCosts> Stages(absl::string_view model,
                                    const ParallelConfig& config,
                                    int) const override {
    auto it = table_.find({std::string(model), config});
    if (it == table_.end()) {
      return absl::NotFoundError(
          absl::StrCat("fake: no ", model, " ", config.ToString()));
    }
    return it->second;
  }

 private:
  std::map<std::pair<std::string, ParallelConfig>, StageCosts> table_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_TESTING_FAKE_COST_MODEL_H_
