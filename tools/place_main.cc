// Chooses a placement with a placement policy (docs/study.md §5) and prints
// it, its score on the training workload and the solver time.
//
//   bazel run //tools:place -- --db=profiler/data/profiling_result.textproto
//       --model_type=bert-2.6b --num_models=8 --num_devices=8
//       --mem_budget_gb=13 --policy=mp-search --total_rate=20 --cv=3
//       --slo_scale=inf [--duration=20000] [--out=placement.textproto]
//   bazel run //tools:place -- --cost_model=analytical
//       --models=bert-1.3b:4,bert-6.7b:2 --workload=trace.tsv --slo_scale=5

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/placement.h"
#include "core/placement_io.h"
#include "core/placement_policy.h"
#include "core/placement_schedule.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
#include "core/simulator_schedule.h"
#include "experiments/lib/case_assignment.h"
#include "experiments/lib/study_bounds.h"
#include "policies/evaluator.h"
#include "tools/cli/cli.h"
#include "tools/cli/cost_model_flags.h"
#include "tools/cli/progress.h"
#include "workloads/generator.h"
#include "workloads/trace_io.h"
#include "workloads/trace_replay.h"

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

// --models=TYPE:COUNT,...: (type, count) in order.
std::vector<std::pair<std::string, int>> ParseModels(const std::string& text) {
  std::vector<std::pair<std::string, int>> groups;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    int count = 1;
    if (parts.size() > 2 || parts[0].empty() ||
        (parts.size() == 2 && (!absl::SimpleAtoi(parts[1], &count) ||
                               count < 1 || count > 1000000))) {
      Fail(kProgram, absl::StrCat("--models: '", item,
                                  "' is not TYPE or TYPE:COUNT with a "
                                  "count >= 1 (e.g. "
                                  "--models=bert-1.3b:4,bert-6.7b:2)"));
    }
    groups.emplace_back(std::string(parts[0]), count);
  }
  return groups;
}

// "8 x bert-2.6b" or "4 x bert-1.3b + 2 x bert-6.7b".
std::string DescribeModels(
    const std::vector<std::pair<std::string, int>>& groups) {
  std::vector<std::string> parts;
  for (const auto& [type, count] : groups) {
    parts.push_back(absl::StrCat(count, " x ", type));
  }
  return absl::StrJoin(parts, " + ");
}

// Fails when `flag` was given: it does not apply because of `why`.
void RefuseGiven(const char* flag, const std::string& why) {
  if (FlagGiven(flag)) {
    Fail(kProgram, absl::StrCat("--", flag, " does not apply ", why));
  }
}

