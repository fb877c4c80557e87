#ifndef MULTIPLEX_PROFILER_PARTITION_H_
#define MULTIPLEX_PROFILER_PARTITION_H_

// Stage partitioning of a transformer into pipeline stages.
//
// The network is a sequence of units, in execution order, each with a kind
// and an individually profiled (or modelled) latency, e.g.
//   [kEmbedding, kAttention, kFfn, kAttention, kFfn, ..., kHead]
// or, coarser, [kEmbedding, kLayer, ..., kLayer, kHead]. A partition into S
// stages is a vector `b` of S + 1 unit indices with b[0] = 0, b[S] = #units
// and b[s] < b[s+1]: stage s runs units [b[s], b[s+1]).
//
// Two methods (docs/study.md §2.2):
//   manual: each stage gets an equal number of transformer layers (a layer
//           begins at a kAttention or kLayer unit; a remainder goes one layer
//           each to the middle stages, then the first); the embedding is on
//           stage 0 and the head on the last stage. Latencies are ignored.
//   dp:     the dynamic program of Alpa's inference stage construction,
//           F(s, k) = min over i of max(F(s-1, i-1), latency(i..k)), which
//           minimizes the slowest stage over the unit boundaries.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

enum class UnitKind {
  kEmbedding,  // token (+ position) embedding
  kAttention,  // LayerNorm'd self-attention block of one layer (begins a layer)
  kFfn,        // FFN block of the same layer
  kLayer,      // a whole transformer layer (attention + FFN)
  kHead,       // LM head (+ log-softmax)
};

const char* UnitKindName(UnitKind kind);

// Number of transformer layers in `kinds` (kAttention + kLayer units).
int CountLayers(const std::vector<UnitKind>& kinds);

// Manual partition. Fails if num_stages < 1 or exceeds the number of layers
// (a stage without a layer), or the units are not embedding?, layers, head?.
absl::StatusOr<std::vector<int>> ManualPartition(
    const std::vector<UnitKind>& kinds, int num_stages);

// DP partition minimizing the slowest stage: the sum of its unit latencies
// plus `stage_overhead_s[s]` (e.g. the send to the next stage; empty = none,
// else one entry per stage). Ties are broken towards the earliest boundaries,
// so the result is deterministic. Fails if num_stages < 1, num_stages >
// #units, an overhead count differs from num_stages, or a latency is negative
// or not finite.
absl::StatusOr<std::vector<int>> DpPartition(
    const std::vector<double>& unit_latency_s, int num_stages,
    const std::vector<double>& stage_overhead_s = {});

// Dispatches on `method`: "manual" or "dp". `unit_latency_s` and `kinds` have
// one entry per unit.
absl::StatusOr<std::vector<int>> PartitionUnits(
    absl::string_view method, const std::vector<double>& unit_latency_s,
    const std::vector<UnitKind>& kinds, int num_stages,
    const std::vector<double>& stage_overhead_s = {});

// Sum of unit latencies per stage.
std::vector<double> StageSums(const std::vector<double>& unit_values,
                              const std::vector<int>& boundaries);

// max over stages of StageSums().
double MaxStageSum(const std::vector<double>& unit_values,
                   const std::vector<int>& boundaries);

// "[0,5,9,14]" for messages and tests.
std::string BoundariesToString(const std::vector<int>& boundaries);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_PARTITION_H_
