// The layout invariants (render/inspect.h) on figures built to break them
// before they were enforced, and the checker on reports that break them.

#include "render/inspect.h"

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "render/chart.h"

namespace multiplex::render {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Eight attainment curves near 100% all the way across: no free place
// inside the plot for an eight-entry legend.
Figure CrowdedAttainment() {
  Figure fig(3.2, 2.4);
  Axes& ax = fig.axes();
  ax.xlabel = "Coefficient of Variation (CV)";
  ax.ylabel = "SLO Attainment (%)";
  ax.ybound = Limits{0, 100};
  for (int s = 0; s < 8; ++s) {
    std::vector<double> x, y;
    for (int i = 0; i <= 10; ++i) {
      x.push_back(i);
      y.push_back(100 - (s * 7 + i * 3 + (i * s) % 5));
    }
    ax.AddLine(x, y, "A policy with a long legend label " + std::to_string(s));
  }
  ax.AddHLine(99, "99%");
  return fig;
}

TEST(LayoutInvariants, BoundedAxisStaysAtItsBoundAndLegendMovesOutside) {
  const Figure fig = CrowdedAttainment();
  const std::vector<AxesReport> r = InspectFigure(fig);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_LE(r[0].y_hi, 100.0);
  EXPECT_GE(r[0].y_hi, 99.0);  // the margin stops at the bound
  ASSERT_TRUE(r[0].has_legend);
  // Outside the plot (above or right of it), not over the curves.
  const Rect& p = r[0].plot;
  const Rect& l = r[0].legend;
  EXPECT_TRUE(l.bottom() <= p.y + 1e-6 || l.x >= p.right() - 1e-6)
      << "legend " << l.x << "," << l.y << " " << l.w << "x" << l.h;
  EXPECT_THAT(LayoutProblems(fig, r), IsEmpty());
}

TEST(LayoutInvariants, FixedLocationOverDataMovesWithAWarning) {
  Figure fig(3.0, 2.0);
  Axes& ax = fig.axes();
  // A line through the upper right corner.
  ax.AddLine({0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, "Rising");
  ax.legend.loc = LegendLoc::kUpperRight;
  const std::vector<AxesReport> r = InspectFigure(fig);
  EXPECT_THAT(LayoutWarnings(fig, r),
              ElementsAre(HasSubstr("legend at upper right would cover")));
  EXPECT_THAT(LayoutProblems(fig, r), IsEmpty());
  // A free fixed location stays where asked, without a warning.
  ax.legend.loc = LegendLoc::kLowerRight;
  const std::vector<AxesReport> kept = InspectFigure(fig);
  EXPECT_THAT(LayoutWarnings(fig, kept), IsEmpty());
  EXPECT_GT(kept[0].legend.y, kept[0].plot.y + kept[0].plot.h / 2);
}

TEST(LayoutInvariants, LongLabelsAndTitlesShrinkInsteadOfClipping) {
  Figure fig(2.0, 1.6);
  Axes& ax = fig.axes();
  ax.xlabel = "Total Rate Served, Skewed (placed for uniform rates)";
  ax.ylabel = "SLO Attainment of the good requests (%)";
  ax.title = "A title longer than the figure is wide, by far";
  ax.AddLine({0, 1000, 2000}, {1, 2, 3}, "A");
  const std::vector<AxesReport> r = InspectFigure(fig);
  EXPECT_THAT(LayoutProblems(fig, r), IsEmpty());
  bool found = false;
  for (const DrawnText& t : r[0].texts) {
    if (t.text == ax.xlabel) {
      found = true;
      EXPECT_GE(t.box.x, 0.0);
      EXPECT_LE(t.box.right(), 2.0 * 72);
    }
  }
  EXPECT_TRUE(found);
}

TEST(LayoutInvariants, EveryTextIsReported) {
  Figure fig(3.0, 2.0);
  Axes& ax = fig.axes();
  ax.xlabel = "x";
  ax.ylabel = "y";
  ax.AddLine({0, 1}, {0, 1}, "Line");
  const std::vector<AxesReport> r = InspectFigure(fig);
  std::vector<std::string> texts;
  for (const DrawnText& t : r[0].texts) texts.push_back(t.text);
  EXPECT_THAT(texts, ::testing::Contains("x"));
  EXPECT_THAT(texts, ::testing::Contains("y"));
  EXPECT_THAT(texts, ::testing::Contains("Line"));
  EXPECT_FALSE(r[0].data.empty());
}

// The checker itself, on reports that break each invariant.
TEST(LayoutProblemsTest, FlagsClippedTextCoveredDataAndAxisPastBound) {
  Figure fig(1.0, 1.0);  // 72 x 72 points
  fig.axes().ybound = Limits{0, 100};
  AxesReport r;
  r.plot = {10, 10, 50, 50};
  r.y_lo = 0;
  r.y_hi = 120;
  r.texts.push_back({"inside", {5, 5, 20, 8}});
  r.texts.push_back({"past the right edge", {60, 5, 20, 8}});
  r.has_legend = true;
  r.legend = {20, 20, 20, 10};
  r.data = {{30, 25}, {50, 50}};
  const std::vector<std::string> problems = LayoutProblems(fig, {r});
  EXPECT_THAT(problems,
              ElementsAre(HasSubstr("'past the right edge' is clipped"),
                          HasSubstr("covers 1 data point"),
                          HasSubstr("past its bound [0, 100]")));
  r.y_hi = 100;
  r.texts.pop_back();
  r.data = {{50, 50}};
  EXPECT_THAT(LayoutProblems(fig, {r}), IsEmpty());
}

// A line with markers must have drawn one per point on the axes: a report
// with fewer (markers lost) or more is a problem; a line without markers
// expects none, and points off a log axis are not expected.
TEST(LayoutProblemsTest, FlagsLinesThatDidNotDrawTheirMarkers) {
  Figure fig(3.0, 2.0);
  Axes& ax = fig.axes();
  ax.AddLine({1, 2, 3}, {1, 2, 3}, "Dots", Marker::kDot);
  ax.AddLine({1, 2, 3}, {3, 2, 1}, "Plain", Marker::kNone);
  ax.AddLine({1, 2, NAN}, {0, 2, 3}, "Gap", Marker::kSquare);
  AxesReport r;
  r.plot = {30, 10, 150, 100};
  r.markers = {{0, {40, 20}}, {0, {50, 20}}, {2, {40, 20}}};
  EXPECT_THAT(LayoutProblems(fig, {r}),
              ElementsAre("line 'Dots' drew 2 marker(s) of 3",
                          "line 'Gap' drew 1 marker(s) of 2"));
  r.markers.push_back({0, {60, 20}});
  r.markers.push_back({2, {50, 20}});
  EXPECT_THAT(LayoutProblems(fig, {r}), IsEmpty());
  // On a log y axis the point at y = 0 of "Gap" has no place.
  ax.ylog = true;
  EXPECT_THAT(LayoutProblems(fig, {r}),
              ElementsAre("line 'Gap' drew 2 marker(s) of 1"));
  // And the figure as drawn agrees with its own data.
  EXPECT_THAT(LayoutProblems(fig, InspectFigure(fig)), IsEmpty());
}

}  // namespace
}  // namespace multiplex::render
