#ifndef MULTIPLEX_RENDER_CHART_H_
#define MULTIPLEX_RENDER_CHART_H_

// Data model of a chart: a Figure holds a grid of Axes, each with a list of
// series. Nothing here touches cairo; see write.h to produce files.
//
//   Figure fig(3.0, 2.0);
//   Axes& ax = fig.axes();
//   ax.xlabel = "Memory Budget (GB)";
//   ax.AddLine({8, 16, 24}, {0.9, 0.6, 0.5}, "Model Parallelism");
//   ax.AddVLine(13, "GPU Memory Bound");
//   absl::Status s = WritePdfAndPng(fig, "out/fig");
//
// Add* return a reference to the new series so that options can be changed
// in place (series live in a std::deque, so the reference stays valid).

#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "render/color.h"

namespace multiplex::render {

enum class LineStyle { kSolid, kDashed, kDotted, kDashDot };
enum class Marker {
  kNone,
  kDot,
  kCircle,
  kSquare,
  kTriangle,
  kDiamond,
  kCross
};
enum class GridMode { kNone, kBoth, kY, kX };

// Where the legend goes. kBest picks the corner (or edge centre) of the axes
// that covers the least data; kAbove centres it above the axes in
// LegendOptions::ncols columns; kNone hides it.
enum class LegendLoc {
  kNone,
  kBest,
  kUpperRight,
  kUpperLeft,
  kLowerLeft,
  kLowerRight,
  kCenterRight,
  kCenterLeft,
  kLowerCenter,
  kUpperCenter,
  kCenter,
  kAbove,
};

// Sizes in points (1/72 inch). The defaults give the matplotlib look.
struct Style {
  std::string font_family = "DejaVu Sans";
  double label_font_size = 10.0;  // axis labels
  double tick_font_size = 10.0;
  double title_font_size = 10.0;
  double legend_font_size = 8.0;
  double line_width = 1.5;
  double marker_size = 4.0;  // diameter of Marker::kDot
  double spine_width = 0.8;
  double grid_width = 0.8;
  Color grid_color = {0.69, 0.69, 0.69};
  double grid_alpha = 0.55;
  double tick_length = 3.5;
  double tick_pad = 3.5;   // tick to tick label
  double label_pad = 4.0;  // tick labels to axis label
  double title_pad = 6.0;
  double figure_pad = 4.0;    // free border around the figure's content
  double data_margin = 0.05;  // auto limits add this fraction on each side
};

// A polyline through (x[i], y[i]). Points with a NaN/inf coordinate are
// skipped and break the line. `step` draws a post-step (CDF) staircase.
struct Line {
  std::vector<double> x, y;
  std::string label;
  Color color;
  LineStyle style = LineStyle::kSolid;
  Marker marker = Marker::kNone;
  double line_width = 0.0;   // 0: Style::line_width
  double marker_size = 0.0;  // 0: Style::marker_size
  double alpha = 1.0;
  bool step = false;
  // Markers drawn as outlines (so a series drawn over an equal one leaves
  // the one below visible).
  bool hollow_markers = false;
  // Appended to the label in the legend only (the data table keeps the
  // label), e.g. " (= Searched)" for a line drawn over an equal one.
  std::string legend_note;
  bool in_legend = true;  // false: labelled (data table) but not in the legend
};

// The region between y and `baseline` (or y0[i] when y0 is given), filled
// with `color` at `alpha`.
struct Area {
  std::vector<double> x, y;
  std::vector<double> y0;  // empty: constant baseline
  double baseline = 0.0;
  std::string label;
  Color color;
  double alpha = 0.25;
  bool in_legend = true;  // false: labelled (data table) but not in the legend
};

// A reference line across the whole axes at x = value (vertical) or
// y = value (horizontal). Does not extend the auto limits of the other axis.
struct RefLine {
  bool vertical = true;
  double value = 0.0;
  std::string label;
  Color color = {0, 0, 0};
  LineStyle style = LineStyle::kDashed;
  double line_width = 1.0;
  double alpha = 1.0;
  bool in_legend = true;  // false: labelled (data table) but not in the legend
};

// Bars centred at x[i] from bottom[i] (0 when `bottom` is empty) to
// bottom[i] + height[i]. On categorical axes x is the category index.
struct Bars {
  std::vector<double> x, height;
  std::vector<double> bottom;
  double width = 0.8;  // in x units
  std::string label;
  Color color;
  double alpha = 1.0;
  bool in_legend = true;  // false: labelled (data table) but not in the legend
};

using Series = std::variant<Line, Area, RefLine, Bars>;

struct Limits {
  double lo = 0.0;
  double hi = 1.0;
};

struct LegendOptions {
  LegendLoc loc = LegendLoc::kBest;
  int ncols = 1;
  double font_size = 0.0;  // 0: Style::legend_font_size
  bool frame = true;
  // With kBest, when every place inside the plot would cover data: raise
  // the top of an automatic y range by the least that frees a place, else
  // put the legend above the axes (instead of drawing over the data).
  bool make_room = true;
};

class Axes {
 public:
  std::string title, xlabel, ylabel;
  std::optional<Limits> xlim, ylim;  // fixed limits; unset: automatic
  // A quantity that cannot leave these values (SLO attainment: 0 to 100%):
  // the automatic y range stops at them, and the legend never pushes it
  // past them (it moves outside the axes instead).
  std::optional<Limits> ybound;
  GridMode grid = GridMode::kBoth;
  // > 0: ticks at the multiples of this step in view (instead of the
  // automatic "nice" ticks, whose spacing depends on the plot size).
  double xtick_step = 0.0;
  double ytick_step = 0.0;
  // Logarithmic x axis (ticks at 1, 2, 5 x 10^k); points with x <= 0 are
  // left out.
  bool xlog = false;
  // Logarithmic y axis: ticks at the decades (1, 2, 5 x 10^k between them
  // when at most three decades show). A point with y <= 0 has no place on
  // it: lines and markers leave it out, with a warning saying how many
  // (render/inspect.h's LayoutWarnings); fills and bars reach down to the
  // axis. A fixed lower limit <= 0 is replaced by the automatic one (also
  // warned about), as is a NaN end of ylim (no warning); a ybound is kept to
  // where it is positive.
  bool ylog = false;
  LegendOptions legend;
  // When non-empty the x axis is categorical: ticks at 0, 1, ... labelled
  // with these strings (bars at index i sit on category i).
  std::vector<std::string> categories;
  std::deque<Series> series;

