#ifndef MULTIPLEX_CORE_PLACEMENT_SCHEDULE_H_
#define MULTIPLEX_CORE_PLACEMENT_SCHEDULE_H_

// A placement that changes over time (docs/study.md §3.8): phases with
// strictly increasing start times, each a Placement of the same model list on
// the same cluster. The first phase starts at 0 and also serves anything that
// arrives before 0; a request is served by the phase in force at its arrival
// (the last phase whose start_s <= arrival). One phase is a static placement.
//
//   PlacementSchedule s = PlacementSchedule::Static(placement);
//   s.phases.push_back({60.0, next});  // in force from 60 s on
//   absl::Status ok = VerifySchedule(s, models, cluster, cost_model);

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/cost_model.h"
#include "core/placement.h"

namespace multiplex {

struct PlacementPhase {
  double start_s = 0.0;  // in force from this time (s) on
  Placement placement;
};

struct PlacementSchedule {
  std::vector<PlacementPhase> phases;

  // One phase from 0: what a static policy places.
  static PlacementSchedule Static(Placement placement);
  bool IsStatic() const { return phases.size() == 1; }
  // The phase in force at time t (0 before the first start); phases
  // non-empty.
  int PhaseAt(double t) const;
  // One phase: Placement::ToString. More: the first phase's text, then
  // " [+1 phase at 60 s]" or " [+K phases, 60 s to 1140 s]" (the compact
  // form results.tsv shows).
  std::string ToString(const std::vector<ModelSpec>& models) const;
};

// The checks that need neither a cost model nor a cluster: at least one and at
// most kMaxPhases phases, the first starting at 0, the others at finite,
// strictly increasing times, and VerifyGroups for each phase. Errors name the
// phase from the second on: "phase 2 (from 120 s): group 0 (1,1,1): hosts
// model m1 twice", "phase 1 starts at 60 s, not after phase 0's 60 s".
absl::Status VerifyScheduleGroups(const PlacementSchedule& schedule,
                                  const std::vector<std::string>& model_names);

// VerifyScheduleGroups, then VerifyPlacement for every phase (each phase must
// fit the cluster on its own: a switch does not add devices).
absl::Status VerifySchedule(const PlacementSchedule& schedule,
                            const std::vector<ModelSpec>& models,
                            const Cluster& cluster,
                            const CostModel& cost_model);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLACEMENT_SCHEDULE_H_
