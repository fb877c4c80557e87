#ifndef MULTIPLEX_RENDER_DRAW_H_
#define MULTIPLEX_RENDER_DRAW_H_

// Draws a Figure on a cairo context whose user space is in points (1/72
// inch), with the origin at the figure's top-left corner. The figure must
// have passed ValidateFigure (write.h).

#include <cairo/cairo.h>

#include <string>
#include <vector>

#include "render/chart.h"
#include "render/layout.h"

namespace multiplex::render {

// What one axes looks like once drawn, in points from the figure's top-left
// corner, for layout checks (render/inspect.h).
struct DrawnText {
  std::string text;
  Rect box;  // ink box: width x (cap height + descent), rotated if vertical
};
// A marker as drawn: the index of its line in Axes::series, and its centre.
struct DrawnMarker {
  int series = 0;
  Point at;
};
struct AxesReport {
  Rect cell;
  Rect plot;
  double y_lo = 0.0, y_hi = 1.0;  // the plotted y range
  std::vector<DrawnText> texts;   // tick labels, axis labels, title, legend
  bool has_legend = false;
  Rect legend;
  // Every marker centre and points every ~3 pt along lines, curve tops and
  // reference lines, inside the plot (what a legend must not cover).
  std::vector<Point> data;
  // Every marker drawn (what the marker check of render/inspect.h counts
  // against the data).
  std::vector<DrawnMarker> markers;
  // Decisions the layout took against the figure's wish (a fixed legend
  // location that covered data, moved).
  std::vector<std::string> warnings;
};

// Draws `fig`; with `report`, also fills it (one entry per axes,
// row-major).
void DrawFigure(cairo_t* cr, const Figure& fig,
                std::vector<AxesReport>* report = nullptr);

// The plot rectangle (in points) that DrawFigure gives each axes, in
// row-major order; for layout tests.
std::vector<Rect> PlotRects(const Figure& fig);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_DRAW_H_
