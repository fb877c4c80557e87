#include "experiments/lib/results_row.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/number_format.h"
#include "workloads/stats.h"

namespace multiplex {

ServingSummary SummarizeServing(const Workload& workload,
                                const SimulationResult& simulation,
                                const ServingStats& stats) {
  ServingSummary s;
  s.requests = stats.overall.requests;
  s.slo_attainment = stats.overall.slo_attainment;
  s.mean_latency_s = stats.overall.mean_latency_s;
  s.p50_latency_s = stats.overall.p50_latency_s;
  s.p90_latency_s = stats.overall.p90_latency_s;
  s.p99_latency_s = stats.overall.p99_latency_s;
  s.p99_all_latency_s = stats.overall.p99_all_latency_s;
  s.throughput_rps = stats.overall.throughput_rps;
  s.workload_warning = DominantModelWarning(workload);
  return s;
}

const std::vector<std::string>& ResultColumns() {
  static const std::vector<std::string>* columns = new std::vector<std::string>{
      "policy",         "policy_spec",       "placement",      "requests",
      "slo_attainment", "mean_latency_s",    "p50_latency_s",  "p90_latency_s",
      "p99_latency_s",  "p99_all_latency_s", "throughput_rps", "solver_s"};
  return *columns;
}

std::vector<std::string> ResultCells(absl::string_view policy,
                                     absl::string_view policy_spec,
                                     const ServingSummary& summary,
                                     bool has_solver_s) {
  std::vector<std::string> cells = {OneLine(policy), OneLine(policy_spec),
                                    OneLine(summary.placement),
                                    absl::StrCat(summary.requests)};
  for (double v :
       {summary.slo_attainment, summary.mean_latency_s, summary.p50_latency_s,
        summary.p90_latency_s, summary.p99_latency_s, summary.p99_all_latency_s,
        summary.throughput_rps}) {
    cells.push_back(FormatDoubleExact(v));
  }
  cells.push_back(has_solver_s ? FormatDoubleExact(summary.solver_s) : "");
  return cells;
}

std::string OneLine(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\r", " "}, {"\n", " "}, {"\t", " "}});
}

}  // namespace multiplex
