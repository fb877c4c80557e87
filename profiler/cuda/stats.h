#ifndef MULTIPLEX_PROFILER_CUDA_STATS_H_
#define MULTIPLEX_PROFILER_CUDA_STATS_H_

#include <string>
#include <vector>

namespace multiplex {
namespace cuda {

// Summary of repeated timings. Quantiles interpolate linearly between order
// statistics (numpy's default); spread = (p90 - p10) / median.
struct TimingSummary {
  int n = 0;
  double median = 0, p10 = 0, p90 = 0, min = 0, max = 0, mean = 0, stddev = 0;
  double spread = 0;
};

// Quantile q in [0, 1] of `values` (need not be sorted); 0 if empty.
double Quantile(std::vector<double> values, double q);

TimingSummary Summarize(const std::vector<double>& values);

// "median 1.234 ms (p10 1.2, p90 1.3, spread 4.1%, n 30)" for values in ms.
std::string FormatMs(const TimingSummary& s);

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_STATS_H_
