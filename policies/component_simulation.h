#ifndef MULTIPLEX_POLICIES_COMPONENT_SIMULATION_H_
#define MULTIPLEX_POLICIES_COMPONENT_SIMULATION_H_

// Lean simulation of a placement as independent parts, with the parts'
// results reused across calls.
//
// A request of model m only ever occupies a group hosting m, and both
// simulators pick among those groups by their own state alone, so the groups
// and models split into components (groups linked by a shared model) that
// never interact: a component's results depend only on its groups (configs,
// models, relative order) and its models' requests. Simulating each
// component on the requests of its models, in workload order, and counting
// the part of the whole workload's counted range (its warm-up trim, or all
// of it) that falls in it, gives the
// same per-model sums in the same order as one run over the whole workload:
// the LeanResult is bitwise the same (tested for both simulators).
//
// A placement search changes one component at a time (the greedy fill adds
// one replica; a search step expands a state by one replica), so the
// results of the others come from the cache: the cost of a call is the
// requests of the components that changed, not of the whole workload.
//
// Not thread-safe; one per search thread.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/simulator.h"

namespace multiplex {

// The requests whose per-model counts a lean run reports: the default
// warm-up trim, or, with `untrimmed`, all of them.
TrimRange CountedRange(const Workload& workload, bool untrimmed);

class ComponentSimulation {
 public:
  // problem.models, cost_model and training_workload must be set and the
  // workload's models must be the problem's, in order (PlacementEvaluator
  // checks this). The per-model counts cover the training workload's
  // default warm-up trim, or, with `untrimmed`, every request.
  explicit ComponentSimulation(const PlacementProblem& problem,
                               bool untrimmed = false);

  // Request indices are stored in 32 bits: larger workloads are simulated
  // whole (PlacementEvaluator checks this).
  static bool Supports(const Workload& workload) {
    return workload.size() <= UINT32_MAX;
  }

  // The lean result of simulating `placement` on the training workload over
  // the counted range (see the constructor); valid until the next call.
  absl::StatusOr<const LeanResult*> Simulate(const Placement& placement);

  // Requests simulated so far (cache misses only), for benchmarks.
  int64_t simulated_requests() const { return simulated_requests_; }
  int64_t component_runs() const { return component_runs_; }

 private:
  struct Part {  // one component's results, in its local order
    std::vector<int64_t> requests, good, served, routed;
    std::vector<double> latency_sum;
    uint64_t last_used = 0;
  };

  // Simulates the component of `groups` (placement indices, increasing)
  // hosting `models` (increasing) into `part`.
  absl::Status RunComponent(const Placement& placement,
                            const std::vector<int>& groups,
                            const std::vector<int>& models, Part* part);
  // Fills sub_ with the `total` requests of `models` (local indices from
  // local_), in workload order, and `range` with the part of range_ that
  // falls in it.
  void BuildSubWorkload(const std::vector<int>& models, size_t total,
                        TrimRange* range);
  // One lean run into part_result_.
  absl::Status Run(const Placement& placement,
                   const std::vector<ModelSpec>& models,
                   const Workload& workload, TrimRange range);
  void Evict();

  const PlacementProblem problem_;
  TrimRange range_;  // the whole workload's counted range
  // Indices of each model's requests, in workload order.
  std::vector<std::vector<uint32_t>> model_requests_;
  std::vector<int64_t> trimmed_;  // per model, in range_
  absl::flat_hash_map<std::string, Part> cache_;
  uint64_t clock_ = 0;
  SimulatorScratch scratch_;
  LeanResult part_result_, result_;
  Workload sub_;
  // Buffers reused across calls.
  std::vector<uint32_t> merged_;
  std::vector<char> in_component_;
  std::vector<int> local_;        // per model: its index in a run, or -1
  std::vector<int> first_group_;  // per model
  std::vector<int> parent_;       // per group: union-find
  std::vector<std::vector<int>> component_groups_;
  std::vector<int> component_models_;
  std::string key_;
  int64_t simulated_requests_ = 0;
  int64_t component_runs_ = 0;
};

}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_COMPONENT_SIMULATION_H_
