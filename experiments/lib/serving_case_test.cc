#include "experiments/lib/serving_case.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/placement_io.h"
#include "core/registry.h"
#include "experiments/lib/case_flags.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"
#include "experiments/lib/study_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/evaluator.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

constexpr char kDatabase[] =
    "database:path=profiler/data/profiling_result.textproto";

CostModelMaker ShippedDatabase() {
  return [] { return Registry<CostModel>::Global().Create(kDatabase); };
}

// 4 x bert-1.3b on 4 GPUs of 13 GiB, Gamma arrivals at 20 req/s with cv 3
// over 200 s, SLO 5 x L1: as flags and as a study spec.
PlaceFlags SmallFlags(const std::string& policy) {
  PlaceFlags f;
  f.model_type = "bert-1.3b";
  f.num_models = 4;
  f.num_devices = 4;
  f.mem_budget_gib = 13;
  f.policy = policy;
  f.total_rate = 20;
  f.cv = 3;
  f.slo_scale = 5;
  f.duration = 200;
  f.given = {"model_type", "num_models", "total_rate",
             "cv",         "slo_scale",  "duration"};
  return f;
}

std::string SmallSpec(const std::string& policy) {
  return absl::StrCat(
      "name: \"small\"\n"
      "cluster { num_devices: 4 mem_budget_gib: 13 }\n"
      "models { type: \"bert-1.3b\" count: 4 }\n"
      "workload { process: \"gamma\" total_rate: 20 cv: 3 duration_s: 200 "
      "seed: 0 slo_scale: 5 }\n"
      "policies { label: \"P\" spec: \"",
      policy, "\" }\n");
}

class ServingCaseTest : public ::testing::TestWithParam<std::string> {};

// The same case from the place tool's flags and from a study spec: the
// same placement and, served on the training workload, the same row.
TEST_P(ServingCaseTest, FlagsAndSpecGiveTheSameResult) {
  const std::string policy = GetParam();
  absl::StatusOr<std::unique_ptr<FlagCase>> fc =
      CaseFromPlaceFlags(SmallFlags(policy), ShippedDatabase());
  ASSERT_TRUE(fc.ok()) << fc.status();
  const ServingCase& c = (*fc)->serving_case;
  absl::StatusOr<PlacedCase> placed = Place(c);
  ASSERT_TRUE(placed.ok()) << placed.status();
  absl::StatusOr<SimulationResult> sim = Serve(c, *placed, (*fc)->training);
  ASSERT_TRUE(sim.ok()) << sim.status();
  absl::StatusOr<ServingStats> stats = ComputeStats((*fc)->training, *sim);
  ASSERT_TRUE(stats.ok()) << stats.status();
  const ServingSummary from_flags =
      Summarize(c, *placed, (*fc)->training, *sim, *stats);

  absl::StatusOr<Study> study =
      ParseStudy(SmallSpec(policy), "small.textproto",
                 testing_util::ShippedDatabaseOptions());
  ASSERT_TRUE(study.ok()) << study.status();
  ASSERT_EQ(study->cases.size(), 1u);
  ParallelOptions options;
  options.threads = 1;
  options.quiet = true;
  absl::StatusOr<StudyResults> results = RunStudy(*study, options);
  ASSERT_TRUE(results.ok()) << results.status();
  const CaseResult& from_spec = results->cases[0];

  EXPECT_EQ(from_flags.placement, from_spec.placement);
  EXPECT_GT(from_flags.requests, 3000);  // 20 req/s over 200 s, trimmed
  EXPECT_EQ(from_flags.requests, from_spec.requests);
  EXPECT_EQ(from_flags.slo_attainment, from_spec.slo_attainment);
  EXPECT_EQ(from_flags.mean_latency_s, from_spec.mean_latency_s);
  EXPECT_EQ(from_flags.p50_latency_s, from_spec.p50_latency_s);
  EXPECT_EQ(from_flags.p90_latency_s, from_spec.p90_latency_s);
  EXPECT_EQ(from_flags.p99_latency_s, from_spec.p99_latency_s);
  EXPECT_EQ(from_flags.p99_all_latency_s, from_spec.p99_all_latency_s);
  EXPECT_EQ(from_flags.throughput_rps, from_spec.throughput_rps);
}

