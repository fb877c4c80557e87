#include "experiments/lib/charts.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace multiplex {
namespace {

render::Figure MakeFigure(const ChartLook& look) {
  render::Figure fig(look.width_in, look.height_in);
  render::Axes& ax = fig.axes();
  ax.xlabel = look.xlabel;
  ax.ylabel = look.ylabel;
  ax.legend = look.legend;
  ax.xtick_step = look.xtick_step;
  ax.ytick_step = look.ytick_step;
  ax.xlog = look.xlog;
  if (look.ylim) ax.ylim = look.ylim;
  return fig;
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
    render::Line& line = ax.AddLine(l.x, l.y, l.label);
    line.color = l.color;
    line.alpha = l.alpha;
    line.marker_size = look.marker_size;
  }
  for (const ChartVLine& v : vlines) ax.AddVLine(v.x, v.label);
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
  return fig;
}

double PerModelAlpha(int model) {
  // Figure 2b's two models: 0.7 and 0.4; further models keep fading.
  return model == 0 ? 0.7 : 0.4 * std::pow(0.6, model - 1);
}

render::Figure LatencyCdfFigure(const ChartLook& look,
                                const std::vector<CdfSeries>& series) {
  render::Figure fig = MakeFigure(look);
  render::Axes& ax = fig.axes();
  for (const CdfSeries& s : series) {
    render::Line& line = ax.AddCdf(s.latencies, s.label);
    line.color = s.color;
    line.alpha = s.alpha;
    for (size_t m = 0; m < s.per_model.size(); ++m) {
      render::Line& model_line =
          ax.AddCdf(s.per_model[m], absl::StrCat(s.label, " Model ", m + 1));
      model_line.color = s.color;
      model_line.alpha = PerModelAlpha(static_cast<int>(m)) * s.alpha;
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
    render::Line& line = ax.AddLine(t, busy, s.label, render::Marker::kNone);
    line.color = s.color;
    line.alpha = s.alpha;
    ax.AddArea(t, busy, "", 0.2).color = s.color;
  }
  return fig;
}

}  // namespace multiplex
