// A logarithmic y axis: ticks at the decades, points where log10 puts them,
// non-positive points left out with a warning, a bound kept.

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "render/chart.h"
#include "render/draw.h"
#include "render/inspect.h"
#include "render/scale.h"

namespace multiplex::render {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(LogYTest, DecadeTicksAndMarkersAtTheirLogPositions) {
  Figure fig(3.0, 2.4);
  Axes& ax = fig.axes();
  ax.ylog = true;
  ax.ylim = Limits{0.01, 100};
  ax.legend.loc = LegendLoc::kNone;
  ax.AddLine({1, 2, 3, 4}, {0.01, 0.1, 10, 100}, "L", Marker::kCircle);
  const std::vector<AxesReport> report = InspectFigure(fig);
  ASSERT_EQ(report.size(), 1u);
  const AxesReport& r = report[0];
  EXPECT_THAT(LayoutProblems(fig, report), IsEmpty());
  EXPECT_THAT(LayoutWarnings(fig, report), IsEmpty());

  // The ticks of the plot as drawn: four decades, the decades only.
  const AxesPlan plan = PlanAxes(ax, fig.style, r.plot.w, r.plot.h);
  EXPECT_TRUE(plan.y.log);
  EXPECT_THAT(plan.yticks.values, ElementsAre(0.01, 0.1, 1, 10, 100));
  EXPECT_THAT(plan.yticks.labels, ElementsAre("0.01", "0.1", "1", "10", "100"));
  // The y tick label "1" (left of the plot) at the plot's vertical middle.
  int ones = 0;
  for (const DrawnText& t : r.texts) {
    if (t.text != "1" || t.box.right() >= r.plot.x) continue;
    ++ones;
    EXPECT_NEAR(t.box.y + t.box.h / 2, r.plot.y + r.plot.h / 2, 1.5);
  }
  EXPECT_EQ(ones, 1);

  // Each decade is a quarter of the plot's height, from the bottom.
  ASSERT_EQ(r.markers.size(), 4u);
  const double decade = r.plot.h / 4;
  const double want_y[] = {r.plot.bottom(), r.plot.bottom() - decade,
                           r.plot.bottom() - 3 * decade, r.plot.y};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.markers[i].at.y, want_y[i], 1e-9) << "point " << i;
  }
  // x stays linear: 1..4 evenly spaced.
  EXPECT_NEAR(r.markers[1].at.x - r.markers[0].at.x,
              r.markers[3].at.x - r.markers[2].at.x, 1e-9);
}

TEST(LogYTest, AutomaticRangeHasMinorTicksWhereTheyFit) {
  Axes ax;
  ax.ylog = true;
  ax.AddLine({1, 2}, {0.3, 30});
  Style st;
  // Tall: 1, 2, 5 x 10^k fit; short: the decades only.
  const AxesPlan tall = PlanAxes(ax, st, 200, 400);
  EXPECT_LT(tall.y.lo, 0.3);
  EXPECT_GT(tall.y.hi, 30);
  EXPECT_THAT(tall.yticks.labels,
              ElementsAre("0.5", "1", "2", "5", "10", "20"));
  const AxesPlan short_plot = PlanAxes(ax, st, 200, 90);
  EXPECT_THAT(short_plot.yticks.labels, ElementsAre("1", "10"));
  // Labels past 1e6 or under 1e-4 in short exponent form; more decades
  // than fit (15 where 10 ticks fit): every second one, 1 among them.
  Axes wide;
  wide.ylog = true;
  wide.ylim = Limits{1e-6, 1e8};
  wide.AddLine({1, 2}, {1e-5, 1e7});
  EXPECT_THAT(
      PlanAxes(wide, st, 200, 400).yticks.labels,
      ElementsAre("1e-6", "0.0001", "0.01", "1", "100", "10000", "1e6", "1e8"));
  wide.ylim = Limits{1e-5, 1e7};  // 13 decades: the even exponents
  EXPECT_THAT(PlanAxes(wide, st, 200, 400).yticks.labels,
              ElementsAre("0.0001", "0.01", "1", "100", "10000", "1e6"));
}

TEST(LogYTest, NonPositivePointsAreLeftOutWithAWarning) {
  Figure fig(3.0, 2.0);
  Axes& ax = fig.axes();
  ax.ylog = true;
  ax.ylim = Limits{0, 100};  // a low end of 0 has no place: automatic
  ax.AddLine({1, 2, 3, 4}, {0, 1, -2, 10}, "Goodput", Marker::kDot);
  const std::vector<AxesReport> report = InspectFigure(fig);
  EXPECT_EQ(report[0].markers.size(), 2u);  // y = 1 and y = 10 only
  EXPECT_THAT(LayoutProblems(fig, report), IsEmpty());
  const std::vector<std::string> warnings = LayoutWarnings(fig, report);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_THAT(warnings[0],
              HasSubstr("'Goodput': 2 point(s) at or below 0 left out"));
  EXPECT_THAT(warnings[1], HasSubstr("not positive"));
  EXPECT_GT(report[0].y_lo, 0);
  EXPECT_LT(report[0].y_lo, 1);
  EXPECT_DOUBLE_EQ(report[0].y_hi, 100);
}

TEST(LogYTest, BoundedAxisNeverPastItsBound) {
  // Attainment as a fraction, near 1: the automatic margin would pass 1.
  Figure fig(3.0, 2.0);
  Axes& ax = fig.axes();
  ax.ylog = true;
  ax.ybound = Limits{0, 1};
  ax.AddLine({1, 2, 3, 4, 5}, {0.001, 0.01, 0.2, 0.9, 1.0}, "Attainment");
  ax.AddLine({1, 2, 3, 4, 5}, {0.002, 0.05, 0.5, 1.0, 1.0}, "Other");
  const std::vector<AxesReport> report = InspectFigure(fig);
  EXPECT_LE(report[0].y_hi, 1.0);
  EXPECT_GT(report[0].y_lo, 0);
  EXPECT_THAT(LayoutProblems(fig, report), IsEmpty());
}

TEST(LogYTest, BarsAndFillsReachDownToTheAxis) {
  Figure fig(3.0, 2.0);
  Axes& ax = fig.axes();
  ax.ylog = true;
  ax.AddBars({1, 2}, {10, 100}, "Bars");  // from 0: drawn from the bottom
  Area& band = ax.AddArea({1, 2}, {20, 200}, "Band");
  band.y0 = {-1, 5};
  const std::vector<AxesReport> report = InspectFigure(fig);
  EXPECT_GT(report[0].y_lo, 0);
  EXPECT_THAT(LayoutProblems(fig, report), IsEmpty());
  EXPECT_THAT(LayoutWarnings(fig, report), IsEmpty());
}

}  // namespace
}  // namespace multiplex::render
