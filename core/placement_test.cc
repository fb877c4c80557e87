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

// A GPU filled exactly: 0.1 + 0.2 GiB sums, in doubles, to a hair over the
// 0.3 GiB budget (0.30000000000000004), which kMemoryBudgetTolerance
// accepts; one byte over a budget is still refused.
TEST(PlacementBudgetTest, FilledExactlyFitsOneByteOverDoesNot) {
  FakeCostModel cost;
  cost.SetUniform("a", {1, 1, 1}, 0.1, 0.1 * kGiB);
  cost.SetUniform("b", {1, 1, 1}, 0.1, 0.2 * kGiB);
  const std::vector<ModelSpec> models = {{"m0", "a"}, {"m1", "b"}};
  const Placement p{{{{1, 1, 1}, {0, 1}}}};
  ASSERT_GT(*GroupMemoryBytes(p.groups[0], models, cost), 0.3 * kGiB);
  EXPECT_TRUE(VerifyPlacement(p, models, {1, 0.3 * kGiB, 8}, cost).ok());
  const absl::Status over =
      VerifyPlacement(p, models, {1, 0.3 * kGiB - 1, 8}, cost);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.message(),
            "group 0 (1,1,1): needs 0.300 GiB per device, over the budget of "
            "0.300 GiB");
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

// Regression: a (65536,65536,1) group used to count 65536 x 65536 = 2^32 = 0
// devices in an int, pass as "0 of 4 devices" and be simulated.
TEST_F(PlacementTest, RejectsDeviceCountOverflow) {
  cluster_.num_devices = 4;
  Placement p{{{{65536, 65536, 1}, {0}}}};
  EXPECT_EQ(VerifyPlacement(p, models_, cluster_, cost_).message(),
            "group 0 (65536,65536,1): dp x op x pp = 4294967296 devices, over "
            "the limit of 1048576 devices per group (kMaxDevices)");
  EXPECT_EQ(p.NumDevices(), -1);
  // Degrees that would overflow even 64 bits (2^31 x 2^31 x 2^16).
  p.groups[0].config = {2147483647, 2147483647, 65536};
  EXPECT_EQ(VerifyPlacement(p, models_, cluster_, cost_).message(),
            "group 0 (2147483647,2147483647,65536): dp 2147483647 is over the "
            "limit of 1048576 devices per group (kMaxDevices)");
}

TEST_F(PlacementTest, RejectsStageCountOverLimit) {
  Placement p{{{{1, 1, 65537}, {0}}}};
  EXPECT_EQ(VerifyPlacement(p, models_, cluster_, cost_).message(),
            "group 0 (1,1,65537): pp 65537 is over the limit of 65536 pipeline "
            "stages (kMaxStages)");
}

// Groups of 2^20 devices each are valid; their sum must not wrap either.
TEST_F(PlacementTest, RejectsTotalDeviceCountOverflow) {
  Placement p;
  for (int g = 0; g < 2048; ++g) p.groups.push_back({{1, 1024, 1024}, {}});
  EXPECT_EQ(p.NumDevices(), -1);
  EXPECT_EQ(VerifyPlacement(p, models_, cluster_, cost_).message(),
            "groups 0 to 1 use 2097152 devices, over the limit of 1048576 "
            "devices per placement (kMaxDevices)");
  p.groups.resize(1);
  EXPECT_EQ(p.NumDevices(), 1 << 20);
  EXPECT_THAT(VerifyPlacement(p, models_, cluster_, cost_).message(),
              HasSubstr("uses 1048576 devices, the cluster has 2"));
}

TEST_F(PlacementTest, RejectsClusterDeviceCountOverLimit) {
  cluster_.num_devices = kMaxDevices + 1;
  Placement p{{{{1, 1, 1}, {0}}}};
  EXPECT_EQ(VerifyPlacement(p, models_, cluster_, cost_).message(),
            "the cluster has 1048577 devices, over the limit of 1048576 "
            "(kMaxDevices)");
}

TEST(VerifyGroupsTest, RejectsModelCountOverLimit) {
  std::vector<std::string> names(kMaxModels + 1, "m");
  EXPECT_EQ(VerifyGroups(Placement{}, names).message(),
            "1048577 models, over the limit of 1048576 (kMaxModels)");
  names.pop_back();
  EXPECT_TRUE(VerifyGroups(Placement{}, names).ok());
}

TEST(ParallelConfigTest, BoundsAreInclusive) {
  EXPECT_TRUE((ParallelConfig{1, 1, kMaxStages}).IsValid());
  EXPECT_TRUE((ParallelConfig{kMaxDevices, 1, 1}).IsValid());
  EXPECT_TRUE((ParallelConfig{1, 16, kMaxStages}).IsValid());
  EXPECT_EQ((ParallelConfig{1, 16, kMaxStages}).NumDevices(), kMaxDevices);
  EXPECT_TRUE(CheckParallelConfig({1, 16, kMaxStages}).ok());
  EXPECT_FALSE((ParallelConfig{1, 17, kMaxStages}).IsValid());
  EXPECT_EQ((ParallelConfig{1, 17, kMaxStages}).NumDevices(), -1);
  EXPECT_FALSE((ParallelConfig{0, 1, 1}).IsValid());
  EXPECT_EQ(CheckParallelConfig({1, 1, -3}).message(),
            "parallel degrees must be >= 1");
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
