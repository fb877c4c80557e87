#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/simulator.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/evaluator.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing_util::AddBertLike;
using testing_util::GammaWorkload;
using testing_util::kInf;
using testing_util::Models;

std::unique_ptr<PlacementPolicy> Make(const std::string& name) {
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> p =
      Registry<PlacementPolicy>::Global().Create(name);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

// Requests spaced far apart: model m has counts[m] requests, no queueing,
// and a span long enough that the warm-up trim drops nothing.
Workload SparseWorkload(const std::vector<int>& counts, double slo_s) {
  Workload w;
  for (size_t m = 0; m < counts.size(); ++m) {
    w.model_names.push_back("m" + std::to_string(m));
  }
  double t = 0;
  for (int round = 0;; ++round) {
    bool any = false;
    for (size_t m = 0; m < counts.size(); ++m) {
      if (round >= counts[m]) continue;
      any = true;
      w.arrival_s.push_back(t);
      w.model.push_back(static_cast<int32_t>(m));
      w.slo_s.push_back(slo_s);
      t += 1000;
    }
    if (!any) break;
  }
  return w;
}

struct Fixture {
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;

  Fixture(int num_models, int devices, double budget_gib) {
    cost.SetUniform("small", {1, 1, 1}, 0.1, 5 * kGiB);
    models = Models(num_models, "small");
    problem.models = &models;
    problem.cluster.num_devices = devices;
    problem.cluster.mem_budget_bytes = budget_gib * kGiB;
    problem.cost_model = &cost;
    problem.training_workload = &workload;
  }
};

TEST(SrUniform, RoundRobinLayout) {
  Fixture f(4, 4, 13);                    // 5 GiB models, 13 GiB: k = 2 per GPU
  f.problem.training_workload = nullptr;  // sr-uniform does not simulate
  absl::StatusOr<Placement> p = Make("sr-uniform")->Place(f.problem);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->groups.size(), 4);
  EXPECT_THAT(p->groups[0].models, ElementsAre(0, 1));
  EXPECT_THAT(p->groups[1].models, ElementsAre(1, 2));
  EXPECT_THAT(p->groups[2].models, ElementsAre(2, 3));
  EXPECT_THAT(p->groups[3].models, ElementsAre(3, 0));
  for (const Group& g : p->groups)
    EXPECT_EQ(g.config, (ParallelConfig{1, 1, 1}));
  EXPECT_TRUE(VerifyPlacement(*p, f.models, f.problem.cluster, f.cost).ok());
}

TEST(SrUniform, KCappedAtModelCountAndExactFit) {
  Fixture f(2, 3, 15);  // 3 fit, only 2 models
  absl::StatusOr<Placement> p = Make("sr-uniform")->Place(f.problem);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->groups[2].models, ElementsAre(0, 1));
  Fixture exact(4, 1, 10);  // exactly two
  p = Make("sr-uniform")->Place(exact.problem);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->groups[0].models, ElementsAre(0, 1));
}

