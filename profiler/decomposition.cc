#include "profiler/decomposition.h"

#include <algorithm>
#include <numeric>

#include "core/status_macros.h"

namespace multiplex {
namespace {

absl::StatusOr<double> SingleDeviceLatency(const CostModel& cost,
                                           absl::string_view model) {
  ASSIGN_OR_RETURN(const StageCosts single, cost.Stages(model, {1, 1, 1}, 1));
  return single.TotalLatency();
}

double Sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

absl::StatusOr<PipelineOverhead> DecomposePipeline(const CostModel& cost,
                                                   absl::string_view model,
                                                   int n) {
  ASSIGN_OR_RETURN(const double l1, SingleDeviceLatency(cost, model));
  ASSIGN_OR_RETURN(const StageCosts stages, cost.Stages(model, {1, 1, n}, 1));
  PipelineOverhead o;
  o.computation_s = l1;
  o.communication_s = std::max(stages.TotalLatency() - l1, 0.0);
  o.uneven_partition_s =
      std::max(n * stages.MaxLatency() - o.communication_s - l1, 0.0);
  return o;
}

absl::StatusOr<OperatorOverhead> DecomposeOperator(const CostModel& cost,
                                                   absl::string_view model,
                                                   int n) {
  ASSIGN_OR_RETURN(const double l1, SingleDeviceLatency(cost, model));
  ASSIGN_OR_RETURN(const StageCosts sharded, cost.Stages(model, {1, n, 1}, 1));
  OperatorOverhead o;
  o.computation_s = l1 / n;
  o.communication_s = sharded.TotalLatency() - l1 / n;
  return o;
}

absl::StatusOr<ParallelismPoint> EvaluateParallelism(const CostModel& cost,
                                                     absl::string_view model,
                                                     Parallelism kind, int n) {
  ParallelConfig config{1, 1, 1};
  if (kind == Parallelism::kInterOp) config.pp = n;
  if (kind == Parallelism::kIntraOp) config.op = n;
  ASSIGN_OR_RETURN(const StageCosts stages, cost.Stages(model, config, 1));
  ParallelismPoint p;
  switch (kind) {
    case Parallelism::kInterOp:
      p.latency_s = stages.TotalLatency();
      p.throughput_rps = 1 / stages.MaxLatency();
      p.memory_bytes = Sum(stages.weight_bytes);
      break;
    case Parallelism::kIntraOp:
      p.latency_s = stages.TotalLatency();
      p.throughput_rps = 1 / p.latency_s;
      p.memory_bytes = n * Sum(stages.weight_bytes);
      break;
    case Parallelism::kReplication:
      p.latency_s = stages.TotalLatency();
      p.throughput_rps = n / p.latency_s;
      p.memory_bytes = n * Sum(stages.weight_bytes);
      break;
  }
  return p;
}

}  // namespace multiplex
