// Runs a declarative study (experiments/lib/study.proto): every sweep point
// times every policy, in parallel, then writes results.tsv, study.textproto
// and the charts into --out_dir.
//
//   bazel run //tools:study -- --out_dir=out/mixed_16gpu
//       --spec=examples/mixed_16gpu.textproto   (one command line)
//
// Under mpirun the cases are spread over the ranks and rank 0 writes the
// same outputs (experiments/lib/distributed_study.h):
//
//   mpirun -np 4 bazel-bin/tools/study --spec=... --out_dir=...

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "experiments/lib/case_assignment.h"
#include "experiments/lib/distributed_study.h"
#include "experiments/lib/mpi_ranks.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_bounds.h"
#include "experiments/lib/study_files.h"
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
ABSL_FLAG(double, max_memory_gb, 8,
          "refuse a study whose cases running at once are estimated to hold "
          "more than this many GB (about 64 bytes per request)");
ABSL_FLAG(double, max_case_hours, 1,
          "refuse a study whose largest case is estimated to run longer than "
          "this on one core (requests placed x models x GPUs)");
ABSL_FLAG(std::string, format, "tsv",
          "results also as: tsv (only), csv (results.csv beside "
          "results.tsv), json (results.json), or both: csv,json");
ABSL_FLAG(bool, strict_layout, false,
          "fail when a chart breaks a layout invariant (clipped text, a "
          "legend over data, an axis past its bound) instead of warning");
ABSL_FLAG(bool, timing, false,
          "after each study, print to stderr per rank (one without mpirun): "
          "the cases it ran, their share of the estimated cost, its wall "
          "seconds running them, the CPU seconds of its process so far and "
          "the messages and bytes it exchanged so far");

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
    "           [--max_memory_gb=GB] [--max_case_hours=H]\n"
    "\n"
    "The spec is a text proto of multiplex.study.StudySpec\n"
    "(experiments/lib/study.proto; examples in examples/).\n"
    "Relative paths on the command line are taken from the directory you ran\n"
    "the command in; relative paths inside the spec from the spec's "
    "directory.\n"
    "The default cost model is the shipped database\n"
    "profiler/data/profiling_result.textproto.\n"
    "A bad spec exits with status 1 and 'study: FILE:LINE: FIELD: what is "
    "wrong'.\n"
    "\n"
    "On several machines (built with MPI: tools/setup.sh installs OpenMPI):\n"
    "  mpirun -np K [--hostfile FILE] bazel-bin/tools/study --spec=FILE "
    "--out_dir=DIR\n"
    "spreads the cases over the K ranks, balanced by an estimate of each\n"
    "case's cost; each runs its share on --threads threads, and rank 0\n"
    "writes the same files a single process writes. A failing case stops\n"
    "every rank with status 1 and one message naming the case and the rank;\n"
    "nothing is written then. --out_dir and relative paths are taken on\n"
    "each machine as given, so the spec and its files must be at the same\n"
    "path on every machine; only rank 0 writes.\n";

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

