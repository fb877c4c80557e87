#ifndef MULTIPLEX_CORE_PARALLEL_CONFIG_H_
#define MULTIPLEX_CORE_PARALLEL_CONFIG_H_

#include <cstdint>
#include <string>
#include <tuple>

#include "absl/status/status.h"
#include "core/limits.h"

namespace multiplex {

// How one model instance is split over the GPUs of a group.
//   dp: data-parallel replicas inside the group (1 throughout the study),
//   op: operator (tensor) parallel degree, pp: number of pipeline stages.
// The group occupies dp x op x pp devices.
struct ParallelConfig {
  int dp = 1;
  int op = 1;
  int pp = 1;

  // Every degree >= 1, pp <= kMaxStages and dp x op x pp <= kMaxDevices
  // (the product taken in 64 bits, after each degree is known to be at most
  // kMaxDevices, so it cannot overflow).
  bool IsValid() const {
    return dp >= 1 && op >= 1 && pp >= 1 && dp <= kMaxDevices &&
           op <= kMaxDevices && pp <= kMaxStages &&
           int64_t{dp} * op * pp <= kMaxDevices;
  }
  // dp x op x pp for a valid config (at most kMaxDevices); -1 for an invalid
  // one, whose product may not fit an int. The readers and VerifyGroups
  // reject invalid configs before anything counts devices.
  int NumDevices() const { return IsValid() ? dp * op * pp : -1; }
  // "(dp,op,pp)", e.g. "(1,2,4)".
  std::string ToString() const {
    return "(" + std::to_string(dp) + "," + std::to_string(op) + "," +
           std::to_string(pp) + ")";
  }

  friend bool operator==(const ParallelConfig& a, const ParallelConfig& b) {
    return a.dp == b.dp && a.op == b.op && a.pp == b.pp;
  }
  friend bool operator!=(const ParallelConfig& a, const ParallelConfig& b) {
    return !(a == b);
  }
  friend bool operator<(const ParallelConfig& a, const ParallelConfig& b) {
    return std::tie(a.dp, a.op, a.pp) < std::tie(b.dp, b.op, b.pp);
  }
};

// OK when config.IsValid(); else InvalidArgument saying which check failed,
// with the bound, for the caller to prefix with where the config is:
//   "parallel degrees must be >= 1"
//   "pp 70000 is over the limit of 65536 pipeline stages (kMaxStages)"
//   "op 2000000 is over the limit of 1048576 devices per group (kMaxDevices)"
//   "dp x op x pp = 4294967296 devices, over the limit of 1048576 devices
//    per group (kMaxDevices)"
absl::Status CheckParallelConfig(const ParallelConfig& config);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PARALLEL_CONFIG_H_
