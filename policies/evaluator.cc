#include "policies/evaluator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/simulator_interface.h"
#include "core/status_macros.h"

namespace multiplex {

double PlacementScore(const LeanResult& result, int num_replicas) {
  return result.Goodput() - result.MeanGoodLatency() / 1e4 + num_replicas / 1e6;
}

double OriginalPlacementScore(const LeanResult& result, int num_replicas) {
  const int64_t n = result.TotalRequests();
  double latency_sum = 0.0;
  for (double x : result.good_latency_sum_s) latency_sum += x;
  const double goodput =
      n == 0 ? 0.0 : static_cast<double>(result.TotalGood()) / n;
  const double mean_latency = n == 0 ? 0.0 : latency_sum / n;
  return goodput - mean_latency / 1e4 + num_replicas / 1e6;
}

SearchBudget SearchBudgetFromName(absl::string_view search) {
  SearchBudget budget;
  budget.exhaustive = search == "exhaustive";
  return budget;
}

FiniteSlo FiniteSloFromArgs(const PluginValues& args) {
  return args.GetString("finite_slo") == "original" ? FiniteSlo::kOriginal
                                                    : FiniteSlo::kTrimmed;
}

SearchBudget SearchBudgetFromArgs(const PluginValues& args) {
  SearchBudget budget = SearchBudgetFromName(args.GetString("search"));
  budget.finite_slo = FiniteSloFromArgs(args);
  return budget;
}

PluginParam SearchParam() {
  return PluginParam::String("search")
      .Default("budgeted")
      .OneOf({"budgeted", "exhaustive"})
      .Help(
          "budgeted: beyond a work budget, simulate a prefix of the training "
          "workload and add several replicas per simulation; exhaustive: the "
          "study's definition at any size (docs/study.md 5.9)");
}

PluginParam FiniteSloParam() {
  return PluginParam::String("finite_slo")
      .Default("trimmed")
      .OneOf({"trimmed", "original"})
      .Help(
          "trimmed: score placements on the warm-up-trimmed training "
          "workload, mean latency of the good requests, and order the greedy "
          "fill's groups by accepted requests; original: as the study's "
          "original implementation, untrimmed, rejected requests at zero "
          "latency, groups ordered by routed requests including rejected "
          "ones (for comparison; docs/study.md 5.1, 5.2)");
}

absl::StatusOr<std::unique_ptr<PlacementEvaluator>> PlacementEvaluator::Create(
    const PlacementProblem& problem, const SearchBudget& budget) {
  if (problem.models == nullptr || problem.models->empty()) {
    return absl::InvalidArgumentError("the problem has no models");
  }
  if (problem.cost_model == nullptr) {
    return absl::InvalidArgumentError("the problem has no cost model");
  }
  if (problem.training_workload == nullptr) {
    return absl::InvalidArgumentError(
        "this policy simulates placements and needs a training workload");
  }
  const Workload& w = *problem.training_workload;
  const std::vector<ModelSpec>& models = *problem.models;
  if (w.num_models() != static_cast<int>(models.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("the training workload has ", w.num_models(),
                     " models, the problem ", models.size()));
  }
  for (size_t m = 0; m < models.size(); ++m) {
    if (w.model_names[m] != models[m].name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "training workload model ", m, " is '", w.model_names[m],
          "', the problem's model ", m, " is '", models[m].name, "'"));
    }
  }
  if (w.model.size() != w.size() || w.slo_s.size() != w.size()) {
    return absl::InvalidArgumentError(
        "the training workload's columns differ in length");
  }
  auto ev = std::unique_ptr<PlacementEvaluator>(
      new PlacementEvaluator(problem, budget));
  if (!budget.exhaustive && budget.max_training_requests > 0 &&
      w.size() > static_cast<size_t>(budget.max_training_requests)) {
    const size_t keep = static_cast<size_t>(budget.max_training_requests);
    ev->prefix_.model_names = w.model_names;
    ev->prefix_.arrival_s.assign(w.arrival_s.begin(),
                                 w.arrival_s.begin() + keep);
    ev->prefix_.model.assign(w.model.begin(), w.model.begin() + keep);
    ev->prefix_.slo_s.assign(w.slo_s.begin(), w.slo_s.begin() + keep);
    ev->problem_.training_workload = &ev->prefix_;
  }
  const Workload& sim = *ev->problem_.training_workload;
  const int n = static_cast<int>(models.size());
  ev->trimmed_requests_.assign(n, 0);
  ev->total_requests_.assign(n, 0);
  const TrimRange range = WarmupTrim(sim.arrival_s, kDefaultWarmupS);
  for (size_t i = 0; i < sim.size(); ++i) {
    const int32_t m = sim.model[i];
    if (m < 0 || m >= n) {
      return absl::InvalidArgumentError(absl::StrCat(
          "training request ", i, " has model index ", m, " out of range"));
    }
    ++ev->total_requests_[m];
    if (i >= range.begin && i < range.end) ++ev->trimmed_requests_[m];
    if (!std::isinf(sim.slo_s[i]) || sim.slo_s[i] < 0) {
      ev->all_slo_infinite_ = false;
    }
  }
  if (ComponentSimulation::Supports(sim)) {
    ev->components_ =
        std::make_unique<ComponentSimulation>(ev->problem_, ev->original());
  }
  return ev;
}

