#include "simulators/batching.h"

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/registry.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"
#include "core/simulator_schedule.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEps = 1e-12;

ServingConstants Constants(double overhead) {
  ServingConstants c;
  c.fixed_overhead_s = overhead;
  c.stage_slowdown = 0.0;
  return c;
}

struct Req {
  double arrival;
  int model;
  double slo = kInf;
};

Workload MakeWorkload(std::vector<std::string> names,
                      const std::vector<Req>& reqs) {
  Workload w;
  w.model_names = std::move(names);
  for (const Req& r : reqs) {
    w.arrival_s.push_back(r.arrival);
    w.model.push_back(r.model);
    w.slo_s.push_back(r.slo);
  }
  return w;
}

Group G(int pp, std::vector<int> models) {
  Group g;
  g.config = {1, 1, pp};
  g.models = std::move(models);
  return g;
}

using Lat = std::vector<std::vector<std::vector<double>>>;  // [g][j][k]

// lat[b]: the latencies of batch size 2^b.
PreparedPlacement Prepare(const Placement& placement,
                          std::vector<std::string> names,
                          const std::vector<Lat>& lat, double overhead) {
  std::vector<int> sizes;
  for (size_t b = 0; b < lat.size(); ++b) sizes.push_back(1 << b);
  absl::StatusOr<PreparedPlacement> p = PreparedPlacement::FromBatchLatencies(
      placement, std::move(names), sizes, lat, Constants(overhead));
  EXPECT_TRUE(p.ok()) << p.status();
  return *std::move(p);
}

SimulationResult RunBatching(const PreparedPlacement& p, const Workload& w,
                             int max_batch) {
  absl::StatusOr<SimulationResult> r = SimulateBatching(p, w, max_batch);
  EXPECT_TRUE(r.ok()) << r.status();
  return *std::move(r);
}

std::vector<double> Ends(const std::vector<Interval>& v) {
  std::vector<double> out;
  for (const Interval& i : v) {
    out.push_back(i.start);
    out.push_back(i.end);
  }
  return out;
}

// One group, one model, batch latencies 1.0 / 1.5 / 2.0 at 1 / 2 / 4,
// overhead 0.1 before the first stage.
//   r0 @0 alone: [0.1, 1.1]; r1..r4 queue meanwhile; at 1.1 four wait:
//   batch 4 [1.2, 3.2]; r5 @3.0 waits for 3.2: [3.3, 4.3].
TEST(BatchingTest, OneGroupDeterministicArrivals) {
  Placement pl;
  pl.groups = {G(1, {0})};
  PreparedPlacement p =
      Prepare(pl, {"a"}, {{{{1.0}}}, {{{1.5}}}, {{{2.0}}}}, 0.1);
  Workload w = MakeWorkload(
      {"a"}, {{0, 0}, {0.2, 0}, {0.4, 0}, {0.6, 0}, {0.8, 0}, {3.0, 0}});
  SimulationResult r = RunBatching(p, w, 4);
  EXPECT_THAT(r.finish_s,
              ElementsAre(DoubleNear(1.1, kEps), DoubleNear(3.2, kEps),
                          DoubleNear(3.2, kEps), DoubleNear(3.2, kEps),
                          DoubleNear(3.2, kEps), DoubleNear(4.3, kEps)));
  EXPECT_THAT(r.start_s,
              ElementsAre(DoubleNear(0.1, kEps), DoubleNear(1.2, kEps),
                          DoubleNear(1.2, kEps), DoubleNear(1.2, kEps),
                          DoubleNear(1.2, kEps), DoubleNear(3.3, kEps)));
  EXPECT_THAT(r.good, ElementsAre(1, 1, 1, 1, 1, 1));
  EXPECT_THAT(r.group, ElementsAre(0, 0, 0, 0, 0, 0));
  EXPECT_THAT(r.group_served, ElementsAre(6));
  EXPECT_THAT(Ends(r.busy[0][0]),
              ElementsAre(DoubleNear(0.1, kEps), DoubleNear(1.1, kEps),
                          DoubleNear(1.2, kEps), DoubleNear(3.2, kEps),
                          DoubleNear(3.3, kEps), DoubleNear(4.3, kEps)));
}

