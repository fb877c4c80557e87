#include "core/simulator_schedule.h"

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/placement_schedule.h"
#include "core/simulator.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

ServingConstants NoOverhead() {
  ServingConstants c;
  c.fixed_overhead_s = 0.0;
  c.stage_slowdown = 0.0;
  return c;
}

Workload Requests(const std::vector<std::pair<double, int>>& requests) {
  Workload w;
  w.model_names = {"m0", "m1"};
  for (const auto& [t, m] : requests) {
    w.arrival_s.push_back(t);
    w.model.push_back(m);
    w.slo_s.push_back(kInf);
  }
  return w;
}

// Phase 0: m0 and m1 on one GPU each (1 s per request). Phase 1, from 2.5 s:
// one 2-stage pipeline over both GPUs hosting both (0.5 s a stage).
PreparedSchedule TwoPhases() {
  const Placement before{{{{1, 1, 1}, {0}}, {{1, 1, 1}, {1}}}};
  const Placement after{{{{1, 1, 2}, {0, 1}}}};
  absl::StatusOr<PreparedPlacement> p0 = PreparedPlacement::FromLatencies(
      before, {"m0", "m1"}, {{{1.0}}, {{1.0}}}, NoOverhead());
  absl::StatusOr<PreparedPlacement> p1 = PreparedPlacement::FromLatencies(
      after, {"m0", "m1"}, {{{0.5, 0.5}, {0.5, 0.5}}}, NoOverhead());
  EXPECT_TRUE(p0.ok() && p1.ok());
  absl::StatusOr<PreparedSchedule> s =
      PreparedSchedule::FromPhases({0.0, 2.5}, {*p0, *p1});
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// Worked by hand. Phase 0: request 0 at 0 on GPU 0 until 1; request 1 at 0.5
// waits until 1, finishes at 2; request 2 at 2.0 is accepted before the
// switch and finishes on the old group at 3.0. Phase 1: the pipeline's
// clocks start at 3.0, when GPU 0 frees (GPU 1 is idle): request 3 (m1, at
// 2.6) runs its stages 3.0-3.5 and 3.5-4.0; request 4 (m0, at 3.0) 3.5-4.0
// and 4.0-4.5.
TEST(SimulatorScheduleTest, TwoPhasesCarryTheDevicesBusyTime) {
  const PreparedSchedule schedule = TwoPhases();
  EXPECT_EQ(schedule.num_groups(), 3);
  const Workload w =
      Requests({{0.0, 0}, {0.5, 0}, {2.0, 0}, {2.6, 1}, {3.0, 0}});
  absl::StatusOr<SimulationResult> r = Simulate(schedule, w);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->group, ElementsAre(0, 0, 0, 2, 2));
  EXPECT_THAT(r->start_s, ElementsAre(0.0, 1.0, 2.0, 3.0, 3.5));
  EXPECT_THAT(r->finish_s, ElementsAre(1.0, 2.0, 3.0, 4.0, 4.5));
  EXPECT_THAT(r->good, ElementsAre(1, 1, 1, 1, 1));
  EXPECT_THAT(r->group_served, ElementsAre(3, 0, 2));
  ASSERT_EQ(r->group_config.size(), 3u);
  EXPECT_EQ(r->group_config[2], (ParallelConfig{1, 1, 2}));
  ASSERT_EQ(r->busy.size(), 3u);
  EXPECT_THAT(r->busy[2][0],
              ElementsAre(Interval{3.0, 3.5}, Interval{3.5, 4.0}));
  EXPECT_THAT(r->busy[2][1],
              ElementsAre(Interval{3.5, 4.0}, Interval{4.0, 4.5}));

  SimulatorScratch scratch;
  LeanResult lean;
  ASSERT_TRUE(SimulateLean(schedule, w, &scratch, &lean, 0.0).ok());
  EXPECT_THAT(lean.requests, ElementsAre(4, 1));
  EXPECT_THAT(lean.good, ElementsAre(4, 1));
  EXPECT_DOUBLE_EQ(lean.good_latency_sum_s[0], 1.0 + 1.5 + 1.0 + 1.5);
  EXPECT_DOUBLE_EQ(lean.good_latency_sum_s[1], 1.4);
  EXPECT_THAT(lean.group_served, ElementsAre(3, 0, 2));
}

