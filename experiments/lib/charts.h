#ifndef MULTIPLEX_EXPERIMENTS_LIB_CHARTS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_CHARTS_H_

// The serving charts of the study's figures as functions of their data, so
// that a declarative study (study_run.h) draws them exactly as the figure
// targets do:
//   - LineFigure: a metric against a swept value, one `.-` line per
//     policy, then dashed reference lines (Figures 4, 5, 6, 7a, 7b);
//   - LatencyCdfFigure: latency CDFs with dashed mean lines, optionally one
//     fading CDF per model (Figure 2 a-c);
//   - UtilizationFigure: busy GPUs in percent over a window, filled under
//     the line (Figure 2d), with MostDifferentWindowStart choosing the
//     window.
// Series are added in the order given; colours and opacities are the
// caller's (render::Tab10 indices in the figures).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/stats.h"
#include "render/chart.h"

namespace multiplex {

// Axis labels and legend of a chart.
struct ChartLook {
  double width_in = 3.0;
  double height_in = 2.0;
  std::string xlabel, ylabel;
  render::LegendOptions legend;
  double xtick_step = 0.0;  // > 0: fixed tick spacing (render::Axes)
  double ytick_step = 0.0;
  double marker_size = 0.0;  // > 0: the lines' marker diameter in points
  bool xlog = false;         // logarithmic x axis
  bool ylog = false;         // logarithmic y axis (render::Axes::ylog)
  std::optional<render::Limits> ylim;
  // What the plotted quantity cannot leave (attainment: 0 to 100%); see
  // render::Axes::ybound.
  std::optional<render::Limits> ybound;
  std::string title;
  // Horizontal reference lines (dashed, black).
  std::vector<std::pair<double, std::string>> hlines;
};

// "best", "upper_left", ..., "above", "none" (as in study.proto's
// LegendSpec).
absl::StatusOr<render::LegendLoc> ParseLegendLoc(absl::string_view name);

// Names of the spec's line vocabulary (study.proto's LineStyle): a palette
// name ("blue", "orange", ..., "cyan") or "#rrggbb"; "solid", "dashed",
// "dashdot", "dotted"; "dot", "circle", "square", "triangle", "diamond",
// "cross", "none". Errors list what is known.
absl::StatusOr<render::Color> ParseColorName(absl::string_view name);
absl::StatusOr<render::LineStyle> ParseDash(absl::string_view name);
absl::StatusOr<render::Marker> ParseMarker(absl::string_view name);

struct ChartLine {
  std::string label;
  std::vector<double> x, y;
  render::Color color;
  double alpha = 1.0;
  // Unset: by the line's position (DefaultMarker, DefaultDash), so that
  // lines of one colour still differ.
  std::optional<render::Marker> marker;
  std::optional<render::LineStyle> dash;
  double line_width = 0.0;  // 0: the style's
  // With y_lo/y_hi (same length as y): a translucent band between them in
  // the line's colour (a confidence interval), not in the legend.
  std::vector<double> y_lo, y_hi;
};

// The marker and dash of the i-th line when it sets none.
render::Marker DefaultMarker(int i);
render::LineStyle DefaultDash(int i);

struct ChartVLine {
  double x = 0.0;
  std::string label;
};

// A level the lines are read against (study.proto's ThresholdSpec).
struct ChartThreshold {
  double y = 0.0;
  std::string label;
  bool from_right = false;  // scan from the largest x down
};

// Where `line` first reaches `t.y` (y >= level), scanning from the left or
// the right; nullopt when it never does.
std::optional<double> FirstReaching(const ChartLine& line,
                                    const ChartThreshold& t);

// One line per entry (marker and dash by position unless set), then the
// dashed black vertical and horizontal lines. A line whose points equal an
// earlier line's is labelled "<label> (= <earlier label>)" in the legend and
// drawn with hollow, larger markers so both stay visible. With a threshold, a
// dotted black horizontal line at its level and, per line that reaches it, a
// dotted vertical line in the line's colour at FirstReaching (named "<label>
// first at <level>", not in the legend).
render::Figure LineFigure(
    const ChartLook& look, const std::vector<ChartLine>& lines,
    const std::vector<ChartVLine>& vlines = {},
    const std::optional<ChartThreshold>& threshold = std::nullopt);

struct CdfSeries {
  std::string label;
  render::Color color;
  double alpha = 1.0;
  std::vector<double> latencies;  // the good requests' latencies
  // With per_model: one list per model, drawn as "<label> Model <i+1>" in
  // the same colour, fading (0.7, 0.4, ...).
  std::vector<std::vector<double>> per_model;
  double mean_latency_s = 0.0;  // the dashed line
};

// The CDF of each series, its per-model CDFs, its dashed mean line; y from
// 0 to 1.02.
render::Figure LatencyCdfFigure(const ChartLook& look,
                                const std::vector<CdfSeries>& series);

// Opacity of the per-model CDF i: 0.7, 0.4, then fading further.
double PerModelAlpha(int model);

// The start of the `window_s`-second stretch (of whole `step_s` samples)
// where the series differ most: the largest summed absolute difference over
// all pairs of series (one series: where it is busiest). Ties go to the
// earliest start.
double MostDifferentWindowStart(const std::vector<const Utilization*>& series,
                                double window_s, double step_s);

struct UtilizationSeries {
  std::string label;
  render::Color color;
  double alpha = 1.0;
  const Utilization* utilization = nullptr;  // borrowed
};

// Percent busy over [start, start + window_s], time measured from start:
// a plain line and a 0.2-alpha fill under it, per series.
render::Figure UtilizationFigure(const ChartLook& look,
                                 const std::vector<UtilizationSeries>& series,
                                 double start, double window_s);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_CHARTS_H_