// At 1.1 three wait: batch 2 (no padding to 4) [1.2, 2.7], then r3 alone
// [2.8, 3.8].
TEST(BatchingTest, BatchLimitedByQueueLength) {
  Placement pl;
  pl.groups = {G(1, {0})};
  PreparedPlacement p =
      Prepare(pl, {"a"}, {{{{1.0}}}, {{{1.5}}}, {{{2.0}}}}, 0.1);
  Workload w = MakeWorkload({"a"}, {{0, 0}, {0.2, 0}, {0.4, 0}, {0.6, 0}});
  SimulationResult r = RunBatching(p, w, 4);
  EXPECT_THAT(r.finish_s,
              ElementsAre(DoubleNear(1.1, kEps), DoubleNear(2.7, kEps),
                          DoubleNear(2.7, kEps), DoubleNear(3.8, kEps)));
  EXPECT_THAT(r.good, ElementsAre(1, 1, 1, 1));
}

// SLO 2.6 each. At 1.1 the head r1 (@0.2) makes it at batch 2 (2.7 - 0.2 =
// 2.5) but not at batch 4 (3.2 - 0.2 = 3.0): batch 2. At 2.7 r3 (@0.6)
// could finish alone at 3.8 (3.2 > 2.6): dropped; so is r4 (3.0 > 2.6).
TEST(BatchingTest, BatchLimitedByTheHeadsDeadline) {
  Placement pl;
  pl.groups = {G(1, {0})};
  PreparedPlacement p =
      Prepare(pl, {"a"}, {{{{1.0}}}, {{{1.5}}}, {{{2.0}}}}, 0.1);
  Workload w = MakeWorkload({"a"}, {{0, 0, 2.6},
                                    {0.2, 0, 2.6},
                                    {0.4, 0, 2.6},
                                    {0.6, 0, 2.6},
                                    {0.8, 0, 2.6}});
  SimulationResult r = RunBatching(p, w, 4);
  EXPECT_THAT(r.finish_s,
              ElementsAre(DoubleNear(1.1, kEps), DoubleNear(2.7, kEps),
                          DoubleNear(2.7, kEps), 0.6, 0.8));
  EXPECT_THAT(r.good, ElementsAre(1, 1, 1, 0, 0));
  EXPECT_THAT(r.group, ElementsAre(0, 0, 0, -1, -1));
  EXPECT_THAT(r.start_s[3], 0.6);
  EXPECT_THAT(r.group_served, ElementsAre(3));
  ASSERT_EQ(r.busy[0][0].size(), 2u);  // drops occupy nothing
}

// r1 (@0.5, SLO 0.5) heads the queue at 1.1 but would finish at 2.2:
// dropped; r2 behind it is served alone at once [1.2, 2.2].
TEST(BatchingTest, DropAtTheHead) {
  Placement pl;
  pl.groups = {G(1, {0})};
  PreparedPlacement p =
      Prepare(pl, {"a"}, {{{{1.0}}}, {{{1.5}}}, {{{2.0}}}}, 0.1);
  Workload w = MakeWorkload({"a"}, {{0, 0}, {0.5, 0, 0.5}, {0.6, 0}});
  SimulationResult r = RunBatching(p, w, 4);
  EXPECT_THAT(r.finish_s,
              ElementsAre(DoubleNear(1.1, kEps), 0.5, DoubleNear(2.2, kEps)));
  EXPECT_THAT(r.good, ElementsAre(1, 0, 1));
}