absl::StatusOr<double> PlacementEvaluator::WeightBytes(
    int model, const ParallelConfig& config) {
  auto key = std::make_pair(model, config);
  auto it = weight_cache_.find(key);
  if (it == weight_cache_.end()) {
    double bytes = -1.0;
    if (model >= 0 && model < num_models() && config.IsValid()) {
      absl::StatusOr<StageCosts> costs =
          problem_.cost_model->Stages(models()[model].type, config, 1);
      if (costs.ok()) bytes = costs->MaxWeightBytes();
    }
    it = weight_cache_.emplace(key, bytes).first;
  }
  if (it->second < 0) {
    return absl::NotFoundError(absl::StrCat(
        "cost model ", problem_.cost_model->Name(), " has no config ",
        config.ToString(), " for model type ",
        model >= 0 && model < num_models() ? models()[model].type : "?"));
  }
  return it->second;
}

bool PlacementEvaluator::Fits(int model, const ParallelConfig& config,
                              double used_bytes) {
  absl::StatusOr<double> bytes = WeightBytes(model, config);
  if (!bytes.ok()) return false;
  return used_bytes + *bytes <=
         problem_.cluster.mem_budget_bytes * kMemoryBudgetTolerance;
}

int64_t PlacementEvaluator::simulated_requests() const {
  return whole_requests_ +
         (components_ ? components_->simulated_requests() : 0);
}

absl::StatusOr<const LeanResult*> PlacementEvaluator::Simulate(
    const Placement& placement) {
  if (components_ != nullptr) {
    ++num_simulations_;
    return components_->Simulate(placement);
  }
  const Workload& w = *problem_.training_workload;
  whole_requests_ += static_cast<int64_t>(w.size());
  const TrimRange range = CountedRange(w, original());
  const Simulator* const simulator = problem_.simulator;
  if (simulator == nullptr) {  // fast, called directly
    ASSIGN_OR_RETURN(
        const PreparedPlacement prepared,
        PreparedPlacement::Create(placement, models(), *problem_.cost_model,
                                  problem_.serving));
    ++num_simulations_;
    RETURN_IF_ERROR(SimulateLeanInRange(prepared, w, &scratch_, &lean_, range));
    return &lean_;
  }
  ASSIGN_OR_RETURN(const PreparedPlacement prepared,
                   simulator->Prepare(placement, models(), *problem_.cost_model,
                                      problem_.serving));
  ++num_simulations_;
  RETURN_IF_ERROR(
      simulator->SimulateLeanInRange(prepared, w, &scratch_, &lean_, range));
  return &lean_;
}

absl::StatusOr<double> PlacementEvaluator::Score(const Placement& placement) {
  ASSIGN_OR_RETURN(const LeanResult* const r, Simulate(placement));
  return original() ? OriginalPlacementScore(*r, placement.NumReplicas())
                    : PlacementScore(*r, placement.NumReplicas());
}

namespace {

// A model's unserved requests as the original computes them:
// requests x (1 - goodput), goodput = good / (requests + 10^-6). Models
// that lose nothing still differ in the last bits (more requests, larger),
// which orders where their leftover replicas go.
double OriginalUnserved(int64_t requests, int64_t good) {
  const double n = static_cast<double>(requests);
  return n * (1.0 - static_cast<double>(good) / (n + 1e-6));
}

// Most unserved first: the reverse of a stable ascending sort, so ties go to
// the higher index first (numpy's argsort(...)[::-1]).
std::vector<int> OriginalModelOrder(const std::vector<double>& unserved) {
  std::vector<int> order(unserved.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return unserved[a] < unserved[b]; });
  std::reverse(order.begin(), order.end());
  return order;
}

// The original's ModelPlacement.normalize(): each group's models sorted,
// groups stably sorted by their model lists. `permutation` gets the old index
// of each new position.
void NormalizePlacement(Placement* placement, std::vector<int>* permutation) {
  std::vector<Group>& groups = placement->groups;
  for (Group& g : groups) std::sort(g.models.begin(), g.models.end());
  std::vector<int> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return groups[a].models < groups[b].models;
  });
  std::vector<Group> sorted;
  sorted.reserve(groups.size());
  for (int g : order) sorted.push_back(std::move(groups[g]));
  groups = std::move(sorted);
  if (permutation != nullptr) *permutation = std::move(order);
}

}  // namespace

