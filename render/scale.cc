#include "render/scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <type_traits>
#include <variant>

#include "render/ticks.h"

namespace multiplex::render {
namespace {

bool Finite(double v) { return std::isfinite(v); }

double At(const std::vector<double>& v, size_t i, double fallback) {
  return i < v.size() ? v[i] : fallback;
}

// Visits each series and adds its extent along x (want_x) or y.
Extent ComputeExtent(const Axes& ax, bool want_x) {
  Extent e;
  for (const Series& s : ax.series) {
    if (const Line* line = std::get_if<Line>(&s)) {
      const size_t n = std::min(line->x.size(), line->y.size());
      for (size_t i = 0; i < n; ++i) {
        if (!Finite(line->x[i]) || !Finite(line->y[i])) continue;
        e.Add(want_x ? line->x[i] : line->y[i]);
      }
    } else if (const Area* area = std::get_if<Area>(&s)) {
      const size_t n = std::min(area->x.size(), area->y.size());
      for (size_t i = 0; i < n; ++i) {
        const double base = At(area->y0, i, area->baseline);
        if (!Finite(area->x[i]) || !Finite(area->y[i]) || !Finite(base)) {
          continue;
        }
        if (want_x) {
          e.Add(area->x[i]);
        } else {
          e.Add(area->y[i]);
          e.Add(base);
        }
      }
    } else if (const RefLine* ref = std::get_if<RefLine>(&s)) {
      if (ref->vertical == want_x && Finite(ref->value)) e.Add(ref->value);
    } else if (const Bars* bars = std::get_if<Bars>(&s)) {
      const size_t n = std::min(bars->x.size(), bars->height.size());
      for (size_t i = 0; i < n; ++i) {
        const double bottom = At(bars->bottom, i, 0.0);
        if (!Finite(bars->x[i]) || !Finite(bars->height[i]) ||
            !Finite(bottom)) {
          continue;
        }
        if (want_x) {
          e.Add(bars->x[i] - bars->width / 2);
          e.Add(bars->x[i] + bars->width / 2);
        } else {
          e.Add(bottom);
          e.Add(bottom + bars->height[i]);
          e.sticky.push_back(bottom);
        }
      }
    }
  }
  if (want_x && !ax.categories.empty()) {
    e.Add(0.0);
    e.Add(ax.categories.size() - 1.0);
  }
  return e;
}

AxisTicks MakeTicks(const Range& r, int max_bins,
                    const std::vector<std::string>* categories) {
  AxisTicks t;
  if (categories != nullptr) {
    for (size_t i = 0; i < categories->size(); ++i) {
      const double v = i;
      if (v < r.lo - 1e-9 || v > r.hi + 1e-9) continue;
      t.values.push_back(v);
      t.labels.push_back((*categories)[i]);
    }
    return t;
  }
  t.values = NiceTicks(r.lo, r.hi, max_bins);
  t.labels = FormatTicks(t.values);
  return t;
}

// Multiples of `step` within r.
AxisTicks StepTicks(const Range& r, double step) {
  AxisTicks t;
  const double first = std::ceil(r.lo / step - 1e-9);
  for (int i = 0; i < 1000; ++i) {
    const double v = (first + i) * step;
    if (v > r.hi + 1e-9 * std::fabs(step)) break;
    t.values.push_back(std::fabs(v) < 1e-12 * step ? 0.0 : v);
  }
  t.labels = FormatTicks(t.values);
  return t;
}

// A log-axis tick label: plain between 1e-4 and 1e6 ("0.001", "200"),
// else short exponent form ("1e-5", "2e7").
std::string LogTickLabel(double v) {
  if (v >= 1e-4 && v < 1e6) return FormatNumber(v, 15);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0e", v);
  std::string s = buf;  // "1e-05", "2e+07"
  const size_t e = s.find('e');
  std::string exp = s.substr(e + 1);
  const bool neg = exp[0] == '-';
  exp.erase(0, 1);
  while (exp.size() > 1 && exp[0] == '0') exp.erase(0, 1);
  return s.substr(0, e + 1) + (neg ? "-" : "") + exp;
}

// Decades (1, 10, 100, ...) in view, with 2 and 5 between them when at
// most three decades show and they fit (at most max_bins + 1 ticks); with
// more decades than fit, every k-th (the exponents that are multiples of
// k, so 1 stays a tick). A range too narrow for two of these gets the
// linear "nice" ticks instead (placed on the log scale all the same).
AxisTicks LogTicks(const Range& r, int max_bins) {
  const int d0 = static_cast<int>(std::floor(std::log10(r.lo)));
  const int d1 = static_cast<int>(std::ceil(std::log10(r.hi)));
  const int fit = std::max(max_bins, 1) + 1;
  auto ticks = [&](bool minor, int every) {
    AxisTicks t;
    for (int d = d0; d <= d1 && d - d0 < 700; ++d) {
      if (d % every != 0) continue;
      for (double m : {1.0, 2.0, 5.0}) {
        if (m != 1.0 && !minor) continue;
        const double v = m * std::pow(10.0, d);
        if (v < r.lo * (1 - 1e-9) || v > r.hi * (1 + 1e-9)) continue;
        t.values.push_back(v);
        t.labels.push_back(LogTickLabel(v));
      }
    }
    return t;
  };
  AxisTicks t = ticks(d1 - d0 <= 3, 1);
  if (t.values.size() > static_cast<size_t>(fit)) t = ticks(false, 1);
  const int decades = static_cast<int>(t.values.size());
  if (decades > fit) t = ticks(false, (decades + fit - 1) / fit);
  if (t.values.size() < 2) {
    t.values = NiceTicks(r.lo, r.hi, max_bins);
    t.labels = FormatTicks(t.values);
  }
  return t;
}

// Adds the positive values along y (log_x: along x) of every series.
Extent PositiveExtent(const Axes& ax, bool want_x) {
  Extent e;
  auto add = [&](double v) {
    if (v > 0) e.Add(v);
  };
  for (const Series& s : ax.series) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Line> || std::is_same_v<T, Area>) {
            const size_t n = std::min(v.x.size(), v.y.size());
            for (size_t i = 0; i < n; ++i) {
              if (!Finite(v.x[i]) || !Finite(v.y[i])) continue;
              add(want_x ? v.x[i] : v.y[i]);
              if constexpr (std::is_same_v<T, Area>) {
                if (!want_x) add(At(v.y0, i, v.baseline));
              }
            }
          } else if constexpr (std::is_same_v<T, RefLine>) {
            if (v.vertical == want_x) add(v.value);
          } else if constexpr (std::is_same_v<T, Bars>) {
            const size_t n = std::min(v.x.size(), v.height.size());
            for (size_t i = 0; i < n; ++i) {
              const double bottom = At(v.bottom, i, 0.0);
              if (want_x) {
                add(v.x[i] - v.width / 2);
                add(v.x[i] + v.width / 2);
              } else {
                add(bottom + v.height[i]);
              }
            }
          }
        },
        s);
  }
  return e;
}

