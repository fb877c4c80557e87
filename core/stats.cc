#include "core/stats.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace multiplex {

namespace {

// numpy's _lerp: b - (b - a) * (1 - gamma) for gamma >= 0.5. An infinite b
// (the deadline of an infinite SLO, p99_all_latency_s) gives b for any
// gamma > 0 rather than numpy's inf - inf = NaN; finite values as numpy.
double Lerp(double a, double b, double gamma) {
  if (std::isinf(b)) return gamma > 0 || a == b ? b : a;
  const double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

}  // namespace

double Percentile(const std::vector<double>& sorted, double q) {
  const size_t n = sorted.size();
  if (n == 0) return 0.0;
  if (n == 1) return sorted[0];
  // numpy: virtual index (n - 1) * q / 100, then _lerp(a, b, gamma), which
  // computes b - (b - a) * (1 - gamma) for gamma >= 0.5.
  const double quantile = q / 100.0;
  const double index = static_cast<double>(n - 1) * quantile;
  double lo_f = std::floor(index);
  if (lo_f < 0) lo_f = 0;
  size_t lo = static_cast<size_t>(lo_f);
  if (lo >= n - 1) return sorted[n - 1];
  return Lerp(sorted[lo], sorted[lo + 1], index - lo_f);
}

namespace {

// numpy's linear percentile of the unsorted values [begin, end),
// reordering them: only the two order statistics around the virtual index
// are needed, so selection (O(n)) replaces sorting; the result is the same
// as Percentile(sorted, q).
double SelectPercentile(double* begin, double* end, double q) {
  const size_t n = static_cast<size_t>(end - begin);
  if (n == 0) return 0.0;
  const double index = static_cast<double>(n - 1) * (q / 100.0);
  const double lo_f = std::max(0.0, std::floor(index));
  const size_t lo = std::min(static_cast<size_t>(lo_f), n - 1);
  std::nth_element(begin, begin + lo, end);
  const double a = begin[lo];
  if (lo + 1 >= n) return a;
  const double b = *std::min_element(begin + lo + 1, end);
  return Lerp(a, b, index - lo_f);
}

// Summarize over [begin, end) with the sum of its values given (added in
// the caller's order, which fixes the mean's last bit).
LatencySummary SummarizeRange(double* begin, double* end, double sum,
                              int64_t requests, double span_s) {
  LatencySummary s;
  s.requests = requests;
  s.good = static_cast<int64_t>(end - begin);
  if (requests > 0) {
    s.slo_attainment = static_cast<double>(s.good) / requests;
  }
  if (s.good > 0) {
    s.mean_latency_s = sum / s.good;
    s.p99_latency_s = SelectPercentile(begin, end, 99);
    s.p90_latency_s = SelectPercentile(begin, end, 90);
    s.p50_latency_s = SelectPercentile(begin, end, 50);
  }
  if (span_s > 0) s.throughput_rps = s.good / span_s;
  return s;
}

}  // namespace

LatencySummary Summarize(std::vector<double>* good_latencies, int64_t requests,
                         double span_s) {
  double sum = 0.0;
  for (double x : *good_latencies) sum += x;
  return SummarizeRange(good_latencies->data(),
                        good_latencies->data() + good_latencies->size(), sum,
                        requests, span_s);
}

absl::StatusOr<ServingStats> ComputeStats(const Workload& workload,
                                          const SimulationResult& result,
                                          double warmup_s) {
  const size_t n = workload.size();
  if (result.size() != n || result.good.size() != n ||
      workload.model.size() != n || workload.slo_s.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("simulation result has ", result.size(),
                     " requests, the workload ", n));
  }
  ServingStats stats;
  stats.constants = result.constants;
  stats.warmup_s = warmup_s;
  stats.range = WarmupTrim(workload.arrival_s, warmup_s);
  stats.model_names = workload.model_names;
  stats.group_config = result.group_config;
  stats.group_served = result.group_served;
  const TrimRange& r = stats.range;
  if (r.end > r.begin) {
    stats.span_s = workload.arrival_s[r.end - 1] - workload.arrival_s[r.begin];
  }
  const int num_models = workload.num_models();
  // Pass 1: counts, and the overall sum in request order.
  std::vector<int64_t> requests(num_models, 0);
  std::vector<size_t> good(num_models + 1, 0);
  double all_sum = 0.0;
  for (size_t i = r.begin; i < r.end; ++i) {
    const int32_t m = workload.model[i];
    if (m < 0 || m >= num_models) {
      return absl::InvalidArgumentError(absl::StrCat(
          "workload request ", i, " has model index ", m, " out of range"));
    }
    ++requests[m];
    if (result.good[i]) {
      ++good[m + 1];
      all_sum += result.finish_s[i] - workload.arrival_s[i];
    }
  }
  // Pass 2: every counted request's latency, a request that missed its SLO
  // at its deadline (arrival + SLO), model by model; released before the
  // good latencies are gathered, so the peak is one buffer.
  std::vector<double> p99_all(num_models, 0.0);
  double overall_p99_all = 0.0;
  {
    std::vector<size_t> all_offset(num_models + 1, 0);
    for (int m = 0; m < num_models; ++m) {
      all_offset[m + 1] = all_offset[m] + requests[m];
    }
    std::vector<double> all_latency(all_offset[num_models]);
    std::vector<size_t> all_fill(all_offset.begin(), all_offset.end() - 1);
    for (size_t i = r.begin; i < r.end; ++i) {
      all_latency[all_fill[workload.model[i]]++] =
          result.good[i] ? result.finish_s[i] - workload.arrival_s[i]
                         : workload.slo_s[i];
    }
    for (int m = 0; m < num_models; ++m) {
      p99_all[m] = SelectPercentile(all_latency.data() + all_offset[m],
                                    all_latency.data() + all_offset[m + 1], 99);
    }
    overall_p99_all = SelectPercentile(
        all_latency.data(), all_latency.data() + all_latency.size(), 99);
  }
  // Pass 3: the good latencies in one buffer (8 bytes each), model by
  // model, each model's in request order.
  std::vector<size_t> offset(num_models + 1, 0);
  for (int m = 0; m < num_models; ++m) offset[m + 1] = offset[m] + good[m + 1];
  std::vector<double> latency(offset[num_models]);
  std::vector<size_t> fill(offset.begin(), offset.end() - 1);
  for (size_t i = r.begin; i < r.end; ++i) {
    if (result.good[i]) {
      latency[fill[workload.model[i]]++] =
          result.finish_s[i] - workload.arrival_s[i];
    }
  }
  stats.per_model.reserve(num_models);
  int64_t total = 0;
  for (int m = 0; m < num_models; ++m) {
    double* const begin = latency.data() + offset[m];
    double* const end = latency.data() + offset[m + 1];
    double sum = 0.0;
    for (const double* x = begin; x != end; ++x) sum += *x;
    stats.per_model.push_back(
        SummarizeRange(begin, end, sum, requests[m], stats.span_s));
    stats.per_model.back().p99_all_latency_s = p99_all[m];
    total += requests[m];
  }
  // Percentiles do not depend on the order: every good latency is there.
  stats.overall =
      SummarizeRange(latency.data(), latency.data() + latency.size(), all_sum,
                     total, stats.span_s);
  stats.overall.p99_all_latency_s = overall_p99_all;
  return stats;
}