// A request whose SLO the busy devices break is rejected by the new phase,
// and occupies nothing.
TEST(SimulatorScheduleTest, NewPhaseRejectsWhatTheOldWorkDelays) {
  const PreparedSchedule schedule = TwoPhases();
  Workload w = Requests({{2.0, 0}, {2.6, 1}, {2.7, 1}});
  w.slo_s[1] = 1.0;  // would finish at 3.0 + 1.0 = 4.0: 1.4 s late
  absl::StatusOr<SimulationResult> r = Simulate(schedule, w);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->group, ElementsAre(0, -1, 2));
  EXPECT_THAT(r->finish_s, ElementsAre(3.0, 2.6, 4.0));
}

// A phase that leaves a device unused keeps its busy time for later phases:
// GPU 1 is busy until 5 in phase 0, idle in phase 1 (one GPU), and delays
// phase 2's pipeline over both.
TEST(SimulatorScheduleTest, UnusedDevicesKeepTheirTime) {
  const Placement two{{{{1, 1, 1}, {0}}, {{1, 1, 1}, {1}}}};
  const Placement one{{{{1, 1, 1}, {0, 1}}}};
  const Placement pipe{{{{1, 1, 2}, {0, 1}}}};
  auto prepare = [](const Placement& p,
                    std::vector<std::vector<std::vector<double>>> lat) {
    return *PreparedPlacement::FromLatencies(p, {"m0", "m1"}, lat,
                                             NoOverhead());
  };
  absl::StatusOr<PreparedSchedule> s = PreparedSchedule::FromPhases(
      {0.0, 1.0, 2.0},
      {prepare(two, {{{1.0}}, {{5.0}}}), prepare(one, {{{1.0}, {1.0}}}),
       prepare(pipe, {{{0.5, 0.5}, {0.5, 0.5}}})});
  ASSERT_TRUE(s.ok()) << s.status();
  const Workload w = Requests({{0.0, 1}, {1.5, 0}, {2.0, 0}});
  absl::StatusOr<SimulationResult> r = Simulate(*s, w);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->group, ElementsAre(1, 2, 3));
  EXPECT_THAT(r->finish_s, ElementsAre(5.0, 2.5, 6.0));
}

// A one-phase schedule is the static run, bit for bit.
TEST(SimulatorScheduleTest, OnePhaseEqualsTheStaticRun) {
  const Placement p{{{{1, 1, 2}, {0, 1}}, {{1, 1, 1}, {0}}}};
  absl::StatusOr<PreparedPlacement> prepared = PreparedPlacement::FromLatencies(
      p, {"m0", "m1"}, {{{0.1, 0.12}, {0.2, 0.1}}, {{0.21}}});
  ASSERT_TRUE(prepared.ok());
  absl::StatusOr<PreparedSchedule> schedule =
      PreparedSchedule::FromPhases({0.0}, {*prepared});
  ASSERT_TRUE(schedule.ok());
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> gap(12.0);
  Workload w;
  w.model_names = {"m0", "m1"};
  for (double t = 0; t < 300; t += gap(rng)) {
    w.arrival_s.push_back(t);
    w.model.push_back(static_cast<int32_t>(rng() % 2));
    w.slo_s.push_back(0.5);
  }
  absl::StatusOr<SimulationResult> a = Simulate(*prepared, w);
  absl::StatusOr<SimulationResult> b = Simulate(*schedule, w);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->group, b->group);
  EXPECT_EQ(a->start_s, b->start_s);
  EXPECT_EQ(a->finish_s, b->finish_s);
  EXPECT_EQ(a->good, b->good);
  EXPECT_EQ(a->busy, b->busy);
  SimulatorScratch scratch;
  LeanResult la, lb;
  ASSERT_TRUE(SimulateLean(*prepared, w, &scratch, &la).ok());
  ASSERT_TRUE(SimulateLean(*schedule, w, &scratch, &lb).ok());
  EXPECT_EQ(la.requests, lb.requests);
  EXPECT_EQ(la.good, lb.good);
  EXPECT_EQ(la.good_latency_sum_s, lb.good_latency_sum_s);
  EXPECT_GT(la.TotalGood(), 0);
  EXPECT_LT(la.TotalGood(), la.TotalRequests());
}

