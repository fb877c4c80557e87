#ifndef MULTIPLEX_PROFILER_CUDA_DESCS_H_
#define MULTIPLEX_PROFILER_CUDA_DESCS_H_

// Finding and reading the model and hardware descriptions
// (profiler/models/*.textproto, profiler/hardware/*.textproto).

#include <string>

#include "absl/status/statusor.h"
#include "profiler/hardware_desc.pb.h"
#include "profiler/model_desc.pb.h"

namespace multiplex {
namespace cuda {

// `name` as a description file in `dir`: an existing path as given, else
// dir/name.textproto, else the one file dir/name-*.textproto (so "h100"
// finds h100-sxm5-80gb.textproto). NotFound / InvalidArgument (ambiguous)
// list what exists.
absl::StatusOr<std::string> ResolveDescPath(const std::string& dir,
                                            const std::string& name);

absl::StatusOr<TransformerModelDesc> ReadModelDesc(const std::string& path);
absl::StatusOr<HardwareDesc> ReadHardwareDesc(const std::string& path);

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_DESCS_H_
