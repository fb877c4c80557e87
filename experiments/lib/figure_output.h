#ifndef MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "experiments/lib/experiment.h"
#include "render/chart.h"
#include "render/data_table.h"

namespace multiplex {

// Writes <out_dir>/<stem>.pdf, <stem>.tsv (the plotted data and `params`,
// headed by the figure name) and, with context.png, <stem>.png.
absl::Status WriteFigure(const ExperimentContext& context,
                         const std::string& stem, const render::Figure& fig,
                         render::DataParams params);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_FIGURE_OUTPUT_H_
