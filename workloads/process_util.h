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

// The most arrivals a renewal process draws over `duration` at `rate`: 100
// times the mean plus 10^5, far beyond any plausible draw, and never more than
// the workload limit. Reaching it means the parameters make the gaps vanish
// (e.g. a Gamma CV so large that every gap underflows to 0); the process
// stops there instead of looping forever, and GenerateWorkload reports it.
inline size_t MaxArrivals(double rate, double duration) {
  const double cap = std::min(100.0 * rate * duration + 1e5, 5e8);
  return cap > 0 ? static_cast<size_t>(cap) : size_t{100000};
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
