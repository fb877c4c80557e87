#include "core/number_format.h"

#include <cmath>
#include <limits>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

TEST(NumberFormatTest, ShortestRoundTrip) {
  EXPECT_EQ(FormatDoubleExact(20), "20");
  EXPECT_EQ(FormatDoubleExact(0.1), "0.1");
  EXPECT_EQ(FormatDoubleExact(20.0 / 3), "6.666666666666667");
  EXPECT_EQ(FormatDoubleExact(1e-5), "1e-05");
  EXPECT_EQ(FormatDoubleExact(-0.5), "-0.5");
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(FormatDoubleExact(inf), "inf");
  EXPECT_EQ(FormatDoubleExact(-inf), "-inf");
  EXPECT_EQ(FormatDoubleExact(std::nan("")), "nan");
  EXPECT_EQ(FormatDoubleExact(-std::nan("")), "nan");
  for (double v : {0.1 + 0.2, 1.0 / 3, 6.02214076e23, 4.9e-324}) {
    double back;
    ASSERT_TRUE(absl::SimpleAtod(FormatDoubleExact(v), &back));
    EXPECT_EQ(back, v);
  }
}

TEST(FormatAxisValueTest, DropsFloatNoiseOnly) {
  EXPECT_EQ(FormatAxisValue(2.7 * 3), "8.1");  // 8.100000000000001
  EXPECT_EQ(FormatAxisValue(19 * 0.05), "0.95");
  EXPECT_EQ(FormatAxisValue(5.4 * 3), "16.2");
  // Real digits stay (a point of 8 x linspace(0.1, 3, 20)).
  EXPECT_EQ(FormatAxisValue(4.463157894736842), "4.463157894736842");
  EXPECT_EQ(FormatAxisValue(0.05000000000001137), "0.05000000000001137");
  EXPECT_EQ(FormatAxisValue(20), "20");
  EXPECT_EQ(FormatAxisValue(0), "0");
  EXPECT_EQ(FormatAxisValue(1e-5), "1e-05");
  EXPECT_EQ(FormatAxisValue(-INFINITY), "-inf");
}

}  // namespace
}  // namespace multiplex
