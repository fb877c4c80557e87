// Runs every experiment linked into this binary: one figure group for
// //experiments:<name>, all of them for //experiments:motivation.

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "core/registry.h"
#include "experiments/lib/experiment.h"
#include "tools/cli/cli.h"

// Path flags: a given value is taken from the directory the command was run
// in; left empty, the default inside the workspace is used.
ABSL_FLAG(std::string, out_dir, "",
          "Where the PDFs and TSVs go (default: out/motivation in the "
          "workspace; out/e2e for the end-to-end figures).");
ABSL_FLAG(std::string, db, "",
          "Default profiling database, Figures 2, 4, 5, 6, 7 (default: the "
          "shipped profiler/data/profiling_result.textproto).");
ABSL_FLAG(std::string, db_manual, "",
          "Long-sequence database with equal-layer stages, Figures 8, 9, 14 "
          "(default: the shipped "
          "profiler/data/profiling_result_long_sequence_manual.textproto).");
ABSL_FLAG(std::string, db_dp, "",
          "Long-sequence database with DP-partitioned stages, Figure 14 "
          "(default: the shipped "
          "profiler/data/profiling_result_long_sequence_dp.textproto).");
ABSL_FLAG(double, duration_scale, 1.0,
          "Multiplies every simulated duration; 1 = the study's parameters.");
ABSL_FLAG(uint64_t, seed, 0, "Base seed of every workload.");
ABSL_FLAG(int, threads, 0, "Worker threads; 0 = every core.");
ABSL_FLAG(bool, quiet, false, "No progress bars.");
ABSL_FLAG(bool, png, false, "Also write a 150-dpi PNG beside each PDF.");
ABSL_FLAG(bool, strict_layout, false,
          "Fail when a chart breaks a layout invariant (clipped text, a "
          "legend over data, an axis past its bound) instead of warning.");
ABSL_FLAG(bool, list, false,
          "Print the file stem of every figure this binary draws (one per "
          "line, each written as STEM.pdf and STEM.tsv) and exit.");
ABSL_FLAG(std::string, trace, "",
          "An Azure Functions trace (a MAF1 day file or directory of day "
          "files, or a MAF2 file): the end-to-end figures (e2e_*) then serve "
          "models driven by it (Gamma per 10-minute window, rate and CV "
          "scaled) instead of synthetic Gamma workloads; refused by figures "
          "that have no trace form.");
ABSL_FLAG(std::string, simulator, "",
          "Simulator of every study figure's cases whose spec names none, "
          "e.g. batching:max_batch_size=8 (default: each spec's, fast "
          "unless it says).");
ABSL_FLAG(std::string, only, "",
          "Comma-separated experiment names to run (default: all linked).");

namespace multiplex {
namespace {

constexpr char kProgram[] = "experiments";

std::string PathFlag(const absl::Flag<std::string>& flag,
                     absl::string_view workspace_default) {
  const std::string value = absl::GetFlag(flag);
  return value.empty() ? ResolveWorkspacePath(workspace_default) : value;
}

// The trace must exist; made absolute because the specs that use it take
// relative paths from their own directory. It becomes a `path=` inside a
// plugin spec inside a text proto string, which ',', '=', '"' and '\\'
// would break.
absl::StatusOr<std::string> AbsoluteTracePath(const std::string& path) {
  if (path.find_first_of(",=\"\\") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--trace: the path '", path,
        "' holds one of , = \" \\ which a workload spec cannot carry; "
        "link or copy the file to another name"));
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("--trace: no such file or directory '", path, "'"));
  }
  if (path[0] == '/') return path;
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) {
    return absl::InternalError("--trace: cannot read the current directory");
  }
  return absl::StrCat(cwd, "/", path);
}

