// Over 800 lines for a stated reason: one job, laying out and drawing a
// figure on cairo, whose layout measurement (text boxes, legend placement,
// the checks of render/inspect.h) and drawing share the same geometry; the
// layout half is the part to move out when it next grows.

#include "render/draw.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "render/layout.h"
#include "render/scale.h"
#include "render/text.h"
#include "render/ticks.h"

namespace multiplex::render {
namespace {

constexpr double kLegendFrameGrey = 0.8;

bool Finite(double v) { return std::isfinite(v); }

double At(const std::vector<double>& v, size_t i, double fallback) {
  return i < v.size() ? v[i] : fallback;
}

// Data to device coordinates for one axes.
struct Mapper {
  Rect r;
  Range x, y;
  double X(double v) const { return r.x + x.Fraction(v) * r.w; }
  // NaN where v has no place (v <= 0 on a log axis).
  double Y(double v) const { return r.bottom() - y.Fraction(v) * r.h; }
  // Y, with a value below a log axis at its bottom edge (fills and bars
  // reach down to the axis).
  double YOrBottom(double v) const {
    const double d = Y(v);
    return std::isfinite(d) ? d : r.bottom();
  }
};

void SetColor(cairo_t* cr, const Color& c, double alpha) {
  cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void SetDash(cairo_t* cr, LineStyle style, double width) {
  // matplotlib's dash patterns, scaled by the line width.
  if (style == LineStyle::kDashed) {
    const double d[] = {3.7 * width, 1.6 * width};
    cairo_set_dash(cr, d, 2, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  } else if (style == LineStyle::kDotted) {
    const double d[] = {1.0 * width, 1.65 * width};
    cairo_set_dash(cr, d, 2, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  } else if (style == LineStyle::kDashDot) {
    const double d[] = {6.4 * width, 1.6 * width, 1.0 * width, 1.6 * width};
    cairo_set_dash(cr, d, 4, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  } else {
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  }
}

std::string Label(const Series& s) {
  return std::visit([](const auto& v) { return v.label; }, s);
}

// A legend entry: the series it samples and its label.
struct Entry {
  const Series* series;
  std::string label;
};

std::vector<Entry> LegendEntries(const Axes& ax) {
  std::vector<Entry> out;
  if (ax.legend.loc == LegendLoc::kNone) return out;
  for (const Series& s : ax.series) {
    std::string label = Label(s);
    const bool shown = std::visit([](const auto& v) { return v.in_legend; }, s);
    if (!shown || label.empty()) continue;
    if (const Line* line = std::get_if<Line>(&s)) label += line->legend_note;
    out.push_back({&s, label});
  }
  return out;
}

double LegendFont(const Axes& ax, const Style& st) {
  return ax.legend.font_size > 0 ? ax.legend.font_size : st.legend_font_size;
}

// Runs of consecutive finite points of a polyline, mapped to device space;
// step lines get their staircase corners.
std::vector<std::vector<Point>> LineRuns(const Line& line, const Mapper& m) {
  std::vector<std::vector<Point>> runs(1);
  const size_t n = std::min(line.x.size(), line.y.size());
  for (size_t i = 0; i < n; ++i) {
    if (!Finite(line.x[i]) || !Finite(line.y[i])) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    Point p{m.X(line.x[i]), m.Y(line.y[i])};
    if (!Finite(p.x) || !Finite(p.y)) {  // e.g. x <= 0 on a log axis
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    if (line.step && !runs.back().empty()) {
      runs.back().push_back({p.x, runs.back().back().y});
    }
    runs.back().push_back(p);
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

// Points every ~3 pt along a polyline, for the legend's "best" search.
void Densify(const std::vector<Point>& run, std::vector<Point>* out) {
  for (size_t i = 0; i < run.size(); ++i) {
    out->push_back(run[i]);
    if (i + 1 == run.size()) break;
    const double dx = run[i + 1].x - run[i].x;
    const double dy = run[i + 1].y - run[i].y;
    const int k = std::min(2000, static_cast<int>(std::hypot(dx, dy) / 3.0));
    for (int j = 1; j < k; ++j) {
      out->push_back({run[i].x + dx * j / k, run[i].y + dy * j / k});
    }
  }
}

void StrokeRuns(cairo_t* cr, const std::vector<std::vector<Point>>& runs) {
  for (const auto& run : runs) {
    if (run.empty()) continue;
    cairo_move_to(cr, run[0].x, run[0].y);
    for (size_t i = 1; i < run.size(); ++i) {
      cairo_line_to(cr, run[i].x, run[i].y);
    }
    if (run.size() == 1) cairo_line_to(cr, run[0].x, run[0].y);
  }
  cairo_stroke(cr);
}

// Filled, or outlined when `hollow` (crosses are always strokes). With
// `drawn`, records the marker there once it is on the canvas.
void DrawMarker(cairo_t* cr, Marker marker, double x, double y, double size,
                bool hollow = false, std::vector<Point>* drawn = nullptr) {
  const double r = size / 2;
  switch (marker) {
    case Marker::kNone:
      return;
    case Marker::kDot:
    case Marker::kCircle:
      cairo_new_sub_path(cr);
      cairo_arc(cr, x, y, r, 0, 2 * M_PI);
      break;
    case Marker::kSquare:
      cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, 1.8 * r, 1.8 * r);
      break;
    case Marker::kTriangle:
      cairo_move_to(cr, x, y - 1.15 * r);
      cairo_line_to(cr, x + 1.05 * r, y + 0.7 * r);
      cairo_line_to(cr, x - 1.05 * r, y + 0.7 * r);
      cairo_close_path(cr);
      break;
    case Marker::kDiamond:
      cairo_move_to(cr, x, y - 1.2 * r);
      cairo_line_to(cr, x + 0.85 * r, y);
      cairo_line_to(cr, x, y + 1.2 * r);
      cairo_line_to(cr, x - 0.85 * r, y);
      cairo_close_path(cr);
      break;
    case Marker::kCross:
      cairo_move_to(cr, x - r, y - r);
      cairo_line_to(cr, x + r, y + r);
      cairo_move_to(cr, x - r, y + r);
      cairo_line_to(cr, x + r, y - r);
      hollow = true;
      break;
  }
  if (hollow) {
    cairo_save(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    cairo_set_line_width(cr, std::max(0.8, size / 5));
    cairo_stroke(cr);
    cairo_restore(cr);
  } else {
    cairo_fill(cr);
  }
  if (drawn != nullptr) drawn->push_back({x, y});
}

double MarkerSize(const Line& line, const Style& st) {
  if (line.marker_size > 0) return line.marker_size;
  return line.marker == Marker::kDot ? st.marker_size : st.marker_size * 1.5;
}

double LineWidth(const Line& line, const Style& st) {
  return line.line_width > 0 ? line.line_width : st.line_width;
}

// With `drawn`, records the centre of every marker drawn.
void DrawLine(cairo_t* cr, const Line& line, const Mapper& m, const Style& st,
              std::vector<Point>* drawn = nullptr) {
  const double lw = LineWidth(line, st);
  const auto runs = LineRuns(line, m);
  SetColor(cr, line.color, line.alpha);
  cairo_set_line_width(cr, lw);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  SetDash(cr, line.style, lw);
  StrokeRuns(cr, runs);
  if (line.marker == Marker::kNone) return;
  const double size = MarkerSize(line, st);
  const size_t n = std::min(line.x.size(), line.y.size());
  for (size_t i = 0; i < n; ++i) {
    if (!Finite(line.x[i]) || !Finite(line.y[i])) continue;
    const double x = m.X(line.x[i]), y = m.Y(line.y[i]);
    if (!Finite(x) || !Finite(y)) continue;  // <= 0 on a log axis
    DrawMarker(cr, line.marker, x, y, size, line.hollow_markers, drawn);
  }
}

void DrawArea(cairo_t* cr, const Area& area, const Mapper& m) {
  SetColor(cr, area.color, area.alpha);
  const size_t n = std::min(area.x.size(), area.y.size());
  size_t i = 0;
  while (i < n) {
    // One polygon per run of finite points.
    std::vector<size_t> run;
    for (; i < n; ++i) {
      const double base = At(area.y0, i, area.baseline);
      if (!Finite(area.x[i]) || !Finite(area.y[i]) || !Finite(base)) break;
      run.push_back(i);
    }
    ++i;
    if (run.size() < 2) continue;
    cairo_move_to(cr, m.X(area.x[run[0]]), m.YOrBottom(area.y[run[0]]));
    for (size_t k : run) {
      cairo_line_to(cr, m.X(area.x[k]), m.YOrBottom(area.y[k]));
    }
    for (auto it = run.rbegin(); it != run.rend(); ++it) {
      cairo_line_to(cr, m.X(area.x[*it]),
                    m.YOrBottom(At(area.y0, *it, area.baseline)));
    }
    cairo_close_path(cr);
    cairo_fill(cr);
  }
}

std::vector<Rect> BarRects(const Bars& bars, const Mapper& m) {
  std::vector<Rect> out;
  const size_t n = std::min(bars.x.size(), bars.height.size());
  for (size_t i = 0; i < n; ++i) {
    const double bottom = At(bars.bottom, i, 0.0);
    if (!Finite(bars.x[i]) || !Finite(bars.height[i]) || !Finite(bottom)) {
      continue;
    }
    const double x0 = m.X(bars.x[i] - bars.width / 2);
    const double x1 = m.X(bars.x[i] + bars.width / 2);
    const double y0 = m.YOrBottom(bottom);
    const double y1 = m.YOrBottom(bottom + bars.height[i]);
    out.push_back({std::min(x0, x1), std::min(y0, y1), std::fabs(x1 - x0),
                   std::fabs(y1 - y0)});
  }
  return out;
}

void DrawBars(cairo_t* cr, const Bars& bars, const Mapper& m) {
  SetColor(cr, bars.color, bars.alpha);
  for (const Rect& r : BarRects(bars, m)) {
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
  }
  cairo_fill(cr);
}

void DrawRefLine(cairo_t* cr, const RefLine& ref, const Mapper& m) {
  if (!Finite(ref.value) || (ref.vertical && !Finite(m.X(ref.value))) ||
      (!ref.vertical && !Finite(m.Y(ref.value)))) {
    return;
  }
  SetColor(cr, ref.color, ref.alpha);
  cairo_set_line_width(cr, ref.line_width);
  SetDash(cr, ref.style, ref.line_width);
  if (ref.vertical) {
    const double x = m.X(ref.value);
    cairo_move_to(cr, x, m.r.y);
    cairo_line_to(cr, x, m.r.bottom());
  } else {
    const double y = m.Y(ref.value);
    cairo_move_to(cr, m.r.x, y);
    cairo_line_to(cr, m.r.right(), y);
  }
  cairo_stroke(cr);
}

// Everything the legend "best" search should avoid, in device space.
void DataFootprint(const Axes& ax, const Mapper& m, std::vector<Point>* pts,
                   std::vector<Rect>* boxes) {
  for (const Series& s : ax.series) {
    if (const Line* line = std::get_if<Line>(&s)) {
      for (const auto& run : LineRuns(*line, m)) Densify(run, pts);
    } else if (const Area* area = std::get_if<Area>(&s)) {
      Line top;
      top.x = area->x;
      top.y = area->y;
      for (const auto& run : LineRuns(top, m)) Densify(run, pts);
    } else if (const RefLine* ref = std::get_if<RefLine>(&s)) {
      if (!Finite(ref->value)) continue;
      if (ref->vertical && !Finite(m.X(ref->value))) continue;
      if (!ref->vertical && !Finite(m.Y(ref->value))) continue;
      if (ref->vertical) {
        Densify({{m.X(ref->value), m.r.y}, {m.X(ref->value), m.r.bottom()}},
                pts);
      } else {
        Densify({{m.r.x, m.Y(ref->value)}, {m.r.right(), m.Y(ref->value)}},
                pts);
      }
    } else if (const Bars* bars = std::get_if<Bars>(&s)) {
      for (const Rect& r : BarRects(*bars, m)) boxes->push_back(r);
    }
  }
}

void DrawLegendHandle(cairo_t* cr, const Series& s, double x, double yc,
                      double len, double font, const Style& st) {
  if (const Line* line = std::get_if<Line>(&s)) {
    const double lw = LineWidth(*line, st);
    SetColor(cr, line->color, line->alpha);
    cairo_set_line_width(cr, lw);
    SetDash(cr, line->style, lw);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_move_to(cr, x, yc);
    cairo_line_to(cr, x + len, yc);
    cairo_stroke(cr);
    DrawMarker(cr, line->marker, x + len / 2, yc, MarkerSize(*line, st),
               line->hollow_markers);
  } else if (const RefLine* ref = std::get_if<RefLine>(&s)) {
    SetColor(cr, ref->color, ref->alpha);
    cairo_set_line_width(cr, ref->line_width);
    SetDash(cr, ref->style, ref->line_width);
    cairo_move_to(cr, x, yc);
    cairo_line_to(cr, x + len, yc);
    cairo_stroke(cr);
  } else {
    // Patches: a 2.0 x 0.7 font-size box, like matplotlib.
    const double h = 0.7 * font;
    if (const Area* area = std::get_if<Area>(&s)) {
      SetColor(cr, area->color, area->alpha);
    } else {
      const Bars& bars = std::get<Bars>(s);
      SetColor(cr, bars.color, bars.alpha);
    }
    cairo_rectangle(cr, x, yc - h / 2, len, h);
    cairo_fill(cr);
  }
}

void RoundedRect(cairo_t* cr, const Rect& r, double radius) {
  radius = std::min({radius, r.w / 2, r.h / 2});
  cairo_new_sub_path(cr);
  cairo_arc(cr, r.right() - radius, r.y + radius, radius, -M_PI / 2, 0);
  cairo_arc(cr, r.right() - radius, r.bottom() - radius, radius, 0, M_PI / 2);
  cairo_arc(cr, r.x + radius, r.bottom() - radius, radius, M_PI / 2, M_PI);
  cairo_arc(cr, r.x + radius, r.y + radius, radius, M_PI, 1.5 * M_PI);
  cairo_close_path(cr);
}

// Everything needed to draw one axes once its layout is settled.
struct AxesLayout {
  Rect cell;
  Rect plot;
  AxesPlan plan;
  Decorations decor;
  std::vector<Entry> entries;
  LegendGeometry legend;
  // Font sizes after shrinking text that would not fit the cell.
  double legend_font = 0.0;
  double xlabel_font = 0.0;
  double ylabel_font = 0.0;
  double title_font = 0.0;
  double title_h = 0.0;
  bool legend_above = false;   // kAbove, or no free place inside
  bool legend_right = false;   // outside, right of the plot
  bool legend_placed = false;  // legend_box holds a place inside the plot
  Rect legend_box;             // inside the plot, when legend_placed
  std::vector<std::string> warnings;
};

void DrawLegend(cairo_t* cr, TextPainter& text, const AxesLayout& l,
                const Axes& ax, const Rect& box, const Style& st,
                AxesReport* report) {
  const double font = l.legend_font;
  const LegendGeometry& g = l.legend;
  if (ax.legend.frame) {
    RoundedRect(cr, box, 0.2 * font);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, kLegendFrameGrey, kLegendFrameGrey,
                         kLegendFrameGrey);
    cairo_set_line_width(cr, 0.8);
    SetDash(cr, LineStyle::kSolid, 1);
    cairo_stroke(cr);
  }
  const TextSize ts = text.Measure("0", font);
  for (size_t i = 0; i < l.entries.size(); ++i) {
    const double x = box.x + g.entry[i].x;
    const double top = box.y + g.entry[i].y;
    const double yc = top + ts.cap / 2 + (g.row_h - ts.h) / 2;
    DrawLegendHandle(cr, *l.entries[i].series, x, yc, g.handle_len, font, st);
    text.Draw(l.entries[i].label, font, x + g.text_dx, yc, HAlign::kLeft,
              VAlign::kCenter, Black());
    if (report != nullptr) {
      const double w = text.Measure(l.entries[i].label, font).w;
      report->texts.push_back(
          {l.entries[i].label, {x + g.text_dx, yc - ts.cap / 2, w, ts.h}});
    }
  }
}

Decorations Measure(TextPainter& text, const Axes& ax, const AxesPlan& plan,
                    const Style& st, const AxesLayout& l) {
  Decorations d;
  for (size_t i = 0; i < plan.xticks.values.size(); ++i) {
    const TextSize ts = text.Measure(plan.xticks.labels[i], st.tick_font_size);
    d.xtick_label_h = std::max(d.xtick_label_h, ts.h);
    d.xtick_spans.push_back({plan.x.Fraction(plan.xticks.values[i]), ts.w});
  }
  for (size_t i = 0; i < plan.yticks.values.size(); ++i) {
    const TextSize ts = text.Measure(plan.yticks.labels[i], st.tick_font_size);
    d.ytick_label_w = std::max(d.ytick_label_w, ts.w);
    d.ytick_spans.push_back({plan.y.Fraction(plan.yticks.values[i]), ts.h});
  }
  if (!ax.xlabel.empty()) {
    d.xlabel_h = text.Measure(ax.xlabel, l.xlabel_font).h;
  }
  if (!ax.ylabel.empty()) {
    d.ylabel_h = text.Measure(ax.ylabel, l.ylabel_font).h;
  }
  d.top_h = l.title_h;
  if (l.legend_above && !l.entries.empty()) {
    d.top_h += l.legend.h + (l.title_h > 0 ? st.title_pad : 0.0);
  }
  if (l.legend_right && !l.entries.empty()) {
    d.right_w = l.legend.w + 0.5 * l.legend_font;
  }
  return d;
}

LegendGeometry MeasureLegend(TextPainter& text, double font,
                             const std::vector<Entry>& entries, int ncols) {
  std::vector<double> widths;
  for (const Entry& e : entries)
    widths.push_back(text.Measure(e.label, font).w);
  return LayoutLegend(widths, text.Measure("0", font).h, font,
                      std::max(ncols, 1));
}

// Ticks depend on the plot size and the plot size on the tick labels:
// iterate until the ticks stop changing. With `y` the y range is fixed. The
// plan kept is always the one the decorations were measured for, so no tick
// label is drawn wider than the room made for it.
void FitPlot(TextPainter& text, const Axes& ax, const Style& st, const Range* y,
             AxesLayout* l) {
  auto plan_for = [&](double w, double h) {
    return y != nullptr ? PlanAxesWithY(ax, st, w, h, *y)
                        : PlanAxes(ax, st, w, h);
  };
  AxesPlan plan = plan_for(l->cell.w * 0.75, l->cell.h * 0.7);
  for (int iter = 0; iter < 6; ++iter) {
    l->plan = plan;
    l->decor = Measure(text, ax, plan, st, *l);
    l->plot = TightPlotRect(l->cell, l->decor, st);
    plan = plan_for(l->plot.w, l->plot.h);
    if (plan.xticks == l->plan.xticks && plan.yticks == l->plan.yticks) break;
  }
}

// The least free space a legend inside the plot keeps from the data.
double LegendClearance(const AxesLayout& l, const Style& st) {
  return 0.6 * l.legend_font + st.marker_size / 2;
}

std::vector<Point> FootprintPoints(const Axes& ax, const AxesLayout& l,
                                   std::vector<Rect>* boxes) {
  const Mapper m{l.plot, l.plan.x, l.plan.y};
  std::vector<Point> pts;
  DataFootprint(ax, m, &pts, boxes);
  return pts;
}

// The best place inside the plot; returns how much data it covers.
double PlaceInside(const Axes& ax, const Style& st, AxesLayout* l) {
  const double inset = 0.5 * l->legend_font;
  if (l->legend.w > l->plot.w - 2 * inset ||
      l->legend.h > l->plot.h - 2 * inset) {
    l->legend_placed = false;
    return std::numeric_limits<double>::infinity();  // does not fit
  }
  std::vector<Rect> boxes;
  const std::vector<Point> pts = FootprintPoints(ax, *l, &boxes);
  double badness = 0.0;
  l->legend_box =
      BestLegendRect(l->plot, l->legend.w, l->legend.h, 0.5 * l->legend_font,
                     LegendClearance(*l, st), pts, boxes, &badness);
  l->legend_placed = true;
  return badness;
}

// Outside the plot, where it covers nothing: above the axes in as many
// columns as fit the cell (balanced rows) when that takes at most 35% of the
// cell's height, else right of the plot when it takes at most 45% of the
// cell's width; failing both, the same with a smaller font, down to 4.5 pt,
// and at last above whatever it takes.
void PlaceOutside(TextPainter& text, const Axes& ax, const Style& st,
                  AxesLayout* l) {
  l->legend_placed = false;
  const double avail = l->cell.w - 2 * st.figure_pad;
  const int n = static_cast<int>(l->entries.size());
  for (double font = l->legend_font;; font *= 0.85) {
    const bool last = font * 0.85 < 4.5;
    int ncols = 1;
    for (int c = n; c >= 1; --c) {
      if (MeasureLegend(text, font, l->entries, c).w <= avail) {
        ncols = c;
        break;
      }
    }
    const int rows = (n + ncols - 1) / ncols;
    while (ncols > 1 && (n + ncols - 2) / (ncols - 1) == rows) --ncols;
    const LegendGeometry above = MeasureLegend(text, font, l->entries, ncols);
    const LegendGeometry right = MeasureLegend(text, font, l->entries, 1);
    l->legend_font = font;
    if (above.h <= 0.35 * l->cell.h && above.w <= avail) {
      l->legend = above;
      l->legend_above = true;
      break;
    }
    if (right.w <= 0.45 * l->cell.w && right.h <= l->cell.h * 0.9) {
      l->legend = right;
      l->legend_right = true;
      break;
    }
    if (last) {
      // Above whatever height it takes; narrowed to the cell's width (long
      // labels in one column) by a smaller font still.
      l->legend = above;
      l->legend_above = true;
      for (int k = 0; k < 20 && l->legend.w > avail; ++k) {
        l->legend_font *= std::max(0.5, avail / l->legend.w * 0.999);
        l->legend = MeasureLegend(text, l->legend_font, l->entries, ncols);
      }
      break;
    }
  }
  FitPlot(text, ax, st, nullptr, l);
}

// Places a legend that should not cover data (kBest, or a fixed location
// that turned out to cover some): anywhere inside the plot (corners, edges,
// interior; reference lines, markers and bars count as data); failing that,
// with automatic y limits and make_room, raises the top of the y range by
// the least step (5% of the range at a time, up to 60%, never past
// Axes::ybound) that frees a place; failing that, outside (PlaceOutside).
void PlaceFreeLegend(TextPainter& text, const Axes& ax, const Style& st,
                     AxesLayout* l) {
  if (PlaceInside(ax, st, l) <= 0.0) return;
  if (!ax.ylim && ax.legend.make_room) {
    const Range y0 = l->plan.y;
    for (int k = 1; k <= 12; ++k) {
      AxesLayout c = *l;
      Range y = y0;  // a log axis is raised by decades
      y.hi = y0.log ? std::pow(10.0, std::log10(y0.hi) +
                                         0.05 * k * std::log10(y0.hi / y0.lo))
                    : y0.hi + 0.05 * k * (y0.hi - y0.lo);
      if (ax.ybound && y.hi > ax.ybound->hi + 1e-9) break;
      FitPlot(text, ax, st, &y, &c);
      if (PlaceInside(ax, st, &c) <= 0.0) {
        *l = c;
        return;
      }
    }
  }
  PlaceOutside(text, ax, st, l);
}

const char* LocName(LegendLoc loc) {
  switch (loc) {
    case LegendLoc::kUpperRight:
      return "upper right";
    case LegendLoc::kUpperLeft:
      return "upper left";
    case LegendLoc::kLowerLeft:
      return "lower left";
    case LegendLoc::kLowerRight:
      return "lower right";
    case LegendLoc::kCenterRight:
      return "center right";
    case LegendLoc::kCenterLeft:
      return "center left";
    case LegendLoc::kLowerCenter:
      return "lower center";
    case LegendLoc::kUpperCenter:
      return "upper center";
    case LegendLoc::kCenter:
      return "center";
    default:
      return "?";
  }
}

// The largest font size, at most `size`, at which `s` is at most `room`
// points long.
double FittingFont(TextPainter& text, const std::string& s, double size,
                   double room) {
  if (s.empty()) return size;
  const double w = text.Measure(s, size).w;
  return w <= room ? size : size * room / w * 0.999;
}

// What a log y axis leaves out: lines' points at or below 0, and a fixed
// lower limit at or below 0.
std::vector<std::string> LogYWarnings(const Axes& ax) {
  std::vector<std::string> out;
  if (!ax.ylog) return out;
  for (const Series& s : ax.series) {
    const Line* line = std::get_if<Line>(&s);
    if (line == nullptr) continue;
    int left_out = 0;
    const size_t n = std::min(line->x.size(), line->y.size());
    for (size_t i = 0; i < n; ++i) {
      if (Finite(line->x[i]) && Finite(line->y[i]) && line->y[i] <= 0) {
        ++left_out;
      }
    }
    if (left_out > 0) {
      out.push_back("'" + line->label + "': " + std::to_string(left_out) +
                    " point(s) at or below 0 left out of the log y axis");
    }
  }
  if (ax.ylim && ax.ylim->lo <= 0) {
    out.push_back("the y limit's low end (" + FormatNumber(ax.ylim->lo) +
                  ") is not positive: the log y axis starts at its automatic "
                  "low end");
  }
  return out;
}

AxesLayout LayOut(TextPainter& text, const Axes& ax, const Style& st,
                  const Rect& cell, bool own_legend = true) {
  AxesLayout l;
  l.cell = cell;
  l.warnings = LogYWarnings(ax);
  if (own_legend) l.entries = LegendEntries(ax);
  l.legend_above = ax.legend.loc == LegendLoc::kAbove;
  l.legend_font = LegendFont(ax, st);
  const double room_w = cell.w - 2 * st.figure_pad;
  const double room_h = cell.h - 2 * st.figure_pad;
  l.xlabel_font = FittingFont(text, ax.xlabel, st.label_font_size, room_w);
  l.ylabel_font = FittingFont(text, ax.ylabel, st.label_font_size, room_h);
  l.title_font = FittingFont(text, ax.title, st.title_font_size, room_w);
  if (!l.entries.empty()) {
    l.legend = MeasureLegend(text, l.legend_font, l.entries, ax.legend.ncols);
    if (l.legend_above && l.legend.w > room_w) {
      PlaceOutside(text, ax, st, &l);  // fewer columns, or a smaller font
    }
  }
  if (!ax.title.empty()) l.title_h = text.Measure(ax.title, l.title_font).h;
  FitPlot(text, ax, st, nullptr, &l);
  if (l.entries.empty() || ax.legend.loc == LegendLoc::kAbove) return l;
  if (ax.legend.loc == LegendLoc::kBest) {
    PlaceFreeLegend(text, ax, st, &l);
    return l;
  }
  // A fixed location inside the plot: kept unless it covers data.
  l.legend_box = LegendRectAt(ax.legend.loc, l.plot, l.legend.w, l.legend.h,
                              0.5 * l.legend_font);
  l.legend_placed = true;
  std::vector<Rect> boxes;
  const std::vector<Point> pts = FootprintPoints(ax, l, &boxes);
  const double inset = 0.5 * l.legend_font;
  const bool fits =
      l.legend.w <= l.plot.w - 2 * inset && l.legend.h <= l.plot.h - 2 * inset;
  if (!fits || LegendBadness(l.legend_box, pts, boxes) > 0.0) {
    l.warnings.push_back(std::string("legend at ") + LocName(ax.legend.loc) +
                         (fits ? " would cover data" : " does not fit") +
                         "; placed where it covers none");
    PlaceFreeLegend(text, ax, st, &l);
  }
  return l;
}

// Draws `s` and records its ink box in the report.
void DrawText(TextPainter& text, AxesReport* report, const std::string& s,
              double size, double x, double y, HAlign h, VAlign v,
              bool vertical = false) {
  text.Draw(s, size, x, y, h, v, Black(), vertical);
  if (report == nullptr || s.empty()) return;
  const TextSize m = text.Measure(s, size);
  double along = 0.0;  // start along the text direction, from the anchor
  if (h == HAlign::kCenter) along = -m.w / 2;
  if (h == HAlign::kRight) along = -m.w;
  double top = 0.0;  // top of the box, across the text, from the anchor
  if (v == VAlign::kCenter) top = -m.cap / 2;
  if (v == VAlign::kBaseline) top = -m.cap;
  if (v == VAlign::kBottom) top = -m.h;
  Rect box = vertical ? Rect{x + top, y - along - m.w, m.h, m.w}
                      : Rect{x + along, y + top, m.w, m.h};
  report->texts.push_back({s, box});
}

void DrawAxes(cairo_t* cr, TextPainter& text, const Axes& ax, const Style& st,
              const AxesLayout& l, AxesReport* report) {
  const Rect& p = l.plot;
  const Mapper m{p, l.plan.x, l.plan.y};

  // Grid, under the data.
  cairo_save(cr);
  cairo_set_line_width(cr, st.grid_width);
  SetDash(cr, LineStyle::kSolid, 1);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  SetColor(cr, st.grid_color, st.grid_alpha);
  if (ax.grid == GridMode::kBoth || ax.grid == GridMode::kX) {
    for (double v : l.plan.xticks.values) {
      cairo_move_to(cr, m.X(v), p.y);
      cairo_line_to(cr, m.X(v), p.bottom());
    }
  }
  if (ax.grid == GridMode::kBoth || ax.grid == GridMode::kY) {
    for (double v : l.plan.yticks.values) {
      cairo_move_to(cr, p.x, m.Y(v));
      cairo_line_to(cr, p.right(), m.Y(v));
    }
  }
  cairo_stroke(cr);
  cairo_restore(cr);

  // Data: patches first, then lines (matplotlib's z-order), clipped. A
  // bounded axis keeps markers that sit on its bound whole.
  cairo_save(cr);
  const double spill = ax.ybound ? st.marker_size * 1.5 : 0.0;
  cairo_rectangle(cr, p.x - spill, p.y - spill, p.w + 2 * spill,
                  p.h + 2 * spill);
  cairo_clip(cr);
  for (const Series& s : ax.series) {
    if (const Area* area = std::get_if<Area>(&s)) DrawArea(cr, *area, m);
    if (const Bars* bars = std::get_if<Bars>(&s)) DrawBars(cr, *bars, m);
  }
  for (size_t i = 0; i < ax.series.size(); ++i) {
    const Series& s = ax.series[i];
    if (const Line* line = std::get_if<Line>(&s)) {
      std::vector<Point> drawn;
      DrawLine(cr, *line, m, st, &drawn);
      if (report != nullptr) {
        for (const Point& at : drawn) {
          report->markers.push_back({static_cast<int>(i), at});
        }
      }
    }
    if (const RefLine* ref = std::get_if<RefLine>(&s)) {
      DrawRefLine(cr, *ref, m);
    }
  }
  cairo_restore(cr);

  // Frame and outward ticks.
  cairo_save(cr);
  SetDash(cr, LineStyle::kSolid, 1);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, st.spine_width);
  cairo_rectangle(cr, p.x, p.y, p.w, p.h);
  cairo_stroke(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  for (double v : l.plan.xticks.values) {
    cairo_move_to(cr, m.X(v), p.bottom());
    cairo_line_to(cr, m.X(v), p.bottom() + st.tick_length);
  }
  for (double v : l.plan.yticks.values) {
    cairo_move_to(cr, p.x, m.Y(v));
    cairo_line_to(cr, p.x - st.tick_length, m.Y(v));
  }
  cairo_stroke(cr);
  cairo_restore(cr);

  // Tick labels.
  const double xtick_y = p.bottom() + st.tick_length + st.tick_pad;
  for (size_t i = 0; i < l.plan.xticks.values.size(); ++i) {
    DrawText(text, report, l.plan.xticks.labels[i], st.tick_font_size,
             m.X(l.plan.xticks.values[i]), xtick_y, HAlign::kCenter,
             VAlign::kTop);
  }
  const double ytick_x = p.x - st.tick_length - st.tick_pad;
  for (size_t i = 0; i < l.plan.yticks.values.size(); ++i) {
    DrawText(text, report, l.plan.yticks.labels[i], st.tick_font_size, ytick_x,
             m.Y(l.plan.yticks.values[i]), HAlign::kRight, VAlign::kCenter);
  }

  // Axis labels and title, centred on the plot but kept inside the cell.
  const double pad = st.figure_pad;
  const Rect& c = l.cell;
  if (!ax.xlabel.empty()) {
    const double w = text.Measure(ax.xlabel, l.xlabel_font).w;
    double y = xtick_y - st.tick_pad + st.label_pad;
    if (l.decor.xtick_label_h > 0) y += st.tick_pad + l.decor.xtick_label_h;
    DrawText(text, report, ax.xlabel, l.xlabel_font,
             ClampCenter(p.x + p.w / 2, w, c.x + pad, c.right() - pad), y,
             HAlign::kCenter, VAlign::kTop);
  }
  if (!ax.ylabel.empty()) {
    const double w = text.Measure(ax.ylabel, l.ylabel_font).w;
    double x = ytick_x + st.tick_pad - st.label_pad;
    if (l.decor.ytick_label_w > 0) x -= st.tick_pad + l.decor.ytick_label_w;
    DrawText(text, report, ax.ylabel, l.ylabel_font, x,
             ClampCenter(p.y + p.h / 2, w, c.y + pad, c.bottom() - pad),
             HAlign::kCenter, VAlign::kBottom, /*vertical=*/true);
  }
  double top = p.y - st.title_pad;  // bottom of the next block up
  if (!ax.title.empty()) {
    const double w = text.Measure(ax.title, l.title_font).w;
    DrawText(text, report, ax.title, l.title_font,
             ClampCenter(p.x + p.w / 2, w, c.x + pad, c.right() - pad), top,
             HAlign::kCenter, VAlign::kBottom);
    top -= l.title_h + st.title_pad;
  }

  if (report != nullptr) {
    report->cell = c;
    report->plot = p;
    report->y_lo = l.plan.y.lo;
    report->y_hi = l.plan.y.hi;
    report->warnings = l.warnings;
    std::vector<Rect> boxes;
    for (const Point& q : FootprintPoints(ax, l, &boxes)) {
      if (p.Contains(q)) report->data.push_back(q);
    }
  }

  // Legend.
  if (l.entries.empty()) return;
  const LegendGeometry& g = l.legend;
  Rect box;
  if (l.legend_above) {
    const double cx =
        ClampCenter(p.x + p.w / 2, g.w, c.x + pad, c.right() - pad);
    box = {cx - g.w / 2, top - g.h, g.w, g.h};
  } else if (l.legend_right) {
    box = {p.right() + 0.5 * l.legend_font,
           std::max(c.y + pad, p.y + p.h / 2 - g.h / 2), g.w, g.h};
  } else if (l.legend_placed) {
    box = l.legend_box;
  } else {
    box = LegendRectAt(ax.legend.loc, p, g.w, g.h, 0.5 * l.legend_font);
  }
  DrawLegend(cr, text, l, ax, box, st, report);
  if (report != nullptr) {
    report->has_legend = true;
    report->legend = box;
  }
}

// The shared legend of a figure (Figure::shared_legend): its entries, each
// label once, and where it goes.
struct SharedLegend {
  AxesLayout l;  // entries, legend geometry and font; cell: the figure
  Rect box;
  double band_h = 0.0;  // height taken from the top of the figure
};

SharedLegend LayOutSharedLegend(TextPainter& text, const Figure& fig) {
  SharedLegend out;
  const Style& st = fig.style;
  std::vector<std::string> seen;
  for (int i = 0; i < fig.rows() * fig.cols(); ++i) {
    const Axes& ax = fig.axes(i / fig.cols(), i % fig.cols());
    for (const Entry& e : LegendEntries(ax)) {
      if (std::find(seen.begin(), seen.end(), e.label) != seen.end()) continue;
      seen.push_back(e.label);
      out.l.entries.push_back(e);
    }
  }
  if (out.l.entries.empty()) return out;
  const double w = fig.width_in() * 72.0;
  out.l.cell = {0, 0, w, fig.height_in() * 72.0};
  out.l.legend_font = LegendFont(fig.axes(), st);
  const double avail = w - 2 * st.figure_pad;
  const int n = static_cast<int>(out.l.entries.size());
  int ncols = 1;
  for (;;) {
    for (int c = n; c >= 1; --c) {
      out.l.legend = MeasureLegend(text, out.l.legend_font, out.l.entries, c);
      ncols = c;
      if (out.l.legend.w <= avail) break;
    }
    if (out.l.legend.w <= avail || out.l.legend_font < 3) break;
    out.l.legend_font *= 0.9;
  }
  const int rows = (n + ncols - 1) / ncols;
  while (ncols > 1 && (n + ncols - 2) / (ncols - 1) == rows) --ncols;
  out.l.legend = MeasureLegend(text, out.l.legend_font, out.l.entries, ncols);
  const LegendGeometry& g = out.l.legend;
  out.box = {
      ClampCenter(w / 2, g.w, st.figure_pad, w - st.figure_pad) - g.w / 2,
      st.figure_pad, g.w, g.h};
  out.band_h = g.h + st.figure_pad;
  return out;
}

std::vector<AxesLayout> LayOutFigure(cairo_t* cr, const Figure& fig,
                                     SharedLegend* shared = nullptr) {
  TextPainter text(cr, fig.style.font_family);
  SharedLegend legend;
  if (fig.shared_legend) legend = LayOutSharedLegend(text, fig);
  std::vector<Rect> cells =
      GridCells(fig.width_in() * 72.0, fig.height_in() * 72.0 - legend.band_h,
                fig.rows(), fig.cols());
  for (Rect& c : cells) c.y += legend.band_h;
  std::vector<AxesLayout> out;
  for (int r = 0; r < fig.rows(); ++r) {
    for (int c = 0; c < fig.cols(); ++c) {
      out.push_back(LayOut(text, fig.axes(r, c), fig.style,
                           cells[r * fig.cols() + c], !fig.shared_legend));
    }
  }
  if (shared != nullptr) *shared = std::move(legend);
  return out;
}

}  // namespace

void DrawFigure(cairo_t* cr, const Figure& fig,
                std::vector<AxesReport>* report) {
  cairo_save(cr);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_restore(cr);
  TextPainter text(cr, fig.style.font_family);
  SharedLegend shared;
  const std::vector<AxesLayout> layouts = LayOutFigure(cr, fig, &shared);
  if (report != nullptr) report->assign(layouts.size(), AxesReport());
  for (int r = 0; r < fig.rows(); ++r) {
    const int i0 = r * fig.cols();
    for (int c = 0; c < fig.cols(); ++c) {
      DrawAxes(cr, text, fig.axes(r, c), fig.style, layouts[i0 + c],
               report != nullptr ? &(*report)[i0 + c] : nullptr);
    }
  }
  if (!shared.l.entries.empty()) {
    // Reported with the first axes (it lies above every plot).
    AxesReport* first = report != nullptr ? &(*report)[0] : nullptr;
    DrawLegend(cr, text, shared.l, fig.axes(), shared.box, fig.style, first);
    if (first != nullptr) {
      first->has_legend = true;
      first->legend = shared.box;
    }
  }
}

std::vector<Rect> PlotRects(const Figure& fig) {
  cairo_surface_t* surface =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
  cairo_t* cr = cairo_create(surface);
  std::vector<Rect> out;
  for (const AxesLayout& l : LayOutFigure(cr, fig)) out.push_back(l.plot);
  cairo_destroy(cr);
  cairo_surface_destroy(surface);
  return out;
}

}  // namespace multiplex::render
