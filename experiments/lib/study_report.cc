// What a study writes beyond its per-case rows and charts: the summary of
// repetitions, warnings about misleading defaults, panel figures, and the
// results in other formats (declared in study_run.h).

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/number_format.h"
#include "core/status_macros.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/results_row.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"

namespace multiplex {
namespace {

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, "\\u00", c < 0x10 ? "0" : "",
                      absl::Hex(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::pair<double, double> MeanAndCi95(const std::vector<double>& values) {
  const size_t n = values.size();
  if (n == 0) return {std::numeric_limits<double>::quiet_NaN(), 0.0};
  double sum = 0;
  for (double v : values) sum += v;
  const double mean = sum / n;
  if (n < 2) return {mean, 0.0};
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / (n - 1));
  // Student's t, 97.5% quantile, for 1..30 degrees of freedom; beyond, a
  // close fit of the tail (2.000 at 60, 1.980 at 120).
  static constexpr double kT[] = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  const size_t df = n - 1;
  const double t = df <= 30 ? kT[df - 1] : 1.96 + 2.4 / df;
  return {mean, t * sd / std::sqrt(static_cast<double>(n))};
}

std::string FormatResultsSummaryTsv(const Study& study,
                                    const StudyResults& results) {
  const int reps = study.spec.repetitions();
  std::string out;
  absl::StrAppend(&out, "# study: ", OneLine(study.spec.name()), "\n");
  absl::StrAppend(&out, "# commit: ", WorkspaceCommit(), "\n");
  absl::StrAppend(&out, "# cost_model: ", study.cost_model->Name(), "\n");
  absl::StrAppend(&out, "# repetitions: ", reps,
                  " (workload.seed + r); <metric>_ci95 is the half-width of "
                  "the 95% confidence interval of the mean (Student's t)\n");
  for (const std::string& w : StudyWarnings(study, results)) {
    absl::StrAppend(&out, "# warning: ", OneLine(w), "\n");
  }
  std::vector<std::string> header;
  for (const std::string& column : study.columns) {
    if (column != "repetition") header.push_back(column);
  }
  header.push_back("policy");
  for (const std::string& m : StudyMetrics()) {
    header.push_back(m + "_mean");
    header.push_back(m + "_ci95");
  }
  absl::StrAppend(&out, absl::StrJoin(header, "\t"), "\n");
  for (size_t i = 0; i < study.cases.size(); i += reps) {
    const StudyCase& c = study.cases[i];
    std::vector<std::string> row;
    for (const std::string& column : study.columns) {
      if (column != "repetition") row.push_back(CaseValue(c, column));
    }
    row.push_back(study.spec.policies(c.policy).label());
    for (const std::string& m : StudyMetrics()) {
      std::vector<double> values;
      for (int r = 0; r < reps && i + r < study.cases.size(); ++r) {
        values.push_back(MetricValue(results.cases[i + r], m));
      }
      const auto [mean, ci] = MeanAndCi95(values);
      row.push_back(FormatDoubleExact(mean));
      row.push_back(FormatDoubleExact(ci));
    }
    absl::StrAppend(&out, absl::StrJoin(row, "\t"), "\n");
  }
  return out;
}

std::vector<std::string> StudyWarnings(const Study& study) {
  const study::WorkloadSpec& w = study.spec.workload();
  bool finite_slo = w.has_slo_s() || std::isfinite(w.slo_scale());
  auto check_axes = [&](const auto& axes) {
    for (const study::SweepAxis& axis : axes) {
      for (const study::SweepField& f : axis.fields()) {
        if (f.field() == "workload.slo_scale" ||
            f.field() == "workload.slo_s") {
          finite_slo = true;
        }
      }
    }
  };
  check_axes(study.spec.sweep());
  for (const study::PolicySpec& p : study.spec.policies()) {
    check_axes(p.sweep());
  }
  std::vector<std::string> out;
  if (finite_slo) return out;
  // Fills ordered by the requests a placement leaves unserved: with no
  // deadline every request counts as served, so they order models
  // arbitrarily (12 x bert-2.6b placed by sr-greedy with an infinite SLO:
  // 1.68 s mean latency against round robin's 0.73 s in one try).
  // mp-greedy-G with a single group of G GPUs has no order to get wrong.
  const int devices = study.spec.cluster().num_devices();
  auto ordered_by_unserved = [&](const std::string& spec) {
    int group = 0;
    if (absl::StartsWith(spec, "mp-greedy-") &&
        absl::SimpleAtoi(spec.substr(10), &group)) {
      return group > 0 && devices / group > 1;
    }
    return spec == "sr-greedy" || absl::StartsWith(spec, "mp-search");
  };
  for (const study::PolicySpec& p : study.spec.policies()) {
    std::vector<std::string> specs = {p.spec()};
    for (const study::SweepAxis& axis : p.sweep()) {
      for (const study::SweepField& f : axis.fields()) {
        if (f.field() == "policy.spec") {
          specs.insert(specs.end(), f.labels().begin(), f.labels().end());
        }
      }
    }
    for (const std::string& spec : specs) {
      if (!ordered_by_unserved(spec)) continue;
      out.push_back(absl::StrCat(
          "policy ", p.label(), " (", spec,
          ") places by the requests it leaves unserved within the SLO; "
          "with an infinite SLO none is unserved, so it orders models "
          "arbitrarily and may place far worse than round robin: set "
          "workload.slo_scale or slo_s"));
      break;
    }
  }
  return out;
}

std::vector<std::string> StudyWarnings(const Study& study,
                                       const StudyResults& results) {
  std::vector<std::string> out = StudyWarnings(study);
  size_t first = results.cases.size(), count = 0;
  for (size_t i = 0; i < results.cases.size(); ++i) {
    if (results.cases[i].workload_warning.empty()) continue;
    if (count++ == 0) first = i;
  }
  if (count > 0) {
    out.push_back(absl::StrCat(count, " of ", results.cases.size(),
                               " cases serve a workload with one model "
                               "carrying nearly all requests; ",
                               DescribeCase(study, first), ": ",
                               results.cases[first].workload_warning));
  }
  return out;
}

absl::StatusOr<render::Figure> MakePanelFigure(
    const Study& study, const StudyResults& results,
    const study::PanelFigureSpec& spec) {
  const int n = spec.charts_size();
  const int cols = std::min(spec.cols(), n);
  const int rows = (n + cols - 1) / cols;
  std::vector<render::Figure> panels;
  double panel_w = 0, panel_h = 0;
  for (const std::string& stem : spec.charts()) {
    int index = -1;
    for (int i = 0; i < study.spec.charts_size(); ++i) {
      if (study.spec.charts(i).stem() == stem) index = i;
    }
    if (index < 0) return absl::NotFoundError("no chart '" + stem + "'");
    ASSIGN_OR_RETURN(render::Figure panel, MakeChart(study, results, index));
    panel_w = std::max(panel_w, panel.width_in());
    panel_h = std::max(panel_h, panel.height_in());
    panels.push_back(std::move(panel));
  }
  // Room for the shared legend: a fifth of a panel.
  const double w = spec.has_width_in() ? spec.width_in() : cols * panel_w;
  const double h =
      spec.has_height_in() ? spec.height_in() : rows * panel_h + 0.2 * panel_h;
  render::Figure fig(w, h, rows, cols);
  fig.shared_legend = true;
  for (int i = 0; i < n; ++i) {
    fig.axes(i / cols, i % cols) = panels[i].axes();
  }
  for (int i = n; i < rows * cols; ++i) {
    render::Axes& empty = fig.axes(i / cols, i % cols);
    empty.grid = render::GridMode::kNone;
    empty.legend.loc = render::LegendLoc::kNone;
  }
  return fig;
}

std::string TsvToCsv(const std::string& tsv) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(tsv, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "#")) {
      absl::StrAppend(&out, line, "\n");
      continue;
    }
    std::vector<std::string> cells;
    for (absl::string_view cell : absl::StrSplit(line, '\t')) {
      cells.push_back(CsvCell(std::string(cell)));
    }
    absl::StrAppend(&out, absl::StrJoin(cells, ","), "\n");
  }
  return out;
}

std::string TsvToJson(const std::string& tsv) {
  std::vector<std::string> header_lines, columns;
  std::vector<std::string> rows;
  for (absl::string_view line : absl::StrSplit(tsv, '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "#")) {
      header_lines.push_back(JsonString(std::string(line.substr(1))));
      continue;
    }
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    if (columns.empty()) {
      columns = cells;
      continue;
    }
    std::vector<std::string> fields;
    for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
      double v = 0;
      const bool number = absl::SimpleAtod(cells[i], &v) && std::isfinite(v);
      fields.push_back(absl::StrCat(JsonString(columns[i]), ": ",
                                    number ? cells[i] : JsonString(cells[i])));
    }
    rows.push_back(absl::StrCat("    {", absl::StrJoin(fields, ", "), "}"));
  }
  return absl::StrCat("{\n  \"header\": [", absl::StrJoin(header_lines, ", "),
                      "],\n  \"rows\": [\n", absl::StrJoin(rows, ",\n"),
                      "\n  ]\n}\n");
}

}  // namespace multiplex
