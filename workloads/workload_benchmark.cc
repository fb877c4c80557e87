// Throughput of workload generation (Google Benchmark; items = arrivals).
//
//   bazel run -c opt //workloads:workload_benchmark
//
// BM_GammaWorkload/8: 2 x 10^6 Gamma(cv 3) arrivals over 8 models (20 req/s
// for 10^5 s), generated and merged into a Workload; target >= 20 M/s.

#include <vector>

#include "benchmark/benchmark.h"
#include "core/registry.h"
#include "core/stream_seed.h"
#include "workloads/generator.h"

namespace multiplex {
namespace {

void BM_GammaWorkload(benchmark::State& state) {
  const int models = static_cast<int>(state.range(0));
  const double cv = state.range(1) / 10.0;
  int64_t arrivals = 0;
  for (auto _ : state) {
    absl::StatusOr<Workload> w =
        MakeGammaWorkload(models, 20, "uniform", cv, 1e5, /*seed=*/0);
    if (!w.ok()) {
      state.SkipWithError(std::string(w.status().message()).c_str());
      return;
    }
    arrivals += static_cast<int64_t>(w->size());
    benchmark::DoNotOptimize(w->arrival_s.data());
  }
  state.SetItemsProcessed(arrivals);
  state.counters["arrivals"] =
      static_cast<double>(arrivals) / state.iterations();
}
BENCHMARK(BM_GammaWorkload)
    ->Args({8, 30})
    ->Args({8, 10})
    ->Args({8, 1})
    ->Args({64, 30})
    ->Unit(benchmark::kMillisecond);

// Generation alone (one model, 2 x 10^6 arrivals).
void BM_GammaGenerateOnly(benchmark::State& state) {
  auto p = Registry<ArrivalProcess>::Global().Create("gamma:rate=20,cv=3");
  int64_t arrivals = 0;
  for (auto _ : state) {
    std::vector<double> t = (*p)->Generate(0, 1e5, 0);
    arrivals += static_cast<int64_t>(t.size());
    benchmark::DoNotOptimize(t.data());
  }
  state.SetItemsProcessed(arrivals);
}
BENCHMARK(BM_GammaGenerateOnly)->Unit(benchmark::kMillisecond);

// Merge alone: 8 sorted streams of 2.5 x 10^5 arrivals each.
void BM_MergeOnly(benchmark::State& state) {
  auto p = Registry<ArrivalProcess>::Global().Create("gamma:rate=2.5,cv=3");
  std::vector<std::vector<double>> times;
  std::vector<std::string> names;
  for (int i = 0; i < 8; ++i) {
    times.push_back((*p)->Generate(0, 1e5, StreamSeed(0, i)));
    names.push_back("m" + std::to_string(i));
  }
  std::vector<double> slo(8, kNoSlo);
  int64_t arrivals = 0;
  for (auto _ : state) {
    Workload w = MergeArrivals(names, times, slo);
    arrivals += static_cast<int64_t>(w.size());
    benchmark::DoNotOptimize(w.arrival_s.data());
  }
  state.SetItemsProcessed(arrivals);
}
BENCHMARK(BM_MergeOnly)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace multiplex