// Model a on two groups of latency 1, batch 1, no overhead; b on none.
// r0 -> g0 [0, 1]; r1 -> g1 [0, 1]; r2 (@0.2, SLO 1) and r3 (@0.3) queue;
// at 1 g0 picks: r2 would finish at 2 (1.8 > 1): dropped by g0; r3 runs
// [1, 2]. r4 (@5, SLO 0.5) -> g1 (clock 1 < 2) would finish at 6: dropped
// by g1. r5 (b) is routed nowhere. Routed = served + dropped per group.
TEST(BatchingTest, LeanRoutedCountsServedAndDropped) {
  Placement pl;
  pl.groups = {G(1, {0}), G(1, {0})};
  PreparedPlacement p = Prepare(pl, {"a", "b"}, {{{{1.0}}, {{1.0}}}}, 0.0);
  Workload w = MakeWorkload(
      {"a", "b"},
      {{0, 0}, {0, 0, 1}, {0.2, 0, 1}, {0.3, 0, 5}, {5, 0, 0.5}, {6, 1}});
  SimulationResult r = RunBatching(p, w, 1);
  EXPECT_THAT(r.good, ElementsAre(1, 1, 0, 1, 0, 0));
  EXPECT_THAT(r.group, ElementsAre(0, 1, -1, 0, -1, -1));
  SimulatorScratch scratch;
  LeanResult lean;
  ASSERT_TRUE(SimulateBatchingLeanInRange(p, w, 1, &scratch, &lean,
                                          TrimRange{0, w.size(), 0})
                  .ok());
  EXPECT_THAT(lean.group_served, ElementsAre(2, 1));
  EXPECT_THAT(lean.group_routed, ElementsAre(3, 2));
  EXPECT_THAT(lean.requests, ElementsAre(5, 1));
  EXPECT_THAT(lean.good, ElementsAre(3, 0));
}

// One group hosting m0 (1.0 / 1.6 at batch 1 / 2) and m1 (0.5 / 0.8), no
// overhead. r0 (m0 @0) alone until 1.0; then the earliest head is r1 (m1
// @0.1): r1 + r3 until 1.8; then r2 + r4 (m0) until 3.4.
TEST(BatchingTest, TwoModelsShareAGroup) {
  Placement pl;
  pl.groups = {G(1, {0, 1})};
  PreparedPlacement p =
      Prepare(pl, {"a", "b"}, {{{{1.0}, {0.5}}}, {{{1.6}, {0.8}}}}, 0.0);
  Workload w = MakeWorkload({"a", "b"},
                            {{0, 0}, {0.1, 1}, {0.2, 0}, {0.3, 1}, {0.4, 0}});
  SimulationResult r = RunBatching(p, w, 2);
  EXPECT_THAT(r.finish_s,
              ElementsAre(DoubleNear(1.0, kEps), DoubleNear(1.8, kEps),
                          DoubleNear(3.4, kEps), DoubleNear(1.8, kEps),
                          DoubleNear(3.4, kEps)));
  EXPECT_THAT(r.good, ElementsAre(1, 1, 1, 1, 1));
}

// A 2-stage pipeline, stages 1.0 + 2.0 at batch 1, 1.5 + 3.0 at batch 2.
// r0 @0: stage 0 [0, 1], stage 1 [1, 3]. At 1 three wait: r1 + r2 as a
// batch: stage 0 [1, 2.5], stage 1 [3, 6]. At 2.5 r3: stage 0 [2.5, 3.5],
// stage 1 [6, 8].
TEST(BatchingTest, Pipeline) {
  Placement pl;
  pl.groups = {G(2, {0})};
  PreparedPlacement p =
      Prepare(pl, {"a"}, {{{{1.0, 2.0}}}, {{{1.5, 3.0}}}}, 0.0);
  Workload w = MakeWorkload({"a"}, {{0, 0}, {0.5, 0}, {0.6, 0}, {0.7, 0}});
  SimulationResult r = RunBatching(p, w, 2);
  EXPECT_THAT(r.finish_s, ElementsAre(3.0, 6.0, 6.0, 8.0));
  EXPECT_THAT(r.start_s, ElementsAre(0.0, 1.0, 1.0, 2.5));
  EXPECT_THAT(Ends(r.busy[0][0]), ElementsAre(0, 1, 1, 2.5, 2.5, 3.5));
  EXPECT_THAT(Ends(r.busy[0][1]), ElementsAre(1, 3, 3, 6, 6, 8));
}

// The pipeline stage factor applies to every batch size, as in fast.
TEST(BatchingTest, StageFactorScalesBatchLatencies) {
  Placement pl;
  pl.groups = {G(2, {0})};
  ServingConstants c;
  c.fixed_overhead_s = 0;
  c.stage_slowdown = 0.5;  // factor 2 at pp 2
  absl::StatusOr<PreparedPlacement> p = PreparedPlacement::FromBatchLatencies(
      pl, {"a"}, {1, 2}, {{{{1.0, 2.0}}}, {{{1.5, 3.0}}}}, c);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->batch_latency(1)[0], 3.0);
  EXPECT_EQ(p->batch_latency(1)[1], 6.0);
}

