// Simulates serving a trace on a placement (docs/study.md §3) and prints the
// statistics.
//
//   bazel run //tools:simulate -- --db=profiler/data/profiling_result.textproto
//       --placement=p.textproto --workload=trace.tsv [--out=requests.tsv]
//       [--summary_out=summary.tsv]

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/file_io.h"
#include "core/number_format.h"
#include "core/placement.h"
#include "core/placement_io.h"
#include "core/placement_schedule.h"
#include "core/registry.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"
#include "core/simulator_schedule.h"
#include "core/stats.h"
#include "experiments/lib/results_row.h"
#include "tools/cli/cli.h"
#include "tools/cli/cost_model_flags.h"
#include "tools/cli/progress.h"
#include "workloads/trace_io.h"

ABSL_FLAG(std::string, db, "",
          "profiling database (text proto) giving stage latencies and memory; "
          "short for --cost_model=database:path=PATH");
ABSL_FLAG(std::string, cost_model, "",
          "cost model spec, any of //tools:plugins (e.g. analytical, "
          "database:path=DB); instead of --db");
ABSL_FLAG(std::string, placement, "",
          "placement file (text proto of multiplex.PlacementProto, "
          "core/placement.proto); with phases, a schedule: each request is "
          "served by the phase in force at its arrival");
ABSL_FLAG(std::string, workload, "",
          "trace file, TSV (arrival_s<TAB>model<TAB>slo_s) or binary "
          "(workloads/trace_io.h; //tools:workload writes and converts it); "
          "model names are the placement's instance names");
ABSL_FLAG(std::string, out, "",
          "optional: write one line per request after a header line, "
          "index<TAB>model<TAB>group<TAB>arrival_s<TAB>finish_s<TAB>good "
          "(group -1 and finish = arrival for rejected requests); costs 12 "
          "more bytes of memory per request and the text written (~50)");
ABSL_FLAG(std::string, summary_out, "",
          "optional: write the overall statistics as a header line and one "
          "row with the columns of a study's results.tsv (policy, "
          "policy_spec, placement, requests, slo_attainment, mean_latency_s, "
          "p50_latency_s, p90_latency_s, p99_latency_s, p99_all_latency_s, "
          "throughput_rps, "
          "solver_s); policy and policy_spec from the placement file when "
          "//tools:place wrote it, solver_s empty");
ABSL_FLAG(double, mem_budget_gb, 0,
          "per-GPU memory budget in GiB; overrides the placement file's "
          "cluster; 0: use the file's");
ABSL_FLAG(double, mem_budget_gib, 0,
          "the same in its exact unit's name (GiB); set one of the two");
ABSL_FLAG(int, num_devices, 0,
          "cluster size; overrides the placement file's; 0: the file's, else "
          "the devices the placement uses");
ABSL_FLAG(double, fixed_overhead_s,
          multiplex::ServingConstants().fixed_overhead_s,
          "fixed overhead added to every request (s)");
ABSL_FLAG(double, stage_slowdown, multiplex::ServingConstants().stage_slowdown,
          "every stage latency of a pp-stage pipeline is multiplied by "
          "(1 + stage_slowdown * pp)");
ABSL_FLAG(std::string, simulator, "fast",
          "simulator spec, any of //tools:plugins: fast (default) or "
          "batching:max_batch_size=B (docs/study.md §3.7)");
ABSL_FLAG(double, warmup_s, multiplex::kDefaultWarmupS,
          "warm-up (s) whose share of requests the statistics drop at each "
          "end");

