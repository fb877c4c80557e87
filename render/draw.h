#ifndef MULTIPLEX_RENDER_DRAW_H_
#define MULTIPLEX_RENDER_DRAW_H_

// Draws a Figure on a cairo context whose user space is in points (1/72
// inch), with the origin at the figure's top-left corner. The figure must
// have passed ValidateFigure (write.h).

#include <cairo/cairo.h>

#include "render/chart.h"
#include "render/layout.h"

namespace multiplex::render {

void DrawFigure(cairo_t* cr, const Figure& fig);

// The plot rectangle (in points) that DrawFigure gives each axes, in
// row-major order; for layout tests.
std::vector<Rect> PlotRects(const Figure& fig);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_DRAW_H_