// A random workload over groups with replicas, shared groups, pipelines,
// finite SLOs and a model without replica.
Workload RandomWorkload(int n, uint64_t seed, double rate, int models) {
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> gap(rate);
  Workload w;
  for (int m = 0; m < models; ++m)
    w.model_names.push_back("m" + std::to_string(m));
  double t = 0;
  for (int i = 0; i < n; ++i) {
    t += gap(rng);
    w.arrival_s.push_back(t);
    w.model.push_back(static_cast<int32_t>(rng() % models));
    w.slo_s.push_back(i % 3 == 0 ? kInf : 0.5031416 + (rng() % 100) / 50.0);
  }
  return w;
}

TEST(BatchingTest, EveryRequestOnceAndLeanMatchesFull) {
  Placement pl;
  pl.groups = {G(1, {0, 1}), G(2, {1, 2}), G(1, {0, 3}), G(4, {2})};
  const Lat one = {{{0.2}, {0.3}},
                   {{0.1, 0.2}, {0.15, 0.1}},
                   {{0.2}, {0.4}},
                   {{0.1, 0.1, 0.05, 0.1}}};
  std::vector<Lat> lat;
  for (int b = 0; b < 4; ++b) {
    Lat l = one;
    for (auto& g : l)
      for (auto& j : g)
        for (double& x : j) x *= 1.0 + 0.6 * b;
    lat.push_back(l);
  }
  PreparedPlacement p = Prepare(pl, {"m0", "m1", "m2", "m3", "m4"}, lat, 0.011);
  for (int max_batch : {1, 2, 8}) {
    for (double rate : {5.0, 20.0, 60.0}) {
      Workload w = RandomWorkload(20000, 7, rate, 5);
      SimulationResult r = RunBatching(p, w, max_batch);
      int64_t good = 0;
      for (size_t i = 0; i < w.size(); ++i) {
        if (r.good[i]) {
          ++good;
          ASSERT_GE(r.group[i], 0);
          ASSERT_GE(r.start_s[i], w.arrival_s[i]);
          ASSERT_LE(r.finish_s[i] - w.arrival_s[i], r.finish_s[i]);
          ASSERT_NE(w.model[i], 4);
        } else {
          ASSERT_EQ(r.group[i], -1);
          ASSERT_EQ(r.finish_s[i], w.arrival_s[i]);
        }
      }
      int64_t served = 0;
      for (int64_t s : r.group_served) served += s;
      EXPECT_EQ(served, good);
      // Without group and start: the same outcomes.
      SimulateOptions outcomes;
      outcomes.record_group_and_start = false;
      absl::StatusOr<SimulationResult> bare =
          SimulateBatching(p, w, max_batch, outcomes);
      ASSERT_TRUE(bare.ok());
      EXPECT_TRUE(bare->group.empty() && bare->start_s.empty());
      EXPECT_EQ(bare->finish_s, r.finish_s);
      EXPECT_EQ(bare->good, r.good);
      EXPECT_EQ(bare->group_served, r.group_served);
      // Lean, no warm-up: every request counted exactly once.
      SimulatorScratch scratch;
      LeanResult lean;
      ASSERT_TRUE(
          SimulateBatchingLean(p, w, max_batch, &scratch, &lean, 0.0).ok());
      EXPECT_EQ(lean.TotalRequests(), static_cast<int64_t>(w.size()));
      EXPECT_EQ(lean.TotalGood(), good);
      EXPECT_EQ(lean.group_served, r.group_served);
      // Every request of a hosted model (m4 has no replica) is routed to
      // exactly one group.
      int64_t routed = 0, hosted = 0;
      for (size_t g = 0; g < lean.group_routed.size(); ++g) {
        EXPECT_GE(lean.group_routed[g], lean.group_served[g]);
        routed += lean.group_routed[g];
      }
      for (int32_t m : w.model) hosted += m != 4;
      EXPECT_EQ(routed, hosted);
      std::vector<int64_t> req(5, 0), gd(5, 0);
      std::vector<double> sum(5, 0.0);
      for (size_t i = 0; i < w.size(); ++i) {
        ++req[w.model[i]];
        if (r.good[i]) {
          ++gd[w.model[i]];
          sum[w.model[i]] += r.finish_s[i] - w.arrival_s[i];
        }
      }
      EXPECT_EQ(lean.requests, req);
      EXPECT_EQ(lean.good, gd);
      for (int m = 0; m < 5; ++m) {
        EXPECT_NEAR(lean.good_latency_sum_s[m], sum[m], 1e-6);
      }
      // With the default warm-up the scratch is reused.
      ASSERT_TRUE(SimulateBatchingLean(p, w, max_batch, &scratch, &lean).ok());
      EXPECT_EQ(lean.range.end - lean.range.begin,
                static_cast<size_t>(lean.TotalRequests()));
    }
  }
}

