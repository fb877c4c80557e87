#ifndef MULTIPLEX_POLICIES_LATENCY_BUCKETS_H_
#define MULTIPLEX_POLICIES_LATENCY_BUCKETS_H_

// mp-search-sep's two enumerations (docs/study.md §5.6.1): models bucketed
// by single-GPU latency, and the splits of the GPUs between the buckets.

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/cost_model.h"

namespace multiplex {

// The batch-1 latency of `type` on one GPU: the total latency of (1,1,1).
// When the cost model lacks (1,1,1), the known config with the fewest
// devices (the first in Configs() order among equals) stands in, its total
// latency times op (operator parallelism divides the work; a pipeline's
// total is about one GPU's). NotFound when the cost model knows no config.
absl::StatusOr<double> SingleGpuLatency(const CostModel& cost,
                                        absl::string_view type);

// Model indices sorted by latency (ties: index), cut greedily: a model
// joins the current bucket while its latency is at most `ratio` times the
// bucket's first (fastest) one, else it starts the next bucket. Buckets
// are in latency order; each lists its indices in increasing order.
// Latencies must be positive and ratio >= 1.
std::vector<std::vector<int>> BucketByLatency(
    const std::vector<double>& latency, double ratio);

// Merges adjacent buckets until there are at most `max_buckets` (>= 1):
// each time the pair whose merged bucket has the smallest slowest/fastest
// latency ratio (ties: the faster pair).
void MergeBuckets(const std::vector<double>& latency, int max_buckets,
                  std::vector<std::vector<int>>* buckets);

// The GPUs per bucket of every split of `devices` between `buckets` buckets
// in steps of `step` GPUs: each bucket gets a positive multiple of `step`,
// the last bucket also the devices % step left over. In lexicographic order
// (the first bucket's share changes slowest). Needs
// 1 <= buckets <= devices / step.
std::vector<std::vector<int>> DeviceSplits(int devices, int buckets, int step);

// How many splits DeviceSplits returns, C(devices / step - 1, buckets - 1),
// as a double (it can be huge); 0 when buckets > devices / step.
double CountDeviceSplits(int devices, int buckets, int step);

}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_LATENCY_BUCKETS_H_
