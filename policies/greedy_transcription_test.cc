// The greedy fill (GreedyFill, policies/evaluator.h) against a line-by-line
// transcription of the original replica_placement_fast_greedy and
// ModelPlacement.normalize (alpa_serve/placement_policy/base_policy.py) on
// random problems. The transcription asks the same simulator for its
// statistics (the evaluator's Simulate, standing in for the original's
// approximate_one_case), so what is compared is the loop: which loop is
// outer, how models and groups are ordered, how ties break, how groups are
// renumbered after each addition.
//
// One assumption: numpy's argsort (quicksort by default) is taken as stable.
// The original's ties (equal unserved counts, equal group loads) then break
// as a stable sort breaks them; numpy's introsort on more than 16 elements
// need not, so on large problems the original itself is not pinned there.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/testing/fake_cost_model.h"
#include "gtest/gtest.h"
#include "policies/evaluator.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using testing_util::GammaWorkload;
using testing_util::kInf;

constexpr double kEps = 1e-6;  // alpa_serve.util.eps

// ModelPlacement: group_configs, group_models.
struct OriginalPlacement {
  std::vector<ParallelConfig> group_configs;
  std::vector<std::vector<int>> group_models;

  // ModelPlacement.normalize()
  OriginalPlacement Normalize() const {
    std::vector<int> indices(group_configs.size());
    std::iota(indices.begin(), indices.end(), 0);
    std::vector<std::vector<int>> sorted_models = group_models;
    for (auto& x : sorted_models) std::sort(x.begin(), x.end());
    // list.sort is stable.
    std::stable_sort(indices.begin(), indices.end(), [&](int a, int b) {
      return sorted_models[a] < sorted_models[b];
    });
    OriginalPlacement out;
    for (int i : indices) {
      out.group_configs.push_back(group_configs[i]);
      out.group_models.push_back(sorted_models[i]);
    }
    return out;
  }

  Placement ToPlacement() const {
    Placement p;
    for (size_t g = 0; g < group_configs.size(); ++g) {
      p.groups.push_back({group_configs[g], group_models[g]});
    }
    return p;
  }
};

// np.argsort(x) with a stable sort.
template <typename T>
std::vector<int> ArgSort(const std::vector<T>& x) {
  std::vector<int> idx(x.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(),
                   [&](int a, int b) { return x[a] < x[b]; });
  return idx;
}

// replica_placement_fast_greedy(init_sol, ...), transcribed.
OriginalPlacement OriginalFastGreedy(const OriginalPlacement& init_sol,
                                     PlacementEvaluator& evaluator) {
  const int num_models = evaluator.num_models();
  const double mem_budget =
      evaluator.problem().cluster.mem_budget_bytes * kMemoryBudgetTolerance;
  auto weight_mem = [&](const ParallelConfig& c, int m_id) {
    absl::StatusOr<double> w = evaluator.WeightBytes(m_id, c);
    return w.ok() ? *w : kInf();
  };
  OriginalPlacement sol = init_sol;
  while (true) {
    // stats = evaluator.get_stats([sol])[0]
    const LeanResult& stats = **evaluator.Simulate(sol.ToPlacement());
    const std::vector<int64_t>& group_num_requests = evaluator.GroupLoad(stats);
    // model_num_unserved = [s.num_requests * (1 - goodput) ...], with
    // goodput = good / (num_requests + eps)
    std::vector<double> model_num_unserved(num_models);
    for (int m = 0; m < num_models; ++m) {
      const double goodput = static_cast<double>(stats.good[m]) /
                             (static_cast<double>(stats.requests[m]) + kEps);
      model_num_unserved[m] =
          static_cast<double>(stats.requests[m]) * (1 - goodput);
    }
    std::vector<int> model_ids = ArgSort(model_num_unserved);
    std::reverse(model_ids.begin(), model_ids.end());  // [::-1]
    const std::vector<int> group_ids = ArgSort(group_num_requests);
    std::vector<double> group_mem;
    for (size_t g = 0; g < sol.group_configs.size(); ++g) {
      double sum = 0;
      for (int m_id : sol.group_models[g]) {
        sum += weight_mem(sol.group_configs[g], m_id);
      }
      group_mem.push_back(sum);
    }

    bool found = false;
    int g_id = -1, m_id = -1;
    for (int g : group_ids) {
      const ParallelConfig& c = sol.group_configs[g];
      for (int m : model_ids) {
        const auto& ms = sol.group_models[g];
        if (std::find(ms.begin(), ms.end(), m) == ms.end() &&
            weight_mem(c, m) + group_mem[g] <= mem_budget) {
          found = true;
          g_id = g;
          m_id = m;
          break;
        }
      }
      if (found) break;
    }
    if (!found) break;
    // sol = sol.add_model(g_id, m_id).normalize()
    sol.group_models[g_id].push_back(m_id);
    sol = sol.Normalize();
  }
  return sol;
}

