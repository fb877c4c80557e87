#include "core/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(PercentileTest, LinearInterpolationAsNumpy) {
  // numpy.percentile([1, 2, 3, 4], 90) = 3.7 (index 2.7), 99 -> 3.97.
  EXPECT_NEAR(Percentile({1, 2, 3, 4}, 90), 3.7, 1e-12);
  EXPECT_NEAR(Percentile({1, 2, 3, 4}, 99), 3.97, 1e-12);
  EXPECT_NEAR(Percentile({1, 2, 3, 4}, 50), 2.5, 1e-12);
  // [15, 20, 35, 40, 50]: index 3.6 -> 46, index 3.96 -> 49.6, 40 -> 29.
  EXPECT_NEAR(Percentile({15, 20, 35, 40, 50}, 90), 46, 1e-12);
  EXPECT_NEAR(Percentile({15, 20, 35, 40, 50}, 99), 49.6, 1e-12);
  EXPECT_NEAR(Percentile({15, 20, 35, 40, 50}, 40), 29, 1e-12);
  EXPECT_EQ(Percentile({15, 20, 35, 40, 50}, 100), 50);
  EXPECT_EQ(Percentile({15, 20, 35, 40, 50}, 0), 15);
  EXPECT_EQ(Percentile({7}, 99), 7);
  EXPECT_EQ(Percentile({}, 99), 0);
  // 101 points 0..100: the q-th percentile is q exactly.
  std::vector<double> x;
  for (int i = 0; i <= 100; ++i) x.push_back(i);
  EXPECT_DOUBLE_EQ(Percentile(x, 90), 90);
  EXPECT_DOUBLE_EQ(Percentile(x, 99), 99);
  // 11 points 0..10 at q = 99: index 9.9 -> 9.9.
  x = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_NEAR(Percentile(x, 99), 9.9, 1e-12);
}

// A workload of 100 requests at t = 0, 1, ..., 99 alternating models a, b,
// with a hand-made result: latency = 1 + i / 100, request i good unless
// i % 10 == 9.
struct Fixture {
  Workload w;
  SimulationResult r;
  Fixture() {
    w.model_names = {"a", "b"};
    for (int i = 0; i < 100; ++i) {
      w.arrival_s.push_back(i);
      w.model.push_back(i % 2);
      w.slo_s.push_back(kInf);
      const bool good = i % 10 != 9;
      r.group.push_back(good ? 0 : -1);
      r.start_s.push_back(i);
      r.finish_s.push_back(good ? i + 1 + i / 100.0 : i);
      r.good.push_back(good);
    }
    r.group_config = {{1, 1, 1}};
    r.group_served = {90};
  }
};

TEST(SummarizeTest, SelectionGivesTheSortedPercentilesExactly) {
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> exp(2.0);
  for (int n : {1, 2, 3, 10, 101, 1000, 4097}) {
    std::vector<double> values(n);
    for (double& v : values) v = exp(rng);
    values[n / 2] = values[0];  // a duplicate
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    LatencySummary s = Summarize(&values, n, 1.0);
    EXPECT_EQ(s.p50_latency_s, Percentile(sorted, 50)) << n;
    EXPECT_EQ(s.p90_latency_s, Percentile(sorted, 90)) << n;
    EXPECT_EQ(s.p99_latency_s, Percentile(sorted, 99)) << n;
  }
}

TEST(StatsTest, WarmupTrimmedPerModelAndOverall) {
  Fixture f;
  absl::StatusOr<ServingStats> s = ComputeStats(f.w, f.r);
  ASSERT_TRUE(s.ok()) << s.status();
  // skip = floor(10 / 99 * 100) = 10: requests 10..89 count.
  EXPECT_EQ(s->range.begin, 10u);
  EXPECT_EQ(s->range.end, 90u);
  EXPECT_EQ(s->span_s, 79);
  EXPECT_EQ(s->overall.requests, 80);
  EXPECT_EQ(s->overall.good, 72);  // 19, 29, ..., 89 are bad
  EXPECT_DOUBLE_EQ(s->overall.slo_attainment, 0.9);
  EXPECT_DOUBLE_EQ(s->overall.throughput_rps, 72.0 / 79);
  // Model b holds the odd requests 11..89: 40, of which 8 are bad.
  EXPECT_EQ(s->per_model[1].requests, 40);
  EXPECT_EQ(s->per_model[1].good, 32);
  EXPECT_EQ(s->per_model[0].good, 40);
  // Model a: even i in 10..88, latency 1 + i/100: mean 1 + 0.49.
  EXPECT_NEAR(s->per_model[0].mean_latency_s, 1.49, 1e-12);
  // Sorted a latencies are 1.10, 1.12, ..., 1.88 (40 values): p90 index 35.1
  // -> 1.80 + 0.1 * 0.02; p99 index 38.61 -> 1.86 + 0.61 * 0.02.
  EXPECT_NEAR(s->per_model[0].p90_latency_s, 1.802, 1e-12);
  EXPECT_NEAR(s->per_model[0].p99_latency_s, 1.8722, 1e-12);
  EXPECT_THAT(s->group_served, ElementsAre(90));

  // Without warm-up all 100 count.
  s = ComputeStats(f.w, f.r, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overall.requests, 100);
  EXPECT_EQ(s->overall.good, 90);
  EXPECT_EQ(s->span_s, 99);

  std::string table = FormatStatsTable(*s);
  EXPECT_THAT(table, HasSubstr("overall"));
  EXPECT_THAT(table, HasSubstr("90.00%"));
  EXPECT_THAT(table, HasSubstr("fixed_overhead_s=0.011"));
}

