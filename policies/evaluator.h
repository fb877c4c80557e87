#ifndef MULTIPLEX_POLICIES_EVALUATOR_H_
#define MULTIPLEX_POLICIES_EVALUATOR_H_

// Shared machinery of the simulating placement policies (docs/study.md §5):
// placement scores, per-(model, config) weight memory, and the greedy fill.
//
//   absl::StatusOr<std::unique_ptr<PlacementEvaluator>> eval =
//       PlacementEvaluator::Create(problem);
//   Placement p = EmptyGroups(...);
//   absl::Status s = GreedyFill(**eval, &p);
//   absl::StatusOr<double> score = (*eval)->Score(p);
//
// The evaluator owns the simulator buffers and the per-model request counts
// of the training workload, computed once: evaluating a placement allocates
// nothing proportional to the workload.

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/plugin_params.h"
#include "core/simulator.h"
#include "policies/component_simulation.h"

namespace multiplex {

// goodput - mean latency / 10^4 + #replicas / 10^6 (docs/study.md §5.1),
// with goodput and the mean latency of the good requests over the
// warm-up-trimmed training workload.
double PlacementScore(const LeanResult& result, int num_replicas);

// The original study implementation's score: good / requests - (sum of the
// good requests' latencies / requests) / 10^4 + #replicas / 10^6, i.e. the
// mean latency with rejected requests counted at zero; `result` counts the
// whole (untrimmed) training workload. 0 + #replicas / 10^6 without requests.
double OriginalPlacementScore(const LeanResult& result, int num_replicas);

// How a simulating policy scores placements and orders the greedy fill's
// groups (the `finite_slo` parameter; docs/study.md §5.1, §5.2). They
// differ only where requests are rejected, i.e. with finite SLOs (and for
// models without replica).
enum class FiniteSlo {
  // This repository's definition: statistics over the warm-up-trimmed
  // training workload, latency over the good requests, groups ordered by
  // the requests they accepted.
  kTrimmed,
  // The original implementation's, for comparison: statistics over the
  // whole training workload (OriginalPlacementScore), groups ordered by the
  // requests routed to them, rejected ones included (group_routed).
  kOriginal,
};

// How much a simulating policy may simulate (docs/study.md §5.9). Problems
// within the budget are searched exactly as the study defines; larger ones
// simulate a prefix of the training workload and add several replicas per
// simulation in the greedy fill, so a search's work stops growing with the
// cluster. `exhaustive` turns both off (the definition, at any size).
struct SearchBudget {
  bool exhaustive = false;
  // The search simulates the first max_training_requests requests of the
  // training workload (all of them when it has no more).
  int64_t max_training_requests = int64_t{1} << 22;
  // Request-simulations one greedy fill may spend: with more free replica
  // slots x simulated requests than this, each simulation is followed by
  // ceil(slots x requests / fill_work) additions instead of one.
  int64_t fill_work = int64_t{1} << 26;
  // Not a budget, but carried with it to every evaluator a policy builds.
  FiniteSlo finite_slo = FiniteSlo::kTrimmed;
};

// The `search` parameter of the simulating policies ("budgeted" or
// "exhaustive") as a budget.
SearchBudget SearchBudgetFromName(absl::string_view search);
// The `search` and `finite_slo` parameters (SearchParam, FiniteSloParam) as
// a budget.
SearchBudget SearchBudgetFromArgs(const PluginValues& args);
// The `finite_slo` parameter alone.
FiniteSlo FiniteSloFromArgs(const PluginValues& args);

class PlacementEvaluator {
 public:
  // Needs problem.models, problem.cost_model and problem.training_workload
  // (InvalidArgument naming what is missing); the workload's model names
  // must equal the models' names, in order.
  static absl::StatusOr<std::unique_ptr<PlacementEvaluator>> Create(
      const PlacementProblem& problem,
      const SearchBudget& budget = SearchBudget());

  // The problem as given, but for the training workload: the prefix the
  // budget lets the search simulate.
  const PlacementProblem& problem() const { return problem_; }
  const SearchBudget& budget() const { return budget_; }
  const std::vector<ModelSpec>& models() const { return *problem_.models; }
  int num_models() const { return static_cast<int>(models().size()); }

  // Per-device weight bytes of `model` under `config` (cached); NotFound when
  // the cost model lacks the config for the model's type.
  absl::StatusOr<double> WeightBytes(int model, const ParallelConfig& config);
  // Whether the cost model knows `config` for `model`'s type.
  bool Knows(int model, const ParallelConfig& config) {
    return WeightBytes(model, config).ok();
  }
  // Whether adding `model` to a group of `config` that already uses
  // `used_bytes` per device stays within the budget (same tolerance as
  // VerifyPlacement). False for a config the cost model lacks.
  bool Fits(int model, const ParallelConfig& config, double used_bytes);

  // Runs the lean simulator on the training workload (problem.simulator;
  // null: fast's SimulateLean directly); the result stays valid until the
  // next call. Only the components (component_simulation.h) that changed
  // since earlier calls are simulated; the result is the same as one run
  // over the whole workload.
  absl::StatusOr<const LeanResult*> Simulate(const Placement& placement);
  // Simulates and scores (PlacementScore, or OriginalPlacementScore with
  // FiniteSlo::kOriginal).
  absl::StatusOr<double> Score(const Placement& placement);

