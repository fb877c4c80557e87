#include "render/inspect.h"

#include <cairo/cairo.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"

namespace multiplex::render {
namespace {

// Half a point of antialiasing either way is not a clip.
constexpr double kSlack = 0.5;

bool Inside(const Rect& r, double w, double h) {
  return r.x >= -kSlack && r.y >= -kSlack && r.right() <= w + kSlack &&
         r.bottom() <= h + kSlack;
}

std::string Where(const Figure& fig, size_t i) {
  if (fig.rows() * fig.cols() == 1) return "";
  return absl::StrCat("axes (", i / fig.cols(), ", ", i % fig.cols(), "): ");
}

// The markers a line should show: one per point with a place on the axes.
int ExpectedMarkers(const Axes& ax, const Line& line) {
  if (line.marker == Marker::kNone) return 0;
  int n = 0;
  for (size_t i = 0; i < std::min(line.x.size(), line.y.size()); ++i) {
    const double x = line.x[i], y = line.y[i];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    if ((ax.xlog && x <= 0) || (ax.ylog && y <= 0)) continue;
    ++n;
  }
  return n;
}

}  // namespace

std::vector<std::string> MarkerProblems(const Axes& ax, const AxesReport& r) {
  std::vector<std::string> out;
  std::vector<int> drawn(ax.series.size(), 0);
  for (const DrawnMarker& m : r.markers) {
    if (m.series >= 0 && m.series < static_cast<int>(drawn.size())) {
      ++drawn[m.series];
    }
  }
  for (size_t i = 0; i < ax.series.size(); ++i) {
    const Line* line = std::get_if<Line>(&ax.series[i]);
    if (line == nullptr) continue;
    const int want = ExpectedMarkers(ax, *line);
    if (drawn[i] != want) {
      out.push_back(absl::StrCat("line '", line->label, "' drew ", drawn[i],
                                 " marker(s) of ", want));
    }
  }
  return out;
}

std::vector<AxesReport> InspectFigure(const Figure& fig) {
  cairo_surface_t* surface =
      cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, nullptr);
  cairo_t* cr = cairo_create(surface);
  std::vector<AxesReport> report;
  DrawFigure(cr, fig, &report);
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return report;
}

std::vector<std::string> LayoutProblems(const Figure& fig,
                                        const std::vector<AxesReport>& report) {
  std::vector<std::string> out;
  const double w = fig.width_in() * 72.0;
  const double h = fig.height_in() * 72.0;
  for (size_t i = 0; i < report.size(); ++i) {
    const AxesReport& r = report[i];
    const std::string where = Where(fig, i);
    for (const DrawnText& t : r.texts) {
      if (!Inside(t.box, w, h)) {
        out.push_back(absl::StrCat(where, "text '", t.text,
                                   "' is clipped at the canvas edge"));
      }
    }
    if (r.has_legend) {
      if (!Inside(r.legend, w, h)) {
        out.push_back(absl::StrCat(where, "the legend is clipped"));
      }
      const Rect in{r.legend.x + kSlack, r.legend.y + kSlack,
                    r.legend.w - 2 * kSlack, r.legend.h - 2 * kSlack};
      int covered = 0;
      for (const Point& p : r.data) covered += in.Contains(p) ? 1 : 0;
      if (covered > 0) {
        out.push_back(absl::StrCat(where, "the legend covers ", covered,
                                   " data point(s)"));
      }
    }
    const Axes& ax = fig.axes(static_cast<int>(i) / fig.cols(),
                              static_cast<int>(i) % fig.cols());
    for (const std::string& m : MarkerProblems(ax, r)) {
      out.push_back(where + m);
    }
    if (ax.ybound) {
      const double eps = 1e-9 * (ax.ybound->hi - ax.ybound->lo);
      if (r.y_hi > ax.ybound->hi + eps || r.y_lo < ax.ybound->lo - eps) {
        out.push_back(absl::StrCat(where, "the y axis runs to [", r.y_lo, ", ",
                                   r.y_hi, "], past its bound [", ax.ybound->lo,
                                   ", ", ax.ybound->hi, "]"));
      }
    }
  }
  return out;
}

std::vector<std::string> LayoutWarnings(const Figure& fig,
                                        const std::vector<AxesReport>& report) {
  std::vector<std::string> out;
  for (size_t i = 0; i < report.size(); ++i) {
    for (const std::string& w : report[i].warnings) {
      out.push_back(Where(fig, i) + w);
    }
  }
  return out;
}

}  // namespace multiplex::render
