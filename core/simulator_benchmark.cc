// Simulator throughput on 2e6 requests of 8 models:
//   (a) one 8-stage pipeline group (1,1,8) hosting all 8 models,
//   (b) 8 single-GPU groups (1,1,1), group i hosting model i.
// Lean = SimulateLean (what the placement search calls), Full = Simulate
// with per-request outcomes and busy intervals.
//
//   bazel run -c opt //core:simulator_benchmark
//
// Counters: items_per_second = requests/s; stages_per_s = request-stages/s
// (requests x pipeline stages walked); peak_B_per_req = peak heap bytes
// allocated during one run (above what was live before), per request; the
// workload itself is 20 B/request more.

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <random>

#include "benchmark/benchmark.h"
#include "core/simulator.h"

namespace {

// Heap accounting: every allocation carries a 16-byte header with its size.
std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_peak{0};

void* CountedAlloc(size_t n) {
  void* p = std::malloc(n + 16);
  if (p == nullptr) throw std::bad_alloc();
  *static_cast<size_t*>(p) = n;
  const int64_t live = g_live.fetch_add(n) + static_cast<int64_t>(n);
  int64_t peak = g_peak.load();
  while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
  }
  return static_cast<char*>(p) + 16;
}

void CountedFree(void* q) {
  if (q == nullptr) return;
  void* p = static_cast<char*>(q) - 16;
  g_live.fetch_sub(*static_cast<size_t*>(p));
  std::free(p);
}

}  // namespace

void* operator new(size_t n) { return CountedAlloc(n); }
void* operator new[](size_t n) { return CountedAlloc(n); }
void operator delete(void* p) noexcept { CountedFree(p); }
void operator delete[](void* p) noexcept { CountedFree(p); }
void operator delete(void* p, size_t) noexcept { CountedFree(p); }
void operator delete[](void* p, size_t) noexcept { CountedFree(p); }

namespace multiplex {
namespace {

constexpr size_t kRequests = 2'000'000;
constexpr int kModels = 8;
constexpr double kL1 = 0.238;  // bert-2.6b, one GPU

const Workload& BenchWorkload() {
  static const Workload* w = [] {
    auto* w = new Workload;
    for (int m = 0; m < kModels; ++m) {
      w->model_names.push_back("m" + std::to_string(m));
    }
    // Poisson arrivals at 20 req/s in all, models drawn uniformly; a quarter
    // of the requests carry a finite SLO so rejections happen too.
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    double t = 0;
    w->arrival_s.reserve(kRequests);
    for (size_t i = 0; i < kRequests; ++i) {
      t += -std::log(1.0 - u(rng)) / 20.0;
      w->arrival_s.push_back(t);
      w->model.push_back(static_cast<int32_t>(rng() % kModels));
      w->slo_s.push_back(i % 4 == 0 ? 5 * kL1
                                    : std::numeric_limits<double>::infinity());
    }
    return w;
  }();
  return *w;
}

PreparedPlacement MakePlacement(bool pipeline) {
  Placement placement;
  std::vector<std::vector<std::vector<double>>> lat;
  std::vector<std::string> names = BenchWorkload().model_names;
  if (pipeline) {
    Group g;
    g.config = {1, 1, 8};
    lat.emplace_back();
    for (int m = 0; m < kModels; ++m) {
      g.models.push_back(m);
      std::vector<double> stages(8, kL1 / 8);
      stages[7] *= 1.1;  // a slightly slower last stage
      lat.back().push_back(stages);
    }
    placement.groups.push_back(g);
  } else {
    for (int m = 0; m < kModels; ++m) {
      Group g;
      g.config = {1, 1, 1};
      g.models = {m};
      placement.groups.push_back(g);
      lat.push_back({{kL1}});
    }
  }
  absl::StatusOr<PreparedPlacement> p =
      PreparedPlacement::FromLatencies(placement, names, lat);
  if (!p.ok()) std::abort();
  return *std::move(p);
}

void Report(benchmark::State& state, int pp, int64_t peak_bytes) {
  const double n = static_cast<double>(kRequests);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  state.counters["stages_per_s"] = benchmark::Counter(
      state.iterations() * n * pp, benchmark::Counter::kIsRate);
  state.counters["peak_B_per_req"] = static_cast<double>(peak_bytes) / n;
}

void BM_Lean(benchmark::State& state) {
  const bool pipeline = state.range(0) == 1;
  const Workload& w = BenchWorkload();
  PreparedPlacement p = MakePlacement(pipeline);
  SimulatorScratch scratch;
  LeanResult lean;
  if (!SimulateLean(p, w, &scratch, &lean).ok()) std::abort();  // warm
  int64_t peak = 0;
  for (auto _ : state) {
    const int64_t base = g_live.load();
    g_peak.store(base);
    absl::Status s = SimulateLean(p, w, &scratch, &lean);
    benchmark::DoNotOptimize(lean.good.data());
    peak = std::max(peak, g_peak.load() - base);
    if (!s.ok()) state.SkipWithError("simulation failed");
  }
  state.counters["goodput"] = lean.Goodput();
  Report(state, pipeline ? 8 : 1, peak);
}

void BM_Full(benchmark::State& state) {
  const bool pipeline = state.range(0) == 1;
  const bool busy = state.range(1) == 1;
  const Workload& w = BenchWorkload();
  PreparedPlacement p = MakePlacement(pipeline);
  SimulateOptions options;
  options.record_busy_intervals = busy;
  int64_t peak = 0;
  for (auto _ : state) {
    const int64_t base = g_live.load();
    g_peak.store(base);
    absl::StatusOr<SimulationResult> r = Simulate(p, w, options);
    benchmark::DoNotOptimize(r->finish_s.data());
    peak = std::max(peak, g_peak.load() - base);
    if (!r.ok()) state.SkipWithError("simulation failed");
  }
  Report(state, pipeline ? 8 : 1, peak);
}

// Arg 1: (a) one (1,1,8) group; 0: (b) eight (1,1,1) groups.
BENCHMARK(BM_Lean)
    ->ArgName("pipeline8")
    ->Arg(1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Full)
    ->ArgNames({"pipeline8", "busy"})
    ->Args({1, 1})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({0, 0})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace multiplex
