#ifndef MULTIPLEX_CORE_PLACEMENT_POLICY_H_
#define MULTIPLEX_CORE_PLACEMENT_POLICY_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/placement_schedule.h"
#include "core/serving_constants.h"
#include "core/workload.h"

namespace multiplex {
class Simulator;  // core/simulator_interface.h
}  // namespace multiplex

namespace multiplex {

// Everything a policy may look at. Pointers are borrowed and outlive Place().
// training_workload may be null for policies that do not simulate; its
// model indices refer to `models`.
struct PlacementProblem {
  const std::vector<ModelSpec>* models = nullptr;
  Cluster cluster;
  const CostModel* cost_model = nullptr;
  const Workload* training_workload = nullptr;
  ServingConstants serving;
  // The simulator that scores placements; null: `fast` (core/simulator.h,
  // called directly).
  const Simulator* simulator = nullptr;
};

// Decides which groups to form and which models each group hosts.
// Implementations register in Registry<PlacementPolicy> under their figure
// names (sr-uniform, mp-greedy-<G>, ...).
//
// Contract: a returned placement passes VerifyPlacement(); a problem the
// policy cannot solve (no model fits the budget, a device count it cannot
// split) is an InvalidArgument error saying why, never an empty placement.
//
// Policies whose placement changes over time (sr-replace-<interval>)
// override PlaceSchedule(); the tools and studies call it, and a static
// policy's one phase is its Place(). A returned schedule passes
// VerifySchedule().
//
// Thread safety: Place() and PlaceSchedule() are const and may run
// concurrently on different problems (sweeps place many cases at once);
// per-call state lives on the stack of the call, never in the policy object.
class PlacementPolicy {
 public:
  static constexpr const char* kPluginCategory = "placement_policy";

  virtual ~PlacementPolicy() = default;
  virtual std::string Name() const = 0;
  virtual absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const = 0;
  // The placement over time; by default Place() in force from 0 on.
  virtual absl::StatusOr<PlacementSchedule> PlaceSchedule(
      const PlacementProblem& problem) const {
    absl::StatusOr<Placement> placement = Place(problem);
    if (!placement.ok()) return placement.status();
    return PlacementSchedule::Static(*std::move(placement));
  }
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLACEMENT_POLICY_H_
