#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_DEFAULTS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_DEFAULTS_H_

// Writes every default into the spec, so that study.textproto says what ran.

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// Every default the cases and study.textproto need, from the modes the
// checks found; policies' colours by family.
void FillDefaults(LoadState& load);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_DEFAULTS_H_
