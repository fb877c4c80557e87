#include "experiments/lib/charts.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "render/scale.h"

namespace multiplex {
namespace {

// Steps kept per CDF (render::Axes::AddCdf): finer than any printed chart.
constexpr int kCdfSteps = 1000;

render::Figure MakeFigure(const ChartLook& look) {
  render::Figure fig(look.width_in, look.height_in);
  render::Axes& ax = fig.axes();
  ax.xlabel = look.xlabel;
  ax.ylabel = look.ylabel;
  ax.legend = look.legend;
  ax.xtick_step = look.xtick_step;
  ax.ytick_step = look.ytick_step;
  ax.xlog = look.xlog;
  ax.ylog = look.ylog;
  if (look.ylim) ax.ylim = look.ylim;
  ax.ybound = look.ybound;
  ax.title = look.title;
  return fig;
}

// A ylim with one end NaN (ChartLook::ylim): that end automatic, from the
// series in the axes; an empty range falls back to automatic limits.
void ResolveYLimits(render::Axes& ax, const render::Style& style) {
  // A log axis takes a NaN end as automatic itself (in decades).
  if (!ax.ylim || ax.ylog) return;
  if (std::isnan(ax.ylim->lo) || std::isnan(ax.ylim->hi)) {
    const render::Range r =
        render::AutoRange(render::YExtent(ax), style.data_margin);
    if (std::isnan(ax.ylim->lo)) ax.ylim->lo = r.lo;
    if (std::isnan(ax.ylim->hi)) ax.ylim->hi = r.hi;
  }
  if (!(ax.ylim->lo < ax.ylim->hi)) ax.ylim.reset();
}

bool SamePoints(const ChartLine& a, const ChartLine& b) {
  if (a.x.size() != b.x.size() || a.y.size() != b.y.size()) return false;
  auto close = [](double u, double v) {
    if (std::isnan(u) || std::isnan(v)) return std::isnan(u) && std::isnan(v);
    return u == v || std::fabs(u - v) <= 1e-9 * std::max(std::fabs(u), 1.0);
  };
  for (size_t i = 0; i < a.x.size(); ++i) {
    if (!close(a.x[i], b.x[i])) return false;
  }
  for (size_t i = 0; i < a.y.size(); ++i) {
    if (!close(a.y[i], b.y[i])) return false;
  }
  return !a.x.empty();
}

}  // namespace

absl::StatusOr<render::LegendLoc> ParseLegendLoc(absl::string_view name) {
  using render::LegendLoc;
  static const std::pair<const char*, LegendLoc> kLocs[] = {
      {"best", LegendLoc::kBest},
      {"upper_left", LegendLoc::kUpperLeft},
      {"upper_right", LegendLoc::kUpperRight},
      {"lower_left", LegendLoc::kLowerLeft},
      {"lower_right", LegendLoc::kLowerRight},
      {"center_left", LegendLoc::kCenterLeft},
      {"center_right", LegendLoc::kCenterRight},
      {"lower_center", LegendLoc::kLowerCenter},
      {"upper_center", LegendLoc::kUpperCenter},
      {"center", LegendLoc::kCenter},
      {"above", LegendLoc::kAbove},
      {"none", LegendLoc::kNone},
  };
  for (const auto& [key, loc] : kLocs) {
    if (name == key) return loc;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown legend location '", name, "'"));
}

absl::StatusOr<render::Color> ParseColorName(absl::string_view name) {
  static const char* const kNames[] = {"blue",   "orange", "green", "red",
                                       "purple", "brown",  "pink",  "gray",
                                       "olive",  "cyan"};
  for (int i = 0; i < 10; ++i) {
    if (name == kNames[i]) return render::Tab10(i);
  }
  if (absl::StartsWith(name, "#")) {
    absl::StatusOr<render::Color> c = render::Color::FromHex(name);
    if (c.ok()) return c;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown colour '", name,
                   "'; known: ", absl::StrJoin(kNames, ", "), " or #rrggbb"));
}

absl::StatusOr<render::LineStyle> ParseDash(absl::string_view name) {
  using render::LineStyle;
  static const std::pair<const char*, LineStyle> kDashes[] = {
      {"solid", LineStyle::kSolid},
      {"dashed", LineStyle::kDashed},
      {"dashdot", LineStyle::kDashDot},
      {"dotted", LineStyle::kDotted}};
  for (const auto& [key, dash] : kDashes) {
    if (name == key) return dash;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown dash '", name, "'; known: solid, dashed, dashdot, dotted"));
}

absl::StatusOr<render::Marker> ParseMarker(absl::string_view name) {
  using render::Marker;
  static const std::pair<const char*, Marker> kMarkers[] = {
      {"dot", Marker::kDot},         {"circle", Marker::kCircle},
      {"square", Marker::kSquare},   {"triangle", Marker::kTriangle},
      {"diamond", Marker::kDiamond}, {"cross", Marker::kCross},
      {"none", Marker::kNone}};
  for (const auto& [key, marker] : kMarkers) {
    if (name == key) return marker;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown marker '", name,
                   "'; known: dot, circle, square, triangle, diamond, "
                   "cross, none"));
}

std::optional<double> FirstReaching(const ChartLine& line,
                                    const ChartThreshold& t) {
  std::vector<size_t> order(std::min(line.x.size(), line.y.size()));
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return line.x[a] < line.x[b]; });
  if (t.from_right) std::reverse(order.begin(), order.end());
  for (size_t i : order) {
    if (line.y[i] >= t.y) return line.x[i];
  }
  return std::nullopt;
}

