#ifndef MULTIPLEX_RENDER_LAYOUT_H_
#define MULTIPLEX_RENDER_LAYOUT_H_

// Layout arithmetic in points, y growing downwards (cairo's device space).
// Text is measured elsewhere (text.h); everything here is plain numbers.

#include <utility>
#include <vector>

#include "render/chart.h"

namespace multiplex::render {

struct Point {
  double x = 0.0;
  double y = 0.0;
};

struct Rect {
  double x = 0.0;
  double y = 0.0;
  double w = 0.0;
  double h = 0.0;
  double right() const { return x + w; }
  double bottom() const { return y + h; }
  bool Contains(Point p) const {
    return p.x >= x && p.x <= right() && p.y >= y && p.y <= bottom();
  }
};

// Area of the intersection of two rectangles (0 when disjoint).
double OverlapArea(const Rect& a, const Rect& b);

// Splits a figure of w x h points into rows x cols equal cells, row-major.
std::vector<Rect> GridCells(double w, double h, int rows, int cols);

// Measured sizes of the text around one axes' plot rectangle. Heights are
// text box heights (cap height + descent); 0 means "absent".
struct Decorations {
  double ytick_label_w = 0.0;  // widest y tick label
  double xtick_label_h = 0.0;
  double xlabel_h = 0.0;
  double ylabel_h = 0.0;  // thickness of the rotated y label
  double top_h = 0.0;     // title and/or legend above the axes, stacked
  double right_w = 0.0;   // legend right of the axes, with its gap
  // Tick labels that may stick out of the cell: (position along the axis as
  // a fraction 0..1 from left/bottom, label width for x / height for y).
  std::vector<std::pair<double, double>> xtick_spans;
  std::vector<std::pair<double, double>> ytick_spans;
};

// The largest plot rectangle inside `cell` that leaves room for the
// decorations and Style::figure_pad, with tick labels at the ends of the
// axes kept inside the cell ("tight layout"). Never returns a negative
// size; a cell too small for its text gets a 1 pt plot.
Rect TightPlotRect(const Rect& cell, const Decorations& d, const Style& s);

// Centre for a span of `length` that wants to be centred at `want` but must
// stay within [lo, hi] (when it fits at all; else it is centred there).
double ClampCenter(double want, double length, double lo, double hi);

// Geometry of a legend box, relative to its top-left corner, in the
// matplotlib proportions (border pad 0.4, label spacing 0.5, handle 2.0,
// handle-text pad 0.8, column spacing 2.0, all times the font size).
struct LegendGeometry {
  double w = 0.0;
  double h = 0.0;
  double row_h = 0.0;        // text box height
  double handle_len = 0.0;   // length of the line/patch sample
  double text_dx = 0.0;      // from an entry's origin to its text
  std::vector<Point> entry;  // top-left of each entry's row
};

// Entries fill columns top to bottom, then left to right, like matplotlib.
LegendGeometry LayoutLegend(const std::vector<double>& label_widths,
                            double text_h, double font_size, int ncols);

// The legend rectangle at a fixed location inside the plot area, `pad`
// points from its edges. kBest/kAbove/kNone are treated as kUpperRight.
Rect LegendRectAt(LegendLoc loc, const Rect& plot, double w, double h,
                  double pad);

// The location, among the nine fixed ones in matplotlib's order (upper
// right, upper left, lower left, lower right, right, centre left, centre
// right, lower centre, upper centre, centre), whose rectangle covers the
// fewest data points plus bar area (a fully covered legend's worth of bar
// counts as 50 points). Ties go to the earlier location.
// How much data a legend at `r` would cover: points inside plus 50 per
// legend-area's worth of bar overlap.
double LegendBadness(const Rect& r, const std::vector<Point>& points,
                     const std::vector<Rect>& boxes);

LegendLoc BestLegendLoc(const Rect& plot, double w, double h, double pad,
                        const std::vector<Point>& points,
                        const std::vector<Rect>& boxes,
                        double* badness = nullptr);

// Where a legend may go inside `plot`, best first: the ten fixed locations
// in BestLegendLoc's order, then positions sliding along the four edges
// (`pad` points in), then the interior, all on a `step`-point grid.
std::vector<Rect> LegendCandidates(const Rect& plot, double w, double h,
                                   double pad, double step = 2.0);

// The first candidate whose rectangle, grown by `clearance` points on every
// side, covers the least data (LegendBadness). *badness gets its score.
Rect BestLegendRect(const Rect& plot, double w, double h, double pad,
                    double clearance, const std::vector<Point>& points,
                    const std::vector<Rect>& boxes, double* badness = nullptr);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_LAYOUT_H_