// mp-round-robin-G as the original replica_placement_round_robin: a cursor
// over the groups, passes over the models in index order; a model that does
// not fit is skipped and the cursor stays. 5, 9 and 5 GiB models on two
// 13 GiB GPUs: pass 1 puts m0 on g0, m1 on g1, m2 on g0; pass 2 finds g1
// (9 GiB used) too full for m0 and m2 and stops.
TEST(MpRoundRobin, OriginalCursorAndPasses) {
  FakeCostModel cost;
  cost.SetUniform("five", {1, 1, 1}, 0.1, 5 * kGiB);
  cost.SetUniform("nine", {1, 1, 1}, 0.1, 9 * kGiB);
  std::vector<ModelSpec> models = Models(3, "five");
  models[1].type = "nine";
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster = {2, 13 * kGiB, 8};
  problem.cost_model = &cost;  // no training workload: it does not simulate
  absl::StatusOr<Placement> p = Make("mp-round-robin-1")->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->groups.size(), 2u);
  EXPECT_THAT(p->groups[0].models, ElementsAre(0, 2));
  EXPECT_THAT(p->groups[1].models, ElementsAre(1));
  // Three 5 GiB models, two per GPU: the second pass wraps m0 onto g1.
  models = Models(3, "five");
  p = Make("mp-round-robin-1")->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->groups[0].models, ElementsAre(0, 2));
  EXPECT_THAT(p->groups[1].models, ElementsAre(1, 0));
  // The pipelines are mp-greedy-G's: 8 GPUs, G = 4, two (1,1,4) groups.
  AddBertLike(&cost, "bert", 0.1, 5);
  models = Models(6, "bert");
  problem.cluster = {8, 13 * kGiB, 8};
  p = Make("mp-round-robin-4")->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->groups.size(), 2u);
  EXPECT_EQ(p->groups[0].config, (ParallelConfig{1, 1, 4}));
  // A quarter of 5 GiB per GPU: every model fits on both; pass 2 starts on
  // g0 with m0 (already there, skipped), then m1.
  EXPECT_THAT(p->groups[0].models, ElementsAre(0, 2, 4, 1, 3, 5));
  EXPECT_THAT(p->groups[1].models, ElementsAre(1, 3, 5, 2, 4, 0));
  EXPECT_TRUE(VerifyPlacement(*p, models, problem.cluster, cost).ok());
  problem.cluster.num_devices = 6;
  EXPECT_THAT(Make("mp-round-robin-4")->Place(problem).status().message(),
              HasSubstr("6 devices cannot be split into 4-GPU pipeline"));
}

// Hand-checked greedy: three 5 GiB models with 10, 30 and 20 requests, two
// GPUs of 13 GiB (two models each). Groups outer: the least loaded group
// with room takes the most unserved model that fits; then the groups are
// normalized (sorted by their model lists).
//   1. unserved 10/30/20, loads 0/0:        g0 takes m1; groups () (1)
//   2. unserved 10/~0/20, loads 0/30:       g0 takes m2; groups (1) (2)
//   3. unserved 10/~0/~0, loads 30/20:      g1 takes m0; groups (0,2) (1)
//   4. all served, loads 30/30 (tie, g0 full): g1 takes the most "unserved"
//      model it lacks: requests x (1 - good / (requests + 10^-6)) is a hair
//      larger for more requests, so m2 (20) before m0 (10). (0,2) (1,2)
void ExpectHandCheckedGreedy(double slo_s, bool expect_simulation) {
  Fixture f(3, 2, 13);
  f.workload = SparseWorkload({10, 30, 20}, slo_s);
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      PlacementEvaluator::Create(f.problem);
  ASSERT_TRUE(ev.ok()) << ev.status();
  Placement p = EmptyGroups({1, 1, 1}, 2);
  ASSERT_TRUE(GreedyFill(**ev, &p).ok());
  EXPECT_THAT(p.groups[0].models, ElementsAre(0, 2));
  EXPECT_THAT(p.groups[1].models, ElementsAre(1, 2));
  EXPECT_EQ((*ev)->num_simulations() > 0, expect_simulation);
  EXPECT_TRUE(VerifyPlacement(p, f.models, f.problem.cluster, f.cost).ok());
}

TEST(Greedy, HandCheckedOrderInfiniteSlo) {
  ExpectHandCheckedGreedy(kInf(), /*expect_simulation=*/false);
}

TEST(Greedy, HandCheckedOrderSimulated) {
  // A finite but never binding SLO takes the simulated path.
  ExpectHandCheckedGreedy(1e9, /*expect_simulation=*/true);
}

