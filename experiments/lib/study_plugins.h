#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGINS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGINS_H_

// The plugins a study names, created once while it loads: its cost models
// (the study's and each policy's, wrappers around the study's), simulators,
// trace files, and a probe of the workload's arrival process with the
// study's quantities.

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

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
