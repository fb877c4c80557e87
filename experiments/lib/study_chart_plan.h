#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_CHART_PLAN_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_CHART_PLAN_H_

// Checks the spec's charts and panel figures, fills their defaults and
// plans which cases each chart draws (Study::charts); marks the cases whose
// latencies or utilization a chart needs.

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// Every chart and figure: kinds, metrics, sizes, stems, labels; its plan.
absl::Status PlanCharts(LoadState& load);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_CHART_PLAN_H_