// The tool's score path (the placement served lean by the case's
// simulator) equals what the policies' evaluator computes for it.
TEST_P(ServingCaseTest, LeanServingEqualsThePoliciesEvaluator) {
  absl::StatusOr<std::unique_ptr<FlagCase>> fc =
      CaseFromPlaceFlags(SmallFlags(GetParam()), ShippedDatabase());
  ASSERT_TRUE(fc.ok()) << fc.status();
  const ServingCase& c = (*fc)->serving_case;
  absl::StatusOr<PlacedCase> placed = Place(c);
  ASSERT_TRUE(placed.ok()) << placed.status();
  absl::StatusOr<LeanResult> lean = ServeLean(c, *placed, (*fc)->training);
  ASSERT_TRUE(lean.ok()) << lean.status();

  PlacementProblem problem;
  problem.models = &c.models;
  problem.cluster = c.cluster;
  problem.cost_model = c.cost_model;
  problem.training_workload = c.training;
  problem.simulator = c.simulator;
  SearchBudget whole;
  whole.exhaustive = true;
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      PlacementEvaluator::Create(problem, whole);
  ASSERT_TRUE(ev.ok()) << ev.status();
  const Placement& placement = placed->schedule().phases[0].placement;
  absl::StatusOr<const LeanResult*> expected = (*ev)->Simulate(placement);
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_EQ(lean->group_served, (*expected)->group_served);
  EXPECT_EQ(lean->Goodput(), (*expected)->Goodput());
  EXPECT_EQ(lean->MeanGoodLatency(), (*expected)->MeanGoodLatency());
  absl::StatusOr<double> score = (*ev)->Score(placement);
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(PlacementScore(*lean, placement.NumReplicas()), *score);
}

// The placed case written as //tools:place writes it and read back as
// //tools:simulate reads it (with the training workload as a trace) serves
// the trace exactly as the placed case does.
TEST_P(ServingCaseTest, PlacedAndReadBackServeTheSame) {
  absl::StatusOr<std::unique_ptr<FlagCase>> fc =
      CaseFromPlaceFlags(SmallFlags(GetParam()), ShippedDatabase());
  ASSERT_TRUE(fc.ok()) << fc.status();
  const ServingCase& c = (*fc)->serving_case;
  absl::StatusOr<PlacedCase> placed = Place(c);
  ASSERT_TRUE(placed.ok()) << placed.status();
  absl::StatusOr<SimulationResult> direct = Serve(c, *placed, (*fc)->training);
  ASSERT_TRUE(direct.ok()) << direct.status();

  const std::string dir = ::testing::TempDir();
  PlacementFile file;
  file.models = c.models;
  file.SetSchedule(placed->schedule());
  file.has_cluster = true;
  file.cluster = c.cluster;
  ASSERT_TRUE(WritePlacementFile(dir + "/p.textproto", file).ok());
  ASSERT_TRUE(WriteTrace(dir + "/t.tsv", (*fc)->training).ok());
  SimulateFlags flags;
  flags.placement = dir + "/p.textproto";
  flags.workload = dir + "/t.tsv";
  absl::StatusOr<std::unique_ptr<FileCase>> read =
      CaseFromSimulateFlags(flags, ShippedDatabase());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE((*read)->check_memory);
  absl::StatusOr<PlacedCase> adopted =
      Adopt((*read)->serving_case, (*read)->file.Schedule());
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  absl::StatusOr<SimulationResult> served =
      Serve((*read)->serving_case, *adopted, (*read)->workload);
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(served->finish_s, direct->finish_s);
  EXPECT_EQ(served->good, direct->good);
  EXPECT_EQ(served->group_served, direct->group_served);
}

INSTANTIATE_TEST_SUITE_P(Policies, ServingCaseTest,
                         ::testing::Values("sr-greedy", "mp-search",
                                           "mp-greedy-2"));

// Place verifies the policy's placement once; serving and summarising
// verify nothing again. Adopt verifies a given one once.
TEST(ServingCaseVerifyTest, OncePerCase) {
  absl::StatusOr<std::unique_ptr<FlagCase>> fc =
      CaseFromPlaceFlags(SmallFlags("sr-greedy"), ShippedDatabase());
  ASSERT_TRUE(fc.ok()) << fc.status();
  const ServingCase& c = (*fc)->serving_case;
  const int64_t before = VerifiedPlacementsForTesting();
  absl::StatusOr<PlacedCase> placed = Place(c);
  ASSERT_TRUE(placed.ok()) << placed.status();
  absl::StatusOr<SimulationResult> sim = Serve(c, *placed, (*fc)->training);
  ASSERT_TRUE(sim.ok()) << sim.status();
  ASSERT_TRUE(ServeLean(c, *placed, (*fc)->training).ok());
  absl::StatusOr<ServingStats> stats = ComputeStats((*fc)->training, *sim);
  ASSERT_TRUE(stats.ok()) << stats.status();
  Summarize(c, *placed, (*fc)->training, *sim, *stats);
  EXPECT_EQ(VerifiedPlacementsForTesting(), before + 1);

  absl::StatusOr<PlacedCase> adopted = Adopt(c, placed->schedule());
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  EXPECT_EQ(VerifiedPlacementsForTesting(), before + 2);
  EXPECT_EQ(adopted->solver_s(), 0);
}

