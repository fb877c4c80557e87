// `batching` against `fast`: 8 models on 8 single-GPU groups (1,1,1), group
// i hosting model i, Poisson arrivals at 80% load (latency 0.238 s + the
// 0.011 s fixed overhead per request: 8 x 0.8 / 0.249 req/s in all), models
// drawn uniformly, a quarter of the requests with an SLO of 5 x latency.
//
//   bazel run -c opt //simulators:simulator_benchmark
//
// items_per_second = requests/s on one core. Arg = max_batch_size of
// batching (batch latencies grow by 0.6 x the batch-1 latency per doubling).
//
// Measured on the 2-core development machine while other builds ran (CPU
// time; wall time was up to 2x more): lean runs fast 265-290 M/s, batching
// 27-29 M/s at max_batch 1 and 30-31 M/s at 8 or 16; full runs (no busy
// intervals) fast 75 M/s, batching 18-19 M/s at 1 and 21 M/s at 8.

#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>

#include "benchmark/benchmark.h"
#include "core/simulator.h"
#include "simulators/batching.h"

namespace multiplex {
namespace {

constexpr size_t kRequests = 2'000'000;
constexpr int kModels = 8;
constexpr double kL1 = 0.238;  // bert-2.6b, one GPU
constexpr double kOverhead = 0.011;

const Workload& BenchWorkload() {
  static const Workload* w = [] {
    auto* w = new Workload;
    for (int m = 0; m < kModels; ++m) {
      w->model_names.push_back("m" + std::to_string(m));
    }
    const double rate = kModels * 0.8 / (kL1 + kOverhead);
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    double t = 0;
    w->arrival_s.reserve(kRequests);
    for (size_t i = 0; i < kRequests; ++i) {
      t += -std::log(1.0 - u(rng)) / rate;
      w->arrival_s.push_back(t);
      w->model.push_back(static_cast<int32_t>(rng() % kModels));
      w->slo_s.push_back(i % 4 == 0 ? 5 * kL1
                                    : std::numeric_limits<double>::infinity());
    }
    return w;
  }();
  return *w;
}

PreparedPlacement MakePlacement() {
  Placement placement;
  std::vector<int> sizes;
  std::vector<std::vector<std::vector<std::vector<double>>>> lat;
  for (int b = 0; b < 5; ++b) {
    sizes.push_back(1 << b);
    lat.emplace_back();
    for (int m = 0; m < kModels; ++m)
      lat.back().push_back({{kL1 * (1 + 0.6 * b)}});
  }
  for (int m = 0; m < kModels; ++m) {
    Group g;
    g.config = {1, 1, 1};
    g.models = {m};
    placement.groups.push_back(g);
  }
  absl::StatusOr<PreparedPlacement> p = PreparedPlacement::FromBatchLatencies(
      placement, BenchWorkload().model_names, sizes, lat);
  if (!p.ok()) std::abort();
  return *std::move(p);
}

void Report(benchmark::State& state, const LeanResult& lean) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() *
                                               static_cast<double>(kRequests)));
  state.counters["goodput"] = lean.Goodput();
}

void BM_FastLean(benchmark::State& state) {
  const Workload& w = BenchWorkload();
  PreparedPlacement p = MakePlacement();
  SimulatorScratch scratch;
  LeanResult lean;
  for (auto _ : state) {
    if (!SimulateLean(p, w, &scratch, &lean).ok()) state.SkipWithError("fail");
    benchmark::DoNotOptimize(lean.good.data());
  }
  Report(state, lean);
}

void BM_BatchingLean(benchmark::State& state) {
  const int max_batch = static_cast<int>(state.range(0));
  const Workload& w = BenchWorkload();
  PreparedPlacement p = MakePlacement();
  SimulatorScratch scratch;
  LeanResult lean;
  for (auto _ : state) {
    if (!SimulateBatchingLean(p, w, max_batch, &scratch, &lean).ok()) {
      state.SkipWithError("fail");
    }
    benchmark::DoNotOptimize(lean.good.data());
  }
  Report(state, lean);
}

void BM_FastFull(benchmark::State& state) {
  const Workload& w = BenchWorkload();
  PreparedPlacement p = MakePlacement();
  SimulateOptions options;
  options.record_busy_intervals = false;
  for (auto _ : state) {
    absl::StatusOr<SimulationResult> r = Simulate(p, w, options);
    benchmark::DoNotOptimize(r->finish_s.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() *
                                               static_cast<double>(kRequests)));
}

void BM_BatchingFull(benchmark::State& state) {
  const int max_batch = static_cast<int>(state.range(0));
  const Workload& w = BenchWorkload();
  PreparedPlacement p = MakePlacement();
  SimulateOptions options;
  options.record_busy_intervals = false;
  for (auto _ : state) {
    absl::StatusOr<SimulationResult> r =
        SimulateBatching(p, w, max_batch, options);
    benchmark::DoNotOptimize(r->finish_s.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() *
                                               static_cast<double>(kRequests)));
}

BENCHMARK(BM_FastLean)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchingLean)
    ->ArgName("max_batch")
    ->Arg(1)
    ->Arg(8)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FastFull)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BatchingFull)
    ->ArgName("max_batch")
    ->Arg(1)
    ->Arg(8)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace multiplex
