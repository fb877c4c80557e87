#ifndef MULTIPLEX_CORE_STATS_H_
#define MULTIPLEX_CORE_STATS_H_

// Serving statistics of a simulation (docs/study.md §3.5):
//  - warm-up trimming: skip = floor(warmup / (last - first arrival) * N)
//    requests at each end (WarmupTrim in core/simulator.h);
//  - per model and overall over the trimmed requests: requests, SLO
//    attainment (good / requests), mean / p90 / p99 latency of the good
//    requests (finish - arrival; percentiles with numpy's default 'linear'
//    interpolation), p99 latency of all requests (one that missed its SLO,
//    rejected or dropped, counted at its deadline: arrival + SLO),
//    throughput (good requests / the trimmed window's arrival span);
//  - per group: requests served (over the whole workload);
//  - cluster utilization over time from the real busy intervals.
//
// Usage:
//   absl::StatusOr<ServingStats> stats = ComputeStats(workload, result);
//   std::printf("%s", FormatStatsTable(*stats).c_str());
//   Utilization u = ComputeUtilization(result, /*num_devices=*/8, 0, 500, 1);

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/parallel_config.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/workload.h"

namespace multiplex {

struct LatencySummary {
  int64_t requests = 0;
  int64_t good = 0;
  double slo_attainment = 0.0;  // good / requests; 0 without requests
  // Latency (finish - arrival) of the good requests; 0 when none is good.
  double mean_latency_s = 0.0;
  double p50_latency_s = 0.0;
  double p90_latency_s = 0.0;
  double p99_latency_s = 0.0;
  // p99 over all requests: a good one's latency, any other (rejected or
  // dropped) counted at its deadline, i.e. its SLO (infinite SLOs reject
  // only a model without a replica: inf then); 0 without requests.
  // Filled by ComputeStats, not by Summarize (it has no SLOs).
  double p99_all_latency_s = 0.0;
  double throughput_rps = 0.0;  // good / span_s; 0 for a zero span
};

struct ServingStats {
  ServingConstants constants;  // stamped from the simulation
  double warmup_s = kDefaultWarmupS;
  TrimRange range;      // the requests counted
  double span_s = 0.0;  // last - first arrival of the counted requests
  std::vector<std::string> model_names;  // the workload's
  std::vector<LatencySummary> per_model;
  LatencySummary overall;
  std::vector<ParallelConfig> group_config;
  std::vector<int64_t> group_served;  // accepted, whole workload
};

// Fails when the result does not belong to the workload (sizes differ).
absl::StatusOr<ServingStats> ComputeStats(const Workload& workload,
                                          const SimulationResult& result,
                                          double warmup_s = kDefaultWarmupS);

// numpy.percentile(sorted, q) with the default 'linear' method; q in
// [0, 100], `sorted` ascending. 0 for an empty input.
double Percentile(const std::vector<double>& sorted, double q);

// Summary of the given good latencies (any order; reordered in place:
// percentiles come from selection, not a full sort).
LatencySummary Summarize(std::vector<double>* good_latencies, int64_t requests,
                         double span_s);

// A human-readable table: one row per model and the overall row, then the
// per-group served counts.
std::string FormatStatsTable(const ServingStats& stats);

// Fraction of the cluster's GPUs busy, averaged exactly over each window
// [t_begin + i * step, t_begin + (i + 1) * step) (the last window is cut at
// t_end and averaged over its own length). A stage of a group with config
// (dp, op, pp) keeps dp * op GPUs busy while it serves. Needs the busy
// intervals (SimulateOptions::record_busy_intervals).
struct Utilization {
  std::vector<double> time_s;  // window starts
  std::vector<double> busy;    // fraction in [0, 1]
};
absl::StatusOr<Utilization> ComputeUtilization(const SimulationResult& result,
                                               int num_devices, double t_begin,
                                               double t_end, double step_s);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_STATS_H_