// The warm-up trim of a schedule's lean run is by global request index, and
// its counts agree with the full run's.
TEST(SimulatorScheduleTest, LeanCountsTheGlobalTrimmedRange) {
  const PreparedSchedule schedule = TwoPhases();
  Workload w;
  w.model_names = {"m0", "m1"};
  for (int i = 0; i < 100; ++i) {
    w.arrival_s.push_back(i * 0.05);
    w.model.push_back(i % 2);
    w.slo_s.push_back(3.0);
  }
  absl::StatusOr<SimulationResult> full = Simulate(schedule, w);
  ASSERT_TRUE(full.ok());
  SimulatorScratch scratch;
  LeanResult lean;
  ASSERT_TRUE(SimulateLean(schedule, w, &scratch, &lean, 1.0).ok());
  EXPECT_EQ(lean.range.begin, 20u);  // 1 s of a 4.95 s span: 20 of 100
  EXPECT_EQ(lean.range.end, 80u);
  int64_t good = 0;
  for (size_t i = 20; i < 80; ++i) good += full->good[i];
  EXPECT_EQ(lean.TotalRequests(), 60);
  EXPECT_EQ(lean.TotalGood(), good);
  EXPECT_GT(good, 0);
  EXPECT_LT(good, 60);
}

TEST(SimulatorScheduleTest, RejectsBadPhases) {
  const Placement p{{{{1, 1, 1}, {0}}}};
  absl::StatusOr<PreparedPlacement> a =
      PreparedPlacement::FromLatencies(p, {"m0", "m1"}, {{{1.0}}});
  absl::StatusOr<PreparedPlacement> b =
      PreparedPlacement::FromLatencies(p, {"m0", "x"}, {{{1.0}}});
  ASSERT_TRUE(a.ok() && b.ok());
  absl::StatusOr<PreparedSchedule> s =
      PreparedSchedule::FromPhases({0.0, 5.0}, {*a, *b});
  EXPECT_THAT(s.status().message(), HasSubstr("phase 1 serves other models"));
  s = PreparedSchedule::FromPhases({0.0, 5.0, 5.0}, {*a, *a, *a});
  EXPECT_THAT(s.status().message(),
              HasSubstr("phase 2 starts at 5 s, not after phase 1's 5 s"));
  s = PreparedSchedule::FromPhases({1.0}, {*a});
  EXPECT_THAT(s.status().message(), HasSubstr("the first phase starts at 0"));
  s = PreparedSchedule::FromPhases({}, {});
  EXPECT_FALSE(s.ok());
}

TEST(SimulatorScheduleTest, CreateNamesThePhaseTheCostModelLacks) {
  FakeCostModel cost;
  cost.SetUniform("t", {1, 1, 1}, 0.1, kGiB);
  const std::vector<ModelSpec> models = {{"m0", "t"}};
  PlacementSchedule schedule = PlacementSchedule::Static({{{{1, 1, 1}, {0}}}});
  schedule.phases.push_back({30.0, Placement{{{{1, 1, 2}, {0}}}}});
  absl::StatusOr<PreparedSchedule> s =
      PreparedSchedule::Create(schedule, models, cost);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("phase 1: group 0 (1,1,2)"));
}

}  // namespace
}  // namespace multiplex
