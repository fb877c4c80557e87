#include "experiments/lib/case_assignment.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "experiments/lib/study_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;

TEST(AssignCasesTest, LongestFirstToTheLeastLoaded) {
  // 5 -> r0, 4 -> r1, 3 (case 2) -> r1 (7), 3 (case 3) -> r0 (8),
  // 3 (case 4) -> r1 (10).
  std::vector<std::vector<size_t>> share = AssignCases({5, 4, 3, 3, 3}, 2);
  ASSERT_EQ(share.size(), 2u);
  EXPECT_THAT(share[0], ElementsAre(0, 3));
  EXPECT_THAT(share[1], ElementsAre(1, 2, 4));
}

TEST(AssignCasesTest, EqualCostsGoRoundRobin) {
  std::vector<std::vector<size_t>> share =
      AssignCases(std::vector<double>(7, 1.0), 3);
  EXPECT_THAT(share[0], ElementsAre(0, 3, 6));
  EXPECT_THAT(share[1], ElementsAre(1, 4));
  EXPECT_THAT(share[2], ElementsAre(2, 5));
}

TEST(AssignCasesTest, MoreRanksThanCasesAndOneRank) {
  std::vector<std::vector<size_t>> share = AssignCases({2, 1}, 4);
  ASSERT_EQ(share.size(), 4u);
  EXPECT_THAT(share[0], ElementsAre(0));
  EXPECT_THAT(share[1], ElementsAre(1));
  EXPECT_TRUE(share[2].empty());
  EXPECT_TRUE(share[3].empty());
  EXPECT_THAT(AssignCases({1, 2, 3}, 1)[0], ElementsAre(0, 1, 2));
  EXPECT_TRUE(AssignCases({}, 2)[0].empty());
}

TEST(AssignCasesTest, UnitsStayTogether) {
  // Unit costs 2, 10, 4: unit 1 -> r0, unit 2 -> r1, unit 0 -> r1.
  std::vector<std::vector<size_t>> share =
      AssignCases({1, 1, 5, 5, 2, 2}, {0, 0, 1, 1, 2, 2}, 2);
  EXPECT_THAT(share[0], ElementsAre(2, 3));
  EXPECT_THAT(share[1], ElementsAre(0, 1, 4, 5));
  // Units need not be contiguous.
  share = AssignCases({1, 1, 1, 1}, {7, 3, 7, 3}, 2);
  EXPECT_THAT(share[0], ElementsAre(0, 2));
  EXPECT_THAT(share[1], ElementsAre(1, 3));
}

// Every case exactly once, and LPT's bound: no rank's load exceeds the
// mean plus the largest cost.
TEST(AssignCasesTest, PartitionAndBalanceBound) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> cost_of(0, 1.5);
  for (int trial = 0; trial < 50; ++trial) {
    const int ranks = 1 + trial % 5;
    std::vector<double> cost(1 + trial * 3);
    for (double& c : cost) c = cost_of(rng);
    std::vector<std::vector<size_t>> share = AssignCases(cost, ranks);
    ASSERT_EQ(share.size(), static_cast<size_t>(ranks));
    std::vector<size_t> all;
    const double total = std::accumulate(cost.begin(), cost.end(), 0.0);
    const double largest = *std::max_element(cost.begin(), cost.end());
    for (const std::vector<size_t>& s : share) {
      EXPECT_TRUE(std::is_sorted(s.begin(), s.end()));
      double load = 0;
      for (size_t i : s) load += cost[i];
      EXPECT_LE(load, total / ranks + largest + 1e-9) << "trial " << trial;
      all.insert(all.end(), s.begin(), s.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<size_t> want(cost.size());
    std::iota(want.begin(), want.end(), 0);
    EXPECT_EQ(all, want) << "trial " << trial;
  }
}

StudyOptions Options() { return testing_util::ShippedDatabaseOptions(); }

TEST(EstimateCaseCostsTest, RequestsTimesCandidates) {
  const std::string spec = R"(
    name: "t"
    cluster { num_devices: 4 }
    models { type: "bert-1.3b" count: 3 }
    workload { total_rate: 2 duration_s: 200 }
    policies { label: "SR" spec: "sr-greedy" }
    policies { label: "MP" spec: "mp-greedy-2" }
    sweep { fields { field: "workload.total_rate" values: [2, 5] } }
    sweep { fields { field: "cluster.num_devices" values: [4, 8] } }
  )";
  absl::StatusOr<Study> s = ParseStudy(spec, "s.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  // Cases: (rate, devices, policy) with rate outermost. Requests 400 or
  // 1000, placed on with 3 models x 4 or 8 devices candidates, plus 1.
  EXPECT_THAT(EstimateCaseCosts(*s),
              ElementsAre(1 + 400 + 400 * 12, 1 + 400 + 400 * 12,
                          1 + 400 + 400 * 24, 1 + 400 + 400 * 24,
                          1 + 1000 + 1000 * 12, 1 + 1000 + 1000 * 12,
                          1 + 1000 + 1000 * 24, 1 + 1000 + 1000 * 24));

  // --duration_scale shortens the runs; a training draw of its own counts
  // its duration.
  StudyOptions half = Options();
  half.duration_scale = 0.5;
  const std::string trained = spec + "training { seed: 3 duration_s: 50 }\n";
  absl::StatusOr<Study> t = ParseStudy(trained, "s.textproto", half);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(EstimateCaseCosts(*t)[0], 1 + 200 + 50 * 12);
}

// The policies of a sweep point together when there are 4 points per rank,
// so that a costly policy does not land on one rank: with 3 equal-cost
// policies dealt case by case over 3 ranks, each rank would get one policy.
TEST(AssignmentUnitsTest, SweepPointsWhenThereAreEnough) {
  const std::string spec = R"(
    name: "t"
    cluster { num_devices: 4 }
    models { type: "bert-1.3b" count: 3 }
    workload { total_rate: 2 duration_s: 100 }
    policies { label: "A" spec: "sr-greedy" }
    policies { label: "B" spec: "mp-greedy-2" }
    policies { label: "C" spec: "mp-search" }
    sweep { fields { field: "workload.cv" values: [1, 2, 3, 4] } }
    sweep { fields { field: "workload.seed" values: [1, 2, 3] } }
  )";
  absl::StatusOr<Study> s = ParseStudy(spec, "s.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 36u);
  // 12 points: units for up to 3 ranks.
  std::vector<int> unit = AssignmentUnits(*s, 3);
  for (size_t i = 0; i < 36; ++i) EXPECT_EQ(unit[i], static_cast<int>(i / 3));
  std::vector<std::vector<size_t>> share = AssignStudy(*s, 3);
  for (const std::vector<size_t>& cases : share) {
    ASSERT_EQ(cases.size(), 12u);
    int per_policy[3] = {0, 0, 0};
    for (size_t i : cases) ++per_policy[s->cases[i].policy];
    EXPECT_THAT(per_policy, ElementsAre(4, 4, 4));
  }
  // With 4 ranks, 12 points are too few: case by case.
  unit = AssignmentUnits(*s, 4);
  for (size_t i = 0; i < 36; ++i) EXPECT_EQ(unit[i], static_cast<int>(i));
}

}  // namespace
}  // namespace multiplex
