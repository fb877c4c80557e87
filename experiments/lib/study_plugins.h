#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGINS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGINS_H_

// The plugins a study names, created once while it loads: its cost models
// (the study's and each policy's, wrappers around the study's), simulators,
// trace files, and a probe of the workload's arrival process with the
// study's quantities.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/simulator_interface.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// The cost model a spec names, created once per study (Study::cost_models,
// by spec). `from_spec`: relative paths are taken from the spec's directory.
// `wrap`: the study's cost model spec, which a wrapper (a plugin taking a
// `base`) that leaves out its base wraps; empty for the study's own.
// `resolved` receives the spec with absolute paths. Errors at `at`.
absl::StatusOr<const CostModel*> CostModelFor(
    LoadState& load, const std::string& spec, const FieldPath& at,
    bool from_spec, const std::string& wrap, std::string* resolved);

// The simulator a spec names, created once per study.
absl::StatusOr<const Simulator*> SimulatorFor(LoadState& load,
                                              const std::string& spec,
                                              const FieldPath& at);

// Creates every cost model (paths made absolute in the spec) and the
// SLO unit of each model type (Study::l1_s).
absl::Status CreateCostModels(LoadState& load);

// The study's simulator (fast unless named; the default is not filled)
// and each policy's.
absl::Status CreateSimulators(LoadState& load);

// The workload's and training's process (or traces): which study
// quantities they take, created once with them.
absl::Status CheckWorkloadPlugins(LoadState& load);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGINS_H_
