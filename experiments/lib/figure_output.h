#ifndef MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "core/cost_model.h"
#include "experiments/lib/experiment.h"
#include "render/chart.h"
#include "render/data_table.h"

namespace multiplex {

// The commit checked out in the workspace `bazel run` was started from
// (BUILD_WORKSPACE_DIRECTORY/.git: HEAD, its ref file or packed-refs);
// "unknown" elsewhere (e.g. under `bazel test`, so outputs stay the same
// bytes for the same inputs).
std::string WorkspaceCommit();

// Appends one {key, line} per line of cost.Provenance() ("none recorded"
// when it has none).
void AddProvenance(const std::string& key, const CostModel& cost,
                   render::DataParams* params);

// Writes <out_dir>/<stem>.pdf, <stem>.tsv (the plotted data and `params`,
// headed by the figure name and the commit) and, with context.png, <stem>.png.
absl::Status WriteFigure(const ExperimentContext& context,
                         const std::string& stem, const render::Figure& fig,
                         render::DataParams params);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_
