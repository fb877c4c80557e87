#include "render/layout.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "render/chart.h"
#include "render/scale.h"

namespace multiplex::render {
namespace {

TEST(GridCellsTest, RowMajorEqualCells) {
  const std::vector<Rect> cells = GridCells(200, 100, 2, 2);
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_DOUBLE_EQ(cells[1].x, 100);
  EXPECT_DOUBLE_EQ(cells[1].y, 0);
  EXPECT_DOUBLE_EQ(cells[2].x, 0);
  EXPECT_DOUBLE_EQ(cells[2].y, 50);
  EXPECT_DOUBLE_EQ(cells[3].w, 100);
  EXPECT_DOUBLE_EQ(cells[3].h, 50);
}

TEST(TightPlotRectTest, MarginsAddUpFromMeasuredText) {
  Style s;
  Decorations d;
  d.ytick_label_w = 20;
  d.xtick_label_h = 9;
  d.xlabel_h = 10;
  d.ylabel_h = 10;
  const Rect cell{0, 0, 216, 144};
  const Rect r = TightPlotRect(cell, d, s);
  EXPECT_DOUBLE_EQ(
      r.x, s.figure_pad + 10 + s.label_pad + 20 + s.tick_pad + s.tick_length);
  EXPECT_DOUBLE_EQ(
      cell.bottom() - r.bottom(),
      s.figure_pad + 10 + s.label_pad + 9 + s.tick_pad + s.tick_length);
  EXPECT_DOUBLE_EQ(r.y, s.figure_pad + s.spine_width / 2);
  EXPECT_NEAR(cell.right() - r.right(), s.figure_pad + s.spine_width / 2, 1e-9);
}

TEST(TightPlotRectTest, EndTickLabelsStayInsideTheCell) {
  Style s;
  Decorations d;
  d.xtick_label_h = 9;
  // A wide label centred on the right end of the axis, one at the left.
  d.xtick_spans = {{0.0, 40.0}, {1.0, 40.0}};
  // The top y label sticks up by half its height.
  d.ytick_spans = {{1.0, 12.0}};
  const Rect cell{10, 20, 216, 144};
  const Rect r = TightPlotRect(cell, d, s);
  EXPECT_GE(r.x - 20.0, cell.x + s.figure_pad - 1e-6);
  EXPECT_LE(r.right() + 20.0, cell.right() - s.figure_pad + 1e-6);
  EXPECT_GE(r.y - 6.0, cell.y + s.figure_pad - 1e-6);
  // ... and tightly: no more than a hair of slack on the right.
  EXPECT_NEAR(r.right() + 20.0, cell.right() - s.figure_pad, 0.5);
}

TEST(TightPlotRectTest, TitleAndLegendAboveTakeTopSpace) {
  Style s;
  Decorations d;
  d.top_h = 30;
  const Rect r = TightPlotRect({0, 0, 216, 144}, d, s);
  EXPECT_DOUBLE_EQ(r.y, s.figure_pad + 30 + s.title_pad);
}

TEST(TightPlotRectTest, TinyCellNeverNegative) {
  Style s;
  Decorations d;
  d.ytick_label_w = 500;
  d.xlabel_h = 500;
  const Rect r = TightPlotRect({0, 0, 50, 50}, d, s);
  EXPECT_GE(r.w, 1.0);
  EXPECT_GE(r.h, 1.0);
}

TEST(ClampCenterTest, KeepsSpanInside) {
  EXPECT_DOUBLE_EQ(ClampCenter(50, 20, 0, 100), 50);
  EXPECT_DOUBLE_EQ(ClampCenter(5, 20, 0, 100), 10);
  EXPECT_DOUBLE_EQ(ClampCenter(99, 20, 0, 100), 90);
  EXPECT_DOUBLE_EQ(ClampCenter(99, 200, 0, 100), 50);
}

TEST(LegendLayoutTest, OneColumn) {
  const LegendGeometry g = LayoutLegend({30, 50}, 8, 10, 1);
  ASSERT_EQ(g.entry.size(), 2u);
  EXPECT_DOUBLE_EQ(g.handle_len, 20);
  EXPECT_DOUBLE_EQ(g.text_dx, 28);
  EXPECT_DOUBLE_EQ(g.w, 4 + 28 + 50 + 4);
  EXPECT_DOUBLE_EQ(g.h, 4 + 8 + 5 + 8 + 4);
  EXPECT_DOUBLE_EQ(g.entry[1].y, 4 + 8 + 5);
}

TEST(LegendLayoutTest, ColumnsFillTopToBottom) {
  const LegendGeometry g = LayoutLegend({10, 10, 10}, 8, 10, 2);
  ASSERT_EQ(g.entry.size(), 3u);
  // Two rows: entries 0 and 1 in column 0, entry 2 in column 1.
  EXPECT_DOUBLE_EQ(g.entry[0].x, g.entry[1].x);
  EXPECT_GT(g.entry[2].x, g.entry[0].x);
  EXPECT_DOUBLE_EQ(g.entry[2].y, g.entry[0].y);
  EXPECT_DOUBLE_EQ(g.w, 4 + 38 + 20 + 38 + 4);
}

TEST(LegendLayoutTest, NoEntries) {
  const LegendGeometry g = LayoutLegend({}, 8, 10, 3);
  EXPECT_TRUE(g.entry.empty());
  EXPECT_EQ(g.w, 0);
}

TEST(BestLegendTest, AvoidsData) {
  const Rect plot{0, 0, 200, 100};
  // Data crowds the upper right: the legend goes upper left.
  std::vector<Point> pts;
  for (int i = 0; i < 50; ++i) pts.push_back({150.0 + i, 5.0 + i % 20});
  EXPECT_EQ(BestLegendLoc(plot, 40, 20, 5, pts, {}), LegendLoc::kUpperLeft);
  // Empty plot: the first candidate, upper right.
  EXPECT_EQ(BestLegendLoc(plot, 40, 20, 5, {}, {}), LegendLoc::kUpperRight);
  // Bars everywhere on the left and upper right: lower right.
  EXPECT_EQ(
      BestLegendLoc(plot, 40, 20, 5, {}, {{0, 0, 100, 100}, {100, 0, 100, 50}}),
      LegendLoc::kLowerRight);
}

TEST(BestLegendRectTest, SlidesAlongAnEdgeToAFreePlace) {
  const Rect plot{0, 0, 200, 100};
  // A vertical line at x = 100 and data in all four corners: no fixed
  // location is free, but sliding along the top edge finds a gap.
  std::vector<Point> pts;
  for (int y = 0; y <= 100; y += 2) pts.push_back({100, double(y)});
  for (Point p :
       {Point{5, 5}, Point{195, 5}, Point{5, 95}, Point{195, 95},
        Point{175, 50}, Point{30, 50}, Point{50, 95}, Point{150, 95}}) {
    pts.push_back(p);
  }
  double badness = -1;
  const Rect r = BestLegendRect(plot, 40, 20, 5, 2, pts, {}, &badness);
  EXPECT_EQ(badness, 0);
  EXPECT_TRUE(r.right() < 100 - 2 || r.x > 100 + 2) << r.x;
  EXPECT_DOUBLE_EQ(r.y, 5);
  // Clearance counts: a point 1 pt outside the rectangle is covered.
  const Rect empty = BestLegendRect(plot, 40, 20, 5, 0, {}, {}, &badness);
  EXPECT_DOUBLE_EQ(empty.x, 155);  // upper right
  BestLegendRect(plot, 190, 90, 5, 2, {{4, 50}}, {}, &badness);
  EXPECT_EQ(badness, 1);
}

TEST(LegendRectTest, Corners) {
  const Rect plot{10, 10, 200, 100};
  const Rect ur = LegendRectAt(LegendLoc::kUpperRight, plot, 40, 20, 5);
  EXPECT_DOUBLE_EQ(ur.x, 10 + 200 - 5 - 40);
  EXPECT_DOUBLE_EQ(ur.y, 15);
  const Rect ll = LegendRectAt(LegendLoc::kLowerLeft, plot, 40, 20, 5);
  EXPECT_DOUBLE_EQ(ll.x, 15);
  EXPECT_DOUBLE_EQ(ll.bottom(), 105);
}

TEST(AutoRangeTest, MarginsStickyAndSingular) {
  Extent e;
  e.Add(0);
  e.Add(10);
  Range r = AutoRange(e, 0.05);
  EXPECT_DOUBLE_EQ(r.lo, -0.5);
  EXPECT_DOUBLE_EQ(r.hi, 10.5);
  e.sticky.push_back(0);  // bars from 0
  r = AutoRange(e, 0.05);
  EXPECT_DOUBLE_EQ(r.lo, 0);
  EXPECT_DOUBLE_EQ(r.hi, 10.5);
  Extent one;
  one.Add(5);
  one.Add(5);
  r = AutoRange(one, 0.05);
  EXPECT_LT(r.lo, 5);
  EXPECT_GT(r.hi, 5);
  Extent zero;
  zero.Add(0);
  r = AutoRange(zero, 0.05);
  EXPECT_DOUBLE_EQ(r.lo, -1);
  EXPECT_DOUBLE_EQ(r.hi, 1);
  r = AutoRange(Extent(), 0.05);
  EXPECT_DOUBLE_EQ(r.lo, 0);
  EXPECT_DOUBLE_EQ(r.hi, 1);
}

TEST(PlanAxesTest, SkipsNonFiniteAndLabelsCategories) {
  Axes ax;
  ax.categories = {"1", "2", "4", "8"};
  ax.AddLine({0, 1, NAN, 3}, {1, INFINITY, 5, 2});
  const AxesPlan plan = PlanAxes(ax, Style(), 200, 100);
  EXPECT_THAT(plan.xticks.labels, ::testing::ElementsAre("1", "2", "4", "8"));
  // y extent from the finite points only: 1..2.
  EXPECT_NEAR(plan.y.lo, 0.95, 1e-12);
  EXPECT_NEAR(plan.y.hi, 2.05, 1e-12);
}

TEST(PlanAxesTest, FixedLimitsWin) {
  Axes ax;
  ax.AddBars({0, 1}, {0.2, 0.3});
  ax.ylim = Limits{0.1, 0.25};
  const AxesPlan plan = PlanAxes(ax, Style(), 200, 150);
  EXPECT_DOUBLE_EQ(plan.y.lo, 0.1);
  EXPECT_DOUBLE_EQ(plan.y.hi, 0.25);
  EXPECT_DOUBLE_EQ(plan.yticks.values.front(), 0.1);
  EXPECT_DOUBLE_EQ(plan.yticks.values.back(), 0.25);
}

TEST(PlanAxesTest, StackedBarsStartAtZero) {
  Axes ax;
  ax.AddStackedBars({0, 1}, {{1, 2}, {1, 1}}, {"a", "b"});
  const AxesPlan plan = PlanAxes(ax, Style(), 200, 150);
  EXPECT_DOUBLE_EQ(plan.y.lo, 0);
  EXPECT_NEAR(plan.y.hi, 3.15, 1e-12);
}

}  // namespace
}  // namespace multiplex::render