TEST(StatsTest, NoGoodRequestsAndEmpty) {
  Fixture f;
  for (auto& g : f.r.good) g = 0;
  absl::StatusOr<ServingStats> s = ComputeStats(f.w, f.r);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overall.good, 0);
  EXPECT_EQ(s->overall.slo_attainment, 0);
  EXPECT_EQ(s->overall.mean_latency_s, 0);
  EXPECT_EQ(s->overall.throughput_rps, 0);

  Workload empty;
  empty.model_names = {"a"};
  s = ComputeStats(empty, SimulationResult());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overall.requests, 0);
  EXPECT_EQ(s->per_model.size(), 1u);

  EXPECT_EQ(
      std::string(ComputeStats(f.w, SimulationResult()).status().message()),
      "simulation result has 0 requests, the workload 100");
}

// Ten good requests of model a with latencies 0, 0.1, ..., 0.9 (SLO 1) and
// one request of b rejected (SLO 2, so counted at 2 s) at t = 0..10.
TEST(StatsTest, P99OfAllRequestsCountsAMissAtItsDeadline) {
  Workload w;
  w.model_names = {"a", "b"};
  SimulationResult r;
  for (int i = 0; i <= 10; ++i) {
    const bool good = i < 10;
    w.arrival_s.push_back(i);
    w.model.push_back(good ? 0 : 1);
    w.slo_s.push_back(good ? 1 : 2);
    r.group.push_back(good ? 0 : -1);
    r.start_s.push_back(i);
    r.finish_s.push_back(good ? i + i / 10.0 : i);
    r.good.push_back(good);
  }
  r.group_config = {{1, 1, 1}};
  r.group_served = {10};
  absl::StatusOr<ServingStats> s = ComputeStats(w, r, 0);
  ASSERT_TRUE(s.ok()) << s.status();
  // Good only, 0..0.9: index 9 x 0.99 = 8.91 -> 0.8 + 0.91 x 0.1.
  EXPECT_NEAR(s->overall.p99_latency_s, 0.891, 1e-12);
  // All 11, 0..0.9 and 2: index 10 x 0.99 = 9.9 -> 0.9 + 0.9 x (2 - 0.9).
  EXPECT_NEAR(s->overall.p99_all_latency_s, 1.89, 1e-12);
  EXPECT_NEAR(s->per_model[0].p99_all_latency_s, 0.891, 1e-12);
  EXPECT_EQ(s->per_model[1].p99_all_latency_s, 2);
  EXPECT_EQ(s->per_model[1].p99_latency_s, 0);  // no good request

  // An infinite SLO rejects only a model without a replica: infinite.
  w.slo_s.assign(w.size(), kInf);
  s = ComputeStats(w, r, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overall.p99_all_latency_s, kInf);
  EXPECT_NEAR(s->per_model[0].p99_all_latency_s, 0.891, 1e-12);
  EXPECT_EQ(Percentile({1, kInf, kInf}, 99), kInf);
  EXPECT_EQ(Percentile({1, kInf}, 0), 1);

  // Every SLO met: the same as the p99 of the good requests.
  w.slo_s.assign(w.size(), kInf);
  r.good.assign(w.size(), 1);
  r.finish_s.back() = 10 + 0.95;
  s = ComputeStats(w, r, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overall.p99_all_latency_s, s->overall.p99_latency_s);

  w.slo_s.pop_back();
  EXPECT_FALSE(ComputeStats(w, r, 0).ok());  // an SLO per request
}

TEST(StatsTest, StatsOfASimulation) {
  // Two models on one GPU (latency 1, no constants): a at 0, b at 0.5.
  Placement placement{{{{1, 1, 1}, {0, 1}}}};
  ServingConstants c;
  c.fixed_overhead_s = 0;
  c.stage_slowdown = 0;
  absl::StatusOr<PreparedPlacement> p = PreparedPlacement::FromLatencies(
      placement, {"a", "b"}, {{{1.0}, {2.0}}}, c);
  ASSERT_TRUE(p.ok());
  Workload w;
  w.model_names = {"a", "b"};
  w.arrival_s = {0, 0.5};
  w.model = {0, 1};
  w.slo_s = {kInf, kInf};
  absl::StatusOr<SimulationResult> r = Simulate(*p, w);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<ServingStats> s = ComputeStats(w, *r);
  ASSERT_TRUE(s.ok());
  // Span 0.5 s: skip = floor(10 / 0.5 * 2) = 40 >= N: nothing counts.
  EXPECT_EQ(s->overall.requests, 0);
  s = ComputeStats(w, *r, 0);
  EXPECT_EQ(s->overall.requests, 2);
  EXPECT_DOUBLE_EQ(s->per_model[1].mean_latency_s, 2.5);  // 1 -> 3, from 0.5
  EXPECT_DOUBLE_EQ(s->overall.mean_latency_s, 1.75);
  EXPECT_DOUBLE_EQ(s->overall.throughput_rps, 4);
}