// The automatic log range: the positive extent with `margin` of its width
// (in decades) on both sides; half a decade around a single value; 1 to 10
// with no positive value.
Range AutoLogRange(const Extent& e, double margin) {
  if (e.empty) return {1.0, 10.0, true};
  const double l0 = std::log10(e.lo), l1 = std::log10(e.hi);
  const double pad = l1 > l0 ? (l1 - l0) * margin : 0.5;
  return {std::pow(10.0, l0 - pad), std::pow(10.0, l1 + pad), true};
}

// The y range of a log axis: fixed limits where positive, else automatic;
// stopped at the positive part of ybound.
Range LogYRange(const Axes& ax, const Style& style) {
  Range r = AutoLogRange(PositiveExtent(ax, false), style.data_margin);
  if (ax.ylim) {
    if (ax.ylim->hi > 0 && Finite(ax.ylim->hi)) r.hi = ax.ylim->hi;
    if (ax.ylim->lo > 0 && Finite(ax.ylim->lo)) r.lo = ax.ylim->lo;
  } else if (ax.ybound) {
    if (ax.ybound->hi > 0) r.hi = std::min(r.hi, ax.ybound->hi);
    if (ax.ybound->lo > 0) r.lo = std::max(r.lo, ax.ybound->lo);
  }
  // A limit that leaves no range (e.g. a fixed top below every point):
  // one decade under the top.
  if (!(r.hi > r.lo)) r.lo = r.hi / 10;
  return r;
}

