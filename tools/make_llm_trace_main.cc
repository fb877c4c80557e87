// Writes a synthetic LLM inference trace in the raw format of the Azure LLM
// inference traces or of BurstGPT (workloads/llm_trace.h): bursty arrivals,
// lognormal prompt and output lengths, deterministic by seed.
//
//   bazel run //tools:make_llm_trace -- --format=azure-llm --rows=100000
//       --duration_s=3600 --out=/tmp/azure_conv.csv
//   bazel run //tools:make_llm_trace -- --format=burstgpt --out=/tmp/b.csv

#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "tools/cli/cli.h"
#include "workloads/llm_trace.h"

ABSL_FLAG(std::string, format, "azure-llm", "azure-llm or burstgpt");
ABSL_FLAG(std::string, out, "", "the file to write");
ABSL_FLAG(int64_t, rows, 1000, "requests (>= 0)");
ABSL_FLAG(double, duration_s, 3600, "seconds the requests spread over");
ABSL_FLAG(double, prompt_median, 1020, "median prompt tokens");
ABSL_FLAG(double, prompt_p90, 4000, "90th-percentile prompt tokens");
ABSL_FLAG(double, output_median, 129, "median output tokens");
ABSL_FLAG(double, output_p90, 500, "90th-percentile output tokens");
ABSL_FLAG(uint64_t, seed, 0, "seed; the same flags give the same bytes");

namespace multiplex {
namespace {

constexpr char kProgram[] = "make_llm_trace";
constexpr char kUsage[] =
    "Writes a synthetic LLM inference trace in the raw format of the Azure\n"
    "LLM inference traces (TIMESTAMP,ContextTokens,GeneratedTokens) or of\n"
    "BurstGPT, to try the `llm-trace` arrival process without the real\n"
    "datasets.\n"
    "Usage:\n"
    "  make_llm_trace --format=azure-llm --rows=100000 --out=azure.csv\n"
    "  make_llm_trace --format=burstgpt --out=burstgpt.csv";

int Main(int argc, char** argv) {
  ParseFlagsOrFail(argc, argv, kProgram, kUsage);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) Fail(kProgram, "--out is required");
  LlmSynthSpec spec;
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format == "azure-llm") {
    spec.format = LlmTraceFormat::kAzureLlm;
  } else if (format == "burstgpt") {
    spec.format = LlmTraceFormat::kBurstGpt;
  } else {
    Fail(kProgram, "--format must be azure-llm or burstgpt");
  }
  spec.rows = absl::GetFlag(FLAGS_rows);
  spec.duration_s = absl::GetFlag(FLAGS_duration_s);
  spec.prompt_median = absl::GetFlag(FLAGS_prompt_median);
  spec.prompt_p90 = absl::GetFlag(FLAGS_prompt_p90);
  spec.output_median = absl::GetFlag(FLAGS_output_median);
  spec.output_p90 = absl::GetFlag(FLAGS_output_p90);
  spec.seed = absl::GetFlag(FLAGS_seed);
  const absl::Status s = WriteSyntheticLlmTrace(out, spec);
  if (!s.ok()) Fail(kProgram, s);
  std::printf("wrote %s\n", out.c_str());
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) { return multiplex::Main(argc, argv); }
