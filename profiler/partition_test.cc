#include "profiler/partition.h"

#include <algorithm>
#include <functional>
#include <random>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

std::vector<UnitKind> Units(int layers, bool split) {
  std::vector<UnitKind> kinds = {UnitKind::kEmbedding};
  for (int l = 0; l < layers; ++l) {
    if (split) {
      kinds.push_back(UnitKind::kAttention);
      kinds.push_back(UnitKind::kFfn);
    } else {
      kinds.push_back(UnitKind::kLayer);
    }
  }
  kinds.push_back(UnitKind::kHead);
  return kinds;
}

TEST(ManualPartitionTest, EqualLayersEmbeddingFirstHeadLast) {
  std::vector<UnitKind> kinds = Units(8, /*split=*/true);  // 18 units
  absl::StatusOr<std::vector<int>> b = ManualPartition(kinds, 4);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*b, (std::vector<int>{0, 5, 9, 13, 18}));
  b = ManualPartition(kinds, 1);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (std::vector<int>{0, 18}));
}

TEST(ManualPartitionTest, RemainderGoesToMiddleStages) {
  std::vector<UnitKind> kinds = Units(5, /*split=*/false);  // 7 units
  absl::StatusOr<std::vector<int>> b = ManualPartition(kinds, 3);
  ASSERT_TRUE(b.ok());
  // 5 = 1 + 2 + 2? base 1, extra 2: middle stage first, then stage 0.
  EXPECT_EQ(*b, (std::vector<int>{0, 3, 5, 7}));
}

TEST(ManualPartitionTest, RejectsMoreStagesThanLayers) {
  EXPECT_FALSE(ManualPartition(Units(4, true), 5).ok());
  EXPECT_FALSE(ManualPartition(Units(4, true), 0).ok());
  EXPECT_FALSE(ManualPartition({UnitKind::kFfn, UnitKind::kAttention}, 1).ok());
}

TEST(DpPartitionTest, RejectsBadInput) {
  EXPECT_FALSE(DpPartition({1, 2}, 3).ok());
  EXPECT_FALSE(DpPartition({1, -2}, 1).ok());
  EXPECT_FALSE(PartitionUnits("greedy", {1}, {UnitKind::kLayer}, 1).ok());
  EXPECT_FALSE(PartitionUnits("dp", {1, 2}, {UnitKind::kLayer}, 1).ok());
}

// Exhaustive search over all boundary choices.
double BruteForce(const std::vector<double>& v, int stages,
                  const std::vector<double>& overhead = {}) {
  const int n = static_cast<int>(v.size());
  double best = 1e300;
  std::vector<int> b(stages + 1);
  b[0] = 0;
  b[stages] = n;
  std::function<void(int)> rec = [&](int s) {
    if (s == stages) {
      std::vector<double> sums = StageSums(v, b);
      for (size_t k = 0; k < overhead.size(); ++k) sums[k] += overhead[k];
      best = std::min(best, *std::max_element(sums.begin(), sums.end()));
      return;
    }
    for (int i = b[s - 1] + 1; i <= n - (stages - s); ++i) {
      b[s] = i;
      rec(s + 1);
    }
  };
  rec(1);
  return best;
}

TEST(DpPartitionTest, MatchesBruteForce) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.1, 3.0);
  for (int trial = 0; trial < 300; ++trial) {
    int n = 1 + static_cast<int>(rng() % 11);
    int stages = 1 + static_cast<int>(rng() % n);
    std::vector<double> v(n);
    for (double& x : v) x = u(rng);
    absl::StatusOr<std::vector<int>> b = DpPartition(v, stages);
    ASSERT_TRUE(b.ok()) << b.status();
    ASSERT_EQ(b->size(), stages + 1);
    EXPECT_EQ(b->front(), 0);
    EXPECT_EQ(b->back(), n);
    for (int s = 0; s < stages; ++s) EXPECT_LT((*b)[s], (*b)[s + 1]);
    EXPECT_DOUBLE_EQ(MaxStageSum(v, *b), BruteForce(v, stages))
        << "n=" << n << " stages=" << stages << " " << BoundariesToString(*b);
  }
}

TEST(DpPartitionTest, WithStageOverheadsMatchesBruteForce) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(0.1, 3.0);
  for (int trial = 0; trial < 300; ++trial) {
    int n = 1 + static_cast<int>(rng() % 10);
    int stages = 1 + static_cast<int>(rng() % n);
    std::vector<double> v(n), overhead(stages);
    for (double& x : v) x = u(rng);
    for (double& x : overhead) x = u(rng) * 0.5;
    absl::StatusOr<std::vector<int>> b = DpPartition(v, stages, overhead);
    ASSERT_TRUE(b.ok()) << b.status();
    std::vector<double> sums = StageSums(v, *b);
    for (int k = 0; k < stages; ++k) sums[k] += overhead[k];
    EXPECT_DOUBLE_EQ(*std::max_element(sums.begin(), sums.end()),
                     BruteForce(v, stages, overhead));
  }
  EXPECT_FALSE(DpPartition({1, 2, 3}, 2, {1.0}).ok());
}

TEST(DpPartitionTest, NeverWorseThanManual) {
  std::vector<UnitKind> kinds = Units(12, true);
  std::vector<double> v(kinds.size(), 1.0);
  v.front() = 1.5;  // heavy embedding
  v.back() = 3.0;   // heavy head
  for (int stages : {1, 2, 3, 4, 6, 12}) {
    absl::StatusOr<std::vector<int>> manual =
        PartitionUnits("manual", v, kinds, stages);
    absl::StatusOr<std::vector<int>> dp =
        PartitionUnits("dp", v, kinds, stages);
    ASSERT_TRUE(manual.ok() && dp.ok());
    EXPECT_LE(MaxStageSum(v, *dp), MaxStageSum(v, *manual));
  }
  absl::StatusOr<std::vector<int>> manual = ManualPartition(kinds, 4);
  absl::StatusOr<std::vector<int>> dp = DpPartition(v, 4);
  EXPECT_LT(MaxStageSum(v, *dp), MaxStageSum(v, *manual));
}

TEST(StageSumsTest, Sums) {
  EXPECT_EQ(StageSums({1, 2, 3, 4}, {0, 1, 4}), (std::vector<double>{1, 9}));
  EXPECT_EQ(BoundariesToString({0, 2}), "[0,2]");
}

}  // namespace
}  // namespace multiplex