// A placement over the case's memory budget is refused with the check's
// message; one that fills the budget exactly is accepted.
TEST(ServingCaseVerifyTest, AdoptChecksTheBudget) {
  absl::StatusOr<std::unique_ptr<FlagCase>> fc =
      CaseFromPlaceFlags(SmallFlags("sr-greedy"), ShippedDatabase());
  ASSERT_TRUE(fc.ok()) << fc.status();
  ServingCase c = (*fc)->serving_case;
  PlacementSchedule schedule;
  schedule.phases.resize(1);
  Group group;
  group.config = {1, 1, 1};
  group.models = {0, 1};
  schedule.phases[0].placement.groups = {group};
  absl::StatusOr<double> bytes =
      GroupMemoryBytes(group, c.models, *c.cost_model);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  c.cluster.mem_budget_bytes = *bytes;
  EXPECT_TRUE(Adopt(c, schedule).ok());
  c.cluster.mem_budget_bytes = *bytes * 0.99;
  absl::StatusOr<PlacedCase> over = Adopt(c, schedule);
  ASSERT_FALSE(over.ok());
  EXPECT_THAT(over.status().message(), HasSubstr("over the budget"));
}

void ExpectPlaceError(const PlaceFlags& flags, const std::string& want) {
  absl::StatusOr<std::unique_ptr<FlagCase>> fc =
      CaseFromPlaceFlags(flags, ShippedDatabase());
  ASSERT_FALSE(fc.ok()) << want;
  EXPECT_THAT(fc.status().message(), HasSubstr(want));
}

TEST(CaseFromPlaceFlagsTest, BadInputNamesTheFlag) {
  PlaceFlags f = SmallFlags("sr-greedy");
  f.num_models = 0;
  ExpectPlaceError(f, "--num_models must be at least 1");

  f = SmallFlags("sr-greedy");
  f.models = "bert-1.3b:0";
  f.given.clear();
  ExpectPlaceError(f, "--models: 'bert-1.3b:0' is not TYPE or TYPE:COUNT");

  f = SmallFlags("sr-greedy");
  f.models = "bert-1.3b:2";
  ExpectPlaceError(f,
                   "give --models=TYPE:COUNT,... or --model_type and "
                   "--num_models, not both");

  f = SmallFlags("sr-greedy");
  f.mem_budget_gib = -1;
  ExpectPlaceError(f, "--mem_budget_gb must be a positive number");

  f = SmallFlags("sr-greedy");
  f.process = "poisson";
  ExpectPlaceError(f, "--cv does not apply to process 'poisson'");

  f = SmallFlags("sr-greedy");
  f.process = "gama";
  ExpectPlaceError(f, "unknown arrival_process 'gama'");

  f = SmallFlags("sr-greedy");
  f.duration = 0;
  ExpectPlaceError(f, "--duration must be a finite number of seconds > 0");

  f = SmallFlags("sr-greedy");
  f.workload = "trace.tsv";
  ExpectPlaceError(f, "--total_rate does not apply with --workload");

  f = SmallFlags("sr-greedy");
  f.model_type = "tiny";
  ExpectPlaceError(f,
                   "a finite --slo_scale needs the single-GPU latency of "
                   "tiny");

  f = SmallFlags("no-such-policy");
  ExpectPlaceError(f, "unknown placement_policy 'no-such-policy'");

  f = SmallFlags("sr-greedy");
  f.max_case_hours = 1e-12;
  ExpectPlaceError(f, "more than --max_case_hours=1e-12");
}

TEST(CaseFromSimulateFlagsTest, BadInputNamesTheFlag) {
  SimulateFlags f;
  f.placement = "p.textproto";
  f.workload = "t.tsv";
  f.warmup_s = -1;
  absl::StatusOr<std::unique_ptr<FileCase>> fc =
      CaseFromSimulateFlags(f, ShippedDatabase());
  ASSERT_FALSE(fc.ok());
  EXPECT_THAT(fc.status().message(),
              HasSubstr("--warmup_s must be finite and >= 0"));

  f.warmup_s = 10;
  f.serving.stage_slowdown = -0.5;
  fc = CaseFromSimulateFlags(f, ShippedDatabase());
  ASSERT_FALSE(fc.ok());
  EXPECT_THAT(fc.status().message(),
              HasSubstr("--fixed_overhead_s and --stage_slowdown must be "
                        "finite and >= 0"));

  f.serving = ServingConstants();
  fc = CaseFromSimulateFlags(f, ShippedDatabase());
  ASSERT_FALSE(fc.ok());
  EXPECT_THAT(fc.status().message(), HasSubstr("p.textproto"));
}

}  // namespace
}  // namespace multiplex