// Without overhead and with one group per model, batch 1 is fast exactly
// (SLOs away from the boundary, where the accept rules' rounding differs:
// batching's finish - arrival <= slo, fast's finish <= arrival + slo).
TEST(BatchingTest, MaxBatchOneWithoutOverheadIsFast) {
  Placement pl;
  pl.groups = {G(1, {0, 1}), G(2, {2, 3}), G(4, {4})};
  const Lat lat = {
      {{0.2}, {0.3}}, {{0.1, 0.2}, {0.15, 0.1}}, {{0.1, 0.1, 0.05, 0.1}}};
  absl::StatusOr<PreparedPlacement> p = PreparedPlacement::FromLatencies(
      pl, {"m0", "m1", "m2", "m3", "m4"}, lat, Constants(0.0));
  ASSERT_TRUE(p.ok());
  for (double rate : {5.0, 15.0, 40.0}) {
    Workload w = RandomWorkload(20000, 3, rate, 5);
    absl::StatusOr<SimulationResult> fast = Simulate(*p, w);
    SimulationResult batching = RunBatching(*p, w, 1);
    ASSERT_TRUE(fast.ok());
    // Counted, not printed: the vectors are long.
    size_t differ = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      differ += batching.finish_s[i] != fast->finish_s[i] ||
                batching.start_s[i] != fast->start_s[i] ||
                batching.good[i] != fast->good[i] ||
                batching.group[i] != fast->group[i];
    }
    EXPECT_EQ(differ, 0u) << rate;
    EXPECT_EQ(batching.group_served, fast->group_served);
    for (size_t g = 0; g < fast->busy.size(); ++g) {
      for (size_t k = 0; k < fast->busy[g].size(); ++k) {
        const auto& x = batching.busy[g][k];
        const auto& y = fast->busy[g][k];
        ASSERT_EQ(x.size(), y.size()) << g << " " << k;
        for (size_t i = 0; i < x.size(); ++i) {
          ASSERT_TRUE(x[i] == y[i])
              << g << " " << k << " " << i << ": " << x[i].start << " "
              << x[i].end << " vs " << y[i].start << " " << y[i].end;
        }
      }
    }
  }
}

// M/D/1: Poisson arrivals, one GPU, latency d, overhead o, no deadline.
// fast's server is busy d per request (the overhead follows it), batching's
// d + o (the overhead precedes the stage on the occupied group). So
// batching equals fast with latency d + o and no overhead (up to rounding),
// and both match the Pollaczek-Khinchine mean: fast
// d + o + rho d / (2 (1 - rho)), rho = lambda d; batching
// d' + rho' d' / (2 (1 - rho')), d' = d + o, rho' = lambda d'.
TEST(BatchingTest, MD1AgreesWithFast) {
  const double d = 0.1, o = 0.011;
  Placement pl;
  pl.groups = {G(1, {0})};
  absl::StatusOr<PreparedPlacement> with_overhead =
      PreparedPlacement::FromLatencies(pl, {"m0"}, {{{d}}}, Constants(o));
  absl::StatusOr<PreparedPlacement> folded =
      PreparedPlacement::FromLatencies(pl, {"m0"}, {{{d + o}}}, Constants(0));
  ASSERT_TRUE(with_overhead.ok() && folded.ok());
  for (double rho : {0.3, 0.6, 0.8}) {
    const double lambda = rho / d;
    Workload w = RandomWorkload(400000, 11, lambda, 1);
    for (double& s : w.slo_s) s = kInf;
    SimulationResult b = RunBatching(*with_overhead, w, 1);
    absl::StatusOr<SimulationResult> f_folded = Simulate(*folded, w);
    absl::StatusOr<SimulationResult> f = Simulate(*with_overhead, w);
    ASSERT_TRUE(f.ok() && f_folded.ok());
    double mean_b = 0, mean_f = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      ASSERT_NEAR(b.finish_s[i], f_folded->finish_s[i], 1e-6);
      mean_b += b.finish_s[i] - w.arrival_s[i];
      mean_f += f->finish_s[i] - w.arrival_s[i];
    }
    mean_b /= w.size();
    mean_f /= w.size();
    const double rb = lambda * (d + o);
    const double want_b = (d + o) + rb * (d + o) / (2 * (1 - rb));
    const double want_f = d + o + rho * d / (2 * (1 - rho));
    EXPECT_NEAR(mean_b, want_b, 0.03 * want_b) << rho;
    EXPECT_NEAR(mean_f, want_f, 0.03 * want_f) << rho;
    // Batching waits more by the overhead's extra occupancy only.
    EXPECT_GE(mean_b, mean_f);
  }
}

