#include "profiler/decomposition.h"

#include "core/testing/fake_cost_model.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

class DecompositionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cost_.Set("m", {1, 1, 1}, {{0.8}, {0}, {100}});
    // Stages sum to 1.0 (0.2 of communication); the slowest is 0.3, so
    // 4 x 0.3 = 1.2 = 0.8 + 0.2 + 0.2 uneven.
    cost_.Set("m", {1, 1, 4},
              {{0.3, 0.2, 0.2, 0.3}, {0, 0, 0, 0}, {30, 25, 25, 30}});
    cost_.Set("m", {1, 2, 1}, {{0.55}, {0}, {50}});
    // A pipeline faster than L1 (measurement noise) has no overheads.
    cost_.Set("m", {1, 1, 2}, {{0.39, 0.39}, {0, 0}, {50, 50}});
  }
  FakeCostModel cost_;
};

TEST_F(DecompositionTest, Pipeline) {
  PipelineOverhead o = *DecomposePipeline(cost_, "m", 4);
  EXPECT_DOUBLE_EQ(o.computation_s, 0.8);
  EXPECT_NEAR(o.communication_s, 0.2, 1e-12);
  EXPECT_NEAR(o.uneven_partition_s, 0.2, 1e-12);
}

TEST_F(DecompositionTest, PipelineOverheadsNeverNegative) {
  PipelineOverhead o = *DecomposePipeline(cost_, "m", 2);
  EXPECT_EQ(o.communication_s, 0);
  EXPECT_EQ(o.uneven_partition_s, 0);
}

TEST_F(DecompositionTest, Operator) {
  OperatorOverhead o = *DecomposeOperator(cost_, "m", 2);
  EXPECT_DOUBLE_EQ(o.computation_s, 0.4);
  EXPECT_NEAR(o.communication_s, 0.15, 1e-12);
}

TEST_F(DecompositionTest, Parallelism) {
  ParallelismPoint inter =
      *EvaluateParallelism(cost_, "m", Parallelism::kInterOp, 4);
  EXPECT_DOUBLE_EQ(inter.latency_s, 1.0);
  EXPECT_DOUBLE_EQ(inter.throughput_rps, 1 / 0.3);
  EXPECT_DOUBLE_EQ(inter.memory_bytes, 110);
  ParallelismPoint intra =
      *EvaluateParallelism(cost_, "m", Parallelism::kIntraOp, 2);
  EXPECT_DOUBLE_EQ(intra.latency_s, 0.55);
  EXPECT_DOUBLE_EQ(intra.throughput_rps, 1 / 0.55);
  EXPECT_DOUBLE_EQ(intra.memory_bytes, 100);
  ParallelismPoint rep =
      *EvaluateParallelism(cost_, "m", Parallelism::kReplication, 4);
  EXPECT_DOUBLE_EQ(rep.latency_s, 0.8);
  EXPECT_DOUBLE_EQ(rep.throughput_rps, 5);
  EXPECT_DOUBLE_EQ(rep.memory_bytes, 400);
}

TEST_F(DecompositionTest, MissingConfigIsAnError) {
  EXPECT_FALSE(DecomposePipeline(cost_, "m", 8).ok());
  EXPECT_FALSE(DecomposeOperator(cost_, "m", 4).ok());
  EXPECT_FALSE(DecomposePipeline(cost_, "other", 4).ok());
}

}  // namespace
}  // namespace multiplex