absl::Status GreedyFill(PlacementEvaluator& ev, Placement* placement) {
  const int n = ev.num_models();
  const int num_groups = static_cast<int>(placement->groups.size());
  std::vector<double> used(num_groups, 0.0);
  std::vector<std::vector<char>> hosted(num_groups, std::vector<char>(n, 0));
  std::vector<int> replicas(n, 0);
  for (int g = 0; g < num_groups; ++g) {
    const Group& group = placement->groups[g];
    for (int m : group.models) {
      ASSIGN_OR_RETURN(const double bytes, ev.WeightBytes(m, group.config));
      used[g] += bytes;
      hosted[g][m] = 1;
      ++replicas[m];
    }
  }
  std::vector<double> unserved(n, 0);
  std::vector<int64_t> served(num_groups, 0);
  std::vector<int> model_order, group_order(num_groups), permutation;
  std::vector<char> model_taken(n, 0);
  const int additions = FillAdditionsPerSimulation(ev, *placement);
  auto add = [&](int m, int g) {
    placement->groups[g].models.push_back(m);
    used[g] += *ev.WeightBytes(m, placement->groups[g].config);
    hosted[g][m] = 1;
    ++replicas[m];
  };
  auto fits = [&](int m, int g) {
    return !hosted[g][m] && ev.Fits(m, placement->groups[g].config, used[g]);
  };
  auto group_has_room = [&](int g) {
    for (int m = 0; m < n; ++m) {
      if (fits(m, g)) return true;
    }
    return false;
  };
  // After every step the groups are put in the original's normal form (each
  // group's models sorted, groups stably sorted by their model lists): the
  // group order breaks ties in the next step and in the simulator's
  // dispatch.
  auto normalize = [&] {
    NormalizePlacement(placement, &permutation);
    std::vector<double> used_sorted(num_groups);
    std::vector<std::vector<char>> hosted_sorted(num_groups);
    for (int k = 0; k < num_groups; ++k) {
      used_sorted[k] = used[permutation[k]];
      hosted_sorted[k] = std::move(hosted[permutation[k]]);
    }
    used = std::move(used_sorted);
    hosted = std::move(hosted_sorted);
  };
  while (true) {
    int rooms = 0, room = -1;
    for (int g = 0; g < num_groups; ++g) {
      if (group_has_room(g)) {
        ++rooms;
        room = g;
      }
    }
    if (rooms == 0) break;

    // Where the simulation's answer is known it is not run (see the header):
    // with infinite SLOs a hosted model serves every request, so the model
    // order is known; the group order matters only when more than one group
    // has room, and is known while no model has two replicas.
    bool have_served = false;
    if (ev.all_slo_infinite()) {
      for (int m = 0; m < n; ++m) {
        const int64_t c = ev.counted_requests()[m];
        unserved[m] = OriginalUnserved(c, replicas[m] > 0 ? c : 0);
      }
      model_order = OriginalModelOrder(unserved);
      if (rooms == 1) {
        for (int m : model_order) {
          if (fits(m, room)) {
            add(m, room);
            break;
          }
        }
        normalize();
        continue;
      }
      if (*std::max_element(replicas.begin(), replicas.end()) <= 1) {
        for (int g = 0; g < num_groups; ++g) {
          served[g] = 0;
          for (int m : placement->groups[g].models) {
            served[g] += ev.total_requests()[m];
          }
        }
        have_served = true;
      }
    }
    if (!have_served) {
      ASSIGN_OR_RETURN(const LeanResult* const r, ev.Simulate(*placement));
      for (int m = 0; m < n; ++m) {
        unserved[m] = OriginalUnserved(r->requests[m], r->good[m]);
      }
      const std::vector<int64_t>& load = ev.GroupLoad(*r);
      for (int g = 0; g < num_groups; ++g) served[g] = load[g];
      model_order = OriginalModelOrder(unserved);
    }
    std::iota(group_order.begin(), group_order.end(), 0);
    std::stable_sort(group_order.begin(), group_order.end(),
                     [&](int a, int b) { return served[a] < served[b]; });
    // Up to `additions` pairs in these orders, groups outer; a pass gives
    // each group at most one model and each model at most one group.
    int added = 0;
    bool progress = true;
    while (added < additions && progress) {
      progress = false;
      std::fill(model_taken.begin(), model_taken.end(), 0);
      for (int g : group_order) {
        if (added == additions) break;
        for (int m : model_order) {
          if (model_taken[m] || !fits(m, g)) continue;
          add(m, g);
          model_taken[m] = 1;
          ++added;
          progress = true;
          break;
        }
      }
    }
    if (added == 0) break;  // unreachable: a group has room
    normalize();
  }
  return absl::OkStatus();
}

