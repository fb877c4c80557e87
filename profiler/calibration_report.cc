#include "profiler/calibration_report.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"
#include "profiler/analytical_cost_model.h"
#include "profiler/decomposition.h"

namespace multiplex {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TargetLine Numeric(std::string group, std::string name, double modelled,
                   double target, double tolerance, std::string unit,
                   std::string source) {
  TargetLine t;
  t.group = std::move(group);
  t.name = std::move(name);
  t.modelled = modelled;
  t.target = target;
  t.tolerance = tolerance;
  t.unit = std::move(unit);
  t.source = std::move(source);
  return t;
}

TargetLine Range(std::string group, std::string name, double modelled,
                 double lo, double hi, std::string unit, std::string source) {
  TargetLine t;
  t.group = std::move(group);
  t.name = std::move(name);
  t.modelled = modelled;
  t.is_range = true;
  t.lo = lo;
  t.hi = hi;
  t.unit = std::move(unit);
  t.source = std::move(source);
  return t;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double Rms(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return v.empty() ? 0 : std::sqrt(s / v.size());
}

// The DP partition's saving of the 8-stage pipeline overhead (Figure 14),
// and the overhead itself per partition.
struct Cut {
  double manual_s = 0, dp_s = 0;
  double Fraction() const { return 1 - dp_s / manual_s; }
};

absl::StatusOr<double> PipelineOverheadSeconds(const CostModel& cost,
                                               const std::string& model,
                                               int n) {
  ASSIGN_OR_RETURN(const PipelineOverhead o, DecomposePipeline(cost, model, n));
  return o.communication_s + o.uneven_partition_s;
}

}  // namespace

double TargetLine::Residual() const {
  if (!is_range) return modelled - target;
  if (modelled < lo) return modelled - lo;
  if (modelled > hi) return modelled - hi;
  return 0;
}

bool TargetLine::Met() const {
  return is_range ? Residual() == 0 : std::fabs(Residual()) <= tolerance;
}

std::vector<TargetLine> ReferenceTargets(const CalibrationReport& r) {
  std::vector<TargetLine> lines;
  const char* kRowSource = "profiler/reference/ (V100, seq 1024)";
  for (const TableSummary* t : {&r.stage, &r.pipeline}) {
    const bool stage = t == &r.stage;
    const std::string group = stage ? "Reference stage table (bert-1.3b)"
                                    : "Reference pipeline table";
    std::map<std::string, std::vector<double>> by_kind;
    for (const RowError& e : t->rows) {
      const std::string name = absl::StrFormat(
          "%-9s op=%d pp=%-2d b=%-2d %7.1f ms measured, %7.1f modelled",
          e.row.model, e.row.op, e.row.pp, e.row.batch_size,
          1e3 * e.row.latency_s, 1e3 * e.modelled_s);
      lines.push_back(
          Numeric(group, name, 100 * e.rel_error, 0, 25, "% err", kRowSource));
      const std::string kind = e.row.op == 1   ? "op = 1"
                               : e.row.pp == 1 ? "op > 1, pp = 1"
                                               : "op > 1 x pp > 1";
      by_kind[kind].push_back(std::fabs(e.rel_error));
    }
    const std::string summary = stage ? "Reference stage table summary"
                                      : "Reference pipeline table summary";
    lines.push_back(Range(summary, "median |err| (v100-fit-2: 7.8 / 6.0)",
                          100 * t->median_abs, 0, stage ? 7.8 : 6.0, "%",
                          "no worse than v100-fit-2"));
    for (const auto& [kind, errs] : by_kind) {
      if (by_kind.size() < 2) break;
      lines.push_back(Range(summary, absl::StrCat("median |err| ", kind),
                            100 * Median(errs), 0, 25, "%", "rows"));
    }
    lines.push_back(
        Range(summary, "max |err|", 100 * t->max_abs, 0, 30, "%", "rows"));
    std::vector<double> growth;
    for (const RowError& e : t->rows) {
      if (e.has_growth) growth.push_back(e.growth_log_error);
    }
    lines.push_back(Range(summary, "rms log error of growth with pp",
                          100 * Rms(growth), 0, 10, "%", "rows"));
  }
  // Stage shares: one line per multi-stage row of the stage table.
  for (const RowError& e : r.stage.rows) {
    if (e.shape_log_error.empty()) continue;
    lines.push_back(
        Numeric(e.row.op == 1 ? "Stage shares (op = 1, fitted)"
                              : "Stage shares (op > 1, not fitted)",
                absl::StrFormat("op=%d pp=%-2d b=%-2d rms log error of shares",
                                e.row.op, e.row.pp, e.row.batch_size),
                100 * Rms(e.shape_log_error), 0, e.row.op == 1 ? 10 : 25, "%",
                kRowSource));
  }
  for (size_t i = 0; i < r.table1_model.size(); ++i) {
    lines.push_back(
        Numeric("Table 1 (seq 2048, batch 1, one GPU)",
                absl::StrFormat("%-9s %.1f ms modelled, %.0f ms paper",
                                r.table1_model[i], 1e3 * r.table1_modelled_s[i],
                                1e3 * r.table1_paper_s[i]),
                100 * r.table1_rel_error[i], 0, 0.5, "% err", "paper Table 1"));
  }
  return lines;
}

absl::StatusOr<std::vector<TargetLine>> FigureTargets(
    const HardwareDesc& hw, const std::vector<TransformerModelDesc>& models,
    const std::string& dp_unit) {
  AnalyticalOptions manual_options, dp_options;
  dp_options.dp_unit = dp_unit;
  manual_options.sequence_length = dp_options.sequence_length = 2048;
  manual_options.partition = "manual";
  dp_options.partition = "dp";
  manual_options.pp_degrees = dp_options.pp_degrees = {1, 2, 4, 8};
  const AnalyticalCostModel manual(hw, models, manual_options);
  const AnalyticalCostModel dp(hw, models, dp_options);
  std::vector<TargetLine> lines;

  // Figure 8a: the pipelines of bert-2.6b (manual stages).
  const std::string g8a = "Figure 8a (bert-2.6b pipeline, manual stages)";
  for (int n : {2, 4, 8}) {
    ASSIGN_OR_RETURN(const PipelineOverhead o,
                     DecomposePipeline(manual, "bert-2.6b", n));
    const double total =
        o.computation_s + o.communication_s + o.uneven_partition_s;
    lines.push_back(Range(
        g8a,
        absl::StrFormat("n=%d bar (comm %.1f, uneven %.1f ms)", n,
                        1e3 * o.communication_s, 1e3 * o.uneven_partition_s),
        1e3 * total, 200, 300, "ms",
        "fits the paper's y axis (Figure 14, 0.2-0.3 s)"));
    // The paper's point is the 8-stage bar; at 2 and 4 stages both parts are
    // a few ms and the ratio is shown only.
    lines.push_back(
        Range(g8a, absl::StrFormat("n=%d uneven / communication", n),
              o.uneven_partition_s / std::max(o.communication_s, 1e-12),
              n == 8 ? 1 : 0, kInf, "x",
              n == 8 ? "paper: the uneven partition dominates" : "shown only"));
  }
  // Figure 8b: operator parallelism of bert-2.6b.
  const std::string g8b = "Figure 8b (bert-2.6b operator parallelism)";
  for (int n : {2, 4, 8}) {
    ASSIGN_OR_RETURN(const OperatorOverhead o,
                     DecomposeOperator(manual, "bert-2.6b", n));
    lines.push_back(Range(
        g8b,
        absl::StrFormat("n=%d bar (computation %.1f, communication %.1f ms)", n,
                        1e3 * o.computation_s, 1e3 * o.communication_s),
        1e3 * (o.computation_s + o.communication_s), 0, 250, "ms",
        "fits the paper's y axis (0-0.25 s)"));
  }
  // Figure 9: relative latency and throughput of intra- and inter-op.
  const std::string g9 = "Figure 9 (bert-2.6b, relative to one GPU)";
  ASSIGN_OR_RETURN(
      const ParallelismPoint single,
      EvaluateParallelism(manual, "bert-2.6b", Parallelism::kReplication, 1));
  for (int n : {2, 4, 8}) {
    ASSIGN_OR_RETURN(
        const ParallelismPoint intra,
        EvaluateParallelism(manual, "bert-2.6b", Parallelism::kIntraOp, n));
    ASSIGN_OR_RETURN(
        const ParallelismPoint inter,
        EvaluateParallelism(manual, "bert-2.6b", Parallelism::kInterOp, n));
    lines.push_back(Range(g9, absl::StrFormat("n=%d intra-op latency / L1", n),
                          intra.latency_s / single.latency_s, 0, 1, "x",
                          "paper: intra-op lowers the latency"));
    lines.push_back(Range(g9, absl::StrFormat("n=%d inter-op latency / L1", n),
                          inter.latency_s / single.latency_s, 1, 1.1, "x",
                          "paper: inter-op keeps the latency"));
    lines.push_back(Range(
        g9, absl::StrFormat("n=%d inter-op throughput / replication's", n),
        inter.throughput_rps / (n * single.throughput_rps), 0.7, 1, "x",
        "paper: inter-op scales the throughput, below replication"));
    lines.push_back(
        Range(g9, absl::StrFormat("n=%d intra-op throughput / inter-op's", n),
              intra.throughput_rps / inter.throughput_rps, 0, 1, "x",
              "paper: intra-op's throughput is below inter-op's"));
  }
  // Figure 5: the shipped database's 8-stage pipeline (DP stages) of
  // bert-2.6b must cost enough more than one GPU that model parallelism
  // saturates first and its mean latency meets replication's within the
  // plotted rates (cv 3, up to 24 req/s); on equal stages of alpha x L1 / 8
  // (the equal-stages cost model) the curves meet below 24 req/s from alpha
  // about 1.14 on, and above 1.2 they cross before 22 req/s.
  {
    ASSIGN_OR_RETURN(const StageCosts st, dp.Stages("bert-2.6b", {1, 1, 8}, 1));
    lines.push_back(Range("Figure 5 (pipeline capacity, bert-2.6b)",
                          "DP (1,1,8): 8 x slowest stage / L1",
                          8 * st.MaxLatency() / single.latency_s, 1.14, 1.2,
                          "x", "curves meet near the top rate"));
  }
  // Figure 14: the DP partition's saving at 8 stages, and the bars' ranges.
  const std::string g14 = "Figure 14 (DP against manual stages, 8 GPUs)";
  struct Paper {
    const char* model;
    double cut_percent, ylo_s, yhi_s;
    const char* says;
  };
  for (const Paper& p :
       {Paper{"bert-1.3b", 100.0 / 3, 0.1, 0.25, "paper: about a third"},
        Paper{"bert-2.6b", 47, 0.2, 0.3, "paper: nearly half"}}) {
    Cut c;
    ASSIGN_OR_RETURN(c.manual_s, PipelineOverheadSeconds(manual, p.model, 8));
    ASSIGN_OR_RETURN(c.dp_s, PipelineOverheadSeconds(dp, p.model, 8));
    lines.push_back(
        Numeric(g14,
                absl::StrFormat("%-9s cut (overhead %.1f -> %.1f ms)", p.model,
                                1e3 * c.manual_s, 1e3 * c.dp_s),
                100 * c.Fraction(), p.cut_percent, 10, "%", p.says));
    ASSIGN_OR_RETURN(const StageCosts st, manual.Stages(p.model, {1, 1, 8}, 1));
    lines.push_back(Range(
        g14, absl::StrFormat("%-9s manual 8 x slowest", p.model),
        8 * st.MaxLatency(), p.ylo_s, p.yhi_s, "s", "fits the paper's y axis"));
  }
  return lines;
}

std::string FormatTargets(const std::vector<TargetLine>& lines) {
  std::string out;
  std::string group;
  int met = 0;
  std::map<std::string, std::pair<int, int>> per_group;  // met, total
  std::vector<std::string> order;
  for (const TargetLine& t : lines) {
    if (!per_group.count(t.group)) order.push_back(t.group);
    auto& [m, n] = per_group[t.group];
    ++n;
    if (t.Met()) ++m;
  }
  for (const TargetLine& t : lines) {
    if (t.group != group) {
      group = t.group;
      const auto& [m, n] = per_group[group];
      absl::StrAppendFormat(&out, "== %s: %d of %d met\n", group, m, n);
    }
    std::string target =
        t.is_range
            ? absl::StrFormat("[%s, %s]", absl::StrFormat("%.4g", t.lo),
                              std::isinf(t.hi) ? std::string("inf")
                                               : absl::StrFormat("%.4g", t.hi))
            : absl::StrFormat("%.4g +- %.4g", t.target, t.tolerance);
    absl::StrAppendFormat(
        &out, "  %s %-60s %9.3f %-5s target %-16s resid %+8.3f  %s\n",
        t.Met() ? "ok  " : "MISS", t.name, t.modelled, t.unit, target,
        t.Residual(), t.source);
    if (t.Met()) ++met;
  }
  absl::StrAppendFormat(&out, "== all: %d of %d targets met\n", met,
                        static_cast<int>(lines.size()));
  for (const std::string& g : order) {
    absl::StrAppendFormat(&out, "   %-50s %d/%d\n", g, per_group[g].first,
                          per_group[g].second);
  }
  return out;
}

}  // namespace multiplex
