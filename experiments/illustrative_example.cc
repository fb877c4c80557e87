// Figure 2: two bert-6.7b models on two 14 GB GPUs, 3 req/s in all, SLO
// infinite. "Simple Placement" (sr-greedy: one model per GPU) against
// "Model Parallelism" (mp-search: a 2-stage pipeline holding both).
//   (a) rates 1:1, cv 1   (b) rates 2:8, cv 1 (+ one CDF per model)
//   (c) rates 1:1, cv 3   (d) rates 1:1, cv 3, cluster utilization

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/serving_case.h"
#include "experiments/lib/sweep.h"
#include "render/chart.h"

namespace multiplex {
namespace {

struct Policy {
  std::string spec, label;
  render::Color color;
};
const Policy kPolicies[] = {
    {"sr-greedy", "Simple Placement", render::Tab10(1)},
    {"mp-search", "Model Parallelism", render::Tab10(0)}};

struct Panel {
  std::string stem, rates;
  double cv;
  bool per_model;
};
const Panel kPanels[] = {{"illustrative_example_1", "1:1", 1, false},
                         {"illustrative_example_2", "2:8", 1, true},
                         {"illustrative_example_3", "1:1", 3, false}};

constexpr double kDuration = 20000, kUtilizationDuration = 500;
constexpr double kWindow = 25, kStep = 0.05;

ServingCase BaseCase(const CostModel* cost, const ExperimentContext& ctx) {
  ServingCase c;
  c.cost_model = cost;
  c.model_type = "bert-6.7b";
  c.num_models = 2;
  c.num_devices = 2;
  c.mem_budget_gib = 14;
  c.total_rate = 3;
  c.seed = ctx.seed;
  return c;
}

// Latency CDFs with dashed mean lines; per model in lighter shades.
render::Figure LatencyCdf(const Panel& panel,
                          const std::vector<ServingCaseResult>& results) {
  render::Figure fig(3.5, 2.5);
  render::Axes& ax = fig.axes();
  ax.xlabel = "Latency (s)";
  ax.ylabel = "CDF";
  ax.legend.loc = render::LegendLoc::kLowerRight;
  ax.legend.font_size = 6;
  for (size_t p = 0; p < results.size(); ++p) {
    const Policy& policy = kPolicies[p];
    ax.AddCdf(GoodLatencies(results[p]), policy.label).color = policy.color;
    if (panel.per_model) {
      for (int m = 0; m < 2; ++m) {
        render::Line& line =
            ax.AddCdf(GoodLatencies(results[p], m),
                      absl::StrCat(policy.label, " Model ", m + 1));
        line.color = policy.color;
        line.alpha = m == 0 ? 0.7 : 0.4;
      }
    }
    render::RefLine& mean =
        ax.AddVLine(results[p].stats.overall.mean_latency_s,
                    absl::StrCat(policy.label, " Mean Latency"));
    mean.color = policy.color;
  }
  ax.ylim = render::Limits{0, 1.02};
  return fig;
}

// The kWindow-second window where the two placements differ most (largest
// summed |difference| of utilization): there the bursts and how each
// placement absorbs them show.
double MostDifferentWindowStart(const Utilization& a, const Utilization& b) {
  const size_t width = static_cast<size_t>(kWindow / kStep);
  const size_t n = std::min(a.busy.size(), b.busy.size());
  double best = -1, start = 0, sum = 0;
  for (size_t i = 0; i < n; ++i) {
    sum += std::abs(a.busy[i] - b.busy[i]);
    if (i >= width) sum -= std::abs(a.busy[i - width] - b.busy[i - width]);
    if (i + 1 >= width && sum > best + 1e-9) {
      best = sum;
      start = a.time_s[i + 1 - width];
    }
  }
  return start;
}

absl::Status Run(const ExperimentContext& ctx) {
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> cost,
                   LoadCostModel(ctx.db_path));

