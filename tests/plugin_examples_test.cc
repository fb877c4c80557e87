// Every registered plugin, created from its own example spec, does its job.
// The tests iterate the registries instead of naming plugins, so a new
// plugin is covered by registering it, and its example must work.

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/arrival_process.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/placement_schedule.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/generator.h"

namespace multiplex {
namespace {

constexpr char kShippedDatabase[] =
    "database:path=profiler/data/profiling_result.textproto";

// The registered entries of one kind; none at all fails the test (a build
// that lost its alwayslink plugins would otherwise pass vacuously).
template <typename T>
std::vector<const PluginEntry<T>*> EntriesOrFail() {
  std::vector<const PluginEntry<T>*> entries;
  for (const auto& [name, entry] : Registry<T>::Global().entries()) {
    entries.push_back(&entry);
  }
  EXPECT_FALSE(entries.empty())
      << "no " << T::kPluginCategory << " plugin is registered";
  return entries;
}

template <typename T>
std::unique_ptr<T> CreateOrFail(const std::string& spec,
                                const PluginArgs& args = PluginArgs()) {
  absl::StatusOr<std::unique_ptr<T>> made =
      Registry<T>::Global().Create(spec, args);
  EXPECT_TRUE(made.ok()) << made.status();
  return made.ok() ? *std::move(made) : nullptr;
}

bool Declares(const std::vector<PluginParam>& params, const std::string& name) {
  for (const PluginParam& p : params) {
    if (p.name == name) return true;
  }
  return false;
}

TEST(PluginExamplesTest, EveryCostModelAnswersTheShippedModels) {
  std::unique_ptr<CostModel> db = CreateOrFail<CostModel>(kShippedDatabase);
  ASSERT_NE(db, nullptr);
  const std::vector<std::string> models = db->Models();
  ASSERT_THAT(models,
              ::testing::IsSupersetOf({"bert-1.3b", "bert-2.6b", "bert-6.7b",
                                       "moe-1.3b", "moe-2.4b", "moe-5.3b"}));
  for (const PluginEntry<CostModel>* entry : EntriesOrFail<CostModel>()) {
    SCOPED_TRACE(entry->example);
    std::unique_ptr<CostModel> cost = CreateOrFail<CostModel>(entry->example);
    ASSERT_NE(cost, nullptr);
    // Decoder LLM cost models (they answer token-level queries) answer
    // their own models; one-shot ones the shipped BERT and MoE models.
    const std::vector<std::string> own = cost->Models();
    ASSERT_FALSE(own.empty());
    const std::vector<ParallelConfig> configs = cost->Configs(own.front());
    ASSERT_FALSE(configs.empty());
    const bool token_level =
        cost->KvCacheCapacityTokens(own.front(), configs.front())
            .status()
            .code() != absl::StatusCode::kUnimplemented;
    for (const std::string& model : token_level ? own : models) {
      absl::StatusOr<StageCosts> s = cost->Stages(model, {1, 1, 1}, 1);
      ASSERT_TRUE(s.ok()) << model << ": " << s.status();
      EXPECT_GT(s->TotalLatency(), 0) << model;
      EXPECT_GT(s->MaxWeightBytes(), 0) << model;
    }
  }
}

// Four bert-1.3b on four 13 GiB GPUs of the shipped database: every policy
// can place it (pipelines of 1, 2 or 4 stages all exist there).
TEST(PluginExamplesTest, EveryPolicyPlacesASmallProblem) {
  std::unique_ptr<CostModel> cost = CreateOrFail<CostModel>(kShippedDatabase);
  ASSERT_NE(cost, nullptr);
  std::vector<ModelSpec> models;
  for (int i = 0; i < 4; ++i) {
    models.push_back({"m" + std::to_string(i), "bert-1.3b"});
  }
  absl::StatusOr<Workload> workload =
      MakeGammaWorkload(/*num_models=*/4, /*total_rate=*/8, "uniform",
                        /*cv=*/3, /*duration=*/200, /*seed=*/1);
  ASSERT_TRUE(workload.ok()) << workload.status();
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster.num_devices = 4;
  problem.cluster.mem_budget_bytes = 13 * kGiB;
  problem.cost_model = cost.get();
  problem.training_workload = &*workload;
  for (const PluginEntry<PlacementPolicy>* entry :
       EntriesOrFail<PlacementPolicy>()) {
    SCOPED_TRACE(entry->example);
    std::unique_ptr<PlacementPolicy> policy =
        CreateOrFail<PlacementPolicy>(entry->example);
    ASSERT_NE(policy, nullptr);
    absl::StatusOr<Placement> placement = policy->Place(problem);
    ASSERT_TRUE(placement.ok()) << placement.status();
    EXPECT_GT(placement->NumReplicas(), 0);
    EXPECT_TRUE(
        VerifyPlacement(*placement, models, problem.cluster, *cost).ok())
        << VerifyPlacement(*placement, models, problem.cluster, *cost);
    // What the tools and studies serve: a schedule, every phase verified.
    absl::StatusOr<PlacementSchedule> schedule = policy->PlaceSchedule(problem);
    ASSERT_TRUE(schedule.ok()) << schedule.status();
    EXPECT_TRUE(VerifySchedule(*schedule, models, problem.cluster, *cost).ok())
        << VerifySchedule(*schedule, models, problem.cluster, *cost);
    for (const PlacementPhase& phase : schedule->phases) {
      EXPECT_GT(phase.placement.NumReplicas(), 0) << phase.start_s;
    }
  }
}

// Every simulator, from its example, serves a small bursty workload on a
// placement of the shipped database (pipelines and a replicated model) and
// every policy scores placements with it; each request is reported once.
TEST(PluginExamplesTest, EverySimulatorServesAndScores) {
  std::unique_ptr<CostModel> cost = CreateOrFail<CostModel>(kShippedDatabase);
  ASSERT_NE(cost, nullptr);
  std::vector<ModelSpec> models;
  for (int i = 0; i < 4; ++i) {
    models.push_back({"m" + std::to_string(i), "bert-1.3b"});
  }
  absl::StatusOr<Workload> workload =
      MakeGammaWorkload(/*num_models=*/4, /*total_rate=*/8, "uniform",
                        /*cv=*/3, /*duration=*/200, /*seed=*/1);
  ASSERT_TRUE(workload.ok()) << workload.status();
  for (double& slo : workload->slo_s) slo = 1.0;
  Placement placement;
  placement.groups.resize(2);
  placement.groups[0].config = {1, 1, 2};
  placement.groups[0].models = {0, 1, 2};
  placement.groups[1].config = {1, 1, 2};
  placement.groups[1].models = {0, 3};
  for (const PluginEntry<Simulator>* entry : EntriesOrFail<Simulator>()) {
    SCOPED_TRACE(entry->example);
    std::unique_ptr<Simulator> simulator =
        CreateOrFail<Simulator>(entry->example);
    ASSERT_NE(simulator, nullptr);
    absl::StatusOr<PreparedPlacement> prepared =
        simulator->Prepare(placement, models, *cost);
    ASSERT_TRUE(prepared.ok()) << prepared.status();
    absl::StatusOr<SimulationResult> result =
        simulator->Simulate(*prepared, *workload);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->size(), workload->size());
    int64_t good = 0;
    for (size_t i = 0; i < workload->size(); ++i) {
      if (result->good[i]) {
        ++good;
        EXPECT_LE(result->finish_s[i] - workload->arrival_s[i], 1.0);
      } else {
        EXPECT_EQ(result->finish_s[i], workload->arrival_s[i]);
      }
    }
    EXPECT_GT(good, 0);
    SimulatorScratch scratch;
    LeanResult lean;
    ASSERT_TRUE(
        simulator->SimulateLean(*prepared, *workload, &scratch, &lean, 0).ok());
    EXPECT_EQ(lean.TotalRequests(), static_cast<int64_t>(workload->size()));
    EXPECT_EQ(lean.TotalGood(), good);

    PlacementProblem problem;
    problem.models = &models;
    problem.cluster.num_devices = 4;
    problem.cluster.mem_budget_bytes = 13 * kGiB;
    problem.cost_model = cost.get();
    problem.training_workload = &*workload;
    problem.simulator = simulator.get();
    for (const char* spec : {"sr-greedy", "mp-search"}) {
      std::unique_ptr<PlacementPolicy> policy =
          CreateOrFail<PlacementPolicy>(spec);
      ASSERT_NE(policy, nullptr);
      absl::StatusOr<Placement> placed = policy->Place(problem);
      ASSERT_TRUE(placed.ok()) << spec << ": " << placed.status();
      EXPECT_GT(placed->NumReplicas(), 0) << spec;
    }
  }
}

// The contract of Generate(): sorted, inside [start, start + duration), and
// the same times for the same seed.
TEST(PluginExamplesTest, EveryArrivalProcessKeepsItsContract) {
  const double start = 3, duration = 500;
  for (const PluginEntry<ArrivalProcess>* entry :
       EntriesOrFail<ArrivalProcess>()) {
    SCOPED_TRACE(entry->example);
    std::unique_ptr<ArrivalProcess> p =
        CreateOrFail<ArrivalProcess>(entry->example);
    ASSERT_NE(p, nullptr);
    const std::vector<double> t = p->Generate(start, duration, 11);
    EXPECT_FALSE(t.empty());
    for (size_t i = 0; i < t.size(); ++i) {
      ASSERT_GE(t[i], start) << i;
      ASSERT_LT(t[i], start + duration) << i;
      if (i > 0) {
        ASSERT_LE(t[i - 1], t[i]) << i;
      }
    }
    EXPECT_EQ(p->Generate(start, duration, 11), t);
  }
}

// A process with a `rate` parameter meets it: over ~150k expected arrivals
// the count is within 6 standard deviations, taken as that of a renewal
// count, max(cv, 1) * sqrt(n). Deterministic counts vary far less; an
// MMPP's vary ~10% more (its gaps are correlated), which 6 covers.
TEST(PluginExamplesTest, EveryProcessWithARateMeetsIt) {
  const double rate = 7.5, duration = 20000;
  int with_rate = 0;
  for (const PluginEntry<ArrivalProcess>* entry :
       EntriesOrFail<ArrivalProcess>()) {
    if (!Declares(entry->params, "rate")) continue;
    ++with_rate;
    SCOPED_TRACE(entry->example);
    absl::StatusOr<PluginSpec> spec = ParsePluginSpec(entry->example);
    ASSERT_TRUE(spec.ok()) << spec.status();
    PluginArgs args = spec->args;
    args.Set("rate", rate);
    std::unique_ptr<ArrivalProcess> p =
        CreateOrFail<ArrivalProcess>(spec->name, args);
    ASSERT_NE(p, nullptr);
    EXPECT_NEAR(p->Rate(), rate, rate * 1e-12);
    const double expected = rate * duration;
    const double sd = std::max(p->Cv(), 1.0) * std::sqrt(expected);
    for (uint64_t seed : {0, 1, 2}) {
      const double n = p->Generate(0, duration, seed).size();
      EXPECT_NEAR(n, expected, 6 * sd) << "seed " << seed;
    }
  }
  EXPECT_GT(with_rate, 0) << "no arrival process declares a rate";
}

}  // namespace
}  // namespace multiplex
