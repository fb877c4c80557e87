// Output files: determinism, PDF metadata, errors and bad input.
#include "render/write.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "core/file_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "render/chart.h"
#include "render/draw.h"

namespace multiplex::render {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Figure LinePlot() {
  Figure fig(3, 2);
  Axes& ax = fig.axes();
  ax.xlabel = "Rate (req/s)";
  ax.ylabel = "SLO Attainment (%)";
  ax.AddLine({1, 2, 3}, {50, 80, 95}, "Model Parallelism (α=1.0)");
  ax.AddVLine(2, "Bound");
  return fig;
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

// The file's bytes; empty when it cannot be read.
std::string ReadFile(const std::string& path) {
  return ReadFileToString(path).value_or("");
}

bool IsPng(const std::string& bytes) {
  return bytes.size() > 8 && bytes.compare(1, 3, "PNG") == 0;
}

TEST(DeterminismTest, PdfAndPngBytesRepeat) {
  const Figure fig = LinePlot();
  absl::StatusOr<std::string> pdf1 = RenderPdf(fig);
  absl::StatusOr<std::string> pdf2 = RenderPdf(fig);
  ASSERT_TRUE(pdf1.ok()) << pdf1.status();
  ASSERT_TRUE(pdf2.ok()) << pdf2.status();
  EXPECT_TRUE(*pdf1 == *pdf2);
  EXPECT_EQ(pdf1->rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf1->find("/CreationDate (20230101000000Z)"), std::string::npos);
  absl::StatusOr<std::string> png1 = RenderPng(fig);
  absl::StatusOr<std::string> png2 = RenderPng(fig);
  ASSERT_TRUE(png1.ok()) << png1.status();
  ASSERT_TRUE(png2.ok());
  EXPECT_TRUE(*png1 == *png2);
  EXPECT_TRUE(IsPng(*png1));
}

TEST(DeterminismTest, FilesRepeat) {
  const Figure fig = LinePlot();
  const std::string a = TempPath("a"), b = TempPath("b");
  ASSERT_TRUE(WritePdfAndPng(fig, a).ok());
  ASSERT_TRUE(WritePdfAndPng(fig, b).ok());
  EXPECT_EQ(ReadFile(a + ".pdf"), ReadFile(b + ".pdf"));
  EXPECT_EQ(ReadFile(a + ".png"), ReadFile(b + ".png"));
  EXPECT_FALSE(ReadFile(a + ".pdf").empty());
}

TEST(WriteTest, UnwritablePathIsAnError) {
  absl::Status s = WritePng(LinePlot(), "/nonexistent/dir/x.png");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("/nonexistent/dir/x.png"));
  s = WritePdf(LinePlot(), "/nonexistent/dir/x.pdf");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("cannot write '/nonexistent/dir/x.pdf'"));
}

TEST(WriteTest, PngSizeFollowsDpi) {
  absl::StatusOr<std::string> png = RenderPng(LinePlot(), 100);
  ASSERT_TRUE(png.ok());
  // IHDR width and height, big-endian, at offsets 16 and 20.
  auto be32 = [&](int off) {
    const auto* p = reinterpret_cast<const unsigned char*>(png->data() + off);
    return (p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
  };
  EXPECT_EQ(be32(16), 300);
  EXPECT_EQ(be32(20), 200);
  EXPECT_FALSE(RenderPng(LinePlot(), 0).ok());
  EXPECT_FALSE(RenderPng(LinePlot(), kNaN).ok());
}

TEST(BadInputTest, NonFinitePointsAreSkipped) {
  Figure fig(3, 2);
  Axes& ax = fig.axes();
  ax.AddLine({1, 2, kNaN, 4, 5}, {1, kInf, 3, 4, -kInf}, "gappy");
  ax.AddArea({1, 2, 3}, {kNaN, 2, 3});
  ax.AddBars({1, 2}, {kNaN, 2}, "bars");
  ax.AddVLine(kNaN, "nan line");
  ax.AddCdf({1, kNaN, 2, kInf, 3}, "cdf");
  EXPECT_TRUE(RenderPng(fig).ok());
  EXPECT_TRUE(RenderPdf(fig).ok());
}

TEST(BadInputTest, EmptySeriesNextToRealOnes) {
  Figure fig(3, 2);
  fig.axes().AddLine({}, {}, "empty");
  fig.axes().AddCdf({}, "empty cdf");
  fig.axes().AddStackedBars({}, {}, {});
  fig.axes().AddLine({1, 2}, {3, 4}, "real");
  EXPECT_TRUE(RenderPng(fig).ok());
}

TEST(BadInputTest, NothingToDrawIsAnErrorNotABlankFile) {
  Figure fig(3, 2);
  fig.axes().AddLine({kNaN}, {kNaN}, "all nan");
  fig.axes().AddLine({}, {}, "empty");
  const std::string path = TempPath("blank.png");
  absl::Status s = WritePng(fig, path);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("no finite data"));
  EXPECT_THAT(s.message(), HasSubstr(path));
  EXPECT_TRUE(ReadFile(path).empty());
  EXPECT_FALSE(RenderPdf(Figure()).ok());
}

