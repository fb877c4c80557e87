// Figure 7b: as Figure 7a (8 x bert-2.6b, 8 GPUs, 13 GB, 30 req/s, cv 3,
// 500 s, SLO scale 1..20), but the 8-stage pipeline's batch-1 stages are
// replaced by 8 equal stages of alpha x L1 / 8: how much pipeline overhead
// model parallelism can afford before replication wins.

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/sweep.h"
#include "profiler/equal_stages_cost_model.h"
#include "render/chart.h"

namespace multiplex {
namespace {

const double kAlphas[] = {1.0, 1.1, 1.2, 1.3, 1.4, 1.5};

absl::Status Run(const ExperimentContext& ctx) {
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> base,
                   LoadCostModel(ctx.db_path));
  std::vector<std::unique_ptr<CostModel>> alpha_models;
  for (double alpha : kAlphas) {
    alpha_models.push_back(std::make_unique<EqualStagesCostModel>(
        base.get(), "bert-2.6b", ParallelConfig{1, 1, 8}, alpha));
  }
  const std::vector<double> slo_scales = Linspace(1, 20, 20);

  // Curves: one per alpha with mp-greedy-8, then replication.
  std::vector<ServingCase> cases;
  for (size_t curve = 0; curve <= alpha_models.size(); ++curve) {
    const bool replication = curve == alpha_models.size();
    for (double slo_scale : slo_scales) {
      ServingCase c;
      c.cost_model = replication ? base.get() : alpha_models[curve].get();
      c.model_type = "bert-2.6b";
      c.num_models = 8;
      c.num_devices = 8;
      c.mem_budget_gib = 13;
      c.policy = replication ? "sr-uniform" : "mp-greedy-8";
      c.total_rate = 30;
      c.cv = 3;
      c.slo_scale = slo_scale;
      c.duration_s = 500 * ctx.duration_scale;
      c.seed = ctx.seed;
      cases.push_back(c);
    }
  }
  ASSIGN_OR_RETURN(const std::vector<ServingStats> stats,
                   RunServingSweep(cases, ctx.parallel));

  render::Figure fig(3, 2);
  render::Axes& ax = fig.axes();
  ax.xlabel = "SLO Scale";
  ax.ylabel = "SLO Attainment (%)";
  ax.legend.font_size = 5.5;
  for (size_t curve = 0; curve <= alpha_models.size(); ++curve) {
    const bool replication = curve == alpha_models.size();
    std::vector<double> y;
    for (size_t i = 0; i < slo_scales.size(); ++i) {
      y.push_back(100 *
                  stats[curve * slo_scales.size() + i].overall.slo_attainment);
    }
    const std::string label =
        replication
            ? "Replication"
            : absl::StrFormat("Model Parallelism (α=%.1f)", kAlphas[curve]);
    render::Line& line = ax.AddLine(slo_scales, y, label);
    // Model-parallel curves share the blue, fading as alpha grows.
    line.color = render::Tab10(replication ? 1 : 0);
    if (!replication) line.alpha = 1.0 - 0.13 * curve;
  }
  return WriteFigure(
      ctx, "changing_pipeline_overhead_1", fig,
      {{"cost_model", base->Name()},
       {"models", "8 x bert-2.6b"},
       {"cluster", "8 GPUs, 13 GiB each"},
       {"total_rate", "30"},
       {"cv", "3"},
       {"duration_s", absl::StrCat(500 * ctx.duration_scale)},
       {"x", "slo_scale = " + FormatValues(slo_scales)},
       {"alpha", "1 1.1 1.2 1.3 1.4 1.5: (1,1,8) stages = alpha x L1 / 8"},
       {"policies",
        "Model Parallelism = mp-greedy-8, Replication = "
        "sr-uniform"}});
}

const bool kRegistered = RegisterExperiment(
    "changing_pipeline_overhead",
    "Figure 7b: SLO attainment as the pipeline overhead alpha grows",
    {"changing_pipeline_overhead_1"}, Run);

}  // namespace
}  // namespace multiplex