render::Figure LineFigure(const ChartLook& look,
                          const std::vector<ChartLine>& lines,
                          const std::vector<ChartVLine>& vlines,
                          const std::optional<ChartThreshold>& threshold) {
  render::Figure fig = MakeFigure(look);
  render::Axes& ax = fig.axes();
  for (const ChartLine& l : lines) {
    if (l.y_lo.size() != l.y.size() || l.y_hi.size() != l.y.size()) continue;
    render::Area& band = ax.AddArea(l.x, l.y_hi, l.label + " 95% CI", 0.18);
    band.y0 = l.y_lo;
    band.color = l.color;
    band.in_legend = false;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const ChartLine& l = lines[i];
    std::string note;
    bool repeats = false;
    for (size_t j = 0; j < i && !repeats; ++j) {
      if (SamePoints(lines[j], l)) {
        note = absl::StrCat(" (= ", lines[j].label, ")");
        repeats = true;
      }
    }
    const int k = static_cast<int>(i);
    render::Line& line =
        ax.AddLine(l.x, l.y, l.label, l.marker.value_or(DefaultMarker(k)));
    line.legend_note = note;
    line.color = l.color;
    line.alpha = l.alpha;
    line.style = l.dash.value_or(DefaultDash(k));
    line.line_width = l.line_width;
    line.marker_size = look.marker_size;
    if (repeats) {
      // Drawn over an equal line: outlines around the markers below.
      line.hollow_markers = true;
      line.marker_size = 1.9 * (look.marker_size > 0 ? look.marker_size : 4.0);
    }
  }
  for (const ChartVLine& v : vlines) ax.AddVLine(v.x, v.label);
  for (const auto& [y, label] : look.hlines) ax.AddHLine(y, label);
  if (threshold) {
    render::RefLine& level = ax.AddHLine(threshold->y, threshold->label);
    level.style = render::LineStyle::kDotted;
    level.in_legend = !threshold->label.empty();
    const std::string level_text = absl::StrCat(threshold->y);
    for (const ChartLine& l : lines) {
      const std::optional<double> x = FirstReaching(l, *threshold);
      if (!x) continue;
      render::RefLine& mark =
          ax.AddVLine(*x, absl::StrCat(l.label, " first at ", level_text));
      mark.style = render::LineStyle::kDotted;
      mark.color = l.color;
      mark.alpha = l.alpha;
      mark.line_width = 1.5;
      mark.in_legend = false;
    }
  }
  ResolveYLimits(ax, fig.style);
  return fig;
}

render::Marker DefaultMarker(int i) {
  static constexpr render::Marker kMarkers[] = {
      render::Marker::kDot, render::Marker::kSquare, render::Marker::kTriangle,
      render::Marker::kDiamond, render::Marker::kCross};
  return kMarkers[i % 5];
}

render::LineStyle DefaultDash(int i) {
  static constexpr render::LineStyle kDashes[] = {
      render::LineStyle::kSolid, render::LineStyle::kDashed,
      render::LineStyle::kDashDot, render::LineStyle::kDotted};
  return kDashes[i % 4];
}

double PerModelAlpha(int model) {
  // Figure 2b's two models: 0.7 and 0.4; further models keep fading.
  return model == 0 ? 0.7 : 0.4 * std::pow(0.6, model - 1);
}

