#include "render/layout.h"

#include <algorithm>
#include <cmath>

namespace multiplex::render {

double OverlapArea(const Rect& a, const Rect& b) {
  const double w = std::min(a.right(), b.right()) - std::max(a.x, b.x);
  const double h = std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y);
  return (w > 0 && h > 0) ? w * h : 0.0;
}

std::vector<Rect> GridCells(double w, double h, int rows, int cols) {
  rows = std::max(rows, 1);
  cols = std::max(cols, 1);
  std::vector<Rect> cells;
  const double cw = w / cols;
  const double ch = h / rows;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) cells.push_back({c * cw, r * ch, cw, ch});
  }
  return cells;
}

Rect TightPlotRect(const Rect& cell, const Decorations& d, const Style& s) {
  const double pad = s.figure_pad;
  double left = pad + s.tick_length;
  if (d.ytick_label_w > 0) left += d.ytick_label_w + s.tick_pad;
  if (d.ylabel_h > 0) left += d.ylabel_h + s.label_pad;
  double bottom = pad + s.tick_length;
  if (d.xtick_label_h > 0) bottom += d.xtick_label_h + s.tick_pad;
  if (d.xlabel_h > 0) bottom += d.xlabel_h + s.label_pad;
  double top = pad;
  if (d.top_h > 0) top += d.top_h + s.title_pad;
  // The spines are half a line width wide on the outside.
  double right = pad + s.spine_width / 2 + d.right_w;
  top = std::max(top, pad + s.spine_width / 2);

  // Tick labels centred on ticks near the ends can stick out sideways. Each
  // pass grows the margin by what sticks out; a label at fraction f moves
  // by f (or 1 - f) of a margin change, so a few passes converge.
  for (int pass = 0; pass < 6; ++pass) {
    bool changed = false;
    for (const auto& [f, lw] : d.xtick_spans) {
      const double w = std::max(cell.w - left - right, 1.0);
      const double center = cell.x + left + f * w;
      const double over_l = (cell.x + pad) - (center - lw / 2);
      const double over_r = (center + lw / 2) - (cell.right() - pad);
      if (over_l > 1e-6) {
        left += over_l / std::max(1.0 - f, 0.25);
        changed = true;
      }
      if (over_r > 1e-6) {
        right += over_r / std::max(f, 0.25);
        changed = true;
      }
    }
    for (const auto& [f, lh] : d.ytick_spans) {
      const double h = std::max(cell.h - top - bottom, 1.0);
      const double center = cell.y + top + (1.0 - f) * h;
      const double over_t = (cell.y + pad) - (center - lh / 2);
      const double over_b = (center + lh / 2) - (cell.bottom() - pad);
      if (over_t > 1e-6) {
        top += over_t / std::max(f, 0.25);
        changed = true;
      }
      // Below the axis there is always the x tick area; only matters when
      // the x axis has no labels at all.
      if (over_b > 1e-6 && d.xtick_label_h == 0) {
        bottom += over_b / std::max(1.0 - f, 0.25);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return {cell.x + left, cell.y + top, std::max(cell.w - left - right, 1.0),
          std::max(cell.h - top - bottom, 1.0)};
}

double ClampCenter(double want, double length, double lo, double hi) {
  if (length >= hi - lo) return (lo + hi) / 2;
  return std::clamp(want, lo + length / 2, hi - length / 2);
}

LegendGeometry LayoutLegend(const std::vector<double>& label_widths,
                            double text_h, double font_size, int ncols) {
  LegendGeometry g;
  const int n = label_widths.size();
  if (n == 0) return g;
  ncols = std::clamp(ncols, 1, n);
  const int rows = (n + ncols - 1) / ncols;
  const double border = 0.4 * font_size;
  const double spacing = 0.5 * font_size;
  g.row_h = text_h;
  g.handle_len = 2.0 * font_size;
  g.text_dx = g.handle_len + 0.8 * font_size;
  g.entry.resize(n);
  double x = border;
  double widest_col_end = 0.0;
  for (int c = 0; c * rows < n; ++c) {
    double col_w = 0.0;
    for (int r = 0; r < rows && c * rows + r < n; ++r) {
      const int i = c * rows + r;
      g.entry[i] = {x, border + r * (text_h + spacing)};
      col_w = std::max(col_w, g.text_dx + label_widths[i]);
    }
    widest_col_end = x + col_w;
    x += col_w + 2.0 * font_size;
  }
  g.w = widest_col_end + border;
  g.h = 2 * border + rows * text_h + (rows - 1) * spacing;
  return g;
}

Rect LegendRectAt(LegendLoc loc, const Rect& plot, double w, double h,
                  double pad) {
  const double left = plot.x + pad;
  const double right = plot.right() - pad - w;
  const double hcenter = plot.x + (plot.w - w) / 2;
  const double top = plot.y + pad;
  const double bottom = plot.bottom() - pad - h;
  const double vcenter = plot.y + (plot.h - h) / 2;
  switch (loc) {
    case LegendLoc::kUpperLeft:
      return {left, top, w, h};
    case LegendLoc::kLowerLeft:
      return {left, bottom, w, h};
    case LegendLoc::kLowerRight:
      return {right, bottom, w, h};
    case LegendLoc::kCenterRight:
      return {right, vcenter, w, h};
    case LegendLoc::kCenterLeft:
      return {left, vcenter, w, h};
    case LegendLoc::kLowerCenter:
      return {hcenter, bottom, w, h};
    case LegendLoc::kUpperCenter:
      return {hcenter, top, w, h};
    case LegendLoc::kCenter:
      return {hcenter, vcenter, w, h};
    default:
      return {right, top, w, h};
  }
}

double LegendBadness(const Rect& r, const std::vector<Point>& points,
                     const std::vector<Rect>& boxes) {
  double badness = 0.0;
  for (const Point& p : points) badness += r.Contains(p) ? 1.0 : 0.0;
  const double area = std::max(r.w * r.h, 1.0);
  for (const Rect& b : boxes) badness += 50.0 * OverlapArea(r, b) / area;
  return badness;
}

LegendLoc BestLegendLoc(const Rect& plot, double w, double h, double pad,
                        const std::vector<Point>& points,
                        const std::vector<Rect>& boxes, double* badness_out) {
  const LegendLoc kOrder[] = {LegendLoc::kUpperRight,  LegendLoc::kUpperLeft,
                              LegendLoc::kLowerLeft,   LegendLoc::kLowerRight,
                              LegendLoc::kCenterRight, LegendLoc::kCenterLeft,
                              LegendLoc::kCenterRight, LegendLoc::kLowerCenter,
                              LegendLoc::kUpperCenter, LegendLoc::kCenter};
  LegendLoc best = kOrder[0];
  double best_badness = INFINITY;
  for (LegendLoc loc : kOrder) {
    const double badness =
        LegendBadness(LegendRectAt(loc, plot, w, h, pad), points, boxes);
    if (badness < best_badness - 1e-9) {
      best_badness = badness;
      best = loc;
    }
  }
  if (badness_out != nullptr) *badness_out = best_badness;
  return best;
}

std::vector<Rect> LegendCandidates(const Rect& plot, double w, double h,
                                   double pad, double step) {
  std::vector<Rect> out;
  const LegendLoc kOrder[] = {
      LegendLoc::kUpperRight,  LegendLoc::kUpperLeft,   LegendLoc::kLowerLeft,
      LegendLoc::kLowerRight,  LegendLoc::kCenterRight, LegendLoc::kCenterLeft,
      LegendLoc::kLowerCenter, LegendLoc::kUpperCenter, LegendLoc::kCenter};
  for (LegendLoc loc : kOrder)
    out.push_back(LegendRectAt(loc, plot, w, h, pad));
  const double x0 = plot.x + pad, x1 = plot.right() - pad - w;
  const double y0 = plot.y + pad, y1 = plot.bottom() - pad - h;
  if (x1 < x0 || y1 < y0) return out;
  step = std::max(step, 0.5);
  const int nx = static_cast<int>((x1 - x0) / step);
  const int ny = static_cast<int>((y1 - y0) / step);
  // Top and bottom edges, right to left (legends sit right by default).
  for (int i = 0; i <= nx; ++i) out.push_back({x1 - i * step, y0, w, h});
  for (int i = 0; i <= nx; ++i) out.push_back({x1 - i * step, y1, w, h});
  // Right and left edges, top to bottom.
  for (int j = 0; j <= ny; ++j) out.push_back({x1, y0 + j * step, w, h});
  for (int j = 0; j <= ny; ++j) out.push_back({x0, y0 + j * step, w, h});
  // The interior, top rows first.
  for (int j = 1; j < ny; ++j) {
    for (int i = 1; i < nx; ++i)
      out.push_back({x1 - i * step, y0 + j * step, w, h});
  }
  return out;
}

Rect BestLegendRect(const Rect& plot, double w, double h, double pad,
                    double clearance, const std::vector<Point>& points,
                    const std::vector<Rect>& boxes, double* badness_out) {
  Rect best = LegendRectAt(LegendLoc::kUpperRight, plot, w, h, pad);
  double best_badness = INFINITY;
  for (const Rect& r : LegendCandidates(plot, w, h, pad)) {
    const Rect grown{r.x - clearance, r.y - clearance, r.w + 2 * clearance,
                     r.h + 2 * clearance};
    const double badness = LegendBadness(grown, points, boxes);
    if (badness < best_badness - 1e-9) {
      best_badness = badness;
      best = r;
      if (badness <= 0.0) break;
    }
  }
  if (badness_out != nullptr) *badness_out = best_badness;
  return best;
}

}  // namespace multiplex::render
