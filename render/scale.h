#ifndef MULTIPLEX_RENDER_SCALE_H_
#define MULTIPLEX_RENDER_SCALE_H_

// Axis limits and ticks of an Axes: pure arithmetic on the series data.

#include <string>
#include <vector>

#include "render/chart.h"

namespace multiplex::render {

struct Range {
  double lo = 0.0;
  double hi = 1.0;
  bool log = false;  // logarithmic: lo > 0, positions go by log10
  // Where v sits along the range, 0 at lo and 1 at hi (either scale).
  double Fraction(double v) const;
};

// The finite data extent along one axis. `sticky` values (bar bases) stop
// the automatic margin: a range that starts at a sticky 0 stays at 0.
struct Extent {
  double lo = 0.0;
  double hi = 0.0;
  bool empty = true;
  std::vector<double> sticky;

  void Add(double v);
};

Extent XExtent(const Axes& ax);
Extent YExtent(const Axes& ax);

// The automatic view range: the extent plus `margin` of its width on both
// sides, stopped at sticky values. An empty extent gives [0, 1]; a single
// value v gives v +- 10% of |v| (+-1 for 0).
Range AutoRange(const Extent& e, double margin);

struct AxisTicks {
  std::vector<double> values;
  std::vector<std::string> labels;
  bool operator==(const AxisTicks& o) const {
    return values == o.values && labels == o.labels;
  }
};

struct AxesPlan {
  Range x, y;
  AxisTicks xticks, yticks;
};

// Limits (fixed or automatic) and ticks for a plot area of the given size in
// points; the size sets how many ticks fit. Categorical axes get one tick
// per category in view, labelled with the category string.
AxesPlan PlanAxes(const Axes& ax, const Style& style, double plot_w_pt,
                  double plot_h_pt);
// The same with the y range given (ticks recomputed for it).
AxesPlan PlanAxesWithY(const Axes& ax, const Style& style, double plot_w_pt,
                       double plot_h_pt, Range y);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_SCALE_H_