  // Cases: each CDF panel x policy, then the utilization panel x policy.
  std::vector<ServingCase> cases;
  for (const Panel& panel : kPanels) {
    for (const Policy& policy : kPolicies) {
      ServingCase c = BaseCase(cost.get(), ctx);
      c.rate_split = panel.rates;
      c.cv = panel.cv;
      c.policy = policy.spec;
      c.duration_s = kDuration * ctx.duration_scale;
      cases.push_back(c);
    }
  }
  for (const Policy& policy : kPolicies) {
    ServingCase c = BaseCase(cost.get(), ctx);
    c.rate_split = "1:1";
    c.cv = 3;
    c.policy = policy.spec;
    c.duration_s =
        std::max(kUtilizationDuration * ctx.duration_scale, 2 * kWindow);
    c.record_busy_intervals = true;
    cases.push_back(c);
  }
  std::vector<ServingCaseResult> results(cases.size());
  RETURN_IF_ERROR(RunCases(
      cases.size(),
      [&](size_t i) -> absl::Status {
        ASSIGN_OR_RETURN(results[i], RunServingCase(cases[i]));
        return absl::OkStatus();
      },
      ctx.parallel));

  const render::DataParams common = {{"cost_model", cost->Name()},
                                     {"models", "2 x bert-6.7b"},
                                     {"cluster", "2 GPUs, 14 GiB each"},
                                     {"total_rate", "3"},
                                     {"slo", "inf"}};
  for (size_t k = 0; k < 3; ++k) {
    const Panel& panel = kPanels[k];
    std::vector<ServingCaseResult> pair(
        std::make_move_iterator(results.begin() + 2 * k),
        std::make_move_iterator(results.begin() + 2 * k + 2));
    render::DataParams params = common;
    params.push_back({"rates", panel.rates});
    params.push_back({"cv", absl::StrCat(panel.cv)});
    params.push_back({"duration_s", absl::StrCat(cases[2 * k].duration_s)});
    for (size_t p = 0; p < 2; ++p) {
      params.push_back({absl::StrCat(kPolicies[p].label, " placement"),
                        pair[p].placement.ToString(pair[p].models())});
    }
    RETURN_IF_ERROR(
        WriteFigure(ctx, panel.stem, LatencyCdf(panel, pair), params));
  }

  // (d) utilization, as a % of both GPUs, over the busiest window.
  std::vector<Utilization> utilization;
  for (size_t p = 0; p < 2; ++p) {
    const ServingCaseResult& r = results[6 + p];
    ASSIGN_OR_RETURN(
        Utilization u,
        ComputeUtilization(r.simulation, 2, 0, cases[6 + p].duration_s, kStep));
    utilization.push_back(std::move(u));
  }
  const double start = MostDifferentWindowStart(utilization[0], utilization[1]);
  render::Figure fig(3.5, 2.5);
  render::Axes& ax = fig.axes();
  ax.xlabel = "Time (s)";
  ax.ylabel = "Utilization (%)";
  ax.legend.loc = render::LegendLoc::kAbove;
  ax.legend.ncols = 2;
  for (size_t p = 0; p < 2; ++p) {
    std::vector<double> t, busy;
    for (size_t i = 0; i < utilization[p].time_s.size(); ++i) {
      const double x = utilization[p].time_s[i] - start;
      if (x < 0 || x > kWindow) continue;
      t.push_back(x);
      busy.push_back(100 * utilization[p].busy[i]);
    }
    render::Line& line =
        ax.AddLine(t, busy, kPolicies[p].label, render::Marker::kNone);
    line.color = kPolicies[p].color;
    ax.AddArea(t, busy, "", 0.2).color = kPolicies[p].color;
  }
  render::DataParams params = common;
  params.push_back({"rates", "1:1"});
  params.push_back({"cv", "3"});
  params.push_back({"duration_s", absl::StrCat(cases[6].duration_s)});
  params.push_back({"window_start_s", absl::StrCat(start)});
  params.push_back({"step_s", absl::StrCat(kStep)});
  return WriteFigure(ctx, "illustrative_example_utilization_4", fig, params);
}

const bool kRegistered = RegisterExperiment(
    "illustrative_example",
    "Figure 2: two bert-6.7b on two GPUs, simple placement vs model "
    "parallelism",
    {"illustrative_example_1", "illustrative_example_2",
     "illustrative_example_3", "illustrative_example_utilization_4"},
    Run);

}  // namespace
}  // namespace multiplex
