#ifndef MULTIPLEX_EXPERIMENTS_LIB_PARALLEL_CASES_H_
#define MULTIPLEX_EXPERIMENTS_LIB_PARALLEL_CASES_H_

// Runs independent cases (one simulation each) on all cores, with a
// progress bar on stderr.

#include <cstddef>
#include <functional>
#include <string>

#include "absl/status/status.h"

namespace multiplex {

struct ParallelOptions {
  int threads = 0;     // 0: every hardware thread
  bool quiet = false;  // no progress bar
  std::string label;   // shown before the bar, e.g. "changing_rate_cv_slo"
};

// Calls run(i) for i in [0, n), each exactly once, on a pool of threads.
// Results must be written by index (run(i) owns slot i), which keeps the
// output independent of scheduling. Returns the error of the lowest failing
// index, after all started cases finish; later cases are skipped once one
// has failed.
absl::Status RunCases(size_t n, const std::function<absl::Status(size_t)>& run,
                      const ParallelOptions& options = ParallelOptions());

// "[#####.....] 12/40 cases  3.1 s" (width counts the bar's cells).
std::string FormatProgress(const std::string& label, size_t done, size_t total,
                           double elapsed_s, int width = 24);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_PARALLEL_CASES_H_
