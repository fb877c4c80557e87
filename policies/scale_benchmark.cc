// Placement search at cluster scale (the speed target): N GPUs and N bert-2.6b-like
// instances (a fake cost model: L1 = 0.238 s, 5.3 GiB, 13 GiB per GPU),
// 2.5 req/s each, Gamma cv 3, a 20,000 s training workload, SLO 5x the
// single-GPU latency. CPU time of Place() alone (the workload is drawn once
// per size, outside the timing).
//   bazel run -c opt //policies:scale_benchmark -- --benchmark_filter=1024

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

struct Problem {
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;

  explicit Problem(int n) {
    testing_util::AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
    models = testing_util::Models(n, "bert-2.6b");
    workload = testing_util::GammaWorkload(std::vector<double>(n, 2.5), 3,
                                           20000, 0, 5 * 0.238);
    problem.models = &models;
    problem.cluster.num_devices = n;
    problem.cluster.mem_budget_bytes = 13 * kGiB;
    problem.cost_model = &cost;
    problem.training_workload = &workload;
  }
};

const Problem& GetProblem(int n) {
  static auto* problems = new std::map<int, std::unique_ptr<Problem>>();
  std::unique_ptr<Problem>& p = (*problems)[n];
  if (p == nullptr) p = std::make_unique<Problem>(n);
  return *p;
}

void RunPolicy(benchmark::State& state, const std::string& name) {
  const Problem& p = GetProblem(static_cast<int>(state.range(0)));
  std::unique_ptr<PlacementPolicy> policy =
      *Registry<PlacementPolicy>::Global().Create(name);
  int replicas = 0;
  for (auto _ : state) {
    absl::StatusOr<Placement> placement = policy->Place(p.problem);
    if (!placement.ok()) {
      state.SkipWithError(std::string(placement.status().message()).c_str());
      return;
    }
    replicas = placement->NumReplicas();
  }
  state.counters["requests"] = p.workload.size();
  state.counters["replicas"] = replicas;
}

void BM_MpSearch(benchmark::State& s) { RunPolicy(s, "mp-search"); }
void BM_MpGreedy8(benchmark::State& s) { RunPolicy(s, "mp-greedy-8"); }
void BM_SrGreedy(benchmark::State& s) { RunPolicy(s, "sr-greedy"); }
void BM_SrSearch(benchmark::State& s) { RunPolicy(s, "sr-search"); }

BENCHMARK(BM_SrGreedy)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime();
BENCHMARK(BM_MpGreedy8)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime();
BENCHMARK(BM_MpSearch)
    ->Arg(256)
    ->Arg(1024)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime();
BENCHMARK(BM_SrSearch)
    ->Arg(256)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace multiplex
