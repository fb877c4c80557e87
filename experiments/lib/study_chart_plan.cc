#include "experiments/lib/study_chart_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "core/number_format.h"
#include "core/status_macros.h"
#include "experiments/lib/charts.h"

namespace multiplex {
namespace study_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using study::ChartSpec;
using study::PolicySpec;
using study::StudySpec;
using study::SweepAxis;
using study::SweepField;

const char* const kLegendLocs[] = {
    "best",         "upper_left",  "upper_right",  "lower_left",
    "lower_right",  "center_left", "center_right", "lower_center",
    "upper_center", "center",      "above",        "none"};

std::string DefaultXLabel(const std::string& field) {
  static const std::map<std::string, std::string>* labels =
      new std::map<std::string, std::string>{
          {"workload.total_rate", "Total Rate (req/s)"},
          {"workload.cv", "Coefficient of Variation (CV)"},
          {"workload.slo_scale", "SLO Scale"},
          {"workload.slo_s", "SLO (s)"},
          {"workload.duration_s", "Duration (s)"},
          {"cluster.num_devices", "Number of GPUs"},
          {"cluster.mem_budget_gib", "Memory Budget (GiB)"},
          {"serving.stage_slowdown", "Stage Slowdown"},
          {"serving.fixed_overhead_s", "Fixed Overhead (s)"},
      };
  auto it = labels->find(field);
  return it != labels->end() ? it->second : field;
}

std::string DefaultYLabel(const std::string& metric, double y_scale) {
  static const std::map<std::string, std::string>* labels =
      new std::map<std::string, std::string>{
          {"slo_attainment", "SLO Attainment"},
          // Latencies are over the requests that met their SLO.
          {"mean_latency_s", "Mean Latency, SLO Met (s)"},
          {"p50_latency_s", "P50 Latency, SLO Met (s)"},
          {"p90_latency_s", "P90 Latency, SLO Met (s)"},
          {"p99_latency_s", "P99 Latency, SLO Met (s)"},
          // A request that missed its SLO counts at its deadline.
          {"p99_all_latency_s", "P99 Latency, All Requests (s)"},
          {"throughput_rps", "Throughput (req/s)"},
          {"requests", "Requests"},
          {"solver_s", "Solver Time (s)"},
      };
  auto it = labels->find(metric);
  std::string label = it != labels->end() ? it->second : metric;
  if (metric == "slo_attainment" && y_scale == 100) label += " (%)";
  return label;
}

std::string SweptFields(const LoadState& load) {
  return load.study.columns.empty() ? "(none)"
                                    : absl::StrJoin(load.study.columns, ", ");
}

// Whether case c has value `value` for `field` (swept or not).
bool CaseMatches(const StudyCase& c, const std::string& field,
                 const std::string& value, double number) {
  if (field == kPolicySpecField) return c.policy_spec == value;
  if (ParsePluginParamPath(field).place != PluginPlace::kNone) {
    const std::optional<double> v = PluginValueOf(c, field);
    return v.has_value() && NumbersMatch(*v, number);
  }
  absl::StatusOr<Target> target = ResolveTarget(field, nullptr);
  if (!target.ok()) return false;
  const Message* m = ConstAt(c.spec, *target);
  if (m == nullptr) return false;
  return NumbersMatch(GetNumber(*m, target->leaf), number);
}

// Panel figures: stems unique among figures and charts, panels naming
// charts, a grid, sizes.
absl::Status CheckFigures(LoadState& load, std::set<std::string>& stems) {
  for (int i = 0; i < load.spec.figures_size(); ++i) {
    study::PanelFigureSpec* f = load.spec.mutable_figures(i);
    const FieldPath at = kRoot.F("figures", i);
    if (f->stem().empty() || f->stem().find('/') != std::string::npos ||
        f->stem() == "." || f->stem() == ".." || f->stem() == "results" ||
        f->stem() == "study" || f->stem() == "results_summary") {
      return load.Err(at.F("stem"),
                      absl::StrCat("'", f->stem(),
                                   "' cannot be a file stem (non-"
                                   "empty, no '/', not results or "
                                   "study)"));
    }
    if (!stems.insert(f->stem()).second) {
      return load.Err(at.F("stem"), absl::StrCat("a chart or figure already "
                                                 "writes '",
                                                 f->stem(), "'"));
    }
    if (f->charts_size() == 0) {
      return load.Err(at.F("charts"), "needs at least one chart's stem");
    }
    for (int k = 0; k < f->charts_size(); ++k) {
      bool known = false;
      for (const ChartSpec& c : load.spec.charts()) {
        known = known || c.stem() == f->charts(k);
      }
      if (!known) {
        return load.Err(
            at.F("charts", k),
            absl::StrCat("no chart has the stem '", f->charts(k), "'"));
      }
    }
    if (f->cols() < 1 || f->cols() > 100) {
      return load.Err(at.F("cols"),
                      absl::StrCat("must be in [1, 100], got ", f->cols()));
    }
    f->set_cols(f->cols());
    for (const char* size : {"width_in", "height_in"}) {
      const bool w = size[0] == 'w';
      if (!(w ? f->has_width_in() : f->has_height_in())) continue;
      const double v = w ? f->width_in() : f->height_in();
      if (!(v > 0) || !std::isfinite(v) || v > 100) {
        return load.Err(at.F(size),
                        absl::StrCat("must be in (0, 100] inches, got ",
                                     FormatDoubleExact(v)));
      }
    }
  }
  return absl::OkStatus();
}

// A where condition: field=value.
struct Condition {
  std::string field, value;
  double number = 0;
};

// A line chart's x: the first swept field unless given, swept by every
// policy.
absl::Status CheckChartX(const LoadState& load, ChartSpec* chart,
                         const FieldPath& at) {
  const int num_policies = load.spec.policies_size();
  if (!chart->has_x()) {
    const ResolvedSweep* first = nullptr;
    for (int p = 0; p < num_policies && first == nullptr; ++p) {
      if (!load.SweepOf(p).axes.empty()) first = &load.SweepOf(p);
    }
    if (first == nullptr) {
      return load.Err(at,
                      "a line chart needs a sweep (its x axis); the study "
                      "sweeps nothing");
    }
    chart->set_x(first->axes[0].fields[0].field);
  }
  if (chart->x() == kPolicySpecField) {
    return load.Err(at.F("x"),
                    "must be a numeric sweep field, not "
                    "policy.spec");
  }
  bool anywhere = false;
  for (int p = 0; p < num_policies; ++p) {
    anywhere = anywhere || load.SweepOf(p).Find(chart->x()) != nullptr;
  }
  if (!anywhere) {
    return load.Err(at.F("x"), absl::StrCat("'", chart->x(),
                                            "' is not a sweep field; swept: ",
                                            SweptFields(load)));
  }
  for (int p = 0; p < num_policies; ++p) {
    if (load.SweepOf(p).Find(chart->x()) == nullptr) {
      return load.Err(at.F("x"),
                      absl::StrCat("policy '", load.spec.policies(p).label(),
                                   "' does not sweep '", chart->x(), "'"));
    }
  }
  return absl::OkStatus();
}

// The chart's where conditions, each naming a swept field and one of its
// values.
absl::StatusOr<std::vector<Condition>> ParseWhere(const LoadState& load,
                                                  const ChartSpec& chart,
                                                  const FieldPath& at) {
  const bool line = chart.kind() == "line";
  const int num_policies = load.spec.policies_size();
  std::vector<Condition> conditions;
  for (int w = 0; w < chart.where_size(); ++w) {
    const FieldPath where_at = at.F("where", w);
    const std::string& text = chart.where(w);
    const size_t eq = text.find('=');
    if (eq == std::string::npos) {
      return load.Err(where_at, absl::StrCat("'", text,
                                             "' is not field=value, e.g. "
                                             "\"workload.cv=3\""));
    }
    Condition c;
    c.field = std::string(absl::StripAsciiWhitespace(text.substr(0, eq)));
    c.value = std::string(absl::StripAsciiWhitespace(text.substr(eq + 1)));
    std::vector<const ResolvedField*> sweeps;
    for (int p = 0; p < num_policies; ++p) {
      if (const ResolvedField* f = load.SweepOf(p).Find(c.field)) {
        sweeps.push_back(f);
      }
    }
    if (sweeps.empty()) {
      return load.Err(where_at, absl::StrCat("'", c.field,
                                             "' is not a sweep field; swept: ",
                                             SweptFields(load)));
    }
    if (line && c.field == chart.x()) {
      return load.Err(where_at, "names the chart's x field");
    }
    bool found = false;
    std::vector<std::string> values;
    if (c.field != kPolicySpecField && !absl::SimpleAtod(c.value, &c.number)) {
      return load.Err(where_at,
                      absl::StrCat("'", c.value, "' is not a number"));
    }
    for (const ResolvedField* f : sweeps) {
      for (size_t k = 0; k < f->size(); ++k) {
        values.push_back(f->Text(k));
        found = found ||
                (f->is_policy_spec ? f->labels[k] == c.value
                                   : NumbersMatch(f->numbers[k], c.number));
      }
    }
    if (!found) {
      return load.Err(
          where_at, absl::StrCat("no case has ", c.field, " = ", c.value,
                                 "; its values: ", absl::StrJoin(values, " ")));
    }
    conditions.push_back(std::move(c));
  }
  return conditions;
}

// Every axis other than x's must be pinned by a condition.
absl::Status CheckPinned(const LoadState& load, const ChartSpec& chart,
                         const std::vector<Condition>& conditions,
                         const FieldPath& at) {
  const bool line = chart.kind() == "line";
  const int num_policies = load.spec.policies_size();
  for (int p = 0; p < num_policies; ++p) {
    const ResolvedSweep& sweep = load.SweepOf(p);
    const int x_axis = line ? sweep.AxisOf(chart.x()) : -1;
    for (size_t a = 0; a < sweep.axes.size(); ++a) {
      if (static_cast<int>(a) == x_axis || sweep.axes[a].size == 1) continue;
      bool pinned = false;
      for (const Condition& c : conditions) {
        pinned = pinned || sweep.AxisOf(c.field) == static_cast<int>(a);
      }
      if (!pinned) {
        return load.Err(
            at, absl::StrCat("policy '", load.spec.policies(p).label(),
                             "' also varies '", sweep.axes[a].fields[0].field,
                             "': pin it with where: \"",
                             sweep.axes[a].fields[0].field, "=",
                             sweep.axes[a].fields[0].Text(0), "\"",
                             line ? ""
                                  : " (this chart draws one case per "
                                    "policy)"));
      }
    }
  }
  return absl::OkStatus();
}

// Which cases a chart draws; checks x and where against the sweeps.
absl::Status PlanChart(LoadState& load, int index, ChartSpec* chart,
                       const FieldPath& at) {
  const bool line = chart->kind() == "line";
  const int num_policies = load.spec.policies_size();
  if (line) {
    RETURN_IF_ERROR(CheckChartX(load, chart, at));
  }
  ASSIGN_OR_RETURN(const std::vector<Condition> conditions,
                   ParseWhere(load, *chart, at));
  RETURN_IF_ERROR(CheckPinned(load, *chart, conditions, at));
  ChartPlan plan;
  plan.cases.resize(num_policies);
  plan.x.resize(num_policies);
  for (size_t i = 0; i < load.study.cases.size(); ++i) {
    StudyCase& c = load.study.cases[i];
    if (c.repetition != 0) continue;  // case i + r: repetition r
    bool match = true;
    for (const Condition& cond : conditions) {
      match = match && CaseMatches(c, cond.field, cond.value, cond.number);
    }
    if (!match) continue;
    plan.cases[c.policy].push_back(i);
    if (line) {
      const ResolvedField* x = load.SweepOf(c.policy).Find(chart->x());
      const Target& t = x->target;
      plan.x[c.policy].push_back(x->plugin.place != PluginPlace::kNone
                                     ? *PluginValueOf(c, chart->x())
                                     : GetNumber(*ConstAt(c.spec, t), t.leaf));
    }
  }
  for (int p = 0; p < num_policies; ++p) {
    if (plan.cases[p].empty()) {
      return load.Err(
          at, absl::StrCat("no case of policy '", load.spec.policies(p).label(),
                           "' matches the chart's where"));
    }
    if (!line && plan.cases[p].size() != 1) {
      return load.Err(
          at, absl::StrCat("policy '", load.spec.policies(p).label(), "' has ",
                           plan.cases[p].size(),
                           " matching cases; where must pick one"));
    }
    if (!line) {
      StudyCase& c = load.study.cases[plan.cases[p][0]];
      if (chart->kind() == "latency_cdf") {
        c.keep_latencies = true;
        c.keep_per_model = c.keep_per_model || chart->per_model();
      } else {
        c.utilization_charts.push_back(index);
      }
    }
  }
  load.study.charts.push_back(std::move(plan));
  return absl::OkStatus();
}

// The chart's kind, and the fields that belong to other kinds.
absl::Status CheckChartKind(const LoadState& load, ChartSpec* chart,
                            const FieldPath& at) {
  const std::string kind = chart->kind();
  chart->set_kind(kind);
  const bool line = kind == "line";
  if (!line && kind != "latency_cdf" && kind != "utilization") {
    return load.Err(at.F("kind"),
                    absl::StrCat("unknown chart kind '", kind,
                                 "'; known: line, latency_cdf, utilization"));
  }
  if (line) {
    if (!chart->has_metric()) {
      return load.Err(at, absl::StrCat("a line chart needs a metric: ",
                                       absl::StrJoin(StudyMetrics(), ", ")));
    }
    const std::vector<std::string>& metrics = StudyMetrics();
    if (std::find(metrics.begin(), metrics.end(), chart->metric()) ==
        metrics.end()) {
      return load.Err(at.F("metric"),
                      absl::StrCat("unknown metric '", chart->metric(),
                                   "'; known: ", absl::StrJoin(metrics, ", ")));
    }
  } else if (chart->has_metric() || chart->has_x() || chart->has_y_scale()) {
    return load.Err(at.F(chart->has_metric() ? "metric"
                         : chart->has_x()    ? "x"
                                             : "y_scale"),
                    absl::StrCat("only for line charts, not ", kind));
  }
  if (kind != "latency_cdf" && chart->has_per_model()) {
    return load.Err(at.F("per_model"), "only for latency_cdf charts");
  }
  if (kind != "utilization" && (chart->has_window_s() || chart->has_step_s())) {
    return load.Err(at.F(chart->has_window_s() ? "window_s" : "step_s"),
                    "only for utilization charts");
  }
  return absl::OkStatus();
}

// The chart's stem (unique among the charts) and its sizes.
absl::Status CheckChartStemAndSizes(const LoadState& load, ChartSpec* chart,
                                    const FieldPath& at,
                                    std::set<std::string>& stems) {
  const std::string& kind = chart->kind();
  const bool line = kind == "line";
  if (!chart->has_stem()) {
    chart->set_stem(line ? chart->metric() : kind);
  }
  const std::string& stem = chart->stem();
  if (stem.empty() || stem.find('/') != std::string::npos || stem == "." ||
      stem == ".." || stem == "results" || stem == "study") {
    return load.Err(at.F("stem"),
                    absl::StrCat("'", stem,
                                 "' cannot be a file stem in the output "
                                 "directory (non-empty, no '/', not results "
                                 "or study)"));
  }
  if (!stems.insert(stem).second) {
    return load.Err(at.F("stem"),
                    absl::StrCat("another chart already writes '", stem,
                                 "'; give each chart its own stem"));
  }
  for (const char* size : {"width_in", "height_in"}) {
    const double v = size[0] == 'w' ? chart->width_in() : chart->height_in();
    if (!(v > 0) || !std::isfinite(v) || v > 100) {
      return load.Err(at.F(size),
                      absl::StrCat("must be in (0, 100] inches, got ",
                                   FormatDoubleExact(v)));
    }
  }
  chart->set_width_in(chart->width_in());
  chart->set_height_in(chart->height_in());
  for (const char* f : {"x_tick_step", "y_tick_step", "marker_size"}) {
    const double v = f[0] == 'x'   ? chart->x_tick_step()
                     : f[0] == 'y' ? chart->y_tick_step()
                                   : chart->marker_size();
    const bool set = f[0] == 'x'   ? chart->has_x_tick_step()
                     : f[0] == 'y' ? chart->has_y_tick_step()
                                   : chart->has_marker_size();
    if (set && (!(v > 0) || !std::isfinite(v) || v > 1e12)) {
      return load.Err(at.F(f), absl::StrCat("must be > 0 and finite, got ",
                                            FormatDoubleExact(v)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLegend(const LoadState& load, ChartSpec* chart,
                         const FieldPath& at) {
  study::LegendSpec* legend = chart->mutable_legend();
  const std::string loc = legend->loc();
  if (std::find(std::begin(kLegendLocs), std::end(kLegendLocs), loc) ==
      std::end(kLegendLocs)) {
    return load.Err(at.F("legend").F("loc"),
                    absl::StrCat("unknown legend location '", loc, "'; known: ",
                                 absl::StrJoin(kLegendLocs, ", ")));
  }
  legend->set_loc(loc);
  if (legend->ncols() < 1) {
    return load.Err(at.F("legend").F("ncols"),
                    absl::StrCat("must be >= 1, got ", legend->ncols()));
  }
  legend->set_ncols(legend->ncols());
  if (legend->has_font_size() &&
      !(legend->font_size() > 0 && legend->font_size() < 100)) {
    return load.Err(at.F("legend").F("font_size"),
                    absl::StrCat("must be in (0, 100) points, got ",
                                 FormatDoubleExact(legend->font_size())));
  }
  return absl::OkStatus();
}

// Reference lines, the y range and the threshold marker.
absl::Status CheckChartGuides(const LoadState& load, const ChartSpec* chart,
                              const FieldPath& at) {
  const bool line = chart->kind() == "line";
  for (int v = 0; v < chart->vlines_size(); ++v) {
    if (!std::isfinite(chart->vlines(v).x())) {
      return load.Err(at.F("vlines", v).F("x"), "must be a finite number");
    }
  }
  for (const char* f : {"y_min", "y_max"}) {
    const bool is_min = f[3] == 'i';
    const bool set = is_min ? chart->has_y_min() : chart->has_y_max();
    const double v = is_min ? chart->y_min() : chart->y_max();
    if (set && !std::isfinite(v)) {
      return load.Err(at.F(f), "must be a finite number");
    }
  }
  if (chart->has_y_min() && chart->has_y_max() &&
      !(chart->y_min() < chart->y_max())) {
    return load.Err(
        at.F("y_max"),
        absl::StrCat("must be above y_min (", FormatDoubleExact(chart->y_min()),
                     "), got ", FormatDoubleExact(chart->y_max())));
  }
  for (int h = 0; h < chart->hlines_size(); ++h) {
    if (!std::isfinite(chart->hlines(h).y())) {
      return load.Err(at.F("hlines", h).F("y"), "must be a finite number");
    }
  }
  if (chart->has_threshold()) {
    const study::ThresholdSpec& t = chart->threshold();
    if (!line) {
      return load.Err(at.F("threshold"), "is for kind \"line\" only");
    }
    if (!std::isfinite(t.y())) {
      return load.Err(at.F("threshold").F("y"), "must be a finite number");
    }
    if (t.scan() != "from_left" && t.scan() != "from_right") {
      return load.Err(at.F("threshold").F("scan"),
                      absl::StrCat("must be \"from_left\" or \"from_right\", "
                                   "got \"",
                                   t.scan(), "\""));
    }
  }
  return absl::OkStatus();
}

// What each kind alone takes: a line's y scale, a utilization chart's
// window and step, a latency CDF's per-model curves.
absl::Status CheckKindSettings(const LoadState& load, ChartSpec* chart,
                               const FieldPath& at) {
  const std::string& kind = chart->kind();
  const bool line = kind == "line";
  if (line) {
    if (!std::isfinite(chart->y_scale()) || chart->y_scale() == 0) {
      return load.Err(at.F("y_scale"), "must be a finite non-zero number");
    }
    chart->set_y_scale(chart->y_scale());
  }
  if (kind == "utilization") {
    if (!(chart->window_s() > 0) || !std::isfinite(chart->window_s())) {
      return load.Err(at.F("window_s"), "must be a finite number > 0");
    }
    if (!(chart->step_s() > 0) || !(chart->step_s() <= chart->window_s())) {
      return load.Err(at.F("step_s"), "must be > 0 and at most window_s");
    }
    chart->set_window_s(chart->window_s());
    chart->set_step_s(chart->step_s());
  }
  if (kind == "latency_cdf") chart->set_per_model(chart->per_model());
  return absl::OkStatus();
}

void FillAxisLabels(ChartSpec* chart) {
  const std::string& kind = chart->kind();
  const bool line = kind == "line";
  if (!chart->has_xlabel()) {
    chart->set_xlabel(line                    ? DefaultXLabel(chart->x())
                      : kind == "latency_cdf" ? "Latency (s)"
                                              : "Time (s)");
  }
  if (!chart->has_ylabel()) {
    chart->set_ylabel(line ? DefaultYLabel(chart->metric(), chart->y_scale())
                      : kind == "latency_cdf" ? "CDF"
                                              : "Utilization (%)");
  }
}

}  // namespace

absl::Status PlanCharts(LoadState& load) {
  std::set<std::string> stems;
  for (int i = 0; i < load.spec.charts_size(); ++i) {
    ChartSpec* chart = load.spec.mutable_charts(i);
    const FieldPath at = kRoot.F("charts", i);
    RETURN_IF_ERROR(CheckChartKind(load, chart, at));
    RETURN_IF_ERROR(CheckChartStemAndSizes(load, chart, at, stems));
    RETURN_IF_ERROR(CheckLegend(load, chart, at));
    RETURN_IF_ERROR(CheckChartGuides(load, chart, at));
    RETURN_IF_ERROR(CheckKindSettings(load, chart, at));
    RETURN_IF_ERROR(PlanChart(load, i, chart, at));
    FillAxisLabels(chart);
  }
  return CheckFigures(load, stems);
}

}  // namespace study_internal
}  // namespace multiplex
