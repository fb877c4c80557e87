#ifndef MULTIPLEX_WORKLOADS_PROCESS_UTIL_H_
#define MULTIPLEX_WORKLOADS_PROCESS_UTIL_H_

// Helpers shared by the process implementations (not a public API).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace multiplex {
namespace workload_internal {

inline absl::Status CheckPositiveRate(absl::string_view what, double value) {
  if (!std::isfinite(value) || !(value > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " must be a finite number > 0, got ", value));
  }
  return absl::OkStatus();
}

// A capacity guess for `expected` arrivals (bounded: vectors still grow).
inline std::vector<double> ReserveArrivals(double expected) {
  std::vector<double> v;
  if (expected > 0) {
    const double guess = std::min(expected * 1.02 + 64.0, double{1 << 26});
    v.reserve(static_cast<size_t>(guess));
  }
  return v;
}

}  // namespace workload_internal
}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_PROCESS_UTIL_H_