TEST(BatchingTest, PluginsAndPrepare) {
  absl::StatusOr<std::unique_ptr<Simulator>> fast =
      Registry<Simulator>::Global().Create("fast");
  ASSERT_TRUE(fast.ok()) << fast.status();
  EXPECT_EQ((*fast)->Name(), "fast");
  EXPECT_EQ((*fast)->MaxBatchSize(), 1);
  absl::StatusOr<std::unique_ptr<Simulator>> batching =
      Registry<Simulator>::Global().Create("batching:max_batch_size=8");
  ASSERT_TRUE(batching.ok()) << batching.status();
  EXPECT_EQ((*batching)->Name(), "batching(max_batch_size=8)");
  EXPECT_EQ((*batching)->MaxBatchSize(), 8);
  EXPECT_FALSE(
      Registry<Simulator>::Global().Create("batching:max_batch_size=17").ok());
  EXPECT_FALSE(
      Registry<Simulator>::Global().Create("batching:max_batch_size=0").ok());
  absl::StatusOr<std::unique_ptr<Simulator>> plain =
      Registry<Simulator>::Global().Create("batching");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ((*plain)->MaxBatchSize(), 1);

  FakeCostModel cm;
  cm.SetUniform("bert", {1, 1, 1}, 0.1, 1e9);
  std::vector<ModelSpec> models = {{"a", "bert"}};
  Placement pl;
  pl.groups = {G(1, {0})};
  absl::StatusOr<PreparedPlacement> p = (*batching)->Prepare(pl, models, cm);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->batch_sizes(), ElementsAre(1, 2, 4, 8));
  Workload w = MakeWorkload({"a"}, {{0, 0}, {0.01, 0}, {0.02, 0}});
  absl::StatusOr<SimulationResult> r = (*batching)->Simulate(*p, w);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->good, ElementsAre(1, 1, 1));

  // A placement prepared for batch 1 only is refused.
  absl::StatusOr<PreparedPlacement> p1 =
      PreparedPlacement::Create(pl, models, cm);
  ASSERT_TRUE(p1.ok());
  absl::StatusOr<SimulationResult> bad = (*batching)->Simulate(*p1, w);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("batch sizes up to 1"));
}

TEST(BatchingTest, BadModelIndexFails) {
  Placement pl;
  pl.groups = {G(1, {0})};
  PreparedPlacement p = Prepare(pl, {"a"}, {{{{1.0}}}}, 0.0);
  Workload w = MakeWorkload({"a"}, {{0, 0}, {1, 3}});
  absl::StatusOr<SimulationResult> r = SimulateBatching(p, w, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("model index 3"));
}

