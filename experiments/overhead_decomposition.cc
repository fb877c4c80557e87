// Figures 8 and 14: where the time of a model-parallel bert goes, batch 1,
// from the long-sequence databases (no simulation).
//   Fig 8a: pipeline stacked bars (computation, communication, uneven
//           partition) for bert-2.6b on 1, 2, 4, 8 GPUs, manual stages.
//   Fig 8b: operator parallelism (computation L1/n, communication).
//   Fig 14: manual stages (light) beside DP stages (dark), bert-1.3b and
//           bert-2.6b.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/sweep.h"
#include "profiler/decomposition.h"
#include "render/chart.h"

namespace multiplex {
namespace {

const int kGpus[] = {1, 2, 4, 8};
const std::vector<std::string> kCategories = {"1", "2", "4", "8"};
const std::vector<std::string> kPipelineParts = {
    "Computation", "Communication Overhead", "Uneven Partition Overhead"};

// components[k][i]: part k of the pipeline on kGpus[i] devices.
absl::StatusOr<std::vector<std::vector<double>>> PipelineParts(
    const CostModel& cost, const std::string& model) {
  std::vector<std::vector<double>> parts(3);
  for (int n : kGpus) {
    ASSIGN_OR_RETURN(const PipelineOverhead o,
                     DecomposePipeline(cost, model, n));
    parts[0].push_back(o.computation_s);
    parts[1].push_back(o.communication_s);
    parts[2].push_back(o.uneven_partition_s);
  }
  return parts;
}

double MaxTotal(const std::vector<std::vector<double>>& parts) {
  double best = 0;
  for (size_t i = 0; i < parts[0].size(); ++i) {
    double total = 0;
    for (const auto& part : parts) total += part[i];
    best = std::max(best, total);
  }
  return best;
}

render::Figure BarFigure(double ylo, double yhi, double height_in = 2) {
  render::Figure fig(3, height_in);
  render::Axes& ax = fig.axes();
  ax.xlabel = "Number of GPUs";
  ax.ylabel = "Latency (s)";
  ax.categories = kCategories;
  ax.grid = render::GridMode::kY;
  ax.legend.font_size = 6;
  ax.ylim = render::Limits{ylo, yhi};
  return fig;
}

const std::vector<double> kX = {0, 1, 2, 3};

render::DataParams WithProvenance(
    render::DataParams params,
    const std::vector<std::pair<std::string, const CostModel*>>& models) {
  for (const auto& [key, model] : models) AddProvenance(key, *model, &params);
  return params;
}

absl::Status Run(const ExperimentContext& ctx) {
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> manual,
                   LoadCostModel(ctx.db_manual_path));
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> dp,
                   LoadCostModel(ctx.db_dp_path));

  // Fig 8a.
  ASSIGN_OR_RETURN(const std::vector<std::vector<double>> parts,
                   PipelineParts(*manual, "bert-2.6b"));
  {
    render::Figure fig = BarFigure(0, 1.15 * MaxTotal(parts));
    fig.axes().ylim.reset();
    fig.axes().AddStackedBars(kX, parts, kPipelineParts);
    RETURN_IF_ERROR(WriteFigure(
        ctx, "overhead_decomposition_pp", fig,
        WithProvenance({{"cost_model", manual->Name()},
                        {"model", "bert-2.6b"},
                        {"configs", "(1,1,n), n = 1 2 4 8, batch 1"}},
                       {{"provenance", manual.get()}})));
  }

  // Fig 8b.
  {
    std::vector<std::vector<double>> op(2);
    for (int n : kGpus) {
      ASSIGN_OR_RETURN(const OperatorOverhead o,
                       DecomposeOperator(*manual, "bert-2.6b", n));
      op[0].push_back(o.computation_s);
      op[1].push_back(o.communication_s);
    }
    render::Figure fig = BarFigure(0, std::max(0.25, 1.05 * MaxTotal(op)));
    fig.axes().AddStackedBars(kX, op,
                              {"Computation", "Communication Overhead"});
    RETURN_IF_ERROR(WriteFigure(
        ctx, "overhead_decomposition_op", fig,
        WithProvenance({{"cost_model", manual->Name()},
                        {"model", "bert-2.6b"},
                        {"configs", "(1,n,1), n = 1 2 4 8, batch 1"}},
                       {{"provenance", manual.get()}})));
  }

  // Fig 14: manual (translucent, left) beside DP (solid, right).
  const struct {
    std::string model;
    double ylo, yhi;
  } compares[] = {{"bert-1.3b", 0.1, 0.25}, {"bert-2.6b", 0.2, 0.3}};
  for (const auto& compare : compares) {
    ASSIGN_OR_RETURN(const std::vector<std::vector<double>> m,
                     PipelineParts(*manual, compare.model));
    ASSIGN_OR_RETURN(const std::vector<std::vector<double>> d,
                     PipelineParts(*dp, compare.model));
    // The study's y range, widened if the modelled bars would not fit.
    render::Figure fig = BarFigure(
        std::min(compare.ylo, 0.9 * m[0][0]),
        std::max(compare.yhi, 1.05 * std::max(MaxTotal(m), MaxTotal(d))));
    // The legend shows the three parts once (the DP bars); which bar is
    // which is in the x label. Placed by "best" over the short bars.
    fig.axes().legend.font_size = 7;
    fig.axes().xlabel = "GPUs (light: manual, dark: DP stages)";
    const double w = 0.35;
    std::vector<double> left, right;
    for (double x : kX) {
      left.push_back(x - w / 2);
      right.push_back(x + w / 2);
    }
    std::vector<render::Bars*> light = fig.axes().AddStackedBars(
        left, m,
        {"Computation (manual)", "Communication (manual)",
         "Uneven Partition (manual)"},
        w, 0.45);
    std::vector<render::Bars*> dark = fig.axes().AddStackedBars(
        right, d,
        {"Computation (DP)", "Communication (DP)", "Uneven Partition (DP)"}, w,
        1.0);
    for (render::Bars* b : light) b->in_legend = false;
    (void)dark;
    RETURN_IF_ERROR(WriteFigure(
        ctx, "overhead_decomposition_pp_compare_" + compare.model, fig,
        WithProvenance({{"cost_model_manual", manual->Name()},
                        {"cost_model_dp", dp->Name()},
                        {"model", compare.model},
                        {"configs", "(1,1,n), n = 1 2 4 8, batch 1"}},
                       {{"provenance_manual", manual.get()},
                        {"provenance_dp", dp.get()}})));
  }
  return absl::OkStatus();
}

const bool kRegistered = RegisterExperiment(
    "overhead_decomposition",
    "Figures 8 and 14: computation and overheads of pipeline and operator "
    "parallelism",
    {"overhead_decomposition_pp", "overhead_decomposition_op",
     "overhead_decomposition_pp_compare_bert-1.3b",
     "overhead_decomposition_pp_compare_bert-2.6b"},
    Run);

}  // namespace
}  // namespace multiplex
