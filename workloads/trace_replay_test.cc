#include "workloads/trace_replay.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;

// Requests of m10, m2 and m0 (first appearance in that order).
Workload SmallTrace() {
  Workload w;
  w.model_names = {"m10", "m2", "m0"};
  w.arrival_s = {0.5, 1, 1.5, 2, 3};
  w.model = {0, 1, 2, 0, 1};
  w.slo_s = {1, 2, 3, 4, 5};
  return w;
}

TEST(TraceReplayTest, NaturalOrderComparesDigitRunsAsNumbers) {
  EXPECT_THAT(NaturalOrder({"m10", "m2", "m0", "a", "m02"}),
              ElementsAre(3, 2, 1, 4, 0));
}

TEST(TraceReplayTest, MatchesByNameWhenAnyNameMatches) {
  const std::vector<std::string> trace = {"m10", "m2", "m0"};
  EXPECT_THAT(MatchTraceModels(trace, {"m0", "m1", "m2"}),
              ElementsAre(2, -1, 1));
}

TEST(TraceReplayTest, MatchesByPositionWhenNoNameMatches) {
  const std::vector<std::string> trace = {"m10", "m2", "m0"};
  // Natural order: m0, m2, m10.
  EXPECT_THAT(MatchTraceModels(trace, {"a", "b", "c", "d"}),
              ElementsAre(2, 1, 0, -1));
}

TEST(TraceReplayTest, EachModelKeepsItsOwnStream) {
  absl::StatusOr<Workload> w =
      ReplayTrace(SmallTrace(), {"x", "y"}, 10, {}, /*every_request=*/false);
  ASSERT_TRUE(w.ok()) << w.status();
  // x replays m0, y replays m2; m10's requests are left out.
  EXPECT_THAT(w->model_names, ElementsAre("x", "y"));
  EXPECT_THAT(w->arrival_s, ElementsAre(1, 1.5, 3));
  EXPECT_THAT(w->model, ElementsAre(1, 0, 1));
  EXPECT_THAT(w->slo_s, ElementsAre(2, 3, 5));
}

TEST(TraceReplayTest, EndAndSloOverride) {
  absl::StatusOr<Workload> w =
      ReplayTrace(SmallTrace(), {"m0", "m2", "m10"}, 2, {7, 8, 9}, true);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(w->arrival_s, ElementsAre(0.5, 1, 1.5));
  EXPECT_THAT(w->model, ElementsAre(2, 1, 0));
  EXPECT_THAT(w->slo_s, ElementsAre(9, 8, 7));
}

TEST(TraceReplayTest, EveryRequestFailsOnAnUnservedModel) {
  absl::StatusOr<Workload> w = ReplayTrace(
      SmallTrace(), {"m0", "m2"}, std::numeric_limits<double>::infinity(), {},
      /*every_request=*/true);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("model 'm10'"), std::string::npos)
      << w.status();
  EXPECT_FALSE(ReplayTrace(SmallTrace(), {"m0"}, 10, {1, 2}, false).ok());
}

}  // namespace
}  // namespace multiplex