TEST(Greedy, FillsUntilFullNeverOver) {
  for (double budget : {4.9, 5.0, 9.99, 10.0, 14.0, 26.0, 100.0}) {
    Fixture f(5, 3, budget);
    f.workload = GammaWorkload({1, 2, 3, 1, 0.5}, 2, 500, 1);
    absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
        PlacementEvaluator::Create(f.problem);
    ASSERT_TRUE(ev.ok()) << ev.status();
    Placement p = EmptyGroups({1, 1, 1}, 3);
    ASSERT_TRUE(GreedyFill(**ev, &p).ok());
    const int per_gpu = std::min(5, static_cast<int>(budget / 5 + 1e-9));
    for (const Group& g : p.groups) {
      // Full: exactly as many 5 GiB models as fit (or all of them).
      EXPECT_EQ(g.models.size(), per_gpu) << budget;
      absl::StatusOr<double> bytes = GroupMemoryBytes(g, f.models, f.cost);
      EXPECT_LE(*bytes,
                f.problem.cluster.mem_budget_bytes * kMemoryBudgetTolerance);
    }
    EXPECT_TRUE(VerifyPlacement(p, f.models, f.problem.cluster, f.cost).ok());
  }
}

// The shortcuts taken with infinite SLOs give the same fill as simulating
// every step (a finite SLO that never binds forces the simulation).
TEST(Greedy, ShortcutsMatchSimulation) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(6, "bert-2.6b");
  for (ParallelConfig config :
       {ParallelConfig{1, 1, 1}, ParallelConfig{1, 1, 2},
        ParallelConfig{1, 2, 1}, ParallelConfig{1, 1, 4}}) {
    for (double budget : {6.0, 11.0, 13.0, 17.0}) {
      Placement fills[2];
      int64_t sims[2];
      for (int finite = 0; finite < 2; ++finite) {
        Workload w = GammaWorkload({1, 2, 3, 0.5, 1, 2}, 3, 3000, 9,
                                   finite ? 1e9 : kInf());
        PlacementProblem problem{&models, {8, budget * kGiB, 8}, &cost, &w, {}};
        auto ev = PlacementEvaluator::Create(problem);
        ASSERT_TRUE(ev.ok());
        fills[finite] = EmptyGroups(config, 8 / config.NumDevices());
        ASSERT_TRUE(GreedyFill(**ev, &fills[finite]).ok());
        sims[finite] = (*ev)->num_simulations();
      }
      ASSERT_EQ(fills[0].groups.size(), fills[1].groups.size());
      for (size_t g = 0; g < fills[0].groups.size(); ++g) {
        EXPECT_EQ(fills[0].groups[g].models, fills[1].groups[g].models)
            << config.ToString() << " " << budget << " group " << g;
      }
      EXPECT_LE(sims[0], sims[1]);
    }
  }
}

// The search budget (SearchBudget, docs/study.md 5.9).
TEST(Budget, AdditionsPerSimulation) {
  // 4 GPUs of 10 GiB, 5 GiB models: 2 slots per group, 8 in all.
  Fixture f(6, 4, 10.0);
  f.workload = SparseWorkload({10, 10, 10, 10, 10, 10}, 1e9);  // 60 requests
  SearchBudget budget;
  budget.fill_work = 8 * 60;  // exactly the fill's work: one at a time
  auto ev = PlacementEvaluator::Create(f.problem, budget);
  ASSERT_TRUE(ev.ok()) << ev.status();
  const Placement empty = EmptyGroups({1, 1, 1}, 4);
  EXPECT_EQ(FillAdditionsPerSimulation(**ev, empty), 1);
  budget.fill_work = 8 * 60 / 3;  // a third of it: 3 per simulation
  ev = PlacementEvaluator::Create(f.problem, budget);
  EXPECT_EQ(FillAdditionsPerSimulation(**ev, empty), 3);
  budget.fill_work = 100;  // ceil(480 / 100)
  ev = PlacementEvaluator::Create(f.problem, budget);
  EXPECT_EQ(FillAdditionsPerSimulation(**ev, empty), 5);
  budget.exhaustive = true;
  ev = PlacementEvaluator::Create(f.problem, budget);
  EXPECT_EQ(FillAdditionsPerSimulation(**ev, empty), 1);
}

