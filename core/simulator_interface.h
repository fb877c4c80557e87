#ifndef MULTIPLEX_CORE_SIMULATOR_INTERFACE_H_
#define MULTIPLEX_CORE_SIMULATOR_INTERFACE_H_

// The serving simulator as a plugin kind (docs/study.md §3).
// Implementations register in Registry<Simulator> (category "simulator"):
//  - `fast`: the simulator of core/simulator.h (Simulate, SimulateLean),
//    batch 1, the admission decided on arrival;
//  - `batching:max_batch_size=B`: per-model FIFO queues and dynamic
//    batching (simulators/batching.h).
// Tools take --simulator=SPEC, studies a `simulator` field, policies
// PlacementProblem::simulator (null: fast, called directly).
//
// Contract: the results have the shapes and meanings of core/simulator.h's
// (per request in workload order: group, start, finish, good; per group the
// requests served well; busy intervals per stage), so core/stats.h applies
// unchanged. Every request appears exactly once, good or not. A simulator
// honours SimulateOptions (no busy intervals, no group and start_s when not
// asked for).
//
// Thread safety: const methods may run concurrently; a run's mutable state
// lives in its SimulatorScratch / result.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/placement_schedule.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/simulator_schedule.h"
#include "core/workload.h"

namespace multiplex {

class Simulator {
 public:
  static constexpr const char* kPluginCategory = "simulator";

  virtual ~Simulator() = default;
  // The spec with its parameters ("fast", "batching(max_batch_size=8)").
  virtual std::string Name() const = 0;
  // The largest batch size a run uses: a PreparedPlacement given to this
  // simulator must be created with at least this max_batch_size.
  virtual int MaxBatchSize() const { return 1; }

  // PreparedPlacement::Create with MaxBatchSize().
  absl::StatusOr<PreparedPlacement> Prepare(
      const Placement& placement, const std::vector<ModelSpec>& models,
      const CostModel& cost_model,
      const ServingConstants& constants = ServingConstants()) const {
    return PreparedPlacement::Create(placement, models, cost_model, constants,
                                     MaxBatchSize());
  }

  virtual absl::StatusOr<SimulationResult> Simulate(
      const PreparedPlacement& prepared, const Workload& workload,
      const SimulateOptions& options = SimulateOptions()) const = 0;
  // Lean run over the warm-up trim (core/simulator.h SimulateLean).
  absl::Status SimulateLean(const PreparedPlacement& prepared,
                            const Workload& workload, SimulatorScratch* scratch,
                            LeanResult* out,
                            double warmup_s = kDefaultWarmupS) const {
    return SimulateLeanInRange(prepared, workload, scratch, out,
                               WarmupTrim(workload.arrival_s, warmup_s));
  }
  // Lean run counting the requests in `range` (core/simulator.h
  // SimulateLeanInRange).
  virtual absl::Status SimulateLeanInRange(const PreparedPlacement& prepared,
                                           const Workload& workload,
                                           SimulatorScratch* scratch,
                                           LeanResult* out,
                                           TrimRange range) const = 0;

  // A placement that changes over time (core/simulator_schedule.h): phase by
  // phase with this simulator's runs, which must honour
  // SimulateOptions::start_clock / end_clock. One phase: exactly Simulate()
  // and SimulateLean().
  absl::StatusOr<PreparedSchedule> PrepareSchedule(
      const PlacementSchedule& schedule, const std::vector<ModelSpec>& models,
      const CostModel& cost_model,
      const ServingConstants& constants = ServingConstants()) const {
    return PreparedSchedule::Create(schedule, models, cost_model, constants,
                                    MaxBatchSize());
  }
  absl::StatusOr<SimulationResult> SimulateSchedule(
      const PreparedSchedule& schedule, const Workload& workload,
      const SimulateOptions& options = SimulateOptions()) const {
    return RunSchedule(
        schedule, workload, options,
        [this](const PreparedPlacement& p, const Workload& w,
               const SimulateOptions& o) { return Simulate(p, w, o); });
  }
  absl::Status SimulateScheduleLean(const PreparedSchedule& schedule,
                                    const Workload& workload,
                                    SimulatorScratch* scratch, LeanResult* out,
                                    double warmup_s = kDefaultWarmupS) const {
    return RunScheduleLean(
        schedule, workload, scratch, out, warmup_s,
        [this](const PreparedPlacement& p, const Workload& w,
               const SimulateOptions& o) { return Simulate(p, w, o); },
        [this](const PreparedPlacement& p, const Workload& w,
               SimulatorScratch* s, LeanResult* l,
               double warmup) { return SimulateLean(p, w, s, l, warmup); });
  }
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_SIMULATOR_INTERFACE_H_
