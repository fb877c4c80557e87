#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_EXPAND_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_EXPAND_H_

// Expands the resolved sweeps into the cases (Study::cases, in results.tsv
// row order) and the results' sweep columns.

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// The cases: for each point of the study's sweep, each policy that uses
// it; then each policy with its own sweep, point by point; then each case
// repeated (StudySpec.repetitions).
absl::Status Expand(LoadState& load);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_EXPAND_H_