TEST(Budget, BatchedFillStaysFullAndValidWithFewerSimulations) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(24, "bert-2.6b");
  Workload w = GammaWorkload(std::vector<double>(24, 1.0), 3, 2000, 3, 1.0);
  PlacementProblem problem{&models, {24, 13 * kGiB, 8}, &cost, &w, {}};
  Placement fills[2];
  int64_t sims[2];
  for (int batched = 0; batched < 2; ++batched) {
    SearchBudget budget;
    budget.exhaustive = !batched;
    budget.fill_work = 4 * static_cast<int64_t>(w.size());
    auto ev = PlacementEvaluator::Create(problem, budget);
    ASSERT_TRUE(ev.ok());
    fills[batched] = EmptyGroups({1, 1, 1}, 24);
    ASSERT_TRUE(GreedyFill(**ev, &fills[batched]).ok());
    sims[batched] = (*ev)->num_simulations();
    EXPECT_TRUE(
        VerifyPlacement(fills[batched], models, problem.cluster, cost).ok());
  }
  // Both fill every GPU to two models (5.3 GiB each in 13 GiB).
  EXPECT_EQ(fills[0].NumReplicas(), 48);
  EXPECT_EQ(fills[1].NumReplicas(), 48);
  // 48 additions one per simulation vs ceil(48 / 4) = 12 per simulation.
  EXPECT_EQ(sims[0], 48);
  EXPECT_LE(sims[1], 4 + 1);
}

TEST(Budget, SimulatesAPrefixOfTheTrainingWorkload) {
  Fixture f(3, 3, 10.0);
  f.workload = SparseWorkload({40, 40, 40}, 1e9);
  SearchBudget budget;
  budget.max_training_requests = 30;
  auto ev = PlacementEvaluator::Create(f.problem, budget);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ((*ev)->problem().training_workload->size(), 30u);
  EXPECT_EQ((*ev)->total_requests(), (std::vector<int64_t>{10, 10, 10}));
  budget.exhaustive = true;
  ev = PlacementEvaluator::Create(f.problem, budget);
  EXPECT_EQ((*ev)->problem().training_workload->size(), 120u);
}

// Within the budget the default search is the exhaustive one, placement for
// placement.
TEST(Budget, WithinBudgetEqualsExhaustive) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(8, "bert-2.6b");
  Workload w = GammaWorkload(std::vector<double>(8, 2.5), 3, 4000, 5, 1.5);
  PlacementProblem problem{&models, {8, 13 * kGiB, 8}, &cost, &w, {}};
  for (const char* name :
       {"sr-greedy", "mp-greedy-2", "mp-search", "mp-search-sep"}) {
    absl::StatusOr<Placement> a = Make(name)->Place(problem);
    absl::StatusOr<Placement> b =
        Make(std::string(name) + ":search=exhaustive")->Place(problem);
    ASSERT_TRUE(a.ok() && b.ok()) << name;
    EXPECT_EQ(a->ToString(models), b->ToString(models)) << name;
  }
}

TEST(Score, Formula) {
  LeanResult r;
  r.requests = {10, 10};
  r.good = {10, 5};
  r.good_latency_sum_s = {10 * 0.5, 5 * 0.5};
  EXPECT_DOUBLE_EQ(PlacementScore(r, 3), 0.75 - 0.5 / 1e4 + 3 / 1e6);
}

TEST(Score, OriginalFormula) {
  LeanResult r;
  r.requests = {10, 10};
  r.good = {10, 5};
  r.good_latency_sum_s = {10 * 0.5, 5 * 0.5};
  // The latency sum over all 20 requests, the rejected ones at zero.
  EXPECT_DOUBLE_EQ(OriginalPlacementScore(r, 3),
                   0.75 - (7.5 / 20) / 1e4 + 3 / 1e6);
  EXPECT_DOUBLE_EQ(OriginalPlacementScore(LeanResult(), 2), 2 / 1e6);
}

