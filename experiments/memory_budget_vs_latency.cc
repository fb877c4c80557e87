// Figure 4: 8 models on 8 GPUs, Gamma cv 3, SLO infinite. Mean and p99
// latency against the per-GPU memory budget: model parallelism (bigger
// pipelines where memory is short) against replication (sr-uniform).
//   _2 files: bert-2.6b at 20 req/s; _1 files: bert-1.3b at 30 req/s.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/sweep.h"
#include "render/chart.h"

namespace multiplex {
namespace {

struct Setting {
  std::string suffix, model_type;
  double total_rate;
  std::vector<double> mp_budgets;  // with kMpPolicies, pairwise
  double replication_unit;         // budgets unit x i, i = 1..8
};
const Setting kSettings[] = {{"2", "bert-2.6b", 20, {7, 12, 22, 44}, 5.5},
                             {"1", "bert-1.3b", 30, {3.5, 6, 11, 21.6}, 2.7}};
const char* const kMpPolicies[] = {"mp-greedy-8", "mp-greedy-4", "mp-greedy-2",
                                   "sr-uniform"};
constexpr double kDuration = 20000, kGpuMemoryBound = 13;

absl::Status Run(const ExperimentContext& ctx) {
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> cost,
                   LoadCostModel(ctx.db_path));

  std::vector<ServingCase> cases;
  std::vector<std::vector<double>> replication_budgets;
  for (const Setting& setting : kSettings) {
    ServingCase c;
    c.cost_model = cost.get();
    c.model_type = setting.model_type;
    c.num_models = 8;
    c.num_devices = 8;
    c.total_rate = setting.total_rate;
    c.cv = 3;
    c.duration_s = kDuration * ctx.duration_scale;
    c.seed = ctx.seed;
    for (size_t i = 0; i < setting.mp_budgets.size(); ++i) {
      c.policy = kMpPolicies[i];
      c.mem_budget_gib = setting.mp_budgets[i];
      cases.push_back(c);
    }
    replication_budgets.emplace_back();
    for (int i = 1; i <= 8; ++i) {
      c.policy = "sr-uniform";
      c.mem_budget_gib = setting.replication_unit * i;
      replication_budgets.back().push_back(c.mem_budget_gib);
      cases.push_back(c);
    }
  }
  ASSIGN_OR_RETURN(const std::vector<ServingStats> stats,
                   RunServingSweep(cases, ctx.parallel));

  size_t next = 0;
  for (size_t k = 0; k < 2; ++k) {
    const Setting& setting = kSettings[k];
    std::vector<double> mp_mean, mp_p99, rep_mean, rep_p99;
    for (size_t i = 0; i < setting.mp_budgets.size(); ++i, ++next) {
      mp_mean.push_back(stats[next].overall.mean_latency_s);
      mp_p99.push_back(stats[next].overall.p99_latency_s);
    }
    for (size_t i = 0; i < 8; ++i, ++next) {
      rep_mean.push_back(stats[next].overall.mean_latency_s);
      rep_p99.push_back(stats[next].overall.p99_latency_s);
    }
    const render::DataParams params = {
        {"cost_model", cost->Name()},
        {"models", absl::StrCat("8 x ", setting.model_type)},
        {"cluster", "8 GPUs"},
        {"total_rate", absl::StrCat(setting.total_rate)},
        {"rate_split", "uniform"},
        {"cv", "3"},
        {"slo", "inf"},
        {"duration_s", absl::StrCat(kDuration * ctx.duration_scale)},
        {"model_parallelism",
         "mp-greedy-8, mp-greedy-4, mp-greedy-2, "
         "sr-uniform at budgets " +
             FormatValues(setting.mp_budgets)},
        {"replication",
         "sr-uniform at budgets " + FormatValues(replication_budgets[k])}};
    const struct {
      std::string metric, ylabel;
      const std::vector<double>&mp, &rep;
    } panels[] = {{"mean_latency", "Mean Latency (s)", mp_mean, rep_mean},
                  {"p99_latency", "P99 Latency (s)", mp_p99, rep_p99}};
    for (const auto& panel : panels) {
      render::Figure fig(3, 2);
      render::Axes& ax = fig.axes();
      ax.xlabel = "Memory Budget (GB)";
      ax.ylabel = panel.ylabel;
      ax.AddLine(setting.mp_budgets, panel.mp, "Model Parallelism");
      ax.AddLine(replication_budgets[k], panel.rep, "Replication");
      ax.AddVLine(kGpuMemoryBound, "GPU Memory Bound");
      RETURN_IF_ERROR(
          WriteFigure(ctx,
                      absl::StrCat("memory_budget_vs_latency_", panel.metric,
                                   "_", setting.suffix),
                      fig, params));
    }
  }
  return absl::OkStatus();
}

const bool kRegistered =
    RegisterExperiment("memory_budget_vs_latency",
                       "Figure 4: latency against the per-GPU memory budget",
                       {"memory_budget_vs_latency_mean_latency_2",
                        "memory_budget_vs_latency_p99_latency_2",
                        "memory_budget_vs_latency_mean_latency_1",
                        "memory_budget_vs_latency_p99_latency_1"},
                       Run);

}  // namespace
}  // namespace multiplex
