#include "core/cost_model.h"

#include <algorithm>
#include <numeric>

namespace multiplex {

double StageCosts::TotalLatency() const {
  return std::accumulate(latency_s.begin(), latency_s.end(), 0.0);
}

double StageCosts::MaxLatency() const {
  return latency_s.empty()
             ? 0.0
             : *std::max_element(latency_s.begin(), latency_s.end());
}

double StageCosts::MaxWeightBytes() const {
  return weight_bytes.empty()
             ? 0.0
             : *std::max_element(weight_bytes.begin(), weight_bytes.end());
}

bool CostModel::HasConfig(absl::string_view model,
                          const ParallelConfig& config) const {
  for (const ParallelConfig& c : Configs(model)) {
    if (c == config) return true;
  }
  return false;
}

}  // namespace multiplex
