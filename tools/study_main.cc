// Runs a declarative study (experiments/lib/study.proto): every sweep point
// times every policy, in parallel, then writes results.tsv, study.textproto
// and the charts into --out_dir.
//
//   bazel run //tools:study -- --spec=examples/mixed_16gpu.textproto \
//       --out_dir=out/mixed_16gpu

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, spec, "",
          "the study: a multiplex.study.StudySpec text proto (required)");
ABSL_FLAG(std::string, out_dir, "",
          "where results.tsv, study.textproto and the charts go (created; "
          "required)");
ABSL_FLAG(int, threads, 0, "worker threads; 0 = every core");
ABSL_FLAG(std::string, seed, "",
          "overrides workload.seed: an integer in [0, 2^64)");
ABSL_FLAG(double, duration_scale, 1.0,
          "multiplies every simulated duration (e.g. 0.1 for a quick look)");
ABSL_FLAG(bool, quiet, false, "no progress bar and no summary");
ABSL_FLAG(bool, png, false, "also write a 150-dpi PNG beside each PDF");

namespace multiplex {
namespace {

constexpr char kProgram[] = "study";
constexpr char kDefaultDatabase[] = "profiler/data/profiling_result.textproto";

constexpr char kUsage[] =
    "Runs a study: the cases are the sweep points (the cross product of the\n"
    "sweep axes) times the policies; each places the models with its policy\n"
    "on the training workload, simulates the serving workload and records\n"
    "its statistics. Writes into --out_dir: results.tsv (one row per case),\n"
    "study.textproto (the spec with every default filled in) and every\n"
    "chart as PDF + TSV (+ PNG with --png). A spec of several studies\n"
    "(`studies { ... }`, as experiments/specs/) writes each into\n"
    "--out_dir/<its name>/.\n"
    "\n"
    "Usage: bazel run //tools:study -- --spec=FILE --out_dir=DIR\n"
    "           [--threads=N] [--seed=S] [--duration_scale=X] [--quiet] "
    "[--png]\n"
    "\n"
    "The spec is a text proto of multiplex.study.StudySpec\n"
    "(experiments/lib/study.proto; examples in examples/).\n"
    "Relative paths on the command line are taken from the directory you ran\n"
    "the command in; relative paths inside the spec from the spec's "
    "directory.\n"
    "The default cost model is the shipped database\n"
    "profiler/data/profiling_result.textproto.\n"
    "A bad spec exits with status 1 and 'study: FILE:LINE: FIELD: what is "
    "wrong'.\n";

bool Exists(const std::string& path) { return access(path.c_str(), R_OK) == 0; }

std::string CurrentDirectory() {
  char cwd[PATH_MAX];
  return getcwd(cwd, sizeof(cwd)) != nullptr ? std::string(cwd) : ".";
}

std::string Absolute(const std::string& path, const std::string& cwd) {
  return path.empty() || path[0] == '/' ? path : absl::StrCat(cwd, "/", path);
}

// The shipped database: in the workspace under `bazel run`, else in the
// current directory or the binary's runfiles (tests).
std::string FindShippedFile(const std::string& relative,
                            const std::string& start_dir,
                            const std::string& argv0) {
  if (!WorkspaceDirectory().empty()) return ResolveWorkspacePath(relative);
  std::vector<std::string> candidates = {Absolute(relative, start_dir)};
  for (const char* env : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* dir = std::getenv(env)) {
      candidates.push_back(absl::StrCat(dir, "/multiplex/", relative));
    }
  }
  candidates.push_back(absl::StrCat(Absolute(argv0, start_dir),
                                    ".runfiles/multiplex/", relative));
  for (const std::string& c : candidates) {
    if (Exists(c)) return Absolute(c, start_dir);
  }
  return candidates.front();
}

int Main(const std::string& start_dir, const std::string& argv0) {
  const std::string spec_path = absl::GetFlag(FLAGS_spec);
  const std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (spec_path.empty()) Fail(kProgram, "--spec=FILE is required; see --help");
  if (out_dir.empty()) Fail(kProgram, "--out_dir=DIR is required; see --help");
  StudyOptions options;
  options.default_cost_model = absl::StrCat(
      "database:path=", FindShippedFile(kDefaultDatabase, start_dir, argv0));
  options.duration_scale = absl::GetFlag(FLAGS_duration_scale);
  if (!(options.duration_scale > 0) || options.duration_scale > 1e6) {
    Fail(kProgram, "--duration_scale must be in (0, 1e6]");
  }
  const std::string seed = absl::GetFlag(FLAGS_seed);
  if (!seed.empty()) {
    uint64_t value;
    if (seed[0] == '-' || seed[0] == '+' || !absl::SimpleAtoi(seed, &value)) {
      Fail(kProgram, absl::StrCat("--seed must be an integer in [0, 2^64), "
                                  "got '",
                                  seed, "'"));
    }
    options.seed = value;
  }
  ParallelOptions parallel;
  parallel.threads = absl::GetFlag(FLAGS_threads);
  parallel.quiet = absl::GetFlag(FLAGS_quiet);
  if (parallel.threads < 0) Fail(kProgram, "--threads must be >= 0");

  absl::StatusOr<std::vector<Study>> studies = LoadStudies(spec_path, options);
  if (!studies.ok()) Fail(kProgram, studies.status());
  absl::Status made = MakeDirectories(out_dir);
  if (!made.ok()) Fail(kProgram, made);
  // A file of several studies: each into <out_dir>/<name>/.
  const bool several = studies->size() > 1;
  for (const Study& study : *studies) {
    const std::string dir =
        several ? absl::StrCat(out_dir, "/", study.spec.name()) : out_dir;
    if (several) {
      made = MakeDirectories(dir);
      if (!made.ok()) Fail(kProgram, made);
    }
    parallel.label = study.spec.name();
    if (!parallel.quiet) {
      std::fprintf(stderr,
                   "%s: %zu cases (%d policies), %d workloads, %d "
                   "charts\n",
                   study.spec.name().c_str(), study.cases.size(),
                   study.spec.policies_size(), study.num_workload_groups,
                   study.spec.charts_size());
    }
    const auto begin = std::chrono::steady_clock::now();
    absl::StatusOr<StudyResults> results = RunStudy(study, parallel);
    if (!results.ok()) {
      Fail(kProgram, absl::StrCat(spec_path, ": ", results.status().message()));
    }
    absl::Status written =
        WriteStudyOutputs(study, *results, dir, absl::GetFlag(FLAGS_png));
    if (!written.ok()) Fail(kProgram, written);
    if (!parallel.quiet) {
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - begin)
                                 .count();
      std::printf(
          "wrote results.tsv (%zu rows), study.textproto and %d charts "
          "to %s in %.1f s\n",
          study.cases.size(), study.spec.charts_size(), dir.c_str(), seconds);
    }
  }
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  const std::string start_dir = multiplex::CurrentDirectory();
  multiplex::ParseFlagsOrFail(argc, argv, multiplex::kProgram,
                              multiplex::kUsage);
  return multiplex::Main(start_dir, argv[0]);
}
