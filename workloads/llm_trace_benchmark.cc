// Reading speed and peak memory of the streaming LLM trace readers
// (llm_trace.h), a timed run:
//
//   bazel run -c opt //workloads:llm_trace_benchmark -- [ROWS] [DIR]
//
// Writes synthetic Azure LLM and BurstGPT files of ROWS / 10 and ROWS rows
// (default 10^7) into DIR (default /tmp) unless they are there, then reads
// each with ReadLlmTrace (every field parsed and checked, the tokens summed
// so nothing is optimised away), printing rows per CPU second and the peak
// resident memory after each: a streaming reader's peak does not grow with
// the file.

#include <sys/resource.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "workloads/llm_trace.h"

namespace multiplex {
namespace {

double PeakRssMiB() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

double CpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec * 1e-6;
}

void Die(const absl::Status& s) {
  std::fprintf(stderr, "llm_trace_benchmark: %s\n",
               std::string(s.message()).c_str());
  std::exit(1);
}

std::string EnsureFile(const std::string& dir, LlmTraceFormat format,
                       int64_t rows) {
  const std::string path = absl::StrCat(dir, "/", LlmTraceFormatName(format),
                                        "_bench_", rows, ".csv");
  struct stat st;
  if (stat(path.c_str(), &st) == 0) return path;
  LlmSynthSpec spec;
  spec.format = format;
  spec.rows = rows;
  spec.duration_s = static_cast<double>(rows) / 5;  // 5 requests/s
  spec.seed = 1;
  const absl::Status s = WriteSyntheticLlmTrace(path, spec);
  if (!s.ok()) Die(s);
  return path;
}

void Read(const std::string& path, LlmTraceFormat format) {
  int64_t rows = 0, tokens = 0;
  const double cpu0 = CpuSeconds();
  const absl::Status s =
      ReadLlmTrace(path, format, [&](const LlmTraceRow& row) {
        ++rows;
        tokens += row.prompt_tokens + row.output_tokens;
        return absl::OkStatus();
      });
  const double cpu = CpuSeconds() - cpu0;
  if (!s.ok()) Die(s);
  std::printf(
      "%-9s %10lld rows  %7.3f CPU s  %6.2f M rows/CPU s  peak RSS %.1f MiB"
      "  (tokens %lld)\n",
      LlmTraceFormatName(format), static_cast<long long>(rows), cpu,
      rows / cpu / 1e6, PeakRssMiB(), static_cast<long long>(tokens));
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  using namespace multiplex;  // NOLINT
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  for (LlmTraceFormat f :
       {LlmTraceFormat::kAzureLlm, LlmTraceFormat::kBurstGpt}) {
    const std::string small = EnsureFile(dir, f, rows / 10);
    const std::string big = EnsureFile(dir, f, rows);
    Read(small, f);
    Read(big, f);
  }
  return 0;
}
