// Renders the gallery (gallery.cc) to PNG and compares it pixel by pixel
// with render/goldens/<name>.png. On a mismatch the actual PNG is written to
// $TEST_UNDECLARED_OUTPUTS_DIR (bazel-testlogs/render/golden_test/
// test.outputs/). To regenerate after an intended change, run
//   bazel run //render:gallery -- --out_dir=$PWD/render/goldens --png_only
// and look at every PNG before committing.

#include <cairo/cairo.h>

#include <cstdlib>
#include <ostream>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "render/gallery.h"
#include "render/inspect.h"
#include "render/write.h"

namespace multiplex::render {

// Test names and failures show the chart's name, not its bytes.
void PrintTo(const GalleryChart& chart, std::ostream* os) { *os << chart.name; }

namespace {

// A channel may differ by this much (anti-aliasing noise) ...
constexpr int kChannelTolerance = 24;
// ... and this fraction of pixels may differ by more.
constexpr double kMaxBadFraction = 0.001;

struct StreamReader {
  const std::string* bytes;
  size_t pos = 0;
};

cairo_status_t ReadFromString(void* closure, unsigned char* data,
                              unsigned int length) {
  auto* r = static_cast<StreamReader*>(closure);
  if (r->pos + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
  r->bytes->copy(reinterpret_cast<char*>(data), length, r->pos);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

class GoldenTest : public ::testing::TestWithParam<GalleryChart> {};

TEST_P(GoldenTest, MatchesGolden) {
  const GalleryChart& chart = GetParam();
  absl::StatusOr<std::string> png = RenderPng(chart.fig);
  ASSERT_TRUE(png.ok()) << png.status();

  const std::string golden_path = "render/goldens/" + chart.name + ".png";
  cairo_surface_t* golden =
      cairo_image_surface_create_from_png(golden_path.c_str());
  StreamReader reader{&*png};
  cairo_surface_t* actual =
      cairo_image_surface_create_from_png_stream(ReadFromString, &reader);
  ASSERT_EQ(cairo_surface_status(actual), CAIRO_STATUS_SUCCESS);

  bool ok = cairo_surface_status(golden) == CAIRO_STATUS_SUCCESS;
  EXPECT_TRUE(ok) << "cannot read " << golden_path;
  if (ok) {
    const int w = cairo_image_surface_get_width(actual);
    const int h = cairo_image_surface_get_height(actual);
    ok = w == cairo_image_surface_get_width(golden) &&
         h == cairo_image_surface_get_height(golden);
    EXPECT_TRUE(ok) << "size " << w << "x" << h << " differs from golden";
    if (ok) {
      const unsigned char* a = cairo_image_surface_get_data(actual);
      const unsigned char* g = cairo_image_surface_get_data(golden);
      const int sa = cairo_image_surface_get_stride(actual);
      const int sg = cairo_image_surface_get_stride(golden);
      long bad = 0;
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          for (int ch = 0; ch < 3; ++ch) {
            if (std::abs(a[y * sa + 4 * x + ch] - g[y * sg + 4 * x + ch]) >
                kChannelTolerance) {
              ++bad;
              break;
            }
          }
        }
      }
      const double fraction = static_cast<double>(bad) / (w * h);
      ok = fraction <= kMaxBadFraction;
      EXPECT_TRUE(ok) << bad << " of " << w * h << " pixels differ";
    }
  }
  if (!ok) {
    if (const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR")) {
      const std::string out = std::string(dir) + "/" + chart.name + ".png";
      EXPECT_TRUE(WriteFileAtomically(out, *png).ok());
      ADD_FAILURE() << "actual image written to " << out;
    }
  }
  cairo_surface_destroy(actual);
  cairo_surface_destroy(golden);
}

// Every line with markers drew one per point (a chart that lost its markers
// fails here even where its pixels stay within the golden's tolerance), and
// the chart keeps the layout invariants.
TEST_P(GoldenTest, DrawsEveryMarkerAndKeepsTheLayout) {
  const GalleryChart& chart = GetParam();
  const std::vector<AxesReport> report = InspectFigure(chart.fig);
  ASSERT_EQ(report.size(),
            static_cast<size_t>(chart.fig.rows() * chart.fig.cols()));
  int with_markers = 0;
  for (size_t i = 0; i < report.size(); ++i) {
    const Axes& ax = chart.fig.axes(static_cast<int>(i) / chart.fig.cols(),
                                    static_cast<int>(i) % chart.fig.cols());
    EXPECT_THAT(MarkerProblems(ax, report[i]), ::testing::IsEmpty());
    with_markers += static_cast<int>(report[i].markers.size());
  }
  EXPECT_THAT(LayoutProblems(chart.fig, report), ::testing::IsEmpty());
  EXPECT_EQ(with_markers, chart.markers)
      << "markers drawn in all, against the count the gallery states";
}

INSTANTIATE_TEST_SUITE_P(
    Gallery, GoldenTest, ::testing::ValuesIn(Gallery()),
    [](const ::testing::TestParamInfo<GalleryChart>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace multiplex::render
