#ifndef MULTIPLEX_EXPERIMENTS_LIB_SERVING_CASE_H_
#define MULTIPLEX_EXPERIMENTS_LIB_SERVING_CASE_H_

// One serving case: models on a cluster, a cost model, a placement policy
// and its training workload, a simulator and its serving constants. Place
// it, serve a workload on the placement, summarise:
//
//   ServingCase c = ...;  // case_flags.h builds one from the tools' flags,
//                         // study_run.cc from a study's case
//   ASSIGN_OR_RETURN(PlacedCase placed, Place(c));
//   ASSIGN_OR_RETURN(SimulationResult sim, Serve(c, placed, serving));
//   ASSIGN_OR_RETURN(ServingStats stats, ComputeStats(serving, sim, warmup));
//   ServingSummary row = Summarize(c, placed, serving, sim, stats);
//
// A placement is verified (VerifySchedule: the case's models, cluster and
// cost model) and prepared for the case's simulator exactly once, when it
// becomes a PlacedCase: by Place() from the policy, or by Adopt() from a
// file. Serve() takes only a PlacedCase.
//
// //tools:place, //tools:simulate and the studies' runner (study_run.h)
// all go through here.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/placement_schedule.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"
#include "core/simulator_schedule.h"
#include "core/stats.h"
#include "core/workload.h"
#include "experiments/lib/results_row.h"

namespace multiplex {

// What a case is. The pointers are not owned and must outlive every use of
// the case (and of its PlacedCase).
struct ServingCase {
  std::vector<ModelSpec> models;  // instance names and model types
  Cluster cluster;
  const CostModel* cost_model = nullptr;
  // Serves the placement, and scores the placements a simulating policy
  // tries (PlacementProblem::simulator).
  const Simulator* simulator = nullptr;
  ServingConstants serving;
  // Place() only: the policy, the spec it was created from (named in its
  // errors), and the workload it places on.
  const PlacementPolicy* policy = nullptr;
  std::string policy_spec;
  const Workload* training = nullptr;
};

// A case's placement, verified and prepared for the case's simulator.
class PlacedCase {
 public:
  const PlacementSchedule& schedule() const { return schedule_; }
  const PreparedSchedule& prepared() const { return prepared_; }
  // Wall-clock seconds the policy took (0 for an adopted placement).
  double solver_s() const { return solver_s_; }

 private:
  friend absl::StatusOr<PlacedCase> Adopt(const ServingCase& c,
                                          PlacementSchedule schedule);
  PlacedCase(PlacementSchedule schedule, PreparedSchedule prepared)
      : schedule_(std::move(schedule)), prepared_(std::move(prepared)) {}

  PlacementSchedule schedule_;
  PreparedSchedule prepared_;
  double solver_s_ = 0;
  friend absl::StatusOr<PlacedCase> Place(const ServingCase& c);
};

// The case's policy places its models on the training workload
// (PlaceSchedule), timed; its errors name the policy spec unless their
// message does. The placement is then verified and prepared as Adopt()
// does; one that fails verification is an InternalError naming the policy.
absl::StatusOr<PlacedCase> Place(const ServingCase& c);

// A given placement (e.g. read from a file) checked against the case
// (VerifySchedule) and prepared for the case's simulator; the errors are
// the checks' own messages.
absl::StatusOr<PlacedCase> Adopt(const ServingCase& c,
                                 PlacementSchedule schedule);

// Serves `workload` on the placement with the case's simulator and serving
// constants (phase by phase for a schedule).
absl::StatusOr<SimulationResult> Serve(
    const ServingCase& c, const PlacedCase& placed, const Workload& workload,
    const SimulateOptions& options = SimulateOptions());

// The same, lean (per-group counts and the trimmed statistics only), with
// the warm-up of the policies' scores.
absl::StatusOr<LeanResult> ServeLean(const ServingCase& c,
                                     const PlacedCase& placed,
                                     const Workload& workload);

// A study's row of statistics for a served workload: SummarizeServing,
// the placement's text and the solver time.
ServingSummary Summarize(const ServingCase& c, const PlacedCase& placed,
                         const Workload& workload,
                         const SimulationResult& simulation,
                         const ServingStats& stats);

// Placements verified (by Place or Adopt) in this process so far; for the
// tests that check a case verifies its placement once.
int64_t VerifiedPlacementsForTesting();

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_SERVING_CASE_H_