// One model on one GPU, latency 1, no overheads; five pairs of requests 10 s
// apart. The first pair: r0 @0 (SLO 1.2) runs [0, 1], r1 @0.5 (SLO 5) runs
// [1, 2], latency 1.5. Every later pair: the first is served in 1 s, the
// second (@+0.5, SLO 1.2) would take 1.5 s: rejected. The warm-up trim drops
// floor(10 / 40.5 x 10) = 2 requests at each end (the first and the last
// pair).
TEST(Score, TrimmedAndOriginalOnAHandExample) {
  FakeCostModel cost;
  cost.SetUniform("x", {1, 1, 1}, 1.0, 1 * kGiB);
  std::vector<ModelSpec> models = Models(1, "x");
  Workload w;
  w.model_names = {"m0"};
  for (int j = 0; j < 5; ++j) {
    for (double dt : {0.0, 0.5}) {
      w.arrival_s.push_back(10.0 * j + dt);
      w.model.push_back(0);
      w.slo_s.push_back(j == 0 && dt > 0 ? 5.0 : 1.2);
    }
  }
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster.num_devices = 1;
  problem.cluster.mem_budget_bytes = 3 * kGiB;
  problem.cost_model = &cost;
  problem.training_workload = &w;
  problem.serving.fixed_overhead_s = 0.0;
  problem.serving.stage_slowdown = 0.0;
  Placement p;
  p.groups.push_back(Group{{1, 1, 1}, {0}});

  auto trimmed = PlacementEvaluator::Create(problem);
  ASSERT_TRUE(trimmed.ok()) << trimmed.status();
  // Pairs 1 to 3: 3 of 6 good, each in 1 s.
  EXPECT_DOUBLE_EQ(*(*trimmed)->Score(p), 0.5 - 1.0 / 1e4 + 1 / 1e6);

  SearchBudget budget;
  budget.finite_slo = FiniteSlo::kOriginal;
  auto original = PlacementEvaluator::Create(problem, budget);
  ASSERT_TRUE(original.ok()) << original.status();
  // All ten: 6 good (2 + 4), latencies 1 + 1.5 + 4 x 1 = 6.5 over 10.
  EXPECT_DOUBLE_EQ(*(*original)->Score(p), 0.6 - 0.65 / 1e4 + 1 / 1e6);
  absl::StatusOr<const LeanResult*> r = (*original)->Simulate(p);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT((*r)->group_served, ElementsAre(6));
  EXPECT_THAT((*r)->group_routed, ElementsAre(10));
}

