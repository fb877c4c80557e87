// Chooses a placement with a placement policy (docs/study.md §5) and prints
// it, its score on the training workload and the solver time.
//
//   bazel run //tools:place -- --db=profiler/data/profiling_result.textproto
//       --model_type=bert-2.6b --num_models=8 --num_devices=8
//       --mem_budget_gb=13 --policy=mp-search --total_rate=20 --cv=3
//       --slo_scale=inf [--duration=20000] [--out=placement.textproto]

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/placement.h"
#include "core/placement_io.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"
#include "profiler/database_cost_model.h"
#include "tools/cli/cli.h"
#include "workloads/generator.h"
#include "workloads/rate_split.h"

ABSL_FLAG(std::string, db, "",
          "profiling database (text proto) giving stage latencies and memory");
ABSL_FLAG(std::string, model_type, "bert-2.6b",
          "model of the database every instance runs");
ABSL_FLAG(int, num_models, 8, "model instances, named m0..m{N-1}");
ABSL_FLAG(int, num_devices, 8, "GPUs in the cluster");
ABSL_FLAG(double, mem_budget_gb, 13, "weight memory budget per GPU (GiB)");
ABSL_FLAG(std::string, policy, "mp-search",
          "placement policy (see //tools:plugins), e.g. sr-greedy, "
          "mp-greedy-8, mp-search");
ABSL_FLAG(double, total_rate, 20, "requests/s over all models");
ABSL_FLAG(std::string, rate_split, "uniform",
          "how the rate is split over the models: uniform, power_law, 2:8, "
          "...");
ABSL_FLAG(double, cv, 1, "coefficient of variation of the Gamma arrivals");
ABSL_FLAG(double, slo_scale, std::numeric_limits<double>::infinity(),
          "SLO = slo_scale x single-GPU batch-1 latency; inf: no deadline");
ABSL_FLAG(double, duration, 20000,
          "training workload length (s) the policy simulates");
ABSL_FLAG(uint64_t, seed, 0,
          "training workload seed (model i: SplitMix64(SplitMix64(seed) + i))");
ABSL_FLAG(std::string, out, "",
          "optional: write the placement as a text proto that "
          "//tools:simulate --placement reads");

namespace multiplex {
namespace {

constexpr char kProgram[] = "place";
constexpr char kUsage[] =
    "Chooses a placement of N instances of one model on a GPU cluster with a "
    "placement\npolicy, searched on a Gamma training workload; prints the "
    "placement, its score\n(goodput - mean latency / 1e4 + replicas / 1e6 on "
    "the training workload) and the\nsolver time.\n"
    "Usage:\n"
    "  place --db=DB.textproto --model_type=bert-2.6b --num_models=8\n"
    "        --num_devices=8 --mem_budget_gb=13 --policy=mp-search\n"
    "        --total_rate=20 --cv=3 --slo_scale=inf [--duration=20000]\n"
    "        [--rate_split=uniform] [--seed=0] [--out=placement.textproto]\n"
    "Relative paths are taken from the directory `bazel run` was started in.";

int Main() {
  const std::string db = absl::GetFlag(FLAGS_db);
  if (db.empty()) Fail(kProgram, absl::StrCat("--db is required\n", kUsage));
  const std::string type = absl::GetFlag(FLAGS_model_type);
  const int num_models = absl::GetFlag(FLAGS_num_models);
  const int num_devices = absl::GetFlag(FLAGS_num_devices);
  const double budget_gib = absl::GetFlag(FLAGS_mem_budget_gb);
  const double slo_scale = absl::GetFlag(FLAGS_slo_scale);
  if (num_models < 1) Fail(kProgram, "--num_models must be at least 1");
  if (num_devices < 1) Fail(kProgram, "--num_devices must be at least 1");
  if (!(budget_gib > 0) || !std::isfinite(budget_gib)) {
    Fail(kProgram, "--mem_budget_gb must be a positive number");
  }
  if (!(slo_scale > 0)) Fail(kProgram, "--slo_scale must be positive (or inf)");

  absl::StatusOr<std::unique_ptr<DatabaseCostModel>> cost =
      LoadDatabaseCostModel(ResolveUserPath(db));
  if (!cost.ok()) Fail(kProgram, cost.status());
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> policy =
      Registry<PlacementPolicy>::Global().Create(absl::GetFlag(FLAGS_policy));
  if (!policy.ok()) Fail(kProgram, policy.status());

  double slo_s = std::numeric_limits<double>::infinity();
  double l1_s = 0;
  absl::StatusOr<StageCosts> single = (*cost)->Stages(type, {1, 1, 1}, 1);
  if (single.ok()) l1_s = single->TotalLatency();
  if (std::isfinite(slo_scale)) {
    if (!single.ok()) {
      Fail(kProgram, absl::StrCat("a finite --slo_scale needs the single-GPU "
                                  "latency of ",
                                  type, ": ", single.status().message()));
    }
    slo_s = slo_scale * l1_s;
  } else if ((*cost)->Configs(type).empty()) {
    Fail(kProgram,
         absl::StrCat("the database has no model '", type,
                      "'; it has: ", absl::StrJoin((*cost)->Models(), ", ")));
  }

  absl::StatusOr<std::vector<double>> rates =
      SplitRate(absl::GetFlag(FLAGS_rate_split),
                absl::GetFlag(FLAGS_total_rate), num_models);
  if (!rates.ok()) Fail(kProgram, rates.status());
  std::vector<ModelSpec> models(num_models);
  for (int i = 0; i < num_models; ++i) {
    models[i].name = absl::StrCat("m", i);
    models[i].type = type;
  }
  absl::StatusOr<Workload> training = MakeGammaWorkload(
      num_models, absl::GetFlag(FLAGS_total_rate),
      absl::GetFlag(FLAGS_rate_split), absl::GetFlag(FLAGS_cv),
      absl::GetFlag(FLAGS_duration), absl::GetFlag(FLAGS_seed), slo_s);
  if (!training.ok()) Fail(kProgram, training.status());

  PlacementProblem problem;
  problem.models = &models;
  problem.cluster.num_devices = num_devices;
  problem.cluster.mem_budget_bytes = budget_gib * kGiB;
  problem.cost_model = cost->get();
  problem.training_workload = &*training;

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<Placement> placement = (*policy)->Place(problem);
  const double solve_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!placement.ok()) Fail(kProgram, placement.status());
  absl::Status verified =
      VerifyPlacement(*placement, models, problem.cluster, **cost);
  if (!verified.ok()) {
    Fail(kProgram,
         absl::StrCat("policy ", (*policy)->Name(),
                      " returned an invalid placement: ", verified.message()));
  }
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      PlacementEvaluator::Create(problem);
  if (!ev.ok()) Fail(kProgram, ev.status());
  absl::StatusOr<const LeanResult*> lean = (*ev)->Simulate(*placement);
  if (!lean.ok()) Fail(kProgram, lean.status());
  const double score = PlacementScore(**lean, placement->NumReplicas());