int Main() {
  const int num_devices = absl::GetFlag(FLAGS_num_devices);
  double budget_gib = absl::GetFlag(FLAGS_mem_budget_gb);
  if (!std::isnan(absl::GetFlag(FLAGS_mem_budget_gib))) {
    budget_gib = absl::GetFlag(FLAGS_mem_budget_gib);
  }
  const double slo_scale = absl::GetFlag(FLAGS_slo_scale);

  // The instances: --models, or --num_models x --model_type.
  std::vector<std::pair<std::string, int>> groups;
  const std::string models_flag = absl::GetFlag(FLAGS_models);
  if (!models_flag.empty()) {
    if (FlagGiven("model_type") || FlagGiven("num_models")) {
      Fail(kProgram,
           "give --models=TYPE:COUNT,... or --model_type and --num_models, "
           "not both");
    }
    groups = ParseModels(models_flag);
  } else {
    const int num_models = absl::GetFlag(FLAGS_num_models);
    if (num_models < 1) Fail(kProgram, "--num_models must be at least 1");
    groups.emplace_back(absl::GetFlag(FLAGS_model_type), num_models);
  }
  if (num_devices < 1) Fail(kProgram, "--num_devices must be at least 1");
  // Bounds before any allocation: 2^31 - 1 models or devices must be a
  // clear error, not bad_alloc (core/limits.h).
  if (num_devices > kMaxDevices) {
    Fail(kProgram,
         absl::StrCat("--num_devices=", num_devices, " is over the limit of ",
                      kMaxDevices, " devices (kMaxDevices)"));
  }
  int64_t total_models = 0;
  for (const auto& group : groups) total_models += group.second;
  if (total_models > kMaxModels) {
    Fail(kProgram, absl::StrCat(total_models,
                                " model instances are over the "
                                "limit of ",
                                kMaxModels, " (kMaxModels)"));
  }
  if (!(budget_gib > 0) || !std::isfinite(budget_gib)) {
    Fail(kProgram, "--mem_budget_gb must be a positive number");
  }
  if (!(slo_scale > 0)) Fail(kProgram, "--slo_scale must be positive (or inf)");
  if (!(absl::GetFlag(FLAGS_max_case_hours) > 0)) {
    Fail(kProgram, "--max_case_hours must be > 0");
  }
  // A fill ordered by unserved requests has nothing to order by without a
  // deadline (docs/study.md, "Policies and the SLO").
  std::string slo_warning;
  {
    const std::string spec = absl::GetFlag(FLAGS_policy);
    // A --workload trace without --slo_scale brings its own SLOs.
    const bool trace_slos =
        !absl::GetFlag(FLAGS_workload).empty() && !FlagGiven("slo_scale");
    if (std::isinf(slo_scale) && !trace_slos &&
        (spec == "sr-greedy" || absl::StartsWith(spec, "mp-greedy-") ||
         absl::StartsWith(spec, "mp-search"))) {
      slo_warning = absl::StrCat(
          "warning: --policy=", spec,
          " places by the requests it leaves unserved within the SLO; with "
          "an infinite --slo_scale none is unserved, so it orders models "
          "arbitrarily and may place far worse than round robin");
      std::fprintf(stderr, "%s\n", slo_warning.c_str());
    }
  }
  std::vector<ModelSpec> models;
  for (const auto& [type, count] : groups) {
    for (int i = 0; i < count; ++i) {
      models.push_back({absl::StrCat("m", models.size()), type});
    }
  }
  const int num_models = static_cast<int>(models.size());
  const std::vector<std::string> names = ModelNames(models);

  absl::StatusOr<std::unique_ptr<CostModel>> cost = CostModelFromFlags(
      absl::GetFlag(FLAGS_cost_model), absl::GetFlag(FLAGS_db));
  if (!cost.ok()) Fail(kProgram, cost.status());
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> policy =
      Registry<PlacementPolicy>::Global().Create(absl::GetFlag(FLAGS_policy));
  if (!policy.ok()) Fail(kProgram, policy.status());
  absl::StatusOr<std::unique_ptr<Simulator>> simulator =
      Registry<Simulator>::Global().Create(absl::GetFlag(FLAGS_simulator));
  if (!simulator.ok()) Fail(kProgram, simulator.status());
  const bool fast = (*simulator)->Name() == "fast";

  // Each type's single-GPU batch-1 latency: the SLO unit.
  std::map<std::string, double> l1_s;
  for (const auto& [type, count] : groups) {
    if (l1_s.count(type)) continue;
    absl::StatusOr<StageCosts> single = (*cost)->Stages(type, {1, 1, 1}, 1);
    if (std::isfinite(slo_scale) && !single.ok()) {
      Fail(kProgram, absl::StrCat("a finite --slo_scale needs the single-GPU "
                                  "latency of ",
                                  type, ": ", single.status().message()));
    }
    if (!single.ok() && (*cost)->Configs(type).empty()) {
      Fail(kProgram, absl::StrCat("the cost model ", (*cost)->Name(),
                                  " has no model '", type, "'; it has: ",
                                  absl::StrJoin((*cost)->Models(), ", ")));
    }
    l1_s[type] = single.ok() ? single->TotalLatency() : 0;
  }
  std::vector<double> slos;
  for (const ModelSpec& m : models) slos.push_back(slo_scale * l1_s[m.type]);
  if (!std::isfinite(slo_scale)) slos.assign(num_models, slo_scale);

  // The training workload, and how the output describes it.
  const std::string trace_path = absl::GetFlag(FLAGS_workload);
  const std::string process = absl::GetFlag(FLAGS_process);
  {
    // Never overwrite what this run reads.
    std::vector<NamedPath> inputs = {{"--db", absl::GetFlag(FLAGS_db)},
                                     {"--workload", trace_path}};
    for (const auto& [flag, spec] :
         {std::pair<std::string, std::string>{"--cost_model",
                                              absl::GetFlag(FLAGS_cost_model)},
          {"--process", process}}) {
      for (NamedPath& p : SpecPaths(flag, spec)) inputs.push_back(p);
    }
    absl::Status fresh =
        CheckNotAnInput({"--out", absl::GetFlag(FLAGS_out)}, inputs);
    if (!fresh.ok()) Fail(kProgram, fresh);
  }
  const double total_rate = absl::GetFlag(FLAGS_total_rate);
  const std::string rate_split = absl::GetFlag(FLAGS_rate_split);
  const double cv = absl::GetFlag(FLAGS_cv);
  const double duration = absl::GetFlag(FLAGS_duration);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  absl::StatusOr<Workload> training;
  std::string workload_text;  // "20 req/s (uniform), cv 3" ...
  std::string training_text;  // "over 20000 s" ...
  std::string workload_desc;  // for the file's description
  const bool trace_slos = !trace_path.empty() && !FlagGiven("slo_scale");
  if (!trace_path.empty()) {
    for (const char* flag :
         {"total_rate", "rate_split", "process", "cv", "duration", "seed"}) {
      RefuseGiven(flag,
                  "with --workload: the trace gives the training arrivals");
    }
    absl::StatusOr<Workload> trace = ReadTrace(trace_path);
    if (!trace.ok()) Fail(kProgram, trace.status());
    if (trace->empty()) {
      Fail(kProgram,
           absl::StrCat("--workload: ", trace_path, " has no requests"));
    }
    training =
        ReplayTrace(*trace, names, std::numeric_limits<double>::infinity(),
                    trace_slos ? std::vector<double>() : slos,
                    /*every_request=*/false);
    if (!training.ok()) Fail(kProgram, training.status());
    workload_text = absl::StrCat("trace ", trace_path);
    training_text = absl::StrFormat("of the trace's %zu", trace->size());
    workload_desc = absl::StrCat("trace ", trace_path);
  } else {
    absl::StatusOr<bool> takes_rate = ProcessAcceptsParam(process, "rate");
    if (!takes_rate.ok()) Fail(kProgram, takes_rate.status());
    absl::StatusOr<bool> takes_cv = ProcessAcceptsParam(process, "cv");
    if (!takes_cv.ok()) Fail(kProgram, takes_cv.status());
    absl::StatusOr<bool> is_trace = IsTraceProcess(process);
    if (!is_trace.ok()) Fail(kProgram, is_trace.status());
    const std::string to_process = absl::StrCat("to process '", process, "'");
    if (!*takes_rate) {
      RefuseGiven("total_rate", to_process + ": it takes no rate");
      RefuseGiven("rate_split", to_process + ": it takes no rate");
    }
    if (!*takes_cv) RefuseGiven("cv", to_process);
    if (*is_trace) {
      RefuseGiven("seed", to_process + ": a trace draws nothing at random");
    }
    // A policy optimised on an empty training workload learns nothing.
    if (!(duration > 0) || !std::isfinite(duration)) {
      Fail(kProgram, absl::StrCat("--duration must be a finite number of "
                                  "seconds > 0, got ",
                                  duration));
    }
    WorkloadSpec spec;
    spec.num_models = num_models;
    spec.total_rate = total_rate;
    spec.rate_split = rate_split;
    spec.process = process;
    if (*takes_cv) spec.process_args.Set("cv", cv);
    spec.slo_s = slos;
    spec.duration = duration;
    spec.seed = seed;
    training = MakeWorkload(spec);
    if (!training.ok()) Fail(kProgram, training.status());
    if (training->empty()) {
      Fail(kProgram, absl::StrCat("the training workload has no request (",
                                  total_rate, " req/s over ", duration,
                                  " s); raise --duration or --total_rate"));
    }
    if (*takes_rate) {
      workload_text =
          absl::StrFormat("%.6g req/s (%s)", total_rate, rate_split);
      workload_desc = absl::StrFormat("%.6g req/s %s", total_rate, rate_split);
    }
    if (process != "gamma") {
      for (std::string* text : {&workload_text, &workload_desc}) {
        absl::StrAppend(text, text->empty() ? "" : ", ", "process ", process);
      }
    }
    if (*takes_cv) {
      absl::StrAppend(&workload_text, absl::StrFormat(", cv %.6g", cv));
      absl::StrAppend(&workload_desc, absl::StrFormat(", cv %.6g", cv));
    }
    training_text = absl::StrFormat("over %.6g s", duration);
  }

  std::string slo_text = "inf";
  if (trace_slos) {
    slo_text = "the trace's";
  } else if (std::isfinite(slo_scale) && l1_s.size() == 1) {
    slo_text = absl::StrFormat("%.4f s (%.6g x L1)", slos[0], slo_scale);
  } else if (std::isfinite(slo_scale)) {
    std::vector<std::string> per_type;
    for (const auto& [type, l1] : l1_s) {
      per_type.push_back(absl::StrFormat("%s %.4f s", type, slo_scale * l1));
    }
    slo_text = absl::StrFormat("%.6g x L1 (%s)", slo_scale,
                               absl::StrJoin(per_type, ", "));
  }

  // The search's work bounded before it starts, as //tools:study bounds a
  // case: a cluster or workload typed too large is refused in a second.
  {
    const double requests = static_cast<double>(training->size());
    absl::Status bounded = CheckCaseHours(
        absl::StrCat("--policy=", absl::GetFlag(FLAGS_policy), " on ",
                     num_devices, " GPUs"),
        CaseWork(requests, requests, num_models, num_devices), requests,
        num_models, num_devices, absl::GetFlag(FLAGS_max_case_hours));
    if (!bounded.ok()) Fail(kProgram, bounded);
  }

  PlacementProblem problem;
  problem.models = &models;
  problem.cluster.num_devices = num_devices;
  problem.cluster.mem_budget_bytes = budget_gib * kGiB;
  problem.cost_model = cost->get();
  problem.training_workload = &*training;
  problem.simulator = simulator->get();

  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<PlacementSchedule> schedule;
  {
    Spinner spinner(absl::StrCat("place: ", (*policy)->Name(), " on ",
                                 training->size(), " requests"));
    schedule = (*policy)->PlaceSchedule(problem);
  }
  const double solve_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!schedule.ok()) Fail(kProgram, schedule.status());
  absl::Status verified =
      VerifySchedule(*schedule, models, problem.cluster, **cost);
  if (!verified.ok()) {
    Fail(kProgram,
         absl::StrCat("policy ", (*policy)->Name(),
                      " returned an invalid placement: ", verified.message()));
  }
  // A static placement is scored as the policies score it, on the whole
  // training workload whatever part the search used; a schedule is served
  // phase by phase on the training workload (no score: §5.1's replica term
  // has no meaning across phases).
  const Placement& first = schedule->phases[0].placement;
  SearchBudget whole;
  whole.exhaustive = true;
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      PlacementEvaluator::Create(problem, whole);
  if (!ev.ok()) Fail(kProgram, ev.status());
  LeanResult schedule_lean;
  absl::StatusOr<const LeanResult*> lean = &schedule_lean;
  if (schedule->IsStatic()) {
    lean = (*ev)->Simulate(first);
  } else {
    absl::StatusOr<PreparedSchedule> prepared =
        (*simulator)
            ->PrepareSchedule(*schedule, models, **cost, problem.serving);
    if (!prepared.ok()) Fail(kProgram, prepared.status());
    SimulatorScratch scratch;
    absl::Status run = (*simulator)
                           ->SimulateScheduleLean(*prepared, *training,
                                                  &scratch, &schedule_lean);
    if (!run.ok()) Fail(kProgram, run);
  }
  if (!lean.ok()) Fail(kProgram, lean.status());
  const double score = PlacementScore(**lean, first.NumReplicas());

  const std::string models_text = DescribeModels(groups);
  std::printf("policy: %s\n", (*policy)->Name().c_str());
  if (!fast) {
    std::printf("simulator: %s\n", (*simulator)->Name().c_str());
  }
  std::printf(
      "problem: %s on %d GPUs, %.3f GiB each; %s%sSLO %s; training workload "
      "%zu requests %s\n",
      models_text.c_str(), num_devices, budget_gib, workload_text.c_str(),
      workload_text.empty() ? "" : ", ", slo_text.c_str(), training->size(),
      training_text.c_str());
  if (!schedule->IsStatic()) {
    std::printf(
        "schedule: %zu phases, switching at %.6g s%s\n",
        schedule->phases.size(), schedule->phases[1].start_s,
        schedule->phases.size() == 2
            ? ""
            : absl::StrFormat(" to %.6g s", schedule->phases.back().start_s)
                  .c_str());
  }
  size_t group_offset = 0;  // into group_served: groups of all phases
  for (size_t p = 0; p < schedule->phases.size(); ++p) {
    const Placement& placement = schedule->phases[p].placement;
    if (!schedule->IsStatic()) {
      std::printf("phase %zu from %.6g s: ", p, schedule->phases[p].start_s);
    }
    std::printf("placement: %d groups, %d GPUs, %d replicas\n",
                static_cast<int>(placement.groups.size()),
                placement.NumDevices(), placement.NumReplicas());
    for (size_t g = 0; g < placement.groups.size(); ++g) {
      const Group& group = placement.groups[g];
      std::string group_names;
      for (int m : group.models) {
        absl::StrAppend(&group_names, " ", models[m].name);
      }
      absl::StatusOr<double> bytes = GroupMemoryBytes(group, models, **cost);
      std::printf(
          "  group %zu %s:%s  (%.3f GiB/GPU, served %lld)\n", g,
          group.config.ToString().c_str(), group_names.c_str(),
          bytes.ok() ? *bytes / kGiB : 0.0,
          static_cast<long long>((*lean)->group_served[group_offset + g]));
    }
    group_offset += placement.groups.size();
  }
  if (schedule->IsStatic()) {
    std::printf(
        "score: %.9f (goodput %.6f, mean latency %.6f s, %d replicas)\n", score,
        (*lean)->Goodput(), (*lean)->MeanGoodLatency(), first.NumReplicas());
  } else {
    std::printf(
        "training workload served by the schedule: goodput %.6f, mean "
        "latency %.6f s\n",
        (*lean)->Goodput(), (*lean)->MeanGoodLatency());
  }
  std::printf("solver time: %.3f s\n", solve_s);
  if (!first.note.empty()) std::printf("policy note: %s\n", first.note.c_str());

  const std::string out = absl::GetFlag(FLAGS_out);
  if (!out.empty()) {
    PlacementFile file;
    file.models = models;
    file.SetSchedule(*schedule);
    file.has_cluster = true;
    file.cluster = problem.cluster;
    // simulate --summary_out reads the policy back from the
    // "place --policy=NAME: " prefix.
    std::string training_desc;
    if (trace_path.empty()) {
      training_desc = absl::StrFormat(", duration %.6g s", duration);
      if (!*IsTraceProcess(process)) {
        absl::StrAppend(&training_desc, absl::StrFormat(", seed %d", seed));
      }
    }
    file.description = absl::StrFormat(
        "place --policy=%s: %s, %d GPUs, %.6g GiB, %s, slo_scale %s%s; %s",
        (*policy)->Name(), models_text, num_devices, budget_gib, workload_desc,
        trace_slos ? "from the trace" : absl::StrFormat("%.6g", slo_scale),
        training_desc,
        schedule->IsStatic()
            ? absl::StrFormat("score %.9f", score)
            : absl::StrFormat("%zu phases, goodput %.9f",
                              schedule->phases.size(), (*lean)->Goodput()));
    if (!fast) {
      absl::StrAppend(&file.description, "; simulator ", (*simulator)->Name());
    }
    if (!first.note.empty())
      absl::StrAppend(&file.description, "; ", first.note);
    if (!slo_warning.empty())
      absl::StrAppend(&file.description, "; ", slo_warning);
    absl::Status written = WritePlacementFile(out, file);
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
