#ifndef MULTIPLEX_CORE_SIMULATOR_SCHEDULE_H_
#define MULTIPLEX_CORE_SIMULATOR_SCHEDULE_H_

// Serving a placement that changes over time (core/placement_schedule.h,
// docs/study.md §3.8).
//
// A request is served by the phase in force at its arrival; each phase is
// simulated in turn over its requests, by the simulator's own run, and time
// carries forward through the devices. Groups occupy devices in order (group
// g of a phase uses the next dp x op x pp devices, stage k of it the k-th
// dp x op of them); when a phase ends, each device is busy until the clock of
// the stage that holds it, and a group of the next phase starts every stage
// clock at the latest time any of its devices is busy. Requests accepted
// before a switch finish where they are (a queueing simulator drains the
// phase's queues on its groups first); devices a phase leaves unused keep
// their time for a later phase.
//
// Results: groups are numbered across phases (phase 0's groups first, then
// phase 1's, ...), so SimulationResult::group, group_config, group_served and
// busy cover every phase's groups and core/stats.h applies unchanged. A lean
// run counts the same warm-up-trimmed range (by global request index) as a
// static one. A one-phase schedule is exactly the static run (it calls it).
//
//   absl::StatusOr<PreparedSchedule> prepared =
//       PreparedSchedule::Create(schedule, models, cost_model);
//   absl::StatusOr<SimulationResult> r = Simulate(*prepared, workload);
//   // any Simulator plugin: simulator->SimulateSchedule(*prepared, workload)

#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/placement_schedule.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/workload.h"

namespace multiplex {

// One PreparedPlacement per phase, all of the same model list.
class PreparedSchedule {
 public:
  // VerifyScheduleGroups, then PreparedPlacement::Create for every phase
  // (errors name the phase).
  static absl::StatusOr<PreparedSchedule> Create(
      const PlacementSchedule& schedule, const std::vector<ModelSpec>& models,
      const CostModel& cost_model,
      const ServingConstants& constants = ServingConstants(),
      int max_batch_size = 1);
  // For tests: prepared phases (e.g. from PreparedPlacement::FromLatencies)
  // and their start times, ordered as a PlacementSchedule's (the first 0,
  // then strictly increasing); every phase must have the same model names.
  static absl::StatusOr<PreparedSchedule> FromPhases(
      std::vector<double> start_s, std::vector<PreparedPlacement> phases);

  int num_phases() const { return static_cast<int>(phases_.size()); }
  const std::vector<double>& start_s() const { return start_s_; }
  const PreparedPlacement& phase(int p) const { return phases_[p]; }
  // Groups over all phases.
  int num_groups() const;
  // The phase in force at time t (0 before the first start).
  int PhaseAt(double t) const;

 private:
  std::vector<double> start_s_;
  std::vector<PreparedPlacement> phases_;
};

// One simulator's runs (a Simulator plugin's Simulate / SimulateLean).
using FullRun = absl::FunctionRef<absl::StatusOr<SimulationResult>(
    const PreparedPlacement&, const Workload&, const SimulateOptions&)>;
using LeanRun =
    absl::FunctionRef<absl::Status(const PreparedPlacement&, const Workload&,
                                   SimulatorScratch*, LeanResult*, double)>;

// A schedule served with `full`: one phase calls it once as is; more run it
// per phase on that phase's requests with the carried clocks.
absl::StatusOr<SimulationResult> RunSchedule(const PreparedSchedule& schedule,
                                             const Workload& workload,
                                             const SimulateOptions& options,
                                             FullRun full);
// The lean result of a schedule: one phase calls `lean` as is; more run
// `full` per phase (without busy intervals) and count as a lean run would.
absl::Status RunScheduleLean(const PreparedSchedule& schedule,
                             const Workload& workload,
                             SimulatorScratch* scratch, LeanResult* out,
                             double warmup_s, FullRun full, LeanRun lean);

// The kernel's simulator (`fast`) on a schedule.
absl::StatusOr<SimulationResult> Simulate(
    const PreparedSchedule& schedule, const Workload& workload,
    const SimulateOptions& options = SimulateOptions());
absl::Status SimulateLean(const PreparedSchedule& schedule,
                          const Workload& workload, SimulatorScratch* scratch,
                          LeanResult* out, double warmup_s = kDefaultWarmupS);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_SIMULATOR_SCHEDULE_H_