  // A `.-` line (dot markers) in the next cycle colour. Pass Marker::kNone
  // for a plain line.
  Line& AddLine(std::vector<double> x, std::vector<double> y,
                std::string label = "", Marker marker = Marker::kDot);
  // Empirical CDF of raw samples as a step line; non-finite samples are
  // dropped. y goes from 1/n to 1. With max_steps > 0 only the first point
  // at or above each of max_steps even levels (and the last) is kept: the
  // drawn staircase is within 1/max_steps of the exact one (below a pixel
  // for 1000 on any printed chart) and its data table stays small.
  Line& AddCdf(std::vector<double> samples, std::string label = "",
               int max_steps = 0);
  // Translucent fill between y and 0 in the next cycle colour.
  Area& AddArea(std::vector<double> x, std::vector<double> y,
                std::string label = "", double alpha = 0.25);
  RefLine& AddVLine(double x, std::string label = "");
  RefLine& AddHLine(double y, std::string label = "");
  Bars& AddBars(std::vector<double> x, std::vector<double> height,
                std::string label = "");
  // Bars stacked from 0 at positions x: components[k][i] is the height of
  // component k at x[i]. Component k is coloured Tab10(k) unless `colors`
  // gives one; labels may be empty (no legend entry). Returns one Bars per
  // component.
  std::vector<Bars*> AddStackedBars(
      const std::vector<double>& x,
      const std::vector<std::vector<double>>& components,
      const std::vector<std::string>& labels, double width = 0.5,
      double alpha = 1.0, const std::vector<Color>& colors = {});
  // values[s][c]: series s in category c, drawn side by side within
  // `group_width` around each category index. alphas[s] defaults to 1.
  std::vector<Bars*> AddGroupedBars(
      const std::vector<std::vector<double>>& values,
      const std::vector<std::string>& labels, double group_width = 0.8,
      const std::vector<double>& alphas = {});

  // The colour the next Add* call would take from the cycle, consuming it.
  Color NextColor() { return cycle_.Next(); }

 private:
  ColorCycle cycle_;
};

class Figure {
 public:
  // A width x height inch figure with a rows x cols grid of axes.
  Figure(double width_in = 3.0, double height_in = 2.0, int rows = 1,
         int cols = 1);

  Axes& axes(int row = 0, int col = 0) { return axes_[row * cols_ + col]; }
  const Axes& axes(int row = 0, int col = 0) const {
    return axes_[row * cols_ + col];
  }
  double width_in() const { return width_in_; }
  double height_in() const { return height_in_; }
  int rows() const { return rows_; }
  int cols() const { return cols_; }

  Style style;
  // One legend for the whole grid, centred above it: the entries of every
  // axes, each label once (the axes' own legends are not drawn).
  bool shared_legend = false;

 private:
  double width_in_, height_in_;
  int rows_, cols_;
  std::vector<Axes> axes_;
};

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_CHART_H_
