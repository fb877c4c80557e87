#include "workloads/rate_split.h"

#include <cmath>
#include <numeric>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

double Sum(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0);
}

TEST(SplitRateTest, Uniform) {
  auto r = SplitRate("uniform", 20, 8);
  ASSERT_TRUE(r.ok()) << r.status();
  for (double x : *r) EXPECT_DOUBLE_EQ(x, 2.5);
}

TEST(SplitRateTest, PowerLawIsExact) {
  const int n = 8;
  const double total = 20;
  auto r = SplitRate("power_law", total, n);
  ASSERT_TRUE(r.ok()) << r.status();
  double z = 0;
  for (int i = 0; i < n; ++i) z += 1.0 / std::sqrt(i + 1.0);
  for (int i = 0; i < n; ++i) {
    EXPECT_NEAR((*r)[i], total / std::sqrt(i + 1.0) / z, 1e-12) << i;
  }
  EXPECT_NEAR(Sum(*r), total, 1e-12);
  // Ratios are exactly (i+1)^-0.5.
  EXPECT_NEAR((*r)[3] / (*r)[0], 0.5, 1e-12);
}

TEST(SplitRateTest, PowerLawWithExponent) {
  auto r = SplitRate("power_law:1", 11, 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR((*r)[0], 11.0 * 2 / 3, 1e-12);
  EXPECT_NEAR((*r)[1], 11.0 / 3, 1e-12);
}

TEST(SplitRateTest, ExplicitWeightsAreExact) {
  auto r = SplitRate("2:8", 3, 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR((*r)[0], 0.6, 1e-12);
  EXPECT_NEAR((*r)[1], 2.4, 1e-12);
  auto r3 = SplitRate("1:1:2", 1, 3);
  ASSERT_TRUE(r3.ok());
  EXPECT_NEAR((*r3)[2], 0.5, 1e-12);
  auto one = SplitRate("5", 7, 1);
  ASSERT_TRUE(one.ok());
  EXPECT_THAT(*one, ElementsAre(7.0));
  auto zero_weight = SplitRate("0:1", 4, 2);
  ASSERT_TRUE(zero_weight.ok());
  EXPECT_THAT(*zero_weight, ElementsAre(0.0, 4.0));
}

TEST(SplitRateTest, TriangleDecayHalvesPerTier) {
  auto w = SplitWeights("triangle_decay", 8);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(*w, ElementsAre(1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125));
  auto r = SplitRate("triangle_decay", 12, 3);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(*r, ElementsAre(6, 3, 3));
}

TEST(SplitRateTest, Errors) {
  EXPECT_THAT(SplitRate("zipf", 1, 2).status().message(),
              HasSubstr("unknown rate split 'zipf'"));
  EXPECT_THAT(SplitRate("zipf", 1, 2).status().message(),
              HasSubstr("uniform, power_law"));
  EXPECT_THAT(SplitRate("2:8", 1, 3).status().message(),
              HasSubstr("2 weights but there are 3 models"));
  EXPECT_THAT(SplitRate("2:-1", 1, 2).status().message(), HasSubstr(">= 0"));
  EXPECT_THAT(SplitRate("0:0", 1, 2).status().message(),
              HasSubstr("sum to zero"));
  EXPECT_THAT(SplitRate("power_law:-1", 1, 2).status().message(),
              HasSubstr("exponent"));
  EXPECT_THAT(SplitRate("uniform", 0, 2).status().message(),
              HasSubstr("total rate"));
  EXPECT_EQ(std::string(SplitRate("uniform", -3, 2).status().message()),
            "the total rate must be a finite number > 0, got -3");
  EXPECT_EQ(std::string(SplitRate("uniform", NAN, 2).status().message()),
            "the total rate must be a finite number > 0, got nan");
  EXPECT_EQ(std::string(SplitRate("uniform", INFINITY, 2).status().message()),
            "the total rate must be a finite number > 0, got inf");
  EXPECT_FALSE(SplitRate("uniform", 1, 0).ok());
}

TEST(ParseNumberListTest, SlashSeparated) {
  auto v = ParseNumberList("10/20/0.5", '/');
  ASSERT_TRUE(v.ok());
  EXPECT_THAT(*v, ElementsAre(10, 20, 0.5));
  EXPECT_FALSE(ParseNumberList("10//20", '/').ok());
  EXPECT_FALSE(ParseNumberList("", '/').ok());
  EXPECT_FALSE(ParseNumberList("1/x", '/').ok());
  EXPECT_FALSE(ParseNumberList("1/inf", '/').ok());
}

}  // namespace
}  // namespace multiplex