AxisTicks YTicks(const Axes& ax, const Style& style, double plot_h_pt,
                 const Range& y) {
  const int bins = MaxBinsForAxis(plot_h_pt, style.tick_font_size, false);
  if (y.log) return LogTicks(y, bins);
  return ax.ytick_step > 0 ? StepTicks(y, ax.ytick_step)
                           : MakeTicks(y, bins, nullptr);
}

}  // namespace

double Range::Fraction(double v) const {
  if (log) {
    if (!(v > 0) || !(lo > 0) || !(hi > lo)) return NAN;
    return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
  }
  return (v - lo) / (hi - lo);
}

void Extent::Add(double v) {
  if (!std::isfinite(v)) return;
  if (empty) {
    lo = hi = v;
    empty = false;
  } else {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
}

Extent XExtent(const Axes& ax) { return ComputeExtent(ax, true); }
Extent YExtent(const Axes& ax) { return ComputeExtent(ax, false); }

Range AutoRange(const Extent& e, double margin) {
  if (e.empty) return {0.0, 1.0};
  if (e.hi <= e.lo) {
    const double d = e.lo == 0.0 ? 1.0 : std::fabs(e.lo) * 0.1;
    return {e.lo - d, e.hi + d};
  }
  const double pad = (e.hi - e.lo) * margin;
  Range r{e.lo - pad, e.hi + pad};
  for (double s : e.sticky) {
    if (s <= e.lo && s > r.lo) r.lo = s;
    if (s >= e.hi && s < r.hi) r.hi = s;
  }
  return r;
}

AxesPlan PlanAxes(const Axes& ax, const Style& style, double plot_w_pt,
                  double plot_h_pt) {
  AxesPlan plan;
  plan.x = ax.xlim ? Range{ax.xlim->lo, ax.xlim->hi}
                   : AutoRange(XExtent(ax), style.data_margin);
  if (ax.xlog) {
    // Positive values only; the automatic margin is taken in log space.
    if (ax.xlim && ax.xlim->lo > 0 && ax.xlim->hi > ax.xlim->lo) {
      plan.x = {ax.xlim->lo, ax.xlim->hi, true};
    } else {
      plan.x = AutoLogRange(PositiveExtent(ax, true), style.data_margin);
    }
  }
  plan.y = ax.ylim ? Range{ax.ylim->lo, ax.ylim->hi}
                   : AutoRange(YExtent(ax), style.data_margin);
  if (!ax.ylim && ax.ybound) {
    // The margin stops at the bound (a flat line at the bound keeps a
    // visible range below it).
    plan.y.lo = std::max(plan.y.lo, ax.ybound->lo);
    plan.y.hi = std::min(plan.y.hi, ax.ybound->hi);
    if (!(plan.y.hi > plan.y.lo)) {
      plan.y = {ax.ybound->lo, ax.ybound->hi};
    }
  }
  if (ax.ylog) plan.y = LogYRange(ax, style);
  plan.xticks =
      plan.x.log ? LogTicks(plan.x, MaxBinsForAxis(plot_w_pt,
                                                   style.tick_font_size, true))
      : ax.xtick_step > 0 && ax.categories.empty()
          ? StepTicks(plan.x, ax.xtick_step)
          : MakeTicks(plan.x,
                      MaxBinsForAxis(plot_w_pt, style.tick_font_size, true),
                      ax.categories.empty() ? nullptr : &ax.categories);
  plan.yticks = YTicks(ax, style, plot_h_pt, plan.y);
  return plan;
}

AxesPlan PlanAxesWithY(const Axes& ax, const Style& style, double plot_w_pt,
                       double plot_h_pt, Range y) {
  AxesPlan plan = PlanAxes(ax, style, plot_w_pt, plot_h_pt);
  plan.y = y;
  plan.yticks = YTicks(ax, style, plot_h_pt, y);
  return plan;
}

}  // namespace multiplex::render
