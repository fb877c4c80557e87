// Simulates serving a trace on a placement (docs/study.md §3) and prints the
// statistics.
//
//   bazel run //tools:simulate -- --db=profiler/data/profiling_result.textproto
//       --placement=p.textproto --workload=trace.tsv [--out=requests.tsv]
//       [--summary_out=summary.tsv]

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/file_io.h"
#include "core/number_format.h"
#include "core/placement.h"
#include "core/serving_constants.h"
#include "core/stats.h"
#include "experiments/lib/case_flags.h"
#include "experiments/lib/results_row.h"
#include "experiments/lib/serving_case.h"
#include "tools/cli/cli.h"
#include "tools/cli/cost_model_flags.h"
#include "tools/cli/progress.h"

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

SimulateFlags ReadFlags() {
  SimulateFlags flags;
  flags.placement = Required(FLAGS_placement, "placement");
  flags.workload = Required(FLAGS_workload, "workload");
  flags.serving.fixed_overhead_s = absl::GetFlag(FLAGS_fixed_overhead_s);
  flags.serving.stage_slowdown = absl::GetFlag(FLAGS_stage_slowdown);
  flags.warmup_s = absl::GetFlag(FLAGS_warmup_s);
  flags.mem_budget_gib = absl::GetFlag(FLAGS_mem_budget_gib) != 0
                             ? absl::GetFlag(FLAGS_mem_budget_gib)
                             : absl::GetFlag(FLAGS_mem_budget_gb);
  flags.num_devices = absl::GetFlag(FLAGS_num_devices);
  flags.simulator = absl::GetFlag(FLAGS_simulator);
  return flags;
}

// What simulate prints before the statistics: the cost model, the
// simulator unless fast, the placement file and each phase, the devices
// and memory budget, the workload.
void PrintCase(const SimulateFlags& flags, const FileCase& fc,
               const PlacedCase& placed) {
  const ServingCase& c = fc.serving_case;
  const PlacementSchedule& schedule = placed.schedule();
  std::printf("cost model: %s\n", c.cost_model->Name().c_str());
  if (c.simulator->Name() != "fast") {
    std::printf("simulator: %s\n", c.simulator->Name().c_str());
  }
  std::printf("placement: %s\n", flags.placement.c_str());
  if (!fc.file.description.empty()) {
    std::printf("  %s\n", fc.file.description.c_str());
  }
  int devices = 0;  // the most any phase uses
  for (size_t p = 0; p < schedule.phases.size(); ++p) {
    const Placement& placement = schedule.phases[p].placement;
    if (schedule.IsStatic()) {
      std::printf("  %s\n", placement.ToString(c.models).c_str());
    } else {
      std::printf("  phase %zu from %.6g s: %s\n", p,
                  schedule.phases[p].start_s,
                  placement.ToString(c.models).c_str());
    }
    devices = std::max(devices, placement.NumDevices());
  }
  if (fc.check_memory) {
    std::printf("  %d of %d devices, memory budget %.3f GiB per device\n",
                devices, c.cluster.num_devices,
                c.cluster.mem_budget_bytes / kGiB);
  } else {
    std::printf(
        "  %d devices; memory not checked (no cluster in the file, no "
        "--mem_budget_gb)\n",
        devices);
  }
  std::printf("workload: %s (%zu requests, %d models)\n",
              flags.workload.c_str(), fc.workload.size(),
              fc.workload.num_models());
}

int Main() {
  const SimulateFlags flags = ReadFlags();
  const std::string out_path = absl::GetFlag(FLAGS_out);
  const std::string summary_path = absl::GetFlag(FLAGS_summary_out);

  // Never overwrite what this run reads.
  std::vector<NamedPath> inputs = {{"--placement", flags.placement},
                                   {"--workload", flags.workload},
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

  absl::StatusOr<std::unique_ptr<FileCase>> made =
      CaseFromSimulateFlags(flags, [] {
        return CostModelFromFlags(absl::GetFlag(FLAGS_cost_model),
                                  absl::GetFlag(FLAGS_db));
      });
  if (!made.ok()) Fail(kProgram, made.status());
  FileCase& fc = **made;
  const ServingCase& c = fc.serving_case;
  Workload& workload = fc.workload;
  absl::StatusOr<PlacedCase> placed = Adopt(c, fc.file.Schedule());
  if (!placed.ok()) {
    Fail(kProgram,
         absl::StrCat(flags.placement, ": ", placed.status().message()));
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
    Spinner spinner(absl::StrCat("simulate: ", workload.size(), " requests"));
    result = Serve(c, *placed, workload, options);
  }
  if (!result.ok()) Fail(kProgram, result.status());
  // The statistics read the SLOs (a missed request counts at its deadline
  // in p99_all_latency_s); nothing after them does.
  absl::StatusOr<ServingStats> stats =
      ComputeStats(workload, *result, flags.warmup_s);
  std::vector<double>().swap(workload.slo_s);
  if (!stats.ok()) Fail(kProgram, stats.status());
  // Statistics over no request would print a meaningless 0% attainment.
  if (stats->overall.requests == 0) {
    Fail(kProgram,
         absl::StrCat("no request is counted: the warm-up of ", flags.warmup_s,
                      " s at each end of the workload's ", workload.size(),
                      " requests leaves none (the trace must span more than "
                      "twice --warmup_s; see docs/study.md §3.5)"));
  }

  PrintCase(flags, fc, *placed);
  std::printf("%s", FormatStatsTable(*stats).c_str());

  if (!out_path.empty()) {
    absl::Status written =
        WriteFileAtomically(out_path, FormatRequests(workload, *result));
    if (!written.ok()) Fail(kProgram, written);
    std::printf("wrote %s\n", out_path.c_str());
  }
  if (!summary_path.empty()) {
    ServingSummary summary = Summarize(c, *placed, workload, *result, *stats);
    const std::string policy = RecordedPolicy(fc.file.description);
    absl::Status written = WriteFileAtomically(
        summary_path,
        absl::StrCat(absl::StrJoin(ResultColumns(), "\t"), "\n",
                     absl::StrJoin(ResultCells(policy, policy, summary,
                                               /*has_solver_s=*/false),
                                   "\t"),
                     "\n"));
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