int FillAdditionsPerSimulation(PlacementEvaluator& ev,
                               const Placement& placement) {
  const SearchBudget& budget = ev.budget();
  if (budget.exhaustive || budget.fill_work <= 0) return 1;
  const double limit =
      ev.problem().cluster.mem_budget_bytes * kMemoryBudgetTolerance;
  double slots = 0;
  for (const Group& group : placement.groups) {
    double used = 0, smallest = 0;
    bool any = false;
    for (int m = 0; m < ev.num_models(); ++m) {
      absl::StatusOr<double> bytes = ev.WeightBytes(m, group.config);
      if (!bytes.ok()) continue;
      if (!any || *bytes < smallest) smallest = *bytes;
      any = true;
    }
    if (!any) continue;
    for (int m : group.models) {
      absl::StatusOr<double> bytes = ev.WeightBytes(m, group.config);
      if (bytes.ok()) used += *bytes;
    }
    const double free_models =
        static_cast<double>(ev.num_models() - group.models.size());
    const double fit =
        smallest > 0 ? std::floor((limit - used) / smallest) : free_models;
    slots += std::max(0.0, std::min(free_models, fit));
  }
  const double work =
      slots * static_cast<double>(ev.problem().training_workload->size());
  const double additions = std::ceil(work / budget.fill_work);
  return static_cast<int>(std::clamp(additions, 1.0, 1e6));
}

absl::Status ValidateProblem(const PlacementProblem& problem,
                             absl::string_view policy) {
  if (problem.models == nullptr || problem.models->empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(policy, ": the problem has no models"));
  }
  if (problem.cost_model == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(policy, ": the problem has no cost model"));
  }
  if (problem.cluster.num_devices < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        policy, ": the cluster has ", problem.cluster.num_devices, " devices"));
  }
  if (!(problem.cluster.mem_budget_bytes > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(policy, ": the memory budget must be positive, got ",
                     problem.cluster.mem_budget_bytes / kGiB, " GiB"));
  }
  return absl::OkStatus();
}

bool AnyModelKnows(const PlacementProblem& problem,
                   const ParallelConfig& config) {
  for (const ModelSpec& m : *problem.models) {
    if (problem.cost_model->HasConfig(m.type, config)) return true;
  }
  return false;
}

Placement EmptyGroups(const ParallelConfig& config, int count) {
  Placement p;
  p.groups.resize(count);
  for (Group& g : p.groups) g.config = config;
  return p;
}

absl::Status CheckNotEmpty(const Placement& placement,
                           const PlacementProblem& problem,
                           absl::string_view policy) {
  if (placement.NumReplicas() > 0) return absl::OkStatus();
  std::string configs;
  for (size_t g = 0; g < placement.groups.size(); ++g) {
    const std::string c = placement.groups[g].config.ToString();
    if (configs.find(c) == std::string::npos) {
      absl::StrAppend(&configs, configs.empty() ? "" : " ", c);
    }
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: no model fits the memory budget of %.3f GiB per device (configs "
      "tried: %s)",
      policy, problem.cluster.mem_budget_bytes / kGiB,
      configs.empty() ? "none" : configs));
}

absl::StatusOr<std::unique_ptr<PlacementEvaluator>> StartSearchingPolicy(
    const PlacementProblem& problem, absl::string_view policy,
    const SearchBudget& budget) {
  RETURN_IF_ERROR(ValidateProblem(problem, policy));
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> evaluator =
      PlacementEvaluator::Create(problem, budget);
  if (!evaluator.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(policy, ": ", evaluator.status().message()));
  }
  return evaluator;
}

absl::StatusOr<std::unique_ptr<PlacementEvaluator>> StartFillingPolicy(
    const PlacementProblem& problem, absl::string_view policy,
    const ParallelConfig& config, const SearchBudget& budget) {
  RETURN_IF_ERROR(ValidateProblem(problem, policy));
  if (!AnyModelKnows(problem, config)) {
    return absl::InvalidArgumentError(absl::StrCat(
        policy, ": cost model ", problem.cost_model->Name(), " has no config ",
        config.ToString(), " for these models"));
  }
  return StartSearchingPolicy(problem, policy, budget);
}

absl::StatusOr<Placement> FillGroups(PlacementEvaluator& evaluator,
                                     const ParallelConfig& config, int count,
                                     absl::string_view policy) {
  Placement p = EmptyGroups(config, count);
  RETURN_IF_ERROR(GreedyFill(evaluator, &p));
  RETURN_IF_ERROR(CheckNotEmpty(p, evaluator.problem(), policy));
  return p;
}

}  // namespace multiplex
