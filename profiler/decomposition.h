#ifndef MULTIPLEX_PROFILER_DECOMPOSITION_H_
#define MULTIPLEX_PROFILER_DECOMPOSITION_H_

// Quantities derived from a cost model at batch 1 (docs/study.md §2.4), used by
// the overhead and parallelism figures. L1 is the single-device latency,
// the (1,1,1) stage latency.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/cost_model.h"

namespace multiplex {

// An n-stage pipeline (1,1,n) split into what its slowest stage costs:
//   computation   = L1
//   communication = max(sum of stage latencies - L1, 0)
//   uneven        = max(n x max stage - communication - L1, 0)
// so that computation + communication + uneven = n x max stage whenever
// the stages sum to at least L1.
struct PipelineOverhead {
  double computation_s = 0, communication_s = 0, uneven_partition_s = 0;
};
absl::StatusOr<PipelineOverhead> DecomposePipeline(const CostModel& cost,
                                                   absl::string_view model,
                                                   int n);

// n-way operator parallelism (1,n,1): computation = L1 / n, communication =
// latency(1,n,1) - L1 / n.
struct OperatorOverhead {
  double computation_s = 0, communication_s = 0;
};
absl::StatusOr<OperatorOverhead> DecomposeOperator(const CostModel& cost,
                                                   absl::string_view model,
                                                   int n);

// Serving one model on n devices.
//   inter-op (1,1,n): latency = sum of stages, throughput = 1 / max stage
//   intra-op (1,n,1): latency = its stage, throughput = 1 / latency
//   replication (n x (1,1,1)): latency L1, throughput n / L1
// memory = weight bytes summed over the n devices.
struct ParallelismPoint {
  double latency_s = 0, throughput_rps = 0, memory_bytes = 0;
};
enum class Parallelism { kInterOp, kIntraOp, kReplication };
absl::StatusOr<ParallelismPoint> EvaluateParallelism(const CostModel& cost,
                                                     absl::string_view model,
                                                     Parallelism kind, int n);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DECOMPOSITION_H_
