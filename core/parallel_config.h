#ifndef MULTIPLEX_CORE_PARALLEL_CONFIG_H_
#define MULTIPLEX_CORE_PARALLEL_CONFIG_H_

#include <string>
#include <tuple>

namespace multiplex {

// How one model instance is split over the GPUs of a group.
//   dp: data-parallel replicas inside the group (1 throughout the study),
//   op: operator (tensor) parallel degree, pp: number of pipeline stages.
// The group occupies dp x op x pp devices.
struct ParallelConfig {
  int dp = 1;
  int op = 1;
  int pp = 1;

  int NumDevices() const { return dp * op * pp; }
  // "(dp,op,pp)", e.g. "(1,2,4)".
  std::string ToString() const {
    return "(" + std::to_string(dp) + "," + std::to_string(op) + "," +
           std::to_string(pp) + ")";
  }
  bool IsValid() const { return dp >= 1 && op >= 1 && pp >= 1; }

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

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PARALLEL_CONFIG_H_