std::string FormatStatsTable(const ServingStats& stats) {
  std::string out = absl::StrFormat(
      "requests %d..%d counted (warm-up %gs: %d skipped at each end), span "
      "%.3f s; %s\n",
      stats.range.begin, stats.range.end, stats.warmup_s, stats.range.skip,
      stats.span_s, stats.constants.ToString());
  absl::StrAppendFormat(&out, "%-16s %10s %10s %9s %10s %10s %10s %10s\n",
                        "model", "requests", "good", "slo_att", "mean_s",
                        "p90_s", "p99_s", "tput_rps");
  auto row = [&out](const std::string& name, const LatencySummary& s) {
    absl::StrAppendFormat(
        &out, "%-16s %10d %10d %8.2f%% %10.4f %10.4f %10.4f %10.3f\n", name,
        s.requests, s.good, 100 * s.slo_attainment, s.mean_latency_s,
        s.p90_latency_s, s.p99_latency_s, s.throughput_rps);
  };
  for (size_t m = 0; m < stats.per_model.size(); ++m) {
    row(m < stats.model_names.size() ? stats.model_names[m]
                                     : absl::StrCat("#", m),
        stats.per_model[m]);
  }
  row("overall", stats.overall);
  absl::StrAppendFormat(&out, "%-8s %-10s %12s\n", "group", "config", "served");
  for (size_t g = 0; g < stats.group_served.size(); ++g) {
    const std::string config =
        g < stats.group_config.size() ? stats.group_config[g].ToString() : "?";
    absl::StrAppendFormat(&out, "%-8d %-10s %12d\n", g, config,
                          stats.group_served[g]);
  }
  return out;
}