// Two GPUs host model 0 and one model without requests each (m3, m4; room
// for one more 1 GiB model each); models 1 and 2 have no replica. Model 0
// comes in bursts of three at once (SLO 1, latency 1): g0 and g1 each
// accept one, the third goes to g0 (tie) and is rejected. The groups
// accepted as many requests, but g0 was routed twice as many: the trimmed
// fill breaks the tie to g0 and puts model 1 (most requests) there, the
// original fill puts it on g1; model 2 takes the other group.
TEST(GreedyFill, OriginalOrdersGroupsByRoutedRequests) {
  FakeCostModel cost;
  cost.SetUniform("x", {1, 1, 1}, 1.0, 1 * kGiB);
  std::vector<ModelSpec> models = Models(5, "x");
  std::vector<std::tuple<double, int32_t, double>> reqs;
  for (int b = 0; b < 5; ++b) {
    for (int k = 0; k < 3; ++k) reqs.emplace_back(10.0 * b, 0, 1.0);
  }
  for (int k = 0; k < 20; ++k) reqs.emplace_back(2.0 + 2 * k + 0.25, 1, kInf());
  for (int k = 0; k < 10; ++k) reqs.emplace_back(3.0 + 4 * k + 0.5, 2, kInf());
  std::stable_sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) < std::get<0>(b);
  });
  Workload w;
  w.model_names = {"m0", "m1", "m2", "m3", "m4"};
  for (const auto& [t, m, slo] : reqs) {
    w.arrival_s.push_back(t);
    w.model.push_back(m);
    w.slo_s.push_back(slo);
  }
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster.num_devices = 2;
  problem.cluster.mem_budget_bytes = 3 * kGiB;
  problem.cost_model = &cost;
  problem.training_workload = &w;
  problem.serving.fixed_overhead_s = 0.0;
  problem.serving.stage_slowdown = 0.0;
  for (FiniteSlo mode : {FiniteSlo::kTrimmed, FiniteSlo::kOriginal}) {
    SearchBudget budget;
    budget.finite_slo = mode;
    auto ev = PlacementEvaluator::Create(problem, budget);
    ASSERT_TRUE(ev.ok()) << ev.status();
    Placement p = EmptyGroups({1, 1, 1}, 2);
    p.groups[0].models = {0, 3};
    p.groups[1].models = {0, 4};
    const LeanResult& r = **(*ev)->Simulate(p);
    EXPECT_THAT(r.group_served, ElementsAre(5, 5));
    EXPECT_THAT(r.group_routed, ElementsAre(10, 5));
    ASSERT_TRUE(GreedyFill(**ev, &p).ok());
    const bool original = mode == FiniteSlo::kOriginal;
    // Normalized: groups sorted by their model lists.
    EXPECT_THAT(p.groups[0].models, ElementsAre(0, 1, original ? 4 : 3));
    EXPECT_THAT(p.groups[1].models, ElementsAre(0, 2, original ? 3 : 4));
  }
}

// Every policy that takes `search` also takes `finite_slo`, and places with
// finite_slo=original.
TEST(FiniteSloParam, DeclaredByEverySimulatingPolicy) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(4, "bert-2.6b");
  Workload w = GammaWorkload({2, 1, 1, 0.5}, 3, 600, 5, 0.5);
  PlacementProblem problem{&models, {4, 13 * kGiB, 4}, &cost, &w, {}};
  int simulating = 0;
  for (const auto& [key, entry] :
       Registry<PlacementPolicy>::Global().entries()) {
    bool search = false, finite_slo = false;
    for (const PluginParam& param : entry.params) {
      search |= param.name == "search";
      finite_slo |= param.name == "finite_slo";
    }
    if (entry.name == "sr-replace") {
      EXPECT_TRUE(finite_slo);
    } else {
      EXPECT_EQ(search, finite_slo) << entry.name;
    }
    if (!finite_slo) continue;
    ++simulating;
    std::string name = entry.name;
    if (name == "mp-greedy") name = "mp-greedy-2";
    if (name == "sr-replace") name = "sr-replace-300";
    for (const char* mode : {"trimmed", "original"}) {
      absl::StatusOr<std::unique_ptr<PlacementPolicy>> policy =
          Registry<PlacementPolicy>::Global().Create(name +
                                                     ":finite_slo=" + mode);
      ASSERT_TRUE(policy.ok()) << policy.status();
      absl::StatusOr<Placement> p = (*policy)->Place(problem);
      ASSERT_TRUE(p.ok()) << name << " " << mode << ": " << p.status();
      EXPECT_GT(p->NumReplicas(), 0) << name;
    }
  }
  EXPECT_EQ(simulating, 6);  // sr-greedy, mp-greedy, mp-search(-sep),
                             // sr-search, sr-replace
}

