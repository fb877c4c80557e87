#include "core/parallel_config.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace multiplex {

absl::Status CheckParallelConfig(const ParallelConfig& config) {
  if (config.dp < 1 || config.op < 1 || config.pp < 1) {
    return absl::InvalidArgumentError("parallel degrees must be >= 1");
  }
  if (config.pp > kMaxStages) {
    return absl::InvalidArgumentError(
        absl::StrCat("pp ", config.pp, " is over the limit of ", kMaxStages,
                     " pipeline stages (kMaxStages)"));
  }
  for (const auto& [name, degree] :
       {std::pair<const char*, int>{"dp", config.dp}, {"op", config.op}}) {
    if (degree > kMaxDevices) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " ", degree, " is over the limit of ", kMaxDevices,
                       " devices per group (kMaxDevices)"));
    }
  }
  // At most 2^20 x 2^20 x 2^16: the product fits 64 bits.
  const int64_t devices = int64_t{config.dp} * config.op * config.pp;
  if (devices > kMaxDevices) {
    return absl::InvalidArgumentError(
        absl::StrCat("dp x op x pp = ", devices, " devices, over the limit of ",
                     kMaxDevices, " devices per group (kMaxDevices)"));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
