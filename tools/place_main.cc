// Chooses a placement with a placement policy (docs/study.md §5) and prints
// it, its score on the training workload and the solver time.
//
//   bazel run //tools:place -- --db=profiler/data/profiling_result.textproto
//       --model_type=bert-2.6b --num_models=8 --num_devices=8
//       --mem_budget_gb=13 --policy=mp-search --total_rate=20 --cv=3
//       --slo_scale=inf [--duration=20000] [--out=placement.textproto]
//   bazel run //tools:place -- --cost_model=analytical
//       --models=bert-1.3b:4,bert-6.7b:2 --workload=trace.tsv --slo_scale=5

#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/file_io.h"
#include "core/placement.h"
#include "core/placement_io.h"
#include "experiments/lib/case_flags.h"
#include "experiments/lib/serving_case.h"
#include "policies/evaluator.h"
#include "tools/cli/cli.h"
#include "tools/cli/cost_model_flags.h"
#include "tools/cli/progress.h"

ABSL_FLAG(std::string, db, "",
          "profiling database (text proto) giving stage latencies and memory; "
          "short for --cost_model=database:path=PATH");
ABSL_FLAG(std::string, cost_model, "",
          "cost model spec, any of //tools:plugins (e.g. analytical, "
          "analytical:hardware=profiler/hardware/h100-sxm5-80gb.textproto, "
          "database:path=DB); instead of --db");
ABSL_FLAG(std::string, model_type, "bert-2.6b",
          "model type every instance runs (with --num_models; see --models)");
ABSL_FLAG(int, num_models, 8, "model instances, named m0..m{N-1}");
ABSL_FLAG(std::string, models, "",
          "mixed model set TYPE:COUNT,... (e.g. bert-1.3b:4,bert-6.7b:2; "
          "instances m0.. in that order); instead of --model_type and "
          "--num_models");
ABSL_FLAG(int, num_devices, 8, "GPUs in the cluster");
ABSL_FLAG(double, mem_budget_gb, 13, "weight memory budget per GPU (GiB)");
ABSL_FLAG(double, mem_budget_gib, std::numeric_limits<double>::quiet_NaN(),
          "the same in its exact unit's name (GiB); set one of the two");
ABSL_FLAG(std::string, policy, "mp-search",
          "placement policy (see //tools:plugins), e.g. sr-greedy, "
          "mp-greedy-8, mp-search");
ABSL_FLAG(std::string, simulator, "fast",
          "simulator spec the policy scores placements with, any of "
          "//tools:plugins: fast (default) or batching:max_batch_size=B");
ABSL_FLAG(double, total_rate, 20,
          "requests/s over all models of the generated training workload");
ABSL_FLAG(std::string, rate_split, "uniform",
          "how the rate is split over the models: uniform, power_law, 2:8, "
          "...");
ABSL_FLAG(std::string, process, "gamma",
          "arrival process of the generated training workload, any of "
          "//tools:plugins (gamma, poisson, uniform-mmpp:durations=10/20,"
          "rates=1/5, ...); its rate comes from --total_rate/--rate_split");
ABSL_FLAG(double, cv, 1,
          "coefficient of variation of the arrivals, for processes that take "
          "one (gamma)");
ABSL_FLAG(std::string, workload, "",
          "train on this trace file (arrival_s, model, slo_s) instead of a "
          "generated workload; instance m<i> replays the trace's model of the "
          "same name, or its i-th model (sorted by name, m2 before m10) when "
          "no name matches");
ABSL_FLAG(double, slo_scale, std::numeric_limits<double>::infinity(),
          "SLO = slo_scale x single-GPU batch-1 latency of each instance's "
          "model type; inf: no deadline; with --workload, left out: the "
          "trace's own SLOs");
ABSL_FLAG(double, duration, 20000,
          "generated training workload length (s) the policy simulates");
ABSL_FLAG(uint64_t, seed, 0,
          "generated training workload seed (model i: "
          "SplitMix64(SplitMix64(seed) + i))");
ABSL_FLAG(std::string, out, "",
          "optional: write the placement as a text proto that "
          "//tools:simulate --placement reads (a schedule's phases too, e.g. "
          "sr-replace-60's)");
ABSL_FLAG(double, max_case_hours, 1,
          "refuse to place when the estimated CPU time (as //tools:study "
          "estimates a case: requests x models x GPUs) is over this many "
          "hours; raise it to place anyway");

