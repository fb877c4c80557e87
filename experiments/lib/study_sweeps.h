#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_SWEEPS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_SWEEPS_H_

// Resolving the study's and each policy's sweep (study.proto's SweepAxis):
// each field against the spec (spec_paths.h), its values scaled and checked,
// and whether sweeping it fits the spec.

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// Fills study_sweep, policy_sweeps and the swept_*_at paths; sets
// modes.slo_seconds and slo_explicit when an SLO field is swept.
absl::Status ResolveSweeps(LoadState& load);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_SWEEPS_H_