  bool original() const { return budget_.finite_slo == FiniteSlo::kOriginal; }
  // The per-group load the greedy fill orders groups by: group_served, or
  // group_routed with FiniteSlo::kOriginal.
  const std::vector<int64_t>& GroupLoad(const LeanResult& result) const {
    return original() ? result.group_routed : result.group_served;
  }

  // Requests per model in the warm-up-trimmed range / in the whole workload.
  const std::vector<int64_t>& trimmed_requests() const {
    return trimmed_requests_;
  }
  // Requests per model in the range Simulate() counts: trimmed_requests(),
  // or total_requests() with FiniteSlo::kOriginal.
  const std::vector<int64_t>& counted_requests() const {
    return original() ? total_requests_ : trimmed_requests_;
  }
  const std::vector<int64_t>& total_requests() const { return total_requests_; }
  // True when every training request has an infinite SLO: then only the
  // requests of a model without replica are rejected.
  bool all_slo_infinite() const { return all_slo_infinite_; }

  // Simulations run so far (for tests and benchmarks).
  int64_t num_simulations() const { return num_simulations_; }
  // Requests the simulator actually ran (cache misses), for benchmarks.
  int64_t simulated_requests() const;

 private:
  PlacementEvaluator(const PlacementProblem& problem,
                     const SearchBudget& budget)
      : problem_(problem), budget_(budget) {}

  PlacementProblem problem_;
  SearchBudget budget_;
  Workload prefix_;  // the simulated prefix when shorter than the workload
  std::vector<int64_t> trimmed_requests_;
  std::vector<int64_t> total_requests_;
  bool all_slo_infinite_ = true;
  std::map<std::pair<int, ParallelConfig>, double> weight_cache_;  // <0: none
  std::unique_ptr<ComponentSimulation> components_;  // null: whole runs
  SimulatorScratch scratch_;
  LeanResult lean_;
  int64_t whole_requests_ = 0;
  int64_t num_simulations_ = 0;
};

// Greedy fill (docs/study.md §5.2), in place, as the original
// replica_placement_fast_greedy: repeat { simulate the training workload on
// the current placement; order models by unserved requests (requests x (1 -
// good / (requests + 10^-6))), most first, ties to the higher index; order
// groups by load (PlacementEvaluator::GroupLoad), least first, ties to the
// lower index; take the first group, groups outer, in which some model not
// yet there fits in memory, and add to it the first such model in model
// order; normalize (each group's models sorted, groups stably sorted by
// their model lists) } until nothing fits. Groups may start non-empty; the
// result is normalized. Beyond the evaluator's budget
// (SearchBudget::fill_work), each simulation is followed by up to B
// additions in the same orders, each group and each model at most once per
// pass over the groups.
//
// When every training SLO is infinite the simulation's answers are partly
// known without running it: a hosted model serves all its requests, so the
// model order is known; if one group only has room, that is the group; and
// while no model has two replicas, a group serves every request of its
// models. The fill then skips the simulation; the outcome is the same
// (tested against the simulated path).
absl::Status GreedyFill(PlacementEvaluator& evaluator, Placement* placement);

// The B above for a fill starting from `placement`: 1 when the evaluator is
// exhaustive or the fill's work (free replica slots, from the lightest model
// per group, x simulated requests) is within SearchBudget::fill_work.
int FillAdditionsPerSimulation(PlacementEvaluator& evaluator,
                               const Placement& placement);

// InvalidArgument unless the problem has models, a cost model, at least one
// device and a positive budget; messages start with `policy`.
absl::Status ValidateProblem(const PlacementProblem& problem,
                             absl::string_view policy);

// Whether the cost model knows `config` for at least one model's type.
bool AnyModelKnows(const PlacementProblem& problem,
                   const ParallelConfig& config);

// The common start of a simulating policy: validates the problem and builds
// the evaluator. Errors start with `policy`.
absl::StatusOr<std::unique_ptr<PlacementEvaluator>> StartSearchingPolicy(
    const PlacementProblem& problem, absl::string_view policy,
    const SearchBudget& budget = SearchBudget());

// The common start of a policy that fills groups of one `config`: validates
// the problem, checks that the cost model knows `config` for at least one
// model, and builds the evaluator. Errors start with `policy`.
absl::StatusOr<std::unique_ptr<PlacementEvaluator>> StartFillingPolicy(
    const PlacementProblem& problem, absl::string_view policy,
    const ParallelConfig& config, const SearchBudget& budget = SearchBudget());

// The `search` parameter every simulating policy declares.
PluginParam SearchParam();
// The `finite_slo` parameter ("trimmed" or "original") every simulating
// policy declares next to it.
PluginParam FiniteSloParam();

// `count` empty groups of `config`, greedily filled; an InvalidArgument
// error (CheckNotEmpty) when no model fits.
absl::StatusOr<Placement> FillGroups(PlacementEvaluator& evaluator,
                                     const ParallelConfig& config, int count,
                                     absl::string_view policy);

// `count` groups of `config` with no models.
Placement EmptyGroups(const ParallelConfig& config, int count);

// InvalidArgument when `placement` hosts nothing: "<policy>: no model fits
// ...", naming the budget; OK otherwise.
absl::Status CheckNotEmpty(const Placement& placement,
                           const PlacementProblem& problem,
                           absl::string_view policy);

}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_EVALUATOR_H_