render::Figure LatencyCdfFigure(const ChartLook& look,
                                const std::vector<CdfSeries>& series) {
  render::Figure fig = MakeFigure(look);
  render::Axes& ax = fig.axes();
  // Sorted samples of every series drawn so far, to name equal ones.
  std::vector<std::pair<std::string, std::vector<double>>> drawn;
  auto same_as = [&](const std::vector<double>& samples) {
    std::vector<double> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    std::string equal;
    for (const auto& [label, other] : drawn) {
      if (!sorted.empty() && other == sorted) {
        equal = label;
        break;
      }
    }
    return std::make_pair(equal, sorted);
  };
  for (size_t k = 0; k < series.size(); ++k) {
    const CdfSeries& s = series[k];
    auto [equal, sorted] = same_as(s.latencies);
    render::Line& line = ax.AddCdf(s.latencies, s.label, kCdfSteps);
    if (!equal.empty()) line.legend_note = absl::StrCat(" (= ", equal, ")");
    line.color = s.color;
    line.alpha = s.alpha;
    // Over an equal CDF: dashed, so the one below shows through.
    if (!equal.empty()) line.style = DefaultDash(1);
    drawn.push_back({s.label, std::move(sorted)});
    for (size_t m = 0; m < s.per_model.size(); ++m) {
      const std::string name = absl::StrCat(s.label, " Model ", m + 1);
      auto [model_equal, model_sorted] = same_as(s.per_model[m]);
      render::Line& model_line = ax.AddCdf(s.per_model[m], name, kCdfSteps);
      if (!model_equal.empty()) {
        model_line.legend_note = absl::StrCat(" (= ", model_equal, ")");
      }
      // Fading as PerModelAlpha, but as an opaque tint: a model's CDF often
      // runs on its policy's line, where a translucent line of the same
      // colour would vanish. Dashes tell the models apart.
      const double a = PerModelAlpha(static_cast<int>(m));
      model_line.color = {1 - a * (1 - s.color.r), 1 - a * (1 - s.color.g),
                          1 - a * (1 - s.color.b)};
      model_line.alpha = s.alpha;
      model_line.line_width = 1.0;
      model_line.style = DefaultDash(static_cast<int>(m) + 1);
      drawn.push_back({name, std::move(model_sorted)});
    }
    render::RefLine& mean =
        ax.AddVLine(s.mean_latency_s, absl::StrCat(s.label, " Mean Latency"));
    mean.color = s.color;
  }
  ax.ylim = render::Limits{0, 1.02};
  return fig;
}

double MostDifferentWindowStart(const std::vector<const Utilization*>& series,
                                double window_s, double step_s) {
  if (series.empty()) return 0;
  const size_t width = static_cast<size_t>(window_s / step_s);
  size_t n = series[0]->busy.size();
  for (const Utilization* u : series) n = std::min(n, u->busy.size());
  // The per-sample score: summed pairwise |difference| (for two series,
  // exactly |a - b|), or the busy fraction of a single series.
  auto score = [&](size_t i) {
    if (series.size() == 1) return series[0]->busy[i];
    double d = 0;
    for (size_t p = 0; p < series.size(); ++p) {
      for (size_t q = p + 1; q < series.size(); ++q) {
        d += std::abs(series[p]->busy[i] - series[q]->busy[i]);
      }
    }
    return d;
  };
  double best = -1, start = 0, sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += score(i);
    if (i >= width) sum -= score(i - width);
    if (i + 1 >= width && sum > best + 1e-9) {
      best = sum;
      start = series[0]->time_s[i + 1 - width];
    }
  }
  return start;
}

render::Figure UtilizationFigure(const ChartLook& look,
                                 const std::vector<UtilizationSeries>& series,
                                 double start, double window_s) {
  render::Figure fig = MakeFigure(look);
  render::Axes& ax = fig.axes();
  for (const UtilizationSeries& s : series) {
    std::vector<double> t, busy;
    for (size_t i = 0; i < s.utilization->time_s.size(); ++i) {
      const double x = s.utilization->time_s[i] - start;
      if (x < 0 || x > window_s) continue;
      t.push_back(x);
      busy.push_back(100 * s.utilization->busy[i]);
    }
    // Equal to an earlier series: said in the legend, and dashed over it.
    std::string note;
    bool repeats = false;
    for (size_t k = 0; k < ax.series.size() && !repeats; ++k) {
      const auto* other = std::get_if<render::Line>(&ax.series[k]);
      if (other != nullptr && other->x == t && other->y == busy) {
        note = absl::StrCat(" (= ", other->label, ")");
        repeats = true;
      }
    }
    render::Line& line = ax.AddLine(t, busy, s.label, render::Marker::kNone);
    line.legend_note = note;
    line.color = s.color;
    line.alpha = s.alpha;
    if (repeats) line.style = DefaultDash(1);
    ax.AddArea(t, busy, "", 0.2).color = s.color;
  }
  ResolveYLimits(ax, fig.style);
  return fig;
}

}  // namespace multiplex
