#include "profiler/cuda/stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace multiplex {
namespace cuda {

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  q = std::min(1.0, std::max(0.0, q));
  const double pos = q * (values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, values.size() - 1);
  const double frac = pos - lo;
  return values[lo] + (values[hi] - values[lo]) * frac;
}

TimingSummary Summarize(const std::vector<double>& values) {
  TimingSummary s;
  s.n = static_cast<int>(values.size());
  if (values.empty()) return s;
  s.median = Quantile(values, 0.5);
  s.p10 = Quantile(values, 0.1);
  s.p90 = Quantile(values, 0.9);
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / s.n;
  double ss = 0;
  for (double v : values) ss += (v - s.mean) * (v - s.mean);
  s.stddev = s.n > 1 ? std::sqrt(ss / (s.n - 1)) : 0;
  s.spread = s.median > 0 ? (s.p90 - s.p10) / s.median : 0;
  return s;
}

std::string FormatMs(const TimingSummary& s) {
  char buf[160];
  std::snprintf(buf, sizeof(buf),
                "median %.4g ms (p10 %.4g, p90 %.4g, spread %.1f%%, n %d)",
                s.median, s.p10, s.p90, 100 * s.spread, s.n);
  return buf;
}

}  // namespace cuda
}  // namespace multiplex
