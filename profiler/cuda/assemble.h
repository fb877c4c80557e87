#ifndef MULTIPLEX_PROFILER_CUDA_ASSEMBLE_H_
#define MULTIPLEX_PROFILER_CUDA_ASSEMBLE_H_

// Building a profiling database (profiler/database.proto) from measured
// per-unit compute latencies. GPU-free: the CUDA profiler fills a
// UnitLatencyTable on the device; tests fill it with fake numbers.
//
// Stage latency = sum over the stage's units of (measured compute latency +
// modelled all-reduces) + a modelled send to the next stage (all but the
// last stage). Communication uses the hardware description's interconnect
// with the formulas of the analytical cost model:
//   all-reduce over n GPUs: allreduce_latency_s + 2 (n-1)/n bytes /
//                           allreduce_bus_bandwidth
//   send: p2p_latency_s + bytes / p2p_bandwidth (internode bandwidth if the
//         boundary starts a new node)
// Stages come from profiler/partition.h (`manual` or `dp`; dp on the batch-1
// unit latencies so a config's stages do not depend on the batch size).
// Weight and activation memory follow workload.h.

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "profiler/database.pb.h"
#include "profiler/hardware_desc.pb.h"
#include "profiler/interconnect.h"
#include "profiler/model_desc.pb.h"
#include "profiler/partition.h"

namespace multiplex {
namespace cuda {

// Measured compute seconds (median) of one unit kind at (op, batch).
class UnitLatencyTable {
 public:
  void Set(int op, int batch, UnitKind kind, double seconds);
  // NotFound naming the entry when missing.
  absl::StatusOr<double> Get(int op, int batch, UnitKind kind) const;

 private:
  std::map<std::tuple<int, int, int>, double> table_;
};

struct AssembleOptions {
  int sequence_length = 0;  // 0 = the model's own
  std::string partition = "dp";
  std::vector<int> op_degrees = {1, 2, 4, 8};
  std::vector<int> pp_degrees = {1, 2, 4, 8, 16, 32};  // > layers: skipped
  std::vector<int> batch_sizes = {1, 2, 4, 8, 16};
};

// Per-unit latencies (compute + all-reduce) of the whole unit sequence.
absl::StatusOr<std::vector<double>> UnitLatencies(
    const TransformerModelDesc& model, const Interconnect& ic,
    const UnitLatencyTable& table, int op, int batch, int seq);

// One model's profile: every (1, op, pp) config of the options with its
// stages at every batch size.
absl::StatusOr<ModelProfile> AssembleModel(const TransformerModelDesc& model,
                                           const HardwareDesc& hardware,
                                           const AssembleOptions& options,
                                           const UnitLatencyTable& table);

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_ASSEMBLE_H_
