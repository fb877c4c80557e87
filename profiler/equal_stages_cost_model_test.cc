#include "profiler/equal_stages_cost_model.h"

#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;

TEST(EqualStagesCostModelTest, ReplacesOnlyTheChosenConfig) {
  FakeCostModel base;
  base.Set("m", {1, 1, 1}, {{0.8}, {0}, {100}});
  base.Set("m", {1, 1, 4},
           {{0.3, 0.2, 0.2, 0.3}, {0, 0, 0, 0}, {30, 25, 25, 30}});
  base.Set("m", {1, 1, 2}, {{0.5, 0.4}, {0, 0}, {50, 50}});
  EqualStagesCostModel model(&base, "m", {1, 1, 4}, 1.5);
  absl::StatusOr<StageCosts> s = model.Stages("m", {1, 1, 4}, 1);
  ASSERT_TRUE(s.ok());
  const double stage = 1.5 * 0.8 / 4;
  EXPECT_THAT(s->latency_s, ElementsAre(stage, stage, stage, stage));
  EXPECT_THAT(s->weight_bytes, ElementsAre(30, 25, 25, 30));
  EXPECT_THAT(model.Stages("m", {1, 1, 2}, 1)->latency_s,
              ElementsAre(0.5, 0.4));
  EXPECT_THAT(model.Stages("m", {1, 1, 1}, 1)->latency_s, ElementsAre(0.8));
  EXPECT_FALSE(model.Stages("m", {1, 2, 1}, 1).ok());
  EXPECT_EQ(model.Configs("m").size(), 3u);
}

}  // namespace
}  // namespace multiplex
