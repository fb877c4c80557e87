#ifndef MULTIPLEX_PROFILER_DESCS_H_
#define MULTIPLEX_PROFILER_DESCS_H_

// Model and hardware descriptions (profiler/models/*.textproto,
// profiler/hardware/*.textproto): finding, reading and checking them. Used by
// the analytical cost model and the CUDA profiler alike.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "profiler/hardware_desc.pb.h"
#include "profiler/model_desc.pb.h"

namespace multiplex {

// `name` as a description file in `dir`: an existing path as given, else
// dir/name.textproto, else the one file dir/name-*.textproto (so "h100"
// finds h100-sxm5-80gb.textproto). NotFound / InvalidArgument (ambiguous)
// list what exists.
absl::StatusOr<std::string> ResolveDescPath(const std::string& dir,
                                            const std::string& name);

// What every description must give; `source` names it in the message.
//   model: a name, num_layers, hidden (a multiple of heads), heads, vocab,
//     sequence_length and dtype_bytes >= 1; num_experts >= 0 and, when > 0,
//     moe_layer_interval >= 1 and 1 <= expert_top_k <= num_experts;
//   hardware: peak_tensor_flops, hbm_bandwidth, gemm and an interconnect
//     with allreduce_bus_bandwidth and p2p_bandwidth.
absl::Status ValidateModelDesc(const TransformerModelDesc& model,
                               absl::string_view source);
absl::Status ValidateHardwareDesc(const HardwareDesc& hardware,
                                  absl::string_view source);

// Reads and validates a text-proto description. Errors name the file, and
// for a parse error the line and column ("h100.textproto:3:7: ...").
absl::StatusOr<HardwareDesc> LoadHardwareDesc(const std::string& path);
absl::StatusOr<TransformerModelDesc> LoadModelDesc(const std::string& path);
// Loads ResolveDescPath(dir, name) for each name.
absl::StatusOr<std::vector<TransformerModelDesc>> LoadModelDescs(
    const std::string& dir, const std::vector<std::string>& names);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DESCS_H_
