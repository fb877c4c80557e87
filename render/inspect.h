#ifndef MULTIPLEX_RENDER_INSPECT_H_
#define MULTIPLEX_RENDER_INSPECT_H_

// Checks of a figure's drawn layout: what a reviewer would see at once.

#include <string>
#include <vector>

#include "render/chart.h"
#include "render/draw.h"

namespace multiplex::render {

// Lays the figure out and draws it off-screen, returning what was drawn
// where (draw.h), one entry per axes, row-major.
std::vector<AxesReport> InspectFigure(const Figure& fig);

// What breaks the layout invariants, one message per fault (empty: none):
//   - text (tick labels, axis labels, titles, legend entries) or a legend
//     reaching past the canvas, i.e. clipped;
//   - a legend over a marker, a line or a reference line;
//   - a y range past the axes' ybound;
//   - a line with markers that drew fewer or more of them than it has
//     points on the axes (MarkerProblems).
std::vector<std::string> LayoutProblems(const Figure& fig,
                                        const std::vector<AxesReport>& report);

// Each line of `ax` whose drawn markers (r.markers) differ in number from
// its points with a place on the axes (finite, and positive along a log
// axis; none for Marker::kNone), one message per line.
std::vector<std::string> MarkerProblems(const Axes& ax, const AxesReport& r);

// The layout's own warnings (e.g. a fixed legend location moved), with the
// axes' position when the figure has several.
std::vector<std::string> LayoutWarnings(const Figure& fig,
                                        const std::vector<AxesReport>& report);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_INSPECT_H_
