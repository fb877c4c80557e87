#include "profiler/decomposition.h"

#include <algorithm>
#include <numeric>

namespace multiplex {
namespace {

absl::StatusOr<double> SingleDeviceLatency(const CostModel& cost,
                                           absl::string_view model) {
  absl::StatusOr<StageCosts> single = cost.Stages(model, {1, 1, 1}, 1);
  if (!single.ok()) return single.status();
  return single->TotalLatency();
}

double Sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

}  // namespace

absl::StatusOr<PipelineOverhead> DecomposePipeline(const CostModel& cost,
                                                   absl::string_view model,
                                                   int n) {
  absl::StatusOr<double> l1 = SingleDeviceLatency(cost, model);
  if (!l1.ok()) return l1.status();
  absl::StatusOr<StageCosts> stages = cost.Stages(model, {1, 1, n}, 1);
  if (!stages.ok()) return stages.status();
  PipelineOverhead o;
  o.computation_s = *l1;
  o.communication_s = std::max(stages->TotalLatency() - *l1, 0.0);
  o.uneven_partition_s =
      std::max(n * stages->MaxLatency() - o.communication_s - *l1, 0.0);
  return o;
}

absl::StatusOr<OperatorOverhead> DecomposeOperator(const CostModel& cost,
                                                   absl::string_view model,
                                                   int n) {
  absl::StatusOr<double> l1 = SingleDeviceLatency(cost, model);
  if (!l1.ok()) return l1.status();
  absl::StatusOr<StageCosts> sharded = cost.Stages(model, {1, n, 1}, 1);
  if (!sharded.ok()) return sharded.status();
  OperatorOverhead o;
  o.computation_s = *l1 / n;
  o.communication_s = sharded->TotalLatency() - *l1 / n;
  return o;
}

absl::StatusOr<ParallelismPoint> EvaluateParallelism(const CostModel& cost,
                                                     absl::string_view model,
                                                     Parallelism kind, int n) {
  ParallelConfig config{1, 1, 1};
  if (kind == Parallelism::kInterOp) config.pp = n;
  if (kind == Parallelism::kIntraOp) config.op = n;
  absl::StatusOr<StageCosts> stages = cost.Stages(model, config, 1);
  if (!stages.ok()) return stages.status();
  ParallelismPoint p;
  switch (kind) {
    case Parallelism::kInterOp:
      p.latency_s = stages->TotalLatency();
      p.throughput_rps = 1 / stages->MaxLatency();
      p.memory_bytes = Sum(stages->weight_bytes);
      break;
    case Parallelism::kIntraOp:
      p.latency_s = stages->TotalLatency();
      p.throughput_rps = 1 / p.latency_s;
      p.memory_bytes = n * Sum(stages->weight_bytes);
      break;
    case Parallelism::kReplication:
      p.latency_s = stages->TotalLatency();
      p.throughput_rps = n / p.latency_s;
      p.memory_bytes = n * Sum(stages->weight_bytes);
      break;
  }
  return p;
}

}  // namespace multiplex
