#include "workloads/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"

namespace multiplex {
namespace {

// Accumulates gaps of one stream (Welford's update, numerically stable).
struct GapAccumulator {
  int64_t count = 0;
  double first = 0, last = 0;
  int64_t gaps = 0;
  double mean = 0, m2 = 0;

  void Add(double t) {
    if (count > 0) {
      const double gap = t - last;
      ++gaps;
      const double delta = gap - mean;
      mean += delta / gaps;
      m2 += delta * (gap - mean);
    } else {
      first = t;
    }
    last = t;
    ++count;
  }

  ArrivalStats Finish(double duration) const {
    ArrivalStats s;
    s.count = count;
    if (duration > 0) {
      s.rate = count / duration;
    } else if (count >= 2 && last > first) {
      s.rate = (count - 1) / (last - first);
    }
    if (gaps >= 2 && mean > 0) {
      s.cv = std::sqrt(m2 / (gaps - 1)) / mean;
    } else {
      s.cv = std::numeric_limits<double>::quiet_NaN();
    }
    return s;
  }
};

}  // namespace

ArrivalStats MeasureArrivals(const double* times, size_t n, double duration) {
  GapAccumulator acc;
  for (size_t i = 0; i < n; ++i) acc.Add(times[i]);
  return acc.Finish(duration);
}

WorkloadStats MeasureWorkload(const Workload& workload, double duration) {
  std::vector<GapAccumulator> per_model(workload.num_models());
  GapAccumulator overall;
  for (size_t i = 0; i < workload.size(); ++i) {
    const double t = workload.arrival_s[i];
    const int32_t m = workload.model[i];
    if (m >= 0 && m < workload.num_models()) per_model[m].Add(t);
    overall.Add(t);
  }
  WorkloadStats stats;
  for (const GapAccumulator& acc : per_model) {
    stats.per_model.push_back(acc.Finish(duration));
  }
  stats.overall = overall.Finish(duration);
  return stats;
}

std::string DominantModelWarning(const Workload& workload) {
  if (workload.num_models() < 2 || workload.empty()) return "";
  std::vector<int64_t> per_model(workload.num_models(), 0);
  for (int32_t m : workload.model) ++per_model[m];
  const size_t top = static_cast<size_t>(
      std::max_element(per_model.begin(), per_model.end()) - per_model.begin());
  const int64_t total = static_cast<int64_t>(workload.size());
  if (!(per_model[top] > kDominantModelShare * total)) return "";
  return absl::StrFormat(
      "model %s carries %d of the %d requests (%.4g%%, over %g%%); the "
      "other %d models have %d: a chart of this workload compares one "
      "model's serving",
      workload.model_names[top], per_model[top], total,
      100.0 * per_model[top] / total, 100 * kDominantModelShare,
      workload.num_models() - 1, total - per_model[top]);
}

}  // namespace multiplex