double CpuSeconds() {
  rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The --timing table at rank 0: one line per rank.
absl::Status PrintTiming(Ranks* ranks, const RankStats& stats,
                         double total_cost) {
  const Traffic t = ranks->traffic();  // before this gather's own traffic
  const std::string line = absl::StrFormat(
      "%4d %6zu %6.1f%% %8.2f %8.2f %9d %11d %9d %11d", ranks->rank(),
      stats.cases, total_cost > 0 ? 100 * stats.cost / total_cost : 0,
      stats.run_s, CpuSeconds(), t.messages_sent, t.bytes_sent,
      t.messages_received, t.bytes_received);
  absl::StatusOr<std::vector<std::string>> lines = ranks->Gather(line);
  if (!lines.ok()) return lines.status();
  if (ranks->rank() != 0) return absl::OkStatus();
  std::fprintf(stderr,
               "rank  cases   cost    run_s    cpu_s  msgs_sent  bytes_sent "
               "msgs_recv  bytes_recv\n");
  for (const std::string& l : *lines) std::fprintf(stderr, "%s\n", l.c_str());
  return absl::OkStatus();
}

int Main(const std::string& start_dir, const std::string& argv0,
         std::unique_ptr<Ranks> ranks) {
  const bool root = ranks->rank() == 0;
  const bool distributed = ranks->size() > 1;
  // Every rank stops with status 1 and rank 0 alone says why. Called by
  // every rank at once (the errors are the same everywhere or agreed on):
  // the others wait until rank 0 has printed, since mpirun ends the job as
  // soon as one rank exits non-zero.
  auto fail = [&](const absl::Status& status) {
    if (root) {
      std::fprintf(stderr, "%s: %s\n", kProgram,
                   std::string(status.message()).c_str());
      std::fflush(stderr);
    }
    ranks->Barrier().IgnoreError();  // exiting either way
    ranks.reset();
    std::exit(1);
  };
  auto fail_with = [&](const std::string& message) {
    fail(absl::InvalidArgumentError(message));
  };
  // For what may differ between ranks (files on different machines).
  auto check = [&](const absl::Status& mine) {
    absl::Status agreed = AgreeOnStatus(ranks.get(), mine);
    if (!agreed.ok()) fail(agreed);
  };

  const std::string spec_path = absl::GetFlag(FLAGS_spec);
  const std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (spec_path.empty()) fail_with("--spec=FILE is required; see --help");
  if (out_dir.empty()) fail_with("--out_dir=DIR is required; see --help");
  StudyOptions options;
  options.default_cost_model = absl::StrCat(
      "database:path=", FindShippedFile(kDefaultDatabase, start_dir, argv0));
  options.duration_scale = absl::GetFlag(FLAGS_duration_scale);
  if (!(options.duration_scale > 0) || options.duration_scale > 1e6) {
    fail_with("--duration_scale must be in (0, 1e6]");
  }
  std::vector<std::string> formats;
  for (absl::string_view format :
       absl::StrSplit(absl::GetFlag(FLAGS_format), ',')) {
    if (format != "tsv" && format != "csv" && format != "json") {
      fail_with(
          absl::StrCat("--format: '", format,
                       "' is not tsv, csv or json (or a list: csv,json)"));
    }
    formats.emplace_back(format);
  }
  const std::string seed = absl::GetFlag(FLAGS_seed);
  if (!seed.empty()) {
    uint64_t value;
    if (seed[0] == '-' || seed[0] == '+' || !absl::SimpleAtoi(seed, &value)) {
      fail_with(absl::StrCat("--seed must be an integer in [0, 2^64), got '",
                             seed, "'"));
    }
    options.seed = value;
  }
  ParallelOptions parallel;
  parallel.threads = absl::GetFlag(FLAGS_threads);
  // One progress bar: rank 0's, over its own cases.
  parallel.quiet = absl::GetFlag(FLAGS_quiet) || !root;
  const bool say = !absl::GetFlag(FLAGS_quiet) && root;
  if (parallel.threads < 0) fail_with("--threads must be >= 0");
  if (!(absl::GetFlag(FLAGS_max_memory_gb) > 0) ||
      !(absl::GetFlag(FLAGS_max_case_hours) > 0)) {
    fail_with("--max_memory_gb and --max_case_hours must be > 0");
  }

  absl::StatusOr<std::vector<Study>> studies = LoadStudies(spec_path, options);
  check(studies.status());
  if (root)
    check(MakeDirectories(out_dir));
  else
    check(absl::OkStatus());
  // A file of several studies: each into <out_dir>/<name>/.
  const bool several = studies->size() > 1;
  auto dir_of = [&](const Study& study) {
    return several ? absl::StrCat(out_dir, "/", study.spec.name()) : out_dir;
  };
  // No output may replace a file any study reads (the spec, a trace, a
  // database): checked for all of them before anything runs.
  {
    std::vector<NamedPath> inputs, outputs;
    for (const Study& study : *studies) {
      for (NamedPath& in : StudyInputFiles(study)) inputs.push_back(in);
      for (NamedPath& out : StudyOutputFiles(
               study, dir_of(study), absl::GetFlag(FLAGS_png), formats)) {
        outputs.push_back(out);
      }
    }
    check(CheckNoOutputIsAnInput(outputs, inputs));
    // What every study costs, estimated before the first one runs.
    StudyBounds bounds;
    bounds.max_memory_gb = absl::GetFlag(FLAGS_max_memory_gb);
    bounds.max_case_hours = absl::GetFlag(FLAGS_max_case_hours);
    const int threads =
        parallel.threads > 0
            ? parallel.threads
            : std::max(1,
                       static_cast<int>(std::thread::hardware_concurrency()));
    for (const Study& study : *studies) {
      check(CheckStudyBounds(study, threads, bounds));
    }
  }
  for (const Study& study : *studies) {
    const std::string dir = dir_of(study);
    if (several) check(root ? MakeDirectories(dir) : absl::OkStatus());
    parallel.label =
        distributed ? absl::StrCat(study.spec.name(), " rank 0/", ranks->size())
                    : study.spec.name();
    if (say) {
      std::fprintf(
          stderr,
          "%s: %zu case%s (%d polic%s), %d workload%s, %d "
          "chart%s%s\n",
          study.spec.name().c_str(), study.cases.size(),
          study.cases.size() == 1 ? "" : "s", study.spec.policies_size(),
          study.spec.policies_size() == 1 ? "y" : "ies",
          study.num_workload_groups, study.num_workload_groups == 1 ? "" : "s",
          study.spec.charts_size(), study.spec.charts_size() == 1 ? "" : "s",
          distributed ? absl::StrCat(" over ", ranks->size(), " ranks").c_str()
                      : "");
    }
    const auto begin = std::chrono::steady_clock::now();
    RankStats stats;
    absl::StatusOr<StudyResults> results =
        RunStudyOnRanks(study, parallel, ranks.get(), &stats);
    if (!results.ok()) {
      fail(absl::Status(
          results.status().code(),
          absl::StrCat(spec_path, ": ", results.status().message())));
    }
    check(root ? WriteStudyOutputs(study, *results, dir,
                                   absl::GetFlag(FLAGS_png),
                                   absl::GetFlag(FLAGS_strict_layout), formats)
               : absl::OkStatus());
    if (absl::GetFlag(FLAGS_timing)) {
      double total_cost = 0;
      for (double c : EstimateCaseCosts(study)) total_cost += c;
      check(PrintTiming(ranks.get(), stats, total_cost));
    }
    if (say) {
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - begin)
                                 .count();
      std::printf(
          "wrote results.tsv (%zu row%s), study.textproto and %d chart%s "
          "to %s in %.1f s\n",
          study.cases.size(), study.cases.size() == 1 ? "" : "s",
          study.spec.charts_size(), study.spec.charts_size() == 1 ? "" : "s",
          dir.c_str(), seconds);
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
  absl::StatusOr<std::unique_ptr<multiplex::Ranks>> ranks =
      multiplex::Ranks::Start();
  if (!ranks.ok()) multiplex::Fail(multiplex::kProgram, ranks.status());
  return multiplex::Main(start_dir, argv[0], *std::move(ranks));
}
