// FirstReaching and the threshold marks of LineFigure
// (experiments/lib/charts.h).

#include "experiments/lib/charts.h"

#include <cmath>
#include <optional>
#include <string>
#include <variant>

#include "gmock/gmock.h"
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

TEST(LineFigure, DistinctMarkerAndDashPerLineAndEqualLinesNamed) {
  ChartLine a, b, c;
  a.label = "Searched";
  b.label = "Greedy";
  c.label = "Replication";
  a.x = b.x = c.x = {1, 2, 3};
  a.y = b.y = {90, 95, 99};
  c.y = {80, 85, 90};
  render::Figure fig = LineFigure(ChartLook(), {a, b, c});
  std::vector<const render::Line*> lines;
  for (const auto& s : fig.axes().series) {
    if (const auto* l = std::get_if<render::Line>(&s)) lines.push_back(l);
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0]->marker, lines[1]->marker);
  EXPECT_NE(lines[0]->style, lines[1]->style);
  EXPECT_NE(lines[1]->marker, lines[2]->marker);
  // The data table keeps the label; the legend says the lines coincide and
  // the later one is drawn around the earlier one's markers.
  EXPECT_EQ(lines[1]->label, "Greedy");
  EXPECT_EQ(lines[1]->legend_note, " (= Searched)");
  EXPECT_TRUE(lines[1]->hollow_markers);
  EXPECT_GT(lines[1]->marker_size, 4.0);
  EXPECT_EQ(lines[2]->legend_note, "");
  EXPECT_FALSE(lines[2]->hollow_markers);
}

TEST(LineFigure, BandsAndOneSidedYLimits) {
  ChartLine a;
  a.label = "A";
  a.x = {1, 2};
  a.y = {10, 20};
  a.y_lo = {8, 18};
  a.y_hi = {12, 22};
  ChartLook look;
  look.ylim = render::Limits{0, NAN};  // y_min only
  render::Figure fig = LineFigure(look, {a});
  const auto* band = std::get_if<render::Area>(&fig.axes().series[0]);
  ASSERT_NE(band, nullptr);
  EXPECT_EQ(band->y0, a.y_lo);
  EXPECT_EQ(band->y, a.y_hi);
  EXPECT_FALSE(band->in_legend);
  ASSERT_TRUE(fig.axes().ylim.has_value());
  EXPECT_EQ(fig.axes().ylim->lo, 0);
  EXPECT_GT(fig.axes().ylim->hi, 22);  // the band's top plus the margin
}

TEST(LatencyCdfFigure, SampledAtThousandStepsAndEqualCdfsNamed) {
  CdfSeries a, b;
  a.label = "A";
  b.label = "B";
  for (int i = 0; i < 100000; ++i) a.latencies.push_back(1 + i * 1e-5);
  b.latencies = a.latencies;
  render::Figure fig = LatencyCdfFigure(ChartLook(), {a, b});
  std::vector<const render::Line*> lines;
  for (const auto& s : fig.axes().series) {
    if (const auto* l = std::get_if<render::Line>(&s)) lines.push_back(l);
  }
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_LE(lines[0]->x.size(), 1001u);
  EXPECT_GE(lines[0]->x.size(), 1000u);
  EXPECT_EQ(lines[0]->y.back(), 1.0);
  EXPECT_EQ(lines[1]->legend_note, " (= A)");
  EXPECT_NE(lines[1]->style, lines[0]->style);
}

TEST(ChartVocabulary, NamesParseAndUnknownOnesListTheKnown) {
  EXPECT_EQ(*ParseColorName("orange"), render::Tab10(1));
  EXPECT_EQ(*ParseColorName("#000000"), render::Black());
  EXPECT_THAT(std::string(ParseColorName("mauve").status().message()),
              ::testing::HasSubstr("known: blue, orange"));
  EXPECT_EQ(*ParseDash("dashdot"), render::LineStyle::kDashDot);
  EXPECT_EQ(*ParseMarker("triangle"), render::Marker::kTriangle);
  EXPECT_FALSE(ParseMarker("star").ok());
}

}  // namespace
}  // namespace multiplex
