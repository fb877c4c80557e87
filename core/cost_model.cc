#include "core/cost_model.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"

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

double TokenStepCosts::TotalLatency() const {
  return std::accumulate(latency_s.begin(), latency_s.end(), 0.0) +
         std::accumulate(send_s.begin(), send_s.end(), 0.0);
}

namespace {

absl::Status NoTokenLevelCosts(const CostModel& m, absl::string_view what) {
  return absl::UnimplementedError(
      absl::StrCat("cost model ", m.Name(), " has no ", what,
                   " costs (a one-shot model; use a decoder cost model)"));
}

}  // namespace

absl::StatusOr<TokenStepCosts> CostModel::Prefill(
    absl::string_view, const ParallelConfig&,
    const std::vector<int32_t>&) const {
  return NoTokenLevelCosts(*this, "prefill");
}

absl::StatusOr<TokenStepCosts> CostModel::DecodeStep(
    absl::string_view, const ParallelConfig&,
    const std::vector<int32_t>&) const {
  return NoTokenLevelCosts(*this, "decode-step");
}

absl::StatusOr<int64_t> CostModel::KvCacheCapacityTokens(
    absl::string_view, const ParallelConfig&) const {
  return NoTokenLevelCosts(*this, "KV-cache");
}

}  // namespace multiplex