struct RandomProblem {
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;
  std::vector<ParallelConfig> configs;  // the empty groups to fill
};

// 2 to 9 models of three types (different latencies and weights), 1 to 8
// GPUs as one-GPU groups, 2-GPU pipelines, or a mix (as mp-search's
// candidates end in leftover pipelines), Gamma traffic with random rates and
// CV, and an SLO that is infinite, loose or binding.
void MakeRandomProblem(uint64_t seed, RandomProblem* r) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  const char* types[] = {"a", "b", "c"};
  for (const char* t : types) {
    const double latency = uniform(0.02, 0.3);
    const double weight = uniform(1.0, 6.0);
    r->cost.SetUniform(t, {1, 1, 1}, latency, weight * kGiB);
    r->cost.SetUniform(t, {1, 1, 2}, latency * 1.05, weight * kGiB);
  }
  const int num_models = pick(2, 9);
  std::vector<double> rates;
  for (int m = 0; m < num_models; ++m) {
    ModelSpec spec;
    spec.name = "m" + std::to_string(m);
    spec.type = types[pick(0, 2)];
    r->models.push_back(spec);
    rates.push_back(uniform(0.2, 8.0) * (pick(0, 4) == 0 ? 0.05 : 1.0));
  }
  const int slo_kind = pick(0, 2);
  const double slo = slo_kind == 0 ? kInf() : uniform(0.2, 2.0);
  r->workload =
      GammaWorkload(rates, uniform(0.5, 4.0), uniform(20, 200), seed, slo);
  const int devices = pick(1, 8);
  const int shape = pick(0, 2);
  int left = devices;
  while (left > 0) {
    const bool two = left >= 2 && (shape == 1 || (shape == 2 && pick(0, 1)));
    r->configs.push_back(two ? ParallelConfig{1, 1, 2}
                             : ParallelConfig{1, 1, 1});
    left -= two ? 2 : 1;
  }
  r->problem.models = &r->models;
  r->problem.cluster = {devices, uniform(4.0, 16.0) * kGiB, 8};
  r->problem.cost_model = &r->cost;
  r->problem.training_workload = &r->workload;
}

class GreedyTranscription : public ::testing::TestWithParam<FiniteSlo> {};

TEST_P(GreedyTranscription, SamePlacementOnRandomProblems) {
  int filled = 0, leftovers = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE(seed);
    RandomProblem r;
    MakeRandomProblem(seed, &r);
    SearchBudget budget;
    budget.exhaustive = true;
    budget.finite_slo = GetParam();
    auto ours_ev = PlacementEvaluator::Create(r.problem, budget);
    auto theirs_ev = PlacementEvaluator::Create(r.problem, budget);
    ASSERT_TRUE(ours_ev.ok() && theirs_ev.ok());
    OriginalPlacement init;
    init.group_configs = r.configs;
    init.group_models.resize(r.configs.size());
    Placement ours = init.ToPlacement();
    ASSERT_TRUE(GreedyFill(**ours_ev, &ours).ok());
    const Placement theirs =
        OriginalFastGreedy(init, **theirs_ev).ToPlacement();
    EXPECT_EQ(ours.ToString(r.models), theirs.ToString(r.models));
    filled += ours.NumReplicas() > 0;
    leftovers += ours.NumReplicas() > static_cast<int>(r.models.size());
  }
  // The problems exercise the fill: most place something, many place more
  // replicas than models (the leftover spread).
  EXPECT_GE(filled, 50);
  EXPECT_GE(leftovers, 15);
}

INSTANTIATE_TEST_SUITE_P(BothScorings, GreedyTranscription,
                         ::testing::Values(FiniteSlo::kOriginal,
                                           FiniteSlo::kTrimmed));

}  // namespace
}  // namespace multiplex