namespace multiplex {
namespace {

constexpr char kProgram[] = "place";
constexpr char kUsage[] =
    "Chooses a placement of model instances on a GPU cluster with a "
    "placement policy,\nsearched on a training workload (generated, or a "
    "trace with --workload); prints\nthe placement, its score (goodput - "
    "mean latency / 1e4 + replicas / 1e6 on the\ntraining workload) and the "
    "solver time.\n"
    "Usage:\n"
    "  place --db=DB.textproto --model_type=bert-2.6b --num_models=8\n"
    "        --num_devices=8 --mem_budget_gb=13 --policy=mp-search\n"
    "        --total_rate=20 --cv=3 --slo_scale=inf [--duration=20000]\n"
    "        [--rate_split=uniform] [--process=gamma] [--seed=0]\n"
    "        [--out=placement.textproto] [--max_case_hours=H]\n"
    "  place --cost_model=analytical --models=bert-1.3b:4,bert-6.7b:2\n"
    "        --num_devices=8 --policy=mp-search --workload=trace.tsv "
    "--slo_scale=5\n"
    "Relative paths (flags, plugin specs) are taken from the directory the "
    "command\nwas run in.";

// Fails when the flags name an input as --out: never overwrite what this
// run reads.
void CheckOutIsNew() {
  std::vector<NamedPath> inputs = {
      {"--db", absl::GetFlag(FLAGS_db)},
      {"--workload", absl::GetFlag(FLAGS_workload)}};
  for (const auto& [flag, spec] :
       {std::pair<std::string, std::string>{"--cost_model",
                                            absl::GetFlag(FLAGS_cost_model)},
        {"--process", absl::GetFlag(FLAGS_process)}}) {
    for (NamedPath& p : SpecPaths(flag, spec)) inputs.push_back(p);
  }
  absl::Status fresh =
      CheckNotAnInput({"--out", absl::GetFlag(FLAGS_out)}, inputs);
  if (!fresh.ok()) Fail(kProgram, fresh);
}

PlaceFlags ReadFlags() {
  PlaceFlags flags;
  flags.model_type = absl::GetFlag(FLAGS_model_type);
  flags.num_models = absl::GetFlag(FLAGS_num_models);
  flags.models = absl::GetFlag(FLAGS_models);
  flags.num_devices = absl::GetFlag(FLAGS_num_devices);
  flags.mem_budget_gib = std::isnan(absl::GetFlag(FLAGS_mem_budget_gib))
                             ? absl::GetFlag(FLAGS_mem_budget_gb)
                             : absl::GetFlag(FLAGS_mem_budget_gib);
  flags.policy = absl::GetFlag(FLAGS_policy);
  flags.simulator = absl::GetFlag(FLAGS_simulator);
  flags.total_rate = absl::GetFlag(FLAGS_total_rate);
  flags.rate_split = absl::GetFlag(FLAGS_rate_split);
  flags.process = absl::GetFlag(FLAGS_process);
  flags.cv = absl::GetFlag(FLAGS_cv);
  flags.workload = absl::GetFlag(FLAGS_workload);
  flags.slo_scale = absl::GetFlag(FLAGS_slo_scale);
  flags.duration = absl::GetFlag(FLAGS_duration);
  flags.seed = absl::GetFlag(FLAGS_seed);
  flags.max_case_hours = absl::GetFlag(FLAGS_max_case_hours);
  for (const char* name :
       {"model_type", "num_models", "total_rate", "rate_split", "process", "cv",
        "duration", "seed", "slo_scale"}) {
    if (FlagGiven(name)) flags.given.insert(name);
  }
  return flags;
}

// The "placement:" block of one phase: its groups, their memory and the
// training requests each served (`served` from the phase's first group).
void PrintPlacement(const Placement& placement, const ServingCase& c,
                    const int64_t* served) {
  std::printf("placement: %d groups, %d GPUs, %d replicas\n",
              static_cast<int>(placement.groups.size()), placement.NumDevices(),
              placement.NumReplicas());
  for (size_t g = 0; g < placement.groups.size(); ++g) {
    const Group& group = placement.groups[g];
    std::string group_names;
    for (int m : group.models) {
      absl::StrAppend(&group_names, " ", c.models[m].name);
    }
    absl::StatusOr<double> bytes =
        GroupMemoryBytes(group, c.models, *c.cost_model);
    std::printf("  group %zu %s:%s  (%.3f GiB/GPU, served %lld)\n", g,
                group.config.ToString().c_str(), group_names.c_str(),
                bytes.ok() ? *bytes / kGiB : 0.0,
                static_cast<long long>(served[g]));
  }
}

// What place prints: the policy, the problem, each phase's placement, the
// score (or a schedule's goodput) on the training workload, the solver time.
void PrintReport(const FlagCase& fc, const PlacedCase& placed,
                 const LeanResult& lean, double score) {
  const ServingCase& c = fc.serving_case;
  const PlacementSchedule& schedule = placed.schedule();
  const Placement& first = schedule.phases[0].placement;
  std::printf("policy: %s\n", fc.policy->Name().c_str());
  if (fc.simulator->Name() != "fast") {
    std::printf("simulator: %s\n", fc.simulator->Name().c_str());
  }
  std::printf(
      "problem: %s on %d GPUs, %.3f GiB each; %s%sSLO %s; training workload "
      "%zu requests %s\n",
      fc.models_text.c_str(), c.cluster.num_devices,
      c.cluster.mem_budget_bytes / kGiB, fc.workload_text.c_str(),
      fc.workload_text.empty() ? "" : ", ", fc.slo_text.c_str(),
      fc.training.size(), fc.training_text.c_str());
  if (!schedule.IsStatic()) {
    std::printf(
        "schedule: %zu phases, switching at %.6g s%s\n", schedule.phases.size(),
        schedule.phases[1].start_s,
        schedule.phases.size() == 2
            ? ""
            : absl::StrFormat(" to %.6g s", schedule.phases.back().start_s)
                  .c_str());
  }
  size_t group_offset = 0;  // into group_served: groups of all phases
  for (size_t p = 0; p < schedule.phases.size(); ++p) {
    if (!schedule.IsStatic()) {
      std::printf("phase %zu from %.6g s: ", p, schedule.phases[p].start_s);
    }
    PrintPlacement(schedule.phases[p].placement, c,
                   lean.group_served.data() + group_offset);
    group_offset += schedule.phases[p].placement.groups.size();
  }
  if (schedule.IsStatic()) {
    std::printf(
        "score: %.9f (goodput %.6f, mean latency %.6f s, %d replicas)\n", score,
        lean.Goodput(), lean.MeanGoodLatency(), first.NumReplicas());
  } else {
    std::printf(
        "training workload served by the schedule: goodput %.6f, mean "
        "latency %.6f s\n",
        lean.Goodput(), lean.MeanGoodLatency());
  }
  std::printf("solver time: %.3f s\n", placed.solver_s());
  if (!first.note.empty()) std::printf("policy note: %s\n", first.note.c_str());
}

// The placement file --out writes: the instances, the schedule, the
// cluster, and a description that //tools:simulate prints (and reads the
// policy back from its "place --policy=NAME: " prefix).
PlacementFile MakePlacementFile(const PlaceFlags& flags, const FlagCase& fc,
                                const PlacedCase& placed,
                                const LeanResult& lean, double score) {
  const ServingCase& c = fc.serving_case;
  const PlacementSchedule& schedule = placed.schedule();
  const Placement& first = schedule.phases[0].placement;
  PlacementFile file;
  file.models = c.models;
  file.SetSchedule(schedule);
  file.has_cluster = true;
  file.cluster = c.cluster;
  file.description = absl::StrFormat(
      "place --policy=%s: %s, %d GPUs, %.6g GiB, %s, slo_scale %s%s; %s",
      fc.policy->Name(), fc.models_text, c.cluster.num_devices,
      flags.mem_budget_gib, fc.workload_desc,
      fc.trace_slos ? "from the trace"
                    : absl::StrFormat("%.6g", flags.slo_scale),
      fc.training_desc,
      schedule.IsStatic()
          ? absl::StrFormat("score %.9f", score)
          : absl::StrFormat("%zu phases, goodput %.9f", schedule.phases.size(),
                            lean.Goodput()));
  if (fc.simulator->Name() != "fast") {
    absl::StrAppend(&file.description, "; simulator ", fc.simulator->Name());
  }
  if (!first.note.empty()) absl::StrAppend(&file.description, "; ", first.note);
  if (!fc.slo_warning.empty()) {
    absl::StrAppend(&file.description, "; ", fc.slo_warning);
  }
  return file;
}

int Main() {
  const PlaceFlags flags = ReadFlags();
  CheckOutIsNew();
  absl::StatusOr<std::unique_ptr<FlagCase>> made =
      CaseFromPlaceFlags(flags, [] {
        return CostModelFromFlags(absl::GetFlag(FLAGS_cost_model),
                                  absl::GetFlag(FLAGS_db));
      });
  if (!made.ok()) Fail(kProgram, made.status());
  const FlagCase& fc = **made;
  if (!fc.slo_warning.empty()) {
    std::fprintf(stderr, "%s\n", fc.slo_warning.c_str());
  }

  absl::StatusOr<PlacedCase> placed;
  {
    Spinner spinner(absl::StrCat("place: ", fc.policy->Name(), " on ",
                                 fc.training.size(), " requests"));
    placed = Place(fc.serving_case);
  }
  if (!placed.ok()) Fail(kProgram, placed.status());
  // The placement served on the whole training workload, whatever part the
  // search used; a static one scored as the policies score it (a schedule
  // has no score: §5.1's replica term has no meaning across phases).
  absl::StatusOr<LeanResult> lean =
      ServeLean(fc.serving_case, *placed, fc.training);
  if (!lean.ok()) Fail(kProgram, lean.status());
  const double score = PlacementScore(
      *lean, placed->schedule().phases[0].placement.NumReplicas());
  PrintReport(fc, *placed, *lean, score);

  const std::string out = absl::GetFlag(FLAGS_out);
  if (!out.empty()) {
    absl::Status written = WritePlacementFile(
        out, MakePlacementFile(flags, fc, *placed, *lean, score));
    if (!written.ok()) Fail(kProgram, written);
    std::printf("wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(argc, argv, multiplex::kProgram,
                              multiplex::kUsage);
  return multiplex::Main();
}