TEST(BadInputTest, AllEqualValues) {
  Figure fig(3, 2);
  fig.axes().AddLine({5, 5, 5}, {7, 7, 7}, "flat");
  fig.axes(0, 0).AddBars({0}, {0});
  EXPECT_TRUE(RenderPng(fig).ok());
  Figure zero(3, 2);
  zero.axes().AddLine({0, 0}, {0, 0});
  EXPECT_TRUE(RenderPng(zero).ok());
}

TEST(BadInputTest, LegendWithNoEntries) {
  Figure fig(3, 2);
  fig.axes().AddLine({1, 2}, {1, 2});  // no label
  fig.axes().legend.loc = LegendLoc::kAbove;
  EXPECT_TRUE(RenderPng(fig).ok());
  fig.axes().legend.loc = LegendLoc::kBest;
  fig.axes().legend.ncols = 0;
  EXPECT_TRUE(RenderPng(fig).ok());
}

TEST(BadInputTest, MismatchedLengthsNameTheSeries) {
  Figure fig(3, 2);
  fig.axes().AddLine({1, 2, 3}, {1, 2}, "short");
  absl::Status s = RenderPng(fig).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("'short'"));
  EXPECT_THAT(s.message(), HasSubstr("x has 3 values but y has 2"));

  Figure bars(3, 2);
  bars.axes().AddBars({1, 2}, {1, 2}).bottom = {0};
  EXPECT_FALSE(RenderPng(bars).ok());
  Figure width(3, 2);
  width.axes().AddBars({1, 2}, {1, 2}).width = 0;
  EXPECT_FALSE(RenderPng(width).ok());
}

TEST(BadInputTest, BadLimitsAndSizes) {
  Figure fig = LinePlot();
  fig.axes().ylim = Limits{1, 1};
  EXPECT_THAT(RenderPng(fig).status().message(), HasSubstr("ylim"));
  fig.axes().ylim = Limits{0, kInf};
  EXPECT_FALSE(RenderPng(fig).ok());
  fig.axes().ylim.reset();
  EXPECT_TRUE(RenderPng(fig).ok());
  Figure tiny(0, 2);
  tiny.axes().AddLine({1}, {1});
  EXPECT_FALSE(RenderPdf(tiny).ok());
  Figure nan_size(kNaN, 2);
  nan_size.axes().AddLine({1}, {1});
  EXPECT_FALSE(RenderPdf(nan_size).ok());
}

TEST(BadInputTest, HugeTextStillLaysOut) {
  Figure fig(1, 1);
  fig.axes().ylabel = std::string(200, 'W');
  fig.axes().AddLine({1, 2}, {1, 2});
  EXPECT_TRUE(RenderPng(fig).ok());
  const std::vector<Rect> rects = PlotRects(fig);
  ASSERT_EQ(rects.size(), 1u);
  EXPECT_GE(rects[0].w, 1.0);
}

}  // namespace
}  // namespace multiplex::render
