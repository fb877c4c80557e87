// Reading a trace of 10^6 requests (8 models, one SLO; Google Benchmark;
// items = requests):
//
//   bazel run -c opt //workloads:trace_io_benchmark
//
// BM_ParseText: ParseTrace of the text in memory; BM_ReadFile/0: ReadTrace of
// the TSV file (streamed in 1 MiB pieces); BM_ReadFile/1: ReadTrace of the
// binary file. The speed target: 10^7 requests read in under 0.5 s, so
// over 20 M/s.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "benchmark/benchmark.h"
#include "workloads/generator.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

constexpr int kRequests = 1000000;

const Workload& Trace() {
  static const Workload* w = [] {
    // 8 models at 1000 req/s for 1000 s: about 10^6 requests.
    absl::StatusOr<Workload> g = MakeGammaWorkload(
        8, kRequests / 1000.0, "uniform", 3, 1000, /*seed=*/0, /*slo_s=*/2);
    if (!g.ok()) std::abort();
    return new Workload(*std::move(g));
  }();
  return *w;
}

std::string TmpPath(const char* name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

// Writes the trace once in `format`; returns the path.
const std::string& File(TraceFormat format) {
  static const std::string* text = nullptr;
  static const std::string* binary = nullptr;
  const std::string*& path = format == TraceFormat::kText ? text : binary;
  if (path == nullptr) {
    path = new std::string(TmpPath(format == TraceFormat::kText
                                       ? "trace_io_benchmark.tsv"
                                       : "trace_io_benchmark.bin"));
    if (!WriteTrace(*path, Trace(), format).ok()) std::abort();
  }
  return *path;
}

void Report(benchmark::State& state, const absl::StatusOr<Workload>& w) {
  if (!w.ok()) {
    state.SkipWithError(std::string(w.status().message()).c_str());
  }
}

void BM_ParseText(benchmark::State& state) {
  const std::string text = *FormatTrace(Trace());
  for (auto _ : state) {
    absl::StatusOr<Workload> w = ParseTrace(text, "bench");
    Report(state, w);
    benchmark::DoNotOptimize(w);
  }
  state.SetItemsProcessed(state.iterations() * Trace().size());
}
BENCHMARK(BM_ParseText)->Unit(benchmark::kMillisecond);

void BM_ReadFile(benchmark::State& state) {
  const TraceFormat format =
      state.range(0) == 0 ? TraceFormat::kText : TraceFormat::kBinary;
  const std::string& path = File(format);
  for (auto _ : state) {
    absl::StatusOr<Workload> w = ReadTrace(path);
    Report(state, w);
    benchmark::DoNotOptimize(w);
  }
  state.SetItemsProcessed(state.iterations() * Trace().size());
  state.SetLabel(format == TraceFormat::kText ? "tsv" : "binary");
}
BENCHMARK(BM_ReadFile)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace multiplex
