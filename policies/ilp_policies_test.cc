// sr-ilp and mp-ilp with CBC: on problems small enough to enumerate, the
// solver's placement reaches the best objective over every placement that
// fits (docs/study.md §5.11); time limits and refusals.

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/ilp_formulation.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;
using testing_util::AddBertLike;
using testing_util::GammaWorkload;
using testing_util::Models;

std::unique_ptr<PlacementPolicy> Make(const std::string& spec) {
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> p =
      Registry<PlacementPolicy>::Global().Create(spec);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

// Three models of different sizes and rates; `slo_s` finite or not.
struct Fixture {
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;

  Fixture(int devices, double budget_gib, double slo_s) {
    AddBertLike(&cost, "small", 0.1, 3);
    AddBertLike(&cost, "large", 0.3, 7);
    models = {{"m0", "small"}, {"m1", "small"}, {"m2", "large"}};
    workload = GammaWorkload({3, 1, 1.5}, 2, 400, 5, slo_s);
    problem.models = &models;
    problem.cluster.num_devices = devices;
    problem.cluster.mem_budget_bytes = budget_gib * kGiB;
    problem.cost_model = &cost;
    problem.training_workload = &workload;
  }
};

// Every subset of models for each group of `configs`, calling `visit` with
// each placement that VerifyPlacement accepts.
void ForEachPlacement(const PlacementProblem& problem,
                      const std::vector<ParallelConfig>& configs,
                      const std::function<void(const Placement&)>& visit) {
  const int n = static_cast<int>(problem.models->size());
  const int groups = static_cast<int>(configs.size());
  std::vector<int> subset(groups, 0);
  while (true) {
    Placement p;
    for (int g = 0; g < groups; ++g) {
      Group group;
      group.config = configs[g];
      for (int i = 0; i < n; ++i) {
        if (subset[g] >> i & 1) group.models.push_back(i);
      }
      p.groups.push_back(group);
    }
    if (VerifyPlacement(p, *problem.models, problem.cluster,
                        *problem.cost_model)
            .ok()) {
      visit(p);
    }
    int g = 0;
    while (g < groups && ++subset[g] == (1 << n)) subset[g++] = 0;
    if (g == groups) return;
  }
}

double BestSr(const PlacementProblem& problem) {
  double best = -1;
  ForEachPlacement(
      problem,
      std::vector<ParallelConfig>(problem.cluster.num_devices, {1, 1, 1}),
      [&](const Placement& p) {
        best = std::max(best, *SrIlpObjective(problem, p));
      });
  return best;
}

// Every split of the devices into pipelines of 1, 2 and 4 GPUs (in
// non-increasing order; the order of groups changes nothing).
double BestMp(const PlacementProblem& problem) {
  double best = -1;
  std::vector<ParallelConfig> configs;
  std::function<void(int, int)> split = [&](int left, int largest) {
    if (left == 0) {
      ForEachPlacement(problem, configs, [&](const Placement& p) {
        best = std::max(best, *MpIlpObjective(problem, p));
      });
      return;
    }
    for (int g = std::min(largest, left); g >= 1; g /= 2) {
      if (g > 8 || (g & (g - 1)) != 0) continue;
      configs.push_back({1, 1, g});
      split(left - g, g);
      configs.pop_back();
    }
  };
  split(problem.cluster.num_devices, 8);
  return best;
}

TEST(SrIlp, ReachesTheEnumeratedOptimum) {
  for (const char* spec : {"sr-ilp", "sr-ilp:slots=original"}) {
    for (double budget : {8.0, 11.0, 14.0}) {
      Fixture f(3, budget, 1.0);
      SCOPED_TRACE(::testing::Message() << spec << " budget " << budget);
      absl::StatusOr<Placement> p = Make(spec)->Place(f.problem);
      ASSERT_TRUE(p.ok()) << p.status();
      EXPECT_TRUE(
          VerifyPlacement(*p, f.models, f.problem.cluster, f.cost).ok());
      EXPECT_THAT(p->note, HasSubstr("ILP proven optimal"));
      EXPECT_NEAR(*SrIlpObjective(f.problem, *p), BestSr(f.problem), 1e-6);
    }
  }
}

TEST(MpIlp, ReachesTheEnumeratedOptimum) {
  for (const char* spec : {"mp-ilp", "mp-ilp:slots=original"}) {
    for (double slo : {0.5, 1.5, testing_util::kInf()}) {
      for (double budget : {4.0, 8.0}) {
        Fixture f(4, budget, slo);
        SCOPED_TRACE(::testing::Message()
                     << spec << " slo " << slo << " budget " << budget);
        absl::StatusOr<Placement> p = Make(spec)->Place(f.problem);
        ASSERT_TRUE(p.ok()) << p.status();
        EXPECT_TRUE(
            VerifyPlacement(*p, f.models, f.problem.cluster, f.cost).ok())
            << p->ToString(f.models);
        EXPECT_EQ(p->NumDevices(), 4);
        EXPECT_THAT(p->note, HasSubstr("ILP proven optimal"));
        EXPECT_NEAR(*MpIlpObjective(f.problem, *p), BestMp(f.problem), 1e-6)
            << p->ToString(f.models);
      }
    }
  }
}

// With 4 GiB GPUs the large model (7 GiB) needs a pipeline: the program
// must choose one.
TEST(MpIlp, ChoosesAPipelineWhereAModelNeedsOne) {
  Fixture f(4, 4, 1.5);
  absl::StatusOr<Placement> p = Make("mp-ilp")->Place(f.problem);
  ASSERT_TRUE(p.ok()) << p.status();
  bool large_placed = false;
  for (const Group& g : p->groups) {
    for (int i : g.models) {
      if (i == 2) {
        large_placed = true;
        EXPECT_GE(g.config.pp, 2);
      }
    }
  }
  EXPECT_TRUE(large_placed) << p->ToString(f.models);
}

TEST(IlpPolicies, SamePlacementWhenPlacedConcurrently) {
  Fixture f(4, 8, 1.5);
  for (const char* name : {"sr-ilp", "mp-ilp"}) {
    std::unique_ptr<PlacementPolicy> policy = Make(name);
    absl::StatusOr<Placement> alone = policy->Place(f.problem);
    ASSERT_TRUE(alone.ok()) << alone.status();
    std::vector<absl::StatusOr<Placement>> out(3, absl::UnknownError(""));
    std::vector<std::thread> threads;
    for (auto& o : out) {
      threads.emplace_back([&] { o = policy->Place(f.problem); });
    }
    for (std::thread& t : threads) t.join();
    for (const auto& o : out) {
      ASSERT_TRUE(o.ok()) << o.status();
      EXPECT_EQ(o->ToString(f.models), alone->ToString(f.models)) << name;
      EXPECT_EQ(o->note, alone->note);
    }
  }
}

// A time limit too short to prove anything on a problem CBC needs a search
// for: the best placement found, marked not proven optimal, or a refusal
// saying that none was found in time.
TEST(IlpPolicies, TimeLimitHonoured) {
  FakeCostModel cost;
  AddBertLike(&cost, "small", 0.1, 3);
  AddBertLike(&cost, "large", 0.3, 7);
  std::vector<ModelSpec> models = Models(10, "small");
  for (int i = 0; i < 4; ++i) models[i].type = "large";
  std::vector<double> rates;
  for (int i = 0; i < 10; ++i) rates.push_back(1 + 0.37 * i);
  Workload w = GammaWorkload(rates, 2, 200, 3, 1.0);
  PlacementProblem problem{&models, {16, 10 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p =
      Make("mp-ilp:time_limit_s=0.001")->Place(problem);
  if (p.ok()) {
    EXPECT_THAT(
        p->note,
        HasSubstr("ILP not proven optimal: time limit 0.001 s reached"));
    EXPECT_TRUE(VerifyPlacement(*p, models, problem.cluster, cost).ok());
  } else {
    EXPECT_THAT(std::string(p.status().message()),
                HasSubstr("mp-ilp: CBC found no feasible placement within "
                          "the time limit of 0.001 s"));
  }
}

TEST(IlpPolicies, NoRoomIsAClearError) {
  // 0.5 GiB GPUs: only an 8-way split would hold a model, and 3 GPUs have
  // none.
  Fixture f(3, 0.5, 1.0);
  for (const char* name : {"sr-ilp", "mp-ilp"}) {
    absl::StatusOr<Placement> p = Make(name)->Place(f.problem);
    ASSERT_FALSE(p.ok()) << name;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()),
                HasSubstr(std::string(name) + ": no model fits"));
  }
}

TEST(IlpPolicies, Parameters) {
  EXPECT_NE(Make("sr-ilp:time_limit_s=5,mip_gap=0.01,threads=2"), nullptr);
  EXPECT_FALSE(
      Registry<PlacementPolicy>::Global().Create("mp-ilp:time_limit_s=0").ok());
  EXPECT_FALSE(
      Registry<PlacementPolicy>::Global().Create("mp-ilp:mip_gap=-1").ok());
  EXPECT_FALSE(
      Registry<PlacementPolicy>::Global().Create("sr-ilp:threads=0").ok());
  EXPECT_FALSE(
      Registry<PlacementPolicy>::Global().Create("mp-ilp:slots=any").ok());
  EXPECT_FALSE(
      Registry<PlacementPolicy>::Global().Create("sr-ilp:slots=sorted").ok());
}

}  // namespace
}  // namespace multiplex