absl::StatusOr<Utilization> ComputeUtilization(const SimulationResult& result,
                                               int num_devices, double t_begin,
                                               double t_end, double step_s) {
  if (!(step_s > 0) || !(t_end > t_begin) || !std::isfinite(t_end) ||
      !std::isfinite(t_begin)) {
    return absl::InvalidArgumentError(
        absl::StrCat("utilization needs t_begin < t_end and step > 0, got [",
                     t_begin, ", ", t_end, ") step ", step_s));
  }
  if (num_devices <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("utilization needs num_devices > 0, got ", num_devices));
  }
  if (result.busy.size() != result.group_config.size()) {
    return absl::FailedPreconditionError(
        "the simulation did not record busy intervals");
  }
  const double windows_f = std::ceil((t_end - t_begin) / step_s);
  if (windows_f > 1e8) {
    return absl::InvalidArgumentError(
        absl::StrCat("utilization would need ", windows_f, " windows"));
  }
  const size_t windows = static_cast<size_t>(windows_f);
  Utilization u;
  u.time_s.resize(windows);
  std::vector<double> busy(windows, 0.0);  // device-seconds per window
  for (size_t i = 0; i < windows; ++i) u.time_s[i] = t_begin + i * step_s;
  auto window_end = [&](size_t i) {
    return i + 1 == windows ? t_end : t_begin + (i + 1) * step_s;
  };
  for (size_t g = 0; g < result.busy.size(); ++g) {
    const ParallelConfig& c = result.group_config[g];
    const double devices = static_cast<double>(c.dp) * c.op;
    for (const std::vector<Interval>& stage : result.busy[g]) {
      for (const Interval& iv : stage) {
        const double s = std::max(iv.start, t_begin);
        const double e = std::min(iv.end, t_end);
        if (!(e > s)) continue;
        size_t w = static_cast<size_t>(std::floor((s - t_begin) / step_s));
        if (w >= windows) w = windows - 1;
        // Guard against rounding in the window index.
        while (w > 0 && u.time_s[w] > s) --w;
        while (w + 1 < windows && window_end(w) <= s) ++w;
        for (; w < windows && u.time_s[w] < e; ++w) {
          const double overlap =
              std::min(e, window_end(w)) - std::max(s, u.time_s[w]);
          if (overlap > 0) busy[w] += overlap * devices;
        }
      }
    }
  }
  u.busy.resize(windows);
  for (size_t i = 0; i < windows; ++i) {
    const double len = window_end(i) - u.time_s[i];
    u.busy[i] = len > 0 ? busy[i] / (len * num_devices) : 0.0;
  }
  return u;
}

}  // namespace multiplex
