// ComponentSimulation (policies/component_simulation.h) against one lean run
// over the whole workload, for every registered simulator: the results must
// be bitwise equal, on random placements and on a sequence of one-replica
// changes that reuses cached components, with the default warm-up trim and
// untrimmed (the original study's scoring, FiniteSlo::kOriginal).

#include "policies/component_simulation.h"

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"
#include "core/testing/fake_cost_model.h"
#include "gtest/gtest.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using testing_util::AddBertLike;
using testing_util::GammaWorkload;
using testing_util::Models;

struct TestProblem {
  FakeCostModel cost;
  std::vector<ModelSpec> models = Models(12, "bert-2.6b");
  Workload workload;
  TestProblem() {
    AddBertLike(&cost, "bert-2.6b", 0.2, 1.0);
    std::vector<double> rates;
    for (int m = 0; m < 12; ++m) rates.push_back(0.5 + 0.4 * m);
    workload = GammaWorkload(rates, 3, 800, 7);
    // Mixed per-request SLOs: some infinite, some tight.
    for (size_t i = 0; i < workload.size(); ++i) {
      workload.slo_s[i] = i % 7 == 0 ? testing_util::kInf() : 0.3 + (i % 5);
    }
  }
};

Placement RandomPlacement(std::mt19937& rng, int num_models) {
  const ParallelConfig configs[] = {{1, 1, 1}, {1, 1, 2}, {1, 2, 1}, {1, 2, 2}};
  Placement p;
  const int groups = 1 + rng() % 6;
  for (int g = 0; g < groups; ++g) {
    Group group;
    group.config = configs[rng() % 4];
    for (int m = 0; m < num_models; ++m) {
      if (rng() % 4 == 0) group.models.push_back(m);
    }
    std::shuffle(group.models.begin(), group.models.end(), rng);
    p.groups.push_back(group);
  }
  return p;
}

void ExpectSame(const LeanResult& a, const LeanResult& b) {
  EXPECT_EQ(a.requests, b.requests);
  EXPECT_EQ(a.good, b.good);
  EXPECT_EQ(a.good_latency_sum_s, b.good_latency_sum_s);  // bitwise
  EXPECT_EQ(a.group_served, b.group_served);
  EXPECT_EQ(a.group_routed, b.group_routed);
  EXPECT_EQ(a.range.begin, b.range.begin);
  EXPECT_EQ(a.range.end, b.range.end);
}

class EverySimulator
    : public ::testing::TestWithParam<std::tuple<std::string, bool>> {};

TEST_P(EverySimulator, SameAsOneWholeRun) {
  const auto& [name, untrimmed] = GetParam();
  const std::string spec =
      name == "batching" ? "batching:max_batch_size=4" : name;
  std::unique_ptr<Simulator> simulator =
      *Registry<Simulator>::Global().Create(spec);
  TestProblem s;
  PlacementProblem problem;
  problem.models = &s.models;
  problem.cost_model = &s.cost;
  problem.training_workload = &s.workload;
  problem.simulator = simulator.get();
  ComponentSimulation components(problem, untrimmed);
  const TrimRange range =
      untrimmed ? TrimRange{0, s.workload.size(), 0}
                : WarmupTrim(s.workload.arrival_s, kDefaultWarmupS);
  // The two ranges differ: the trim drops something.
  ASSERT_GT(WarmupTrim(s.workload.arrival_s, kDefaultWarmupS).begin, 0u);
  std::mt19937 rng(11);
  SimulatorScratch scratch;
  LeanResult whole;
  Placement p = RandomPlacement(rng, 12);
  for (int trial = 0; trial < 60; ++trial) {
    // Alternate fresh placements and one-replica additions (cache reuse).
    if (trial % 3 == 0) {
      p = RandomPlacement(rng, 12);
    } else {
      Group& g = p.groups[rng() % p.groups.size()];
      for (int m = 0; m < 12; ++m) {
        if (std::find(g.models.begin(), g.models.end(), m) == g.models.end()) {
          g.models.push_back(m);
          break;
        }
      }
    }
    SCOPED_TRACE(p.ToString(s.models));
    PreparedPlacement prepared =
        *simulator->Prepare(p, s.models, s.cost, problem.serving);
    ASSERT_TRUE(
        simulator
            ->SimulateLeanInRange(prepared, s.workload, &scratch, &whole, range)
            .ok());
    int64_t routed = 0;
    for (int64_t x : whole.group_routed) routed += x;
    EXPECT_GT(routed, 0);
    absl::StatusOr<const LeanResult*> split = components.Simulate(p);
    ASSERT_TRUE(split.ok()) << split.status();
    ExpectSame(**split, whole);
  }
  // The additions reused parts: fewer requests simulated than 60 whole runs.
  EXPECT_LT(components.simulated_requests(),
            60 * static_cast<int64_t>(s.workload.size()));
}

std::vector<std::string> SimulatorNames() {
  return Registry<Simulator>::Global().Names();
}

INSTANTIATE_TEST_SUITE_P(
    Registry, EverySimulator,
    ::testing::Combine(::testing::ValuesIn(SimulatorNames()),
                       ::testing::Bool()));

TEST(ComponentSimulation, BadModelIndexIsAnError) {
  TestProblem s;
  PlacementProblem problem;
  problem.models = &s.models;
  problem.cost_model = &s.cost;
  problem.training_workload = &s.workload;
  ComponentSimulation components(problem);
  Placement p;
  p.groups.push_back(Group{{1, 1, 1}, {0, 12}});
  absl::StatusOr<const LeanResult*> r = components.Simulate(p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("model index 12"), std::string::npos);
}

}  // namespace
}  // namespace multiplex
