#include "render/ticks.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex::render {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A chart of values times y_scale=1e-320 drew without end (a step of 0).
TEST(NiceTicksTest, SubnormalRangesEnd) {
  EXPECT_LE(NiceTicks(0, 1e-320, 9).size(), 1000u);
  EXPECT_LE(NiceTicks(-3e-321, 5e-320, 5).size(), 1000u);
  EXPECT_LE(NiceTicks(1e-310, 2e-310, 5).size(), 1000u);
}

TEST(NiceTicksTest, UnitRange) {
  EXPECT_THAT(NiceTicks(0, 1, 5), ElementsAre(0, 0.2, 0.4, 0.6, 0.8, 1.0));
}

TEST(NiceTicksTest, PaddedRangeKeepsTicksInside) {
  // 0..25 with 5% margins, like an auto-scaled latency axis.
  EXPECT_THAT(NiceTicks(-1.25, 26.25, 6), ElementsAre(0, 5, 10, 15, 20, 25));
}

TEST(NiceTicksTest, UsesTwoAndAHalfSteps) {
  EXPECT_THAT(NiceTicks(0, 100, 4), ElementsAre(0, 25, 50, 75, 100));
}

TEST(NiceTicksTest, FewBinsGiveCoarseSteps) {
  // matplotlib shows 1 and 2 on a short 0.3..2.55 axis.
  EXPECT_THAT(NiceTicks(0.3, 2.55, 4), ElementsAre(1, 2));
}

TEST(NiceTicksTest, AtLeastTwoTicksWhenPossible) {
  // One bin over 0.95..1.05 would give a single tick; falls back finer.
  EXPECT_THAT(NiceTicks(0.95, 1.05, 1), ElementsAre(0.95, 1.0, 1.05));
}

TEST(NiceTicksTest, NegativeRangeHasExactZero) {
  const std::vector<double> t = NiceTicks(-0.3, 0.3, 6);
  ASSERT_FALSE(t.empty());
  bool has_zero = false;
  for (double v : t) has_zero |= v == 0.0 && !std::signbit(v);
  EXPECT_TRUE(has_zero);
}

TEST(NiceTicksTest, TinyAndHugeRanges) {
  EXPECT_THAT(NiceTicks(0.1, 0.25, 6),
              ElementsAre(0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25));
  EXPECT_THAT(NiceTicks(0, 3e9, 3), ElementsAre(0, 1e9, 2e9, 3e9));
}

TEST(NiceTicksTest, AtMostMaxBinsPlusOne) {
  // From 0 the coarsest fitting step always shows two ticks, so the bound
  // holds (other ranges may need a finer step to show two).
  for (int bins = 2; bins <= 9; ++bins) {
    for (double hi : {0.7, 1.0, 3.3, 17.0, 123.0}) {
      EXPECT_LE(NiceTicks(0, hi, bins).size(), bins + 1u)
          << "bins=" << bins << " hi=" << hi;
    }
  }
}

TEST(NiceTicksTest, DegenerateInputs) {
  EXPECT_THAT(NiceTicks(1, 1, 5), IsEmpty());
  EXPECT_THAT(NiceTicks(2, 1, 5), IsEmpty());
  EXPECT_THAT(NiceTicks(0, std::numeric_limits<double>::infinity(), 5),
              IsEmpty());
  EXPECT_THAT(NiceTicks(std::nan(""), 1, 5), IsEmpty());
}

TEST(MaxBinsTest, FollowsMatplotlibTickSpace) {
  EXPECT_EQ(MaxBinsForAxis(150, 10, /*is_x=*/true), 5);
  EXPECT_EQ(MaxBinsForAxis(100, 10, /*is_x=*/false), 5);
  EXPECT_EQ(MaxBinsForAxis(1000, 10, true), 9);
  EXPECT_EQ(MaxBinsForAxis(5, 10, true), 1);
}

TEST(FormatTicksTest, ConsistentDecimals) {
  EXPECT_THAT(FormatTicks({0, 0.2, 0.4, 1.0}),
              ElementsAre("0.0", "0.2", "0.4", "1.0"));
  EXPECT_THAT(FormatTicks({0.2, 0.22, 0.24}),
              ElementsAre("0.20", "0.22", "0.24"));
  EXPECT_THAT(FormatTicks({0, 25, 50}), ElementsAre("0", "25", "50"));
  EXPECT_THAT(FormatTicks({0.1, 0.125, 0.15}),
              ElementsAre("0.100", "0.125", "0.150"));
}

TEST(FormatTicksTest, NoNegativeZeroAndNoRoundingNoise) {
  EXPECT_THAT(FormatTicks({-0.0, 0.1 + 0.2, 0.6}),
              ElementsAre("0.0", "0.3", "0.6"));
  EXPECT_THAT(FormatTicks({-1e-17, 1}), ElementsAre("0", "1"));
}

TEST(FormatTicksTest, ExtremeMagnitudesUseExponent) {
  EXPECT_THAT(FormatTicks({0, 1e9, 2e9}), ElementsAre("0", "1e+09", "2e+09"));
  EXPECT_THAT(FormatTicks({0, 2e-5, 4e-5}), ElementsAre("0", "2e-05", "4e-05"));
}

TEST(FormatNumberTest, SignificantDigitsWithoutTrailingZeros) {
  EXPECT_EQ(FormatNumber(0.000123456), "0.000123");
  EXPECT_EQ(FormatNumber(12.345), "12.3");
  EXPECT_EQ(FormatNumber(1234.6), "1235");
  EXPECT_EQ(FormatNumber(2.50), "2.5");
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(-0.5), "-0.5");
  EXPECT_EQ(FormatNumber(std::nan("")), "nan");
  EXPECT_EQ(FormatNumber(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(FormatPercentTest, Fractions) {
  EXPECT_EQ(FormatPercent(0.953), "95.3%");
  EXPECT_EQ(FormatPercent(1.0), "100%");
  EXPECT_EQ(FormatPercent(0.00125), "0.125%");
}

}  // namespace
}  // namespace multiplex::render
