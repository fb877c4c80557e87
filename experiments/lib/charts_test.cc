// FirstReaching and the threshold marks of LineFigure
// (experiments/lib/charts.h).

#include "experiments/lib/charts.h"

#include <optional>
#include <string>
#include <variant>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

TEST(FirstReaching, FromLeftAndFromRightAsTheArtifactReadsCharts) {
  ChartLine line;
  line.x = {40, 10, 20, 30};  // any order: scanned by x
  line.y = {99.5, 90, 99, 98};
  ChartThreshold t{99, "99%", false};
  EXPECT_EQ(FirstReaching(line, t), std::optional<double>(20));
  t.from_right = true;  // the largest x still at or above the level
  EXPECT_EQ(FirstReaching(line, t), std::optional<double>(40));
  t.y = 100;
  EXPECT_EQ(FirstReaching(line, t), std::nullopt);
}

TEST(LineFigure, ThresholdLineAndOneDottedMarkPerReachingLine) {
  ChartLine a, b;
  a.label = "A";
  a.x = {1, 2, 3};
  a.y = {98, 99.2, 100};
  b.label = "B";
  b.x = {1, 2, 3};
  b.y = {90, 91, 92};  // never reaches 99: no mark
  render::Figure fig =
      LineFigure(ChartLook(), {a, b}, {}, ChartThreshold{99, "99%", false});
  int hlines = 0, marks = 0;
  for (const auto& s : fig.axes().series) {
    const auto* ref = std::get_if<render::RefLine>(&s);
    if (ref == nullptr) continue;
    EXPECT_EQ(ref->style, render::LineStyle::kDotted);
    if (!ref->vertical) {
      ++hlines;
      EXPECT_EQ(ref->value, 99);
      EXPECT_EQ(ref->label, "99%");
    } else {
      ++marks;
      EXPECT_EQ(ref->value, 2);
      EXPECT_EQ(ref->label, "A first at 99");
      EXPECT_FALSE(ref->in_legend);
    }
  }
  EXPECT_EQ(hlines, 1);
  EXPECT_EQ(marks, 1);
}

}  // namespace
}  // namespace multiplex