int Main() {
  ExperimentContext context;
  // The end-to-end figures (docs/study.md §8) go beside the motivation ones, not
  // among them.
  bool all_e2e = true;
  for (const std::string& name : Registry<Experiment>::Global().Names()) {
    all_e2e = all_e2e && absl::StartsWith(name, "e2e_");
  }
  context.out_dir =
      PathFlag(FLAGS_out_dir, all_e2e ? "out/e2e" : "out/motivation");
  context.db_path =
      PathFlag(FLAGS_db, "profiler/data/profiling_result.textproto");
  context.db_manual_path =
      PathFlag(FLAGS_db_manual,
               "profiler/data/profiling_result_long_sequence_manual.textproto");
  context.db_dp_path = PathFlag(
      FLAGS_db_dp, "profiler/data/profiling_result_long_sequence_dp.textproto");
  context.duration_scale = absl::GetFlag(FLAGS_duration_scale);
  context.seed = absl::GetFlag(FLAGS_seed);
  context.png = absl::GetFlag(FLAGS_png);
  context.strict_layout = absl::GetFlag(FLAGS_strict_layout);
  context.parallel.threads = absl::GetFlag(FLAGS_threads);
  context.parallel.quiet = absl::GetFlag(FLAGS_quiet);
  if (!(context.duration_scale > 0) || context.duration_scale > 1e6) {
    Fail(kProgram, "--duration_scale must be in (0, 1e6]");
  }
  if (context.parallel.threads < 0) Fail(kProgram, "--threads must be >= 0");
  context.simulator = absl::GetFlag(FLAGS_simulator);
  const std::string trace = absl::GetFlag(FLAGS_trace);
  if (!trace.empty()) {
    absl::StatusOr<std::string> absolute = AbsoluteTracePath(trace);
    if (!absolute.ok()) Fail(kProgram, absolute.status());
    context.trace_path = *absolute;
  }

  const Registry<Experiment>& registry = Registry<Experiment>::Global();
  std::set<std::string> only;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_only), ',', absl::SkipEmpty())) {
    if (!registry.entries().count(std::string(name))) {
      Fail(kProgram, absl::StrCat("--only: unknown experiment '", name,
                                  "'; this binary has: ",
                                  absl::StrJoin(registry.Names(), ", ")));
    }
    only.insert(std::string(name));
  }
  if (absl::GetFlag(FLAGS_list)) {
    for (const auto& [name, entry] : registry.entries()) {
      if (!only.empty() && !only.count(name)) continue;
      absl::StatusOr<std::unique_ptr<Experiment>> experiment =
          registry.Create(name);
      if (!experiment.ok()) Fail(kProgram, experiment.status());
      for (const std::string& stem : (*experiment)->outputs()) {
        std::printf("%s\n", stem.c_str());
      }
    }
    return 0;
  }
  if (!context.trace_path.empty()) {
    for (const auto& [name, entry] : registry.entries()) {
      if (!only.empty() && !only.count(name)) continue;
      absl::StatusOr<std::unique_ptr<Experiment>> experiment =
          registry.Create(name);
      if (!experiment.ok()) Fail(kProgram, experiment.status());
      if (!(*experiment)->takes_trace()) {
        Fail(kProgram, absl::StrCat("--trace: figure group '", name,
                                    "' has no trace form (the e2e_* "
                                    "figures have); leave it out with "
                                    "--only"));
      }
    }
  }
  absl::Status made = MakeDirectories(context.out_dir);
  if (!made.ok()) Fail(kProgram, made);
  // No figure may replace a file the run reads: checked for every output
  // before anything runs.
  std::vector<NamedPath> outputs;
  for (const auto& [name, entry] : registry.entries()) {
    if (!only.empty() && !only.count(name)) continue;
    absl::StatusOr<std::unique_ptr<Experiment>> experiment =
        registry.Create(name);
    if (!experiment.ok()) Fail(kProgram, experiment.status());
    for (const std::string& stem : (*experiment)->outputs()) {
      for (const char* ext : {".pdf", ".tsv", ".png"}) {
        if (!context.png && std::string(ext) == ".png") continue;
        outputs.push_back({absl::StrCat(name, " figure"),
                           absl::StrCat(context.out_dir, "/", stem, ext)});
      }
    }
  }
  absl::Status fresh =
      CheckNoOutputIsAnInput(outputs, {{"--db", context.db_path},
                                       {"--db_manual", context.db_manual_path},
                                       {"--db_dp", context.db_dp_path},
                                       {"--trace", context.trace_path}});
  if (!fresh.ok()) Fail(kProgram, fresh);

  const auto begin = std::chrono::steady_clock::now();
  int files = 0;
  for (const auto& [name, entry] : registry.entries()) {
    if (!only.empty() && !only.count(name)) continue;
    absl::StatusOr<std::unique_ptr<Experiment>> experiment =
        registry.Create(name);
    if (!experiment.ok()) Fail(kProgram, experiment.status());
    context.parallel.label = name;
    // A figure group is written as one set: all new or, on any failure,
    // all as they were.
    StagedFiles staged;
    context.staged = &staged;
    absl::Status s = (*experiment)->Run(context);
    if (s.ok()) s = staged.Commit();
    context.staged = nullptr;
    if (!s.ok()) Fail(kProgram, absl::StrCat(name, ": ", s.message()));
    files += static_cast<int>((*experiment)->outputs().size());
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  std::printf("wrote %d figure%s (PDF + TSV) to %s in %.1f s\n", files,
              files == 1 ? "" : "s", context.out_dir.c_str(), seconds);
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(
      argc, argv, multiplex::kProgram,
      "Draws the motivation figures of the AlpaServe study linked into this "
      "binary.\nUsage: bazel run //experiments:motivation -- [--out_dir=DIR] "
      "[--db=PATH] [--duration_scale=X] [--quiet]\n       bazel run "
      "//experiments:e2e -- [--trace=MAF_FILE] [--simulator=SPEC] ...");
  return multiplex::Main();
}