// Figure 2's setting: two 13.4 GiB models, two 14 GiB GPUs. Only a 2-stage
// pipeline (or op=2) holds both models on both GPUs; the pipeline is the
// cheaper of the two and wins under bursty traffic.
TEST(MpSearch, FindsTwoStagePipeline) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-6.7b", 0.395, 13.4);
  std::vector<ModelSpec> models = Models(2, "bert-6.7b");
  Workload w = GammaWorkload({1.5, 1.5}, 3, 20000, 7);
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster.num_devices = 2;
  problem.cluster.mem_budget_bytes = 14 * kGiB;
  problem.cost_model = &cost;
  problem.training_workload = &w;
  absl::StatusOr<Placement> p = Make("mp-search")->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->groups.size(), 1) << p->ToString(models);
  EXPECT_EQ(p->groups[0].config, (ParallelConfig{1, 1, 2}));
  EXPECT_THAT(p->groups[0].models, UnorderedElementsAre(0, 1));
  EXPECT_TRUE(VerifyPlacement(*p, models, problem.cluster, cost).ok());

  // And it beats simple placement on the training workload.
  absl::StatusOr<Placement> simple = Make("sr-greedy")->Place(problem);
  ASSERT_TRUE(simple.ok()) << simple.status();
  EXPECT_EQ(simple->groups.size(), 2);
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      PlacementEvaluator::Create(problem);
  ASSERT_TRUE(ev.ok());
  EXPECT_GT(*(*ev)->Score(*p), *(*ev)->Score(*simple));
}

TEST(MpSearch, SkipsConfigsTheCostModelLacks) {
  FakeCostModel cost;  // only (1,1,1) and (1,1,2)
  cost.SetUniform("x", {1, 1, 1}, 0.2, 4 * kGiB);
  cost.SetUniform("x", {1, 1, 2}, 0.21, 4 * kGiB);
  std::vector<ModelSpec> models = Models(3, "x");
  Workload w = GammaWorkload({1, 1, 1}, 1, 1000, 3);
  PlacementProblem problem{&models, {4, 9 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p = Make("mp-search")->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(VerifyPlacement(*p, models, problem.cluster, cost).ok());
}

class EveryPolicy : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryPolicy, OutputVerifies) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(4, "bert-2.6b");
  Workload w = GammaWorkload({1, 2, 3, 4}, 3, 2000, 11);
  PlacementProblem problem{&models, {4, 13 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p = Make(GetParam())->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_GT(p->NumReplicas(), 0);
  EXPECT_TRUE(VerifyPlacement(*p, models, problem.cluster, cost).ok())
      << VerifyPlacement(*p, models, problem.cluster, cost) << " "
      << p->ToString(models);
}

TEST_P(EveryPolicy, BudgetWithNoRoomIsAClearError) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(4, "bert-2.6b");
  Workload w = GammaWorkload({1, 2, 3, 4}, 3, 500, 11);
  // 0.5 GiB: not even an 8-way split (0.66 GiB) fits.
  PlacementProblem problem{&models, {4, 0.5 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p = Make(GetParam())->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(p.status().message()),
              testing::AnyOf(HasSubstr("fits"), HasSubstr("budget")));
}

// Every registered policy, by its registered example, and more values of
// the parameterised ones (a group size of 1 and 2, operator parallelism).
std::vector<std::string> EveryPolicySpec() {
  std::vector<std::string> specs;
  for (const auto& [name, entry] :
       Registry<PlacementPolicy>::Global().entries()) {
    specs.push_back(entry.example);
  }
  for (const char* more :
       {"mp-equal-1-1", "mp-equal-2-2", "mp-greedy-1", "mp-greedy-2",
        "mp-round-robin-1", "mp-round-robin-2"}) {
    specs.push_back(more);
  }
  return specs;
}

INSTANTIATE_TEST_SUITE_P(Policies, EveryPolicy,
                         ::testing::ValuesIn(EveryPolicySpec()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string s = info.param;
                           for (char& c : s) {
                             if (!std::isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return s;
                         });

TEST(Errors, DeviceCountAPolicyCannotSplit) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(8, "bert-2.6b");
  Workload w = GammaWorkload(std::vector<double>(8, 1), 1, 200, 1);
  PlacementProblem problem{&models, {8, 13 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p = Make("mp-greedy-3")->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("8 devices cannot be split"));
  p = Make("mp-equal-3-1")->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("cannot be split"));
}

TEST(Errors, UnknownPolicyAndBadParameters) {
  auto made = Registry<PlacementPolicy>::Global().Create("mp-magic");
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(made.status().message()), HasSubstr("mp-search"));
  made = Registry<PlacementPolicy>::Global().Create("mp-greedy-0");
  EXPECT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Errors, ConfigTheCostModelLacks) {
  FakeCostModel cost;
  cost.SetUniform("x", {1, 1, 1}, 0.2, 4 * kGiB);
  std::vector<ModelSpec> models = Models(2, "x");
  Workload w = GammaWorkload({1, 1}, 1, 200, 1);
  PlacementProblem problem{&models, {4, 13 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p = Make("mp-greedy-2")->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("no config"));
}

TEST(Errors, SimulatingPoliciesNeedAWorkload) {
  Fixture f(2, 2, 13);
  f.problem.training_workload = nullptr;
  for (const char* name : {"sr-greedy", "sr-search", "mp-greedy-1", "mp-search",
                           "mp-search-sep"}) {
    absl::StatusOr<Placement> p = Make(name)->Place(f.problem);
    ASSERT_FALSE(p.ok()) << name;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()),
                HasSubstr("training workload"));
  }
}

TEST(Errors, WorkloadNamesMustMatch) {
  Fixture f(2, 2, 13);
  f.workload = SparseWorkload({1, 1}, kInf());
  f.workload.model_names = {"a", "b"};
  absl::StatusOr<Placement> p = Make("sr-greedy")->Place(f.problem);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("'a'"));
}