TEST(UtilizationTest, ExactOverlapPerWindow) {
  // 3 GPUs: group 0 (1,1,1) busy [0,1) and [1.5,2); group 1 (1,2,1), two
  // GPUs, busy [0.5, 2.5).
  SimulationResult r;
  r.group_config = {{1, 1, 1}, {1, 2, 1}};
  r.busy = {{{{0, 1}, {1.5, 2}}}, {{{0.5, 2.5}}}};
  absl::StatusOr<Utilization> u = ComputeUtilization(r, 3, 0, 3, 1);
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_THAT(u->time_s, ElementsAre(0, 1, 2));
  EXPECT_THAT(u->busy, ElementsAre(DoubleNear(2.0 / 3, 1e-12),
                                   DoubleNear(2.5 / 3, 1e-12),
                                   DoubleNear(1.0 / 3, 1e-12)));
  // Windows of 0.5 s from 0.25 to 2.0: last window cut at 2.0 - none here.
  u = ComputeUtilization(r, 3, 0.25, 2.0, 0.5);
  ASSERT_TRUE(u.ok());
  EXPECT_THAT(u->time_s, ElementsAre(0.25, 0.75, 1.25, 1.75));
  // [0.25,0.75): g0 0.5, g1 0.25*2 -> 1/1.5; [0.75,1.25): g0 .25 + g1 1.0;
  // [1.25,1.75): g0 .25 + 1.0; [1.75,2.0): g0 .25 + g1 .5 over .25*3.
  EXPECT_THAT(u->busy, ElementsAre(DoubleNear(1.0 / 1.5, 1e-12),
                                   DoubleNear(1.25 / 1.5, 1e-12),
                                   DoubleNear(1.25 / 1.5, 1e-12),
                                   DoubleNear(0.75 / 0.75, 1e-12)));
  // A partial last window: [2, 2.75) averaged over 0.75 s.
  u = ComputeUtilization(r, 3, 0, 2.75, 1);
  ASSERT_TRUE(u.ok());
  ASSERT_EQ(u->busy.size(), 3u);
  EXPECT_NEAR(u->busy[2], 1.0 / (0.75 * 3), 1e-12);

  EXPECT_EQ(
      std::string(ComputeUtilization(r, 3, 0, 3, 0).status().message()),
      "utilization needs t_begin < t_end and step > 0, got [0, 3) step 0");
  EXPECT_EQ(std::string(ComputeUtilization(r, 0, 0, 3, 1).status().message()),
            "utilization needs num_devices > 0, got 0");
  EXPECT_EQ(
      std::string(ComputeUtilization(r, 3, 3, 3, 1).status().message()),
      "utilization needs t_begin < t_end and step > 0, got [3, 3) step 1");
  SimulationResult no_busy;
  no_busy.group_config = {{1, 1, 1}};
  EXPECT_EQ(
      std::string(ComputeUtilization(no_busy, 1, 0, 1, 1).status().message()),
      "the simulation did not record busy intervals");
}

TEST(UtilizationTest, BusyDeviceSecondsOfASimulation) {
  // A (1,2,2) group (4 GPUs, stages 0.25 s and 0.5 s) on an 8-GPU cluster.
  Placement placement{{{{1, 2, 2}, {0}}}};
  ServingConstants c;
  c.fixed_overhead_s = 0.011;
  c.stage_slowdown = 0;
  absl::StatusOr<PreparedPlacement> p =
      PreparedPlacement::FromLatencies(placement, {"a"}, {{{0.25, 0.5}}}, c);
  ASSERT_TRUE(p.ok());
  Workload w;
  w.model_names = {"a"};
  for (int i = 0; i < 50; ++i) {
    w.arrival_s.push_back(i * 0.3);
    w.model.push_back(0);
    w.slo_s.push_back(kInf);
  }
  absl::StatusOr<SimulationResult> r = Simulate(*p, w);
  ASSERT_TRUE(r.ok());
  absl::StatusOr<Utilization> u = ComputeUtilization(*r, 8, 0, 100, 0.7);
  ASSERT_TRUE(u.ok());
  double device_seconds = 0;
  for (size_t i = 0; i < u->busy.size(); ++i) {
    const double len =
        (i + 1 == u->busy.size() ? 100 : u->time_s[i] + 0.7) - u->time_s[i];
    device_seconds += u->busy[i] * len * 8;
    EXPECT_LE(u->busy[i], 0.5 + 1e-12);  // at most the group's 4 of 8
  }
  EXPECT_NEAR(device_seconds, 50 * (0.25 + 0.5) * 2, 1e-9);
}

}  // namespace
}  // namespace multiplex