namespace multiplex::render {
namespace {

TEST(LogAxisTest, RangeTicksAndFraction) {
  Axes ax;
  ax.xlog = true;
  ax.AddLine({0.2, 2, 20}, {1, 2, 3});
  ax.AddLine({-1, 0}, {1, 2});  // not on a log axis: left out of the range
  Style st;
  const AxesPlan plan = PlanAxes(ax, st, 300, 200);
  EXPECT_TRUE(plan.x.log);
  EXPECT_LT(plan.x.lo, 0.2);
  EXPECT_GT(plan.x.lo, 0.1);
  EXPECT_GT(plan.x.hi, 20);
  EXPECT_THAT(plan.xticks.labels,
              ::testing::ElementsAre("0.2", "0.5", "1", "2", "5", "10", "20"));
  const Range r{1, 100, true};
  EXPECT_DOUBLE_EQ(r.Fraction(10), 0.5);
  EXPECT_TRUE(std::isnan(r.Fraction(0)));
}

TEST(TickStepTest, FixedSpacing) {
  Axes ax;
  ax.xtick_step = 5;
  ax.AddLine({0.7, 24}, {1, 2});
  const AxesPlan plan = PlanAxes(ax, Style(), 80, 200);
  EXPECT_THAT(plan.xticks.values, ::testing::ElementsAre(0, 5, 10, 15, 20, 25));
}

}  // namespace
}  // namespace multiplex::render