TEST(SrSearch, NeverWorseThanGreedyOnTraining) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(3, "bert-2.6b");
  Workload w = GammaWorkload({4, 1, 1}, 3, 2000, 5);
  PlacementProblem problem{&models, {3, 11 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> search = Make("sr-search")->Place(problem);
  absl::StatusOr<Placement> greedy = Make("sr-greedy")->Place(problem);
  ASSERT_TRUE(search.ok()) << search.status();
  ASSERT_TRUE(greedy.ok()) << greedy.status();
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      PlacementEvaluator::Create(problem);
  ASSERT_TRUE(ev.ok());
  EXPECT_GE(*(*ev)->Score(*search) + 1e-12, *(*ev)->Score(*greedy));
}

// A beam a user typed is bounded by what one step costs: beam x pairs
// simulations, refused with the estimate before anything is simulated.
TEST(SrSearch, RefusesASearchStepBeyondItsBound) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(3, "bert-2.6b");
  Workload w = GammaWorkload({4, 1, 1}, 3, 200, 5);
  PlacementProblem problem{&models, {3, 11 * kGiB, 8}, &cost, &w, {}};
  // 3 models x 3 groups = 9 pairs; beam 1000000 -> 9e6 simulations a step.
  absl::StatusOr<Placement> p = Make("sr-search:beam=1000000")->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("9000000 placements"));
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("max_step_simulations=65536"));
  // The override lets a user who means it run it (exactly at the bound).
  EXPECT_TRUE(
      Make("sr-search:beam=2,max_step_simulations=18")->Place(problem).ok());
  EXPECT_FALSE(
      Make("sr-search:beam=2,max_step_simulations=17")->Place(problem).ok());
}

TEST(MpEqual, OneModelPerGroup) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = Models(3, "bert-2.6b");
  PlacementProblem problem{&models, {8, 13 * kGiB, 8}, &cost, nullptr, {}};
  absl::StatusOr<Placement> p = Make("mp-equal-2-1")->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->groups.size(), 4);
  EXPECT_THAT(p->groups[0].models, ElementsAre(0));
  EXPECT_THAT(p->groups[3].models, ElementsAre(0));
  EXPECT_EQ(p->groups[1].config, (ParallelConfig{1, 1, 2}));
}

}  // namespace
}  // namespace multiplex
