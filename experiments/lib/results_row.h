#ifndef MULTIPLEX_EXPERIMENTS_LIB_RESULTS_ROW_H_
#define MULTIPLEX_EXPERIMENTS_LIB_RESULTS_ROW_H_

// The statistics of one serving run as a study reports them, one row of
// results.tsv (docs/study.md): computed and formatted here for //tools:study
// (study_run.h) and //tools:simulate --summary_out alike.
//
//   ServingSummary s = SummarizeServing(workload, simulation, stats);
//   s.placement = placement.ToString(models);
//   std::string tsv = absl::StrJoin(ResultColumns(), "\t") + "\n" +
//                     absl::StrJoin(ResultCells("", "", s), "\t") + "\n";

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/simulator.h"
#include "core/stats.h"
#include "core/workload.h"

namespace multiplex {

struct ServingSummary {
  std::string placement;  // Placement::ToString
  // Over the warm-up-trimmed requests (core/stats.h); latencies of the good
  // requests.
  int64_t requests = 0;
  double slo_attainment = 0;
  double mean_latency_s = 0;
  double p50_latency_s = 0;
  double p90_latency_s = 0;
  double p99_latency_s = 0;
  // Over all requests, one that missed its SLO at its deadline (core/stats.h).
  double p99_all_latency_s = 0;
  double throughput_rps = 0;
  double solver_s = 0;  // wall-clock seconds the policy took to place
  // DominantModelWarning of the whole workload served ("" when none); not
  // a column: a study puts it in its outputs' headers.
  std::string workload_warning;
};

// The statistics of a simulation of `workload` (`stats` from ComputeStats);
// placement and solver_s are left for the caller.
ServingSummary SummarizeServing(const Workload& workload,
                                const SimulationResult& simulation,
                                const ServingStats& stats);

// The columns of results.tsv after a study's sweep columns: policy,
// policy_spec, placement, requests, slo_attainment, mean_latency_s,
// p50_latency_s, p90_latency_s, p99_latency_s, p99_all_latency_s,
// throughput_rps, solver_s.
const std::vector<std::string>& ResultColumns();

// The cells of those columns: the policy's label and spec, the placement
// on one line, the numbers in the shortest text that reads back exactly
// (FormatDoubleExact); solver_s empty unless `has_solver_s`.
std::vector<std::string> ResultCells(absl::string_view policy,
                                     absl::string_view policy_spec,
                                     const ServingSummary& summary,
                                     bool has_solver_s = true);

// `text` with tabs, carriage returns and newlines replaced by spaces, so
// that it fits in one TSV cell or one "# key: value" line.
std::string OneLine(absl::string_view text);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_RESULTS_ROW_H_
