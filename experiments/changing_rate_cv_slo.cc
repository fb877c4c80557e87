// Figures 5, 6 and 7a: 8 x bert-2.6b on 8 GPUs with 13 GB each, uniform
// rates, Gamma arrivals; "Model Parallelism" (mp-greedy-8: one 8-stage
// pipeline) against "Replication" (sr-uniform).
//   Fig 5: cv 3, 1000 s, total rate 8 x linspace(0.1, 3, 20): mean, p99.
//   Fig 6: 20 req/s, 100000 s, cv linspace(0.1, 8, 20): mean, p99.
//   Fig 7a: 30 req/s, cv 3, 500 s, SLO scale linspace(1, 20, 20): SLO
//           attainment.

#include <functional>
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

struct Policy {
  std::string spec, label;
};
const Policy kPolicies[] = {{"mp-greedy-8", "Model Parallelism"},
                            {"sr-uniform", "Replication"}};

// One swept parameter: x values and how each sets a case.
struct Sweep {
  std::string xlabel, varied;
  std::vector<double> x;
  std::function<void(double, ServingCase*)> apply;
  double duration;
};

struct Metric {
  std::string stem, ylabel;
  std::function<double(const ServingStats&)> value;
};

absl::Status Run(const ExperimentContext& ctx) {
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> cost,
                   LoadCostModel(ctx.db_path));

  std::vector<double> rates = Linspace(0.1, 3.0, 20);
  for (double& r : rates) r *= 8;
  const Sweep sweeps[] = {
      {"Total Rates (req/s)", "total_rate", rates,
       [](double x, ServingCase* c) { c->total_rate = x, c->cv = 3; }, 1000},
      {"Coefficient of Variance", "cv", Linspace(0.1, 8, 20),
       [](double x, ServingCase* c) { c->total_rate = 20, c->cv = x; }, 100000},
      {"SLO Scale", "slo_scale", Linspace(1, 20, 20),
       [](double x, ServingCase* c) {
         c->total_rate = 30, c->cv = 3, c->slo_scale = x;
       },
       500}};
  auto mean = [](const ServingStats& s) { return s.overall.mean_latency_s; };
  auto p99 = [](const ServingStats& s) { return s.overall.p99_latency_s; };
  auto attainment = [](const ServingStats& s) {
    return 100 * s.overall.slo_attainment;
  };
  const std::vector<Metric> metrics[] = {
      {{"changing_rate_cv_slo_1", "Mean Latency (s)", mean},
       {"changing_rate_cv_slo_1.5", "P99 Latency (s)", p99}},
      {{"changing_rate_cv_slo_2", "Mean Latency (s)", mean},
       {"changing_rate_cv_slo_2.5", "P99 Latency (s)", p99}},
      {{"changing_rate_cv_slo_3", "SLO Attainment (%)", attainment}}};

  std::vector<ServingCase> cases;
  for (const Sweep& sweep : sweeps) {
    for (const Policy& policy : kPolicies) {
      for (double x : sweep.x) {
        ServingCase c;
        c.cost_model = cost.get();
        c.model_type = "bert-2.6b";
        c.num_models = 8;
        c.num_devices = 8;
        c.mem_budget_gib = 13;
        c.policy = policy.spec;
        c.duration_s = sweep.duration * ctx.duration_scale;
        c.seed = ctx.seed;
        sweep.apply(x, &c);
        cases.push_back(c);
      }
    }
  }
  ASSIGN_OR_RETURN(const std::vector<ServingStats> stats,
                   RunServingSweep(cases, ctx.parallel));

  size_t first = 0;
  for (size_t k = 0; k < 3; ++k) {
    const Sweep& sweep = sweeps[k];
    const ServingCase& example = cases[first];
    const render::DataParams params = {
        {"cost_model", cost->Name()},
        {"models", "8 x bert-2.6b"},
        {"cluster", "8 GPUs, 13 GiB each"},
        {"rate_split", "uniform"},
        {"total_rate", sweep.varied == "total_rate"
                           ? "varied"
                           : absl::StrCat(example.total_rate)},
        {"cv", sweep.varied == "cv" ? "varied" : absl::StrCat(example.cv)},
        {"slo_scale", sweep.varied == "slo_scale"
                          ? "varied"
                          : absl::StrCat(example.slo_scale)},
        {"duration_s", absl::StrCat(example.duration_s)},
        {"x", absl::StrCat(sweep.varied, " = ", FormatValues(sweep.x))},
        {"policies",
         "Model Parallelism = mp-greedy-8, Replication = "
         "sr-uniform"}};
    for (const Metric& metric : metrics[k]) {
      render::Figure fig(3, 2);
      render::Axes& ax = fig.axes();
      ax.xlabel = sweep.xlabel;
      ax.ylabel = metric.ylabel;
      for (size_t p = 0; p < 2; ++p) {
        std::vector<double> y;
        for (size_t i = 0; i < sweep.x.size(); ++i) {
          y.push_back(metric.value(stats[first + p * sweep.x.size() + i]));
        }
        ax.AddLine(sweep.x, y, kPolicies[p].label);
      }
      RETURN_IF_ERROR(WriteFigure(ctx, metric.stem, fig, params));
    }
    first += 2 * sweep.x.size();
  }
  return absl::OkStatus();
}

const bool kRegistered = RegisterExperiment(
    "changing_rate_cv_slo",
    "Figures 5, 6, 7a: model parallelism vs replication as rate, CV and SLO "
    "change",
    {"changing_rate_cv_slo_1", "changing_rate_cv_slo_1.5",
     "changing_rate_cv_slo_2", "changing_rate_cv_slo_2.5",
     "changing_rate_cv_slo_3"},
    Run);

}  // namespace
}  // namespace multiplex
