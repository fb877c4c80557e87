// Writes a synthetic trace in the exact raw format of a public Azure
// Functions trace (workloads/azure_synth.h): heavy-tailed function
// popularity, diurnal rate, deterministic by seed.
//
//   bazel run //tools:make_azure_trace -- --format=maf2 --duration_s=7200
//       --out=/tmp/maf2.txt
//   bazel run //tools:make_azure_trace -- --format=maf1 --days=2
//       --out=/tmp/maf1_dir

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "tools/cli/cli.h"
#include "workloads/azure_synth.h"

ABSL_FLAG(std::string, format, "maf2",
          "maf2 (one file: app,func,end_timestamp,duration) or maf1 (day "
          "files invocations_per_function_md.anon.dNN.csv in a directory)");
ABSL_FLAG(std::string, out, "",
          "maf2: the file to write; maf1: the directory (created) to write "
          "the day files into");
ABSL_FLAG(int, functions, 200, "number of functions (>= 1)");
ABSL_FLAG(int, apps, 0, "number of apps (0: functions / 3 + 1)");
ABSL_FLAG(double, zipf, 1.2,
          "popularity exponent: the function of rank r has weight 1 / r^zipf");
ABSL_FLAG(double, diurnal, 0.5,
          "amplitude of the daily rate cycle, in [0, 1): the rate is "
          "mean_rate x (1 + diurnal x sin(2 pi (t / 1 day - 1/3)))");
ABSL_FLAG(double, mean_rate, 10, "invocations per second, all functions");
ABSL_FLAG(double, duration_s, 7200, "maf2: seconds of trace");
ABSL_FLAG(int64_t, rows, -1, "maf2: stop after this many rows (-1: none)");
ABSL_FLAG(int, days, 1, "maf1: number of day files (1..14 in the dataset)");
ABSL_FLAG(uint64_t, seed, 0, "seed; the same flags give the same bytes");

namespace multiplex {
namespace {

constexpr char kProgram[] = "make_azure_trace";

constexpr char kUsage[] =
    "Writes a synthetic trace in the raw format of the public Azure Functions\n"
    "traces (MAF1: AzureFunctionsDataset2019, MAF2:\n"
    "AzureFunctionsInvocationTrace2021), to try the `azure` arrival process\n"
    "without the real datasets.\n"
    "Usage:\n"
    "  make_azure_trace --format=maf2 --duration_s=7200 --out=maf2.txt\n"
    "  make_azure_trace --format=maf1 --days=2 --out=maf1_dir";

int Main(int argc, char** argv) {
  ParseFlagsOrFail(argc, argv, kProgram, kUsage);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) Fail(kProgram, "--out is required");
  AzureSynthSpec spec;
  spec.num_functions = absl::GetFlag(FLAGS_functions);
  spec.num_apps = absl::GetFlag(FLAGS_apps);
  spec.zipf = absl::GetFlag(FLAGS_zipf);
  spec.diurnal = absl::GetFlag(FLAGS_diurnal);
  spec.mean_rate = absl::GetFlag(FLAGS_mean_rate);
  spec.duration_s = absl::GetFlag(FLAGS_duration_s);
  spec.max_rows = absl::GetFlag(FLAGS_rows);
  spec.days = absl::GetFlag(FLAGS_days);
  spec.seed = absl::GetFlag(FLAGS_seed);
  const std::string format = absl::GetFlag(FLAGS_format);
  absl::Status s;
  if (format == "maf2") {
    s = WriteSyntheticMaf2(spec, out);
  } else if (format == "maf1") {
    s = MakeDirectories(out);
    if (s.ok()) s = WriteSyntheticMaf1(spec, out);
  } else {
    s = absl::InvalidArgumentError("--format must be maf1 or maf2");
  }
  if (!s.ok()) Fail(kProgram, s);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) { return multiplex::Main(argc, argv); }
