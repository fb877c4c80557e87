#include "core/placement.h"

#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

class PlacementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A 13.4 GiB model: one copy fits a 14 GiB GPU; as a 2-stage pipeline
    // each GPU holds half, so two models fit.
    cost_.SetUniform("big", {1, 1, 1}, 0.4, 13.4 * kGiB);
    cost_.SetUniform("big", {1, 1, 2}, 0.4, 13.4 * kGiB);
    models_ = {{"m0", "big"}, {"m1", "big"}};
    cluster_ = {2, 14 * kGiB, 8};
  }
  FakeCostModel cost_;
  std::vector<ModelSpec> models_;
  Cluster cluster_;
};

TEST_F(PlacementTest, ReplicasOnSeparateGpusFit) {
  Placement p{{{{1, 1, 1}, {0}}, {{1, 1, 1}, {1}}}};
  EXPECT_TRUE(VerifyPlacement(p, models_, cluster_, cost_).ok());
  EXPECT_EQ(p.NumDevices(), 2);
  EXPECT_EQ(p.NumReplicas(), 2);
  EXPECT_EQ(p.ToString(models_), "group 0 (1,1,1): m0 | group 1 (1,1,1): m1");
}

TEST_F(PlacementTest, PipelineHostsBoth) {
  Placement p{{{{1, 1, 2}, {0, 1}}}};
  EXPECT_TRUE(VerifyPlacement(p, models_, cluster_, cost_).ok());
  EXPECT_NEAR(*GroupMemoryBytes(p.groups[0], models_, cost_), 13.4 * kGiB, 1);
}

TEST_F(PlacementTest, OverBudgetNamesGroupAndMemory) {
  Placement p{{{{1, 1, 1}, {0, 1}}}};
  absl::Status s = VerifyPlacement(p, models_, cluster_, cost_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "group 0 (1,1,1): needs 26.800 GiB per device, over the budget of "
            "14.000 GiB");
}

TEST_F(PlacementTest, DuplicateModelInGroup) {
  Placement p{{{{1, 1, 2}, {1, 1}}}};
  absl::Status s = VerifyPlacement(p, models_, cluster_, cost_);
  EXPECT_THAT(s.message(), HasSubstr("hosts model m1 twice"));
}

TEST_F(PlacementTest, TooManyDevices) {
  Placement p{{{{1, 1, 2}, {0}}, {{1, 1, 1}, {1}}}};
  absl::Status s = VerifyPlacement(p, models_, cluster_, cost_);
  EXPECT_THAT(s.message(), HasSubstr("uses 3 devices, the cluster has 2"));
}

TEST_F(PlacementTest, UnknownConfig) {
  Placement p{{{{1, 2, 1}, {0}}}};
  absl::Status s = VerifyPlacement(p, models_, cluster_, cost_);
  EXPECT_THAT(s.message(), HasSubstr("has no config (1,2,1) for model m0"));
}

TEST_F(PlacementTest, ModelIndexOutOfRange) {
  Placement p{{{{1, 1, 1}, {2}}}};
  absl::Status s = VerifyPlacement(p, models_, cluster_, cost_);
  EXPECT_THAT(s.message(), HasSubstr("model index 2 out of range [0, 2)"));
}

TEST_F(PlacementTest, InvalidDegrees) {
  Placement p{{{{1, 0, 1}, {0}}}};
  EXPECT_THAT(VerifyPlacement(p, models_, cluster_, cost_).message(),
              HasSubstr("parallel degrees must be >= 1"));
}

TEST_F(PlacementTest, EmptyGroupIsAllowed) {
  Placement p{{{{1, 1, 1}, {}}}};
  EXPECT_TRUE(VerifyPlacement(p, models_, cluster_, cost_).ok());
}

TEST(StageCostsTest, Aggregates) {
  StageCosts c{{0.1, 0.3, 0.2}, {0, 0, 0}, {1, 5, 2}};
  EXPECT_DOUBLE_EQ(c.TotalLatency(), 0.6);
  EXPECT_DOUBLE_EQ(c.MaxLatency(), 0.3);
  EXPECT_DOUBLE_EQ(c.MaxWeightBytes(), 5);
  EXPECT_EQ(StageCosts{}.MaxLatency(), 0.0);
}

}  // namespace
}  // namespace multiplex