  std::printf("policy: %s\n", (*policy)->Name().c_str());
  std::printf(
      "problem: %d x %s on %d GPUs, %.3f GiB each; %.6g req/s (%s), "
      "cv %.6g, SLO %s; training workload %zu requests over %.6g s\n",
      num_models, type.c_str(), num_devices, budget_gib,
      absl::GetFlag(FLAGS_total_rate), absl::GetFlag(FLAGS_rate_split).c_str(),
      absl::GetFlag(FLAGS_cv),
      std::isfinite(slo_s)
          ? absl::StrFormat("%.4f s (%.6g x L1)", slo_s, slo_scale).c_str()
          : "inf",
      training->size(), absl::GetFlag(FLAGS_duration));
  std::printf("placement: %d groups, %d GPUs, %d replicas\n",
              static_cast<int>(placement->groups.size()),
              placement->NumDevices(), placement->NumReplicas());
  for (size_t g = 0; g < placement->groups.size(); ++g) {
    const Group& group = placement->groups[g];
    std::string names;
    for (int m : group.models) absl::StrAppend(&names, " ", models[m].name);
    absl::StatusOr<double> bytes = GroupMemoryBytes(group, models, **cost);
    std::printf("  group %zu %s:%s  (%.3f GiB/GPU, served %lld)\n", g,
                group.config.ToString().c_str(), names.c_str(),
                bytes.ok() ? *bytes / kGiB : 0.0,
                static_cast<long long>((*lean)->group_served[g]));
  }
  std::printf("score: %.9f (goodput %.6f, mean latency %.6f s, %d replicas)\n",
              score, (*lean)->Goodput(), (*lean)->MeanGoodLatency(),
              placement->NumReplicas());
  std::printf("solver time: %.3f s\n", solve_s);

  const std::string out = absl::GetFlag(FLAGS_out);
  if (!out.empty()) {
    PlacementFile file;
    file.models = models;
    file.placement = *placement;
    file.has_cluster = true;
    file.cluster = problem.cluster;
    file.description = absl::StrFormat(
        "place --policy=%s: %d x %s, %d GPUs, %.6g GiB, %.6g req/s %s, cv "
        "%.6g, slo_scale %.6g, duration %.6g s, seed %d; score %.9f",
        (*policy)->Name(), num_models, type, num_devices, budget_gib,
        absl::GetFlag(FLAGS_total_rate), absl::GetFlag(FLAGS_rate_split),
        absl::GetFlag(FLAGS_cv), slo_scale, absl::GetFlag(FLAGS_duration),
        absl::GetFlag(FLAGS_seed), score);
    absl::Status written = WritePlacementFile(ResolveUserPath(out), file);
    if (!written.ok()) Fail(kProgram, written);
    std::printf("wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(argc, argv, "place", multiplex::kUsage);
  return multiplex::Main();
}
