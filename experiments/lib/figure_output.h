#ifndef MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "core/cost_model.h"
#include "experiments/lib/experiment.h"
#include "render/chart.h"
#include "render/data_table.h"

namespace multiplex {

// The commit the binary was built from, stamped at build time
// (tools/stamp/build_stamp.h: "<hash>", "<hash>-dirty" or "unknown"), so
// `bazel run`, bazel-bin/..., `bazel test` and mpirun outputs all carry it.
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
