#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_CHECKS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_CHECKS_H_

// The study loader's first checks (study.cc): the name, repetitions, models,
// cluster and serving constants, which workload and training sections go
// together (LoadState::modes), and each policy's spec, label and style.

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// Names the study (the file stem by default); checks repetitions, models,
// cluster and serving constants.
absl::Status CheckBasics(LoadState& load);

// The workload section: a trace or a generated process, SLO, lengths.
absl::Status CheckWorkload(LoadState& load);

// The training section: same as serving, a fresh draw or a trace.
absl::Status CheckTraining(LoadState& load);

// Each policy: its spec (or swept specs) creates, its label is unique,
// its style is valid. Needs the sweeps (study_sweeps.h).
absl::Status CheckPolicies(LoadState& load);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_CHECKS_H_
