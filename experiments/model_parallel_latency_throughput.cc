// Figure 9: one bert-2.6b on 1, 2, 4, 8 GPUs (long-sequence manual
// database, batch 1): latency, throughput and total weight memory of
// inter-op (pipeline) parallelism, intra-op (operator) parallelism and
// replication.

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/placement.h"
#include "core/status_macros.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/sweep.h"
#include "profiler/decomposition.h"
#include "render/chart.h"

namespace multiplex {
namespace {

const std::vector<double> kGpus = {1, 2, 4, 8};
const struct {
  Parallelism kind;
  const char* label;
} kKinds[] = {{Parallelism::kInterOp, "Inter-op Parallelism"},
              {Parallelism::kIntraOp, "Intra-op Parallelism"},
              {Parallelism::kReplication, "Replication"}};

absl::Status Run(const ExperimentContext& ctx) {
  ASSIGN_OR_RETURN(const std::unique_ptr<CostModel> cost,
                   LoadCostModel(ctx.db_manual_path));
  std::vector<std::vector<ParallelismPoint>> points(3);
  for (size_t k = 0; k < 3; ++k) {
    for (double n : kGpus) {
      ASSIGN_OR_RETURN(const ParallelismPoint p,
                       EvaluateParallelism(*cost, "bert-2.6b", kKinds[k].kind,
                                           static_cast<int>(n)));
      points[k].push_back(p);
    }
  }
  const struct {
    std::string stem, ylabel;
    std::function<double(const ParallelismPoint&)> value;
  } panels[] = {
      {"model_parallel_latency", "Latency (s)",
       [](const ParallelismPoint& p) { return p.latency_s; }},
      {"model_parallel_throughput", "Throughput (req/s)",
       [](const ParallelismPoint& p) { return p.throughput_rps; }},
      {"model_parallel_memory", "Memory (GiB)",
       [](const ParallelismPoint& p) { return p.memory_bytes / kGiB; }}};
  for (const auto& panel : panels) {
    render::Figure fig(3, 2);
    render::Axes& ax = fig.axes();
    ax.xlabel = "#GPUs";
    ax.ylabel = panel.ylabel;
    for (size_t k = 0; k < 3; ++k) {
      std::vector<double> y;
      for (const ParallelismPoint& p : points[k]) y.push_back(panel.value(p));
      render::Line& line = ax.AddLine(kGpus, y, kKinds[k].label);
      // Inter- and intra-op memory nearly coincide (the weights split n
      // ways either way): big circles under a dashed line with small
      // squares keep both visible, and the legend samples show which.
      if (kKinds[k].kind == Parallelism::kInterOp) {
        line.marker = render::Marker::kCircle;
        line.marker_size = 7;
      } else if (kKinds[k].kind == Parallelism::kIntraOp) {
        line.marker = render::Marker::kSquare;
        line.marker_size = 3.5;
        line.style = render::LineStyle::kDashed;
      }
    }
    render::DataParams params = {
        {"cost_model", cost->Name()},
        {"model", "bert-2.6b"},
        {"batch_size", "1"},
        {"configs",
         "inter-op (1,1,n), intra-op (1,n,1), replication n x "
         "(1,1,1); n = 1 2 4 8"}};
    AddProvenance("provenance", *cost, &params);
    RETURN_IF_ERROR(WriteFigure(ctx, panel.stem, fig, params));
  }
  return absl::OkStatus();
}

const bool kRegistered = RegisterExperiment(
    "model_parallel_latency_throughput",
    "Figure 9: latency, throughput and memory of inter-op, intra-op "
    "parallelism and replication",
    {"model_parallel_latency", "model_parallel_throughput",
     "model_parallel_memory"},
    Run);

}  // namespace
}  // namespace multiplex
