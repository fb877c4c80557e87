// mp-search on the study's Figure 5/6 setting: 8 GPUs, 8 x bert-2.6b (a
// BERT-like fake cost model: L1 = 0.238 s, 5.3 GiB), 13 GiB, 20 req/s in all,
// Gamma cv 3, SLO infinite, a training workload of 2e6 requests (100000 s).
//   bazel run -c opt //policies:mp_search_benchmark

#include <cstdio>
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

struct Setting {
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;

  Setting() {
    testing_util::AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
    models = testing_util::Models(8, "bert-2.6b");
    workload =
        testing_util::GammaWorkload(std::vector<double>(8, 2.5), 3, 100000, 0);
    problem.models = &models;
    problem.cluster.num_devices = 8;
    problem.cluster.mem_budget_bytes = 13 * kGiB;
    problem.cost_model = &cost;
    problem.training_workload = &workload;
  }
};

const Setting& GetSetting() {
  static const Setting* s = new Setting();
  return *s;
}

void RunPolicy(benchmark::State& state, const char* name) {
  const Setting& s = GetSetting();
  std::unique_ptr<PlacementPolicy> policy =
      *Registry<PlacementPolicy>::Global().Create(name);
  Placement last;
  for (auto _ : state) {
    absl::StatusOr<Placement> p = policy->Place(s.problem);
    if (!p.ok()) {
      state.SkipWithError(std::string(p.status().message()).c_str());
      return;
    }
    last = *p;
  }
  state.counters["requests"] = s.workload.size();
  state.SetLabel(last.ToString(s.models));
}

void BM_MpSearch(benchmark::State& state) { RunPolicy(state, "mp-search"); }
void BM_MpGreedy8(benchmark::State& state) { RunPolicy(state, "mp-greedy-8"); }
void BM_SrGreedy(benchmark::State& state) { RunPolicy(state, "sr-greedy"); }

// One lean simulation of the training workload on sr-uniform's placement.
void BM_OneSimulation(benchmark::State& state) {
  const Setting& s = GetSetting();
  std::unique_ptr<PlacementEvaluator> ev =
      *PlacementEvaluator::Create(s.problem);
  Placement p = *(*Registry<PlacementPolicy>::Global().Create("sr-uniform"))
                     ->Place(s.problem);
  for (auto _ : state) benchmark::DoNotOptimize(ev->Score(p));
  state.SetItemsProcessed(state.iterations() * s.workload.size());
}

BENCHMARK(BM_OneSimulation)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SrGreedy)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_MpGreedy8)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_MpSearch)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace multiplex