namespace multiplex {
namespace {

constexpr char kProgram[] = "simulate";
constexpr char kUsage[] =
    "Simulates serving a trace on a placement and prints per-model and "
    "overall\nstatistics (requests, SLO attainment, mean/p90/p99 latency of "
    "good requests,\nthroughput) and per-group served requests.\n"
    "Usage:\n"
    "  simulate --db=DB.textproto --placement=P.textproto --workload=T.tsv\n"
    "           [--out=requests.tsv] [--summary_out=summary.tsv]\n"
    "           [--mem_budget_gb=G] [--num_devices=N]\n"
    "  simulate --cost_model=analytical --placement=P.textproto "
    "--workload=T.tsv\n"
    "Relative paths (flags, plugin specs) are taken from the directory the "
    "command\nwas run in.";

std::string Required(const absl::Flag<std::string>& flag, const char* name) {
  std::string value = absl::GetFlag(flag);
  if (value.empty()) {
    Fail(kProgram, absl::StrCat("--", name, " is required\n", kUsage));
  }
  return value;
}

// A header, then one line per request: index, model, group, arrival_s,
// finish_s, good.
std::string FormatRequests(const Workload& w, const SimulationResult& r) {
  std::string out = "index\tmodel\tgroup\tarrival_s\tfinish_s\tgood\n";
  for (size_t i = 0; i < w.size(); ++i) {
    absl::StrAppend(&out, i, "\t", w.model_names[w.model[i]], "\t", r.group[i],
                    "\t", FormatDoubleExact(w.arrival_s[i]), "\t",
                    FormatDoubleExact(r.finish_s[i]), "\t",
                    r.good[i] ? "1" : "0", "\n");
  }
  return out;
}

// The policy of a placement file //tools:place wrote: its description
// starts "place --policy=NAME: ". Empty for other files.
std::string RecordedPolicy(const std::string& description) {
  constexpr absl::string_view kPrefix = "place --policy=";
  if (!absl::StartsWith(description, kPrefix)) return "";
  const size_t end = description.find(": ", kPrefix.size());
  if (end == std::string::npos) return "";
  return description.substr(kPrefix.size(), end - kPrefix.size());
}

// The --summary_out text: results.tsv's columns that apply to one run.
std::string FormatSummary(const PlacementFile& file, const Workload& workload,
                          const SimulationResult& result,
                          const ServingStats& stats) {
  ServingSummary summary = SummarizeServing(workload, result, stats);
  summary.placement = file.Schedule().ToString(file.models);
  const std::string policy = RecordedPolicy(file.description);
  return absl::StrCat(absl::StrJoin(ResultColumns(), "\t"), "\n",
                      absl::StrJoin(ResultCells(policy, policy, summary,
                                                /*has_solver_s=*/false),
                                    "\t"),
                      "\n");
}

int Main() {
  const std::string placement_path = Required(FLAGS_placement, "placement");
  const std::string workload_path = Required(FLAGS_workload, "workload");
  const std::string out_path = absl::GetFlag(FLAGS_out);
  const std::string summary_path = absl::GetFlag(FLAGS_summary_out);

  ServingConstants constants;
  constants.fixed_overhead_s = absl::GetFlag(FLAGS_fixed_overhead_s);
  constants.stage_slowdown = absl::GetFlag(FLAGS_stage_slowdown);
  if (!(constants.fixed_overhead_s >= 0) || !(constants.stage_slowdown >= 0) ||
      !std::isfinite(constants.fixed_overhead_s) ||
      !std::isfinite(constants.stage_slowdown)) {
    Fail(kProgram,
         "--fixed_overhead_s and --stage_slowdown must be finite and >= 0");
  }
  const double warmup_s = absl::GetFlag(FLAGS_warmup_s);
  if (!(warmup_s >= 0) || !std::isfinite(warmup_s)) {
    Fail(kProgram, "--warmup_s must be finite and >= 0");
  }

  // Never overwrite what this run reads.
  std::vector<NamedPath> inputs = {{"--placement", placement_path},
                                   {"--workload", workload_path},
                                   {"--db", absl::GetFlag(FLAGS_db)}};
  for (NamedPath& p :
       SpecPaths("--cost_model", absl::GetFlag(FLAGS_cost_model))) {
    inputs.push_back(std::move(p));
  }
  for (const NamedPath& output : {NamedPath{"--out", out_path},
                                  NamedPath{"--summary_out", summary_path}}) {
    absl::Status fresh = CheckNotAnInput(output, inputs);
    if (!fresh.ok()) Fail(kProgram, fresh);
  }
  if (!out_path.empty() && out_path == summary_path) {
    Fail(kProgram, "--out and --summary_out name the same file");
  }

  absl::StatusOr<PlacementFile> file = ReadPlacementFile(placement_path);
  if (!file.ok()) Fail(kProgram, file.status());

  Cluster cluster;
  bool check_memory = true;
  if (file->has_cluster) cluster = file->cluster;
  const double budget_gib = absl::GetFlag(FLAGS_mem_budget_gib) != 0
                                ? absl::GetFlag(FLAGS_mem_budget_gib)
                                : absl::GetFlag(FLAGS_mem_budget_gb);
  if (budget_gib != 0) {
    if (!(budget_gib > 0)) {
      Fail(kProgram, "--mem_budget_gb/--mem_budget_gib must be > 0");
    }
    cluster.mem_budget_bytes = budget_gib * kGiB;
  } else if (!file->has_cluster) {
    check_memory = false;
    cluster.mem_budget_bytes = std::numeric_limits<double>::infinity();
  }
  if (absl::GetFlag(FLAGS_num_devices) < 0) {
    Fail(kProgram, "--num_devices must be >= 0");
  }
  if (absl::GetFlag(FLAGS_num_devices) > 0) {
    cluster.num_devices = absl::GetFlag(FLAGS_num_devices);
  } else if (!file->has_cluster) {
    for (const PlacementPhase& phase : file->Schedule().phases) {
      cluster.num_devices =
          std::max(cluster.num_devices, phase.placement.NumDevices());
    }
  }

  absl::StatusOr<std::unique_ptr<CostModel>> cost = CostModelFromFlags(
      absl::GetFlag(FLAGS_cost_model), absl::GetFlag(FLAGS_db));
  if (!cost.ok()) Fail(kProgram, cost.status());

  for (const ModelSpec& m : file->models) {
    if ((*cost)->Configs(m.type).empty()) {
      Fail(kProgram, absl::StrCat(placement_path, ": instance '", m.name,
                                  "' has model type '", m.type,
                                  "', which the cost model ", (*cost)->Name(),
                                  " does not know"));
    }
  }
  const PlacementSchedule schedule = file->Schedule();
  absl::Status verified =
      VerifySchedule(schedule, file->models, cluster, **cost);
  if (!verified.ok()) {
    Fail(kProgram, absl::StrCat(placement_path, ": ", verified.message()));
  }

  absl::StatusOr<Workload> workload =
      ReadTrace(workload_path, file->ModelNames());
  if (!workload.ok()) Fail(kProgram, workload.status());

  absl::StatusOr<std::unique_ptr<Simulator>> simulator =
      Registry<Simulator>::Global().Create(absl::GetFlag(FLAGS_simulator));
  if (!simulator.ok()) Fail(kProgram, simulator.status());
  absl::StatusOr<PreparedSchedule> prepared =
      (*simulator)->PrepareSchedule(schedule, file->models, **cost, constants);
  if (!prepared.ok()) {
    Fail(kProgram,
         absl::StrCat(placement_path, ": ", prepared.status().message()));
  }
  // Memory per request (the scale target): the workload's 20 bytes, then
  // finish_s and good (9); the statistics add 8 per counted request (the SLO
  // column, 8, is released after them). --out also keeps group and start_s
  // (12).
  SimulateOptions options;
  options.record_busy_intervals = false;
  options.record_group_and_start = !out_path.empty();
  absl::StatusOr<SimulationResult> result;
  {
    Spinner spinner(absl::StrCat("simulate: ", workload->size(), " requests"));
    result = (*simulator)->SimulateSchedule(*prepared, *workload, options);
  }
  if (!result.ok()) Fail(kProgram, result.status());
  // The statistics read the SLOs (a missed request counts at its deadline
  // in p99_all_latency_s); nothing after them does.
  absl::StatusOr<ServingStats> stats =
      ComputeStats(*workload, *result, warmup_s);
  std::vector<double>().swap(workload->slo_s);
  if (!stats.ok()) Fail(kProgram, stats.status());
  // Statistics over no request would print a meaningless 0% attainment.
  if (stats->overall.requests == 0) {
    Fail(kProgram,
         absl::StrCat("no request is counted: the warm-up of ", warmup_s,
                      " s at each end of the workload's ", workload->size(),
                      " requests leaves none (the trace must span more than "
                      "twice --warmup_s; see docs/study.md §3.5)"));
  }

  std::printf("cost model: %s\n", (*cost)->Name().c_str());
  if ((*simulator)->Name() != "fast") {
    std::printf("simulator: %s\n", (*simulator)->Name().c_str());
  }
  std::printf("placement: %s\n", placement_path.c_str());
  if (!file->description.empty()) {
    std::printf("  %s\n", file->description.c_str());
  }
  int devices = 0;  // the most any phase uses
  for (size_t p = 0; p < schedule.phases.size(); ++p) {
    const Placement& placement = schedule.phases[p].placement;
    if (schedule.IsStatic()) {
      std::printf("  %s\n", placement.ToString(file->models).c_str());
    } else {
      std::printf("  phase %zu from %.6g s: %s\n", p,
                  schedule.phases[p].start_s,
                  placement.ToString(file->models).c_str());
    }
    devices = std::max(devices, placement.NumDevices());
  }
  if (check_memory) {
    std::printf("  %d of %d devices, memory budget %.3f GiB per device\n",
                devices, cluster.num_devices, cluster.mem_budget_bytes / kGiB);
  } else {
    std::printf(
        "  %d devices; memory not checked (no cluster in the file, no "
        "--mem_budget_gb)\n",
        devices);
  }
  std::printf("workload: %s (%zu requests, %d models)\n", workload_path.c_str(),
              workload->size(), workload->num_models());
  std::printf("%s", FormatStatsTable(*stats).c_str());

  if (!out_path.empty()) {
    absl::Status written =
        WriteFileAtomically(out_path, FormatRequests(*workload, *result));
    if (!written.ok()) Fail(kProgram, written);
    std::printf("wrote %s\n", out_path.c_str());
  }
  if (!summary_path.empty()) {
    absl::Status written = WriteFileAtomically(
        summary_path, FormatSummary(*file, *workload, *result, *stats));
    if (!written.ok()) Fail(kProgram, written);
    std::printf("wrote %s\n", summary_path.c_str());
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
