#ifndef MULTIPLEX_WORKLOADS_STATS_H_
#define MULTIPLEX_WORKLOADS_STATS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/workload.h"

namespace multiplex {

// Measured arrival statistics of one stream.
struct ArrivalStats {
  int64_t count = 0;
  // count / duration when a duration > 0 is given, else (count - 1) / (last
  // arrival - first arrival); 0 when undefined.
  double rate = 0;
  // Coefficient of variation of the gaps between consecutive arrivals (sample
  // standard deviation / mean); NaN with fewer than two gaps.
  double cv = 0;
};

// `times` sorted ascending.
ArrivalStats MeasureArrivals(const double* times, size_t n, double duration);
inline ArrivalStats MeasureArrivals(const std::vector<double>& times,
                                    double duration) {
  return MeasureArrivals(times.data(), times.size(), duration);
}

struct WorkloadStats {
  std::vector<ArrivalStats> per_model;  // indexed like model_names
  ArrivalStats overall;                 // all requests merged
};

// Per-model and overall statistics; `duration` as for MeasureArrivals (pass
// the generation window for rates per second of the window).
WorkloadStats MeasureWorkload(const Workload& workload, double duration);

// Above this share of a workload's requests one model carries the traffic:
// a chart of the workload compares one model's serving, not multiplexing.
inline constexpr double kDominantModelShare = 0.99;

// "model m0 carries 200 of the 200 requests (100%); the other 1 models have
// 0: ..." when the workload has several models and one carries more than
// kDominantModelShare of its requests; "" otherwise (and when empty).
std::string DominantModelWarning(const Workload& workload);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_STATS_H_