// A schedule: what was queued before the switch drains on the old phase's
// group; the new phase's group starts when its device frees. One GPU, model
// a, 1.0 s alone and 1.5 s as a batch of 2; the same placement again from
// 2.0 s. r0 @0: [0, 1]; r1 @0.1 and r2 @0.2 batch at 1: [1, 2.5]; r3 @1.9
// (phase 0) alone at 2.5: [2.5, 3.5]; r4 @2.1 (phase 1) waits for the device:
// [3.5, 4.5]. Served statically, r3 and r4 batch at 2.5: [2.5, 4.0].
TEST(BatchingTest, ScheduleDrainsTheOldPhaseFirst) {
  Placement pl;
  pl.groups = {G(1, {0})};
  const PreparedPlacement p = Prepare(pl, {"a"}, {{{{1.0}}}, {{{1.5}}}}, 0.0);
  absl::StatusOr<PreparedSchedule> schedule =
      PreparedSchedule::FromPhases({0.0, 2.0}, {p, p});
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  const Workload w =
      MakeWorkload({"a"}, {{0, 0}, {0.1, 0}, {0.2, 0}, {1.9, 0}, {2.1, 0}});
  absl::StatusOr<std::unique_ptr<Simulator>> sim =
      Registry<Simulator>::Global().Create("batching:max_batch_size=2");
  ASSERT_TRUE(sim.ok());
  absl::StatusOr<SimulationResult> r = (*sim)->SimulateSchedule(*schedule, w);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->finish_s,
              ElementsAre(DoubleNear(1.0, kEps), DoubleNear(2.5, kEps),
                          DoubleNear(2.5, kEps), DoubleNear(3.5, kEps),
                          DoubleNear(4.5, kEps)));
  EXPECT_THAT(r->start_s,
              ElementsAre(DoubleNear(0.0, kEps), DoubleNear(1.0, kEps),
                          DoubleNear(1.0, kEps), DoubleNear(2.5, kEps),
                          DoubleNear(3.5, kEps)));
  EXPECT_THAT(r->group, ElementsAre(0, 0, 0, 0, 1));
  EXPECT_THAT(r->group_served, ElementsAre(4, 1));
  const SimulationResult once = RunBatching(p, w, 2);
  EXPECT_THAT(once.finish_s,
              ElementsAre(DoubleNear(1.0, kEps), DoubleNear(2.5, kEps),
                          DoubleNear(2.5, kEps), DoubleNear(4.0, kEps),
                          DoubleNear(4.0, kEps)));

  SimulatorScratch scratch;
  LeanResult lean;
  ASSERT_TRUE(
      (*sim)->SimulateScheduleLean(*schedule, w, &scratch, &lean, 0).ok());
  EXPECT_THAT(lean.good, ElementsAre(5));
  EXPECT_NEAR(lean.good_latency_sum_s[0], 1.0 + 2.4 + 2.3 + 1.6 + 2.4, kEps);
}

// A one-phase schedule is the batching run, bit for bit.
TEST(BatchingTest, OnePhaseScheduleEqualsTheStaticRun) {
  Placement pl;
  pl.groups = {G(2, {0, 1}), G(1, {0})};
  const PreparedPlacement p = Prepare(pl, {"a", "b"},
                                      {{{{0.1, 0.1}, {0.2, 0.1}}, {{0.2}}},
                                       {{{0.15, 0.15}, {0.3, 0.15}}, {{0.3}}}},
                                      0.01);
  absl::StatusOr<PreparedSchedule> schedule =
      PreparedSchedule::FromPhases({0.0}, {p});
  ASSERT_TRUE(schedule.ok());
  std::mt19937_64 rng(3);
  std::exponential_distribution<double> gap(15.0);
  std::vector<Req> reqs;
  for (double t = 0; t < 200; t += gap(rng)) {
    reqs.push_back({t, static_cast<int>(rng() % 2), 0.6});
  }
  const Workload w = MakeWorkload({"a", "b"}, reqs);
  absl::StatusOr<std::unique_ptr<Simulator>> sim =
      Registry<Simulator>::Global().Create("batching:max_batch_size=2");
  ASSERT_TRUE(sim.ok());
  absl::StatusOr<SimulationResult> a = (*sim)->Simulate(p, w);
  absl::StatusOr<SimulationResult> b = (*sim)->SimulateSchedule(*schedule, w);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->finish_s, b->finish_s);
  EXPECT_EQ(a->group, b->group);
  EXPECT_EQ(a->busy, b->busy);
  int64_t good = 0;
  for (uint8_t g : a->good) good += g;
  EXPECT_GT(good, 0);
  EXPECT_LT(good, static_cast<int64_t>(w.size()));
}

}  // namespace
}  // namespace multiplex
