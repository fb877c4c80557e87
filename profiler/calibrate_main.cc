// Fits the free parameters of a hardware description (GEMM efficiency curves,
// memory efficiency, softmax and LM-head logits traffic, collective and
// point-to-point latency and bandwidth) to the V100 reference tables and
// Table 1 by Nelder-Mead on squared log errors (Loss() below), and prints the
// fitted description and its report.
// Offline tool: paste the result into
// profiler/hardware/v100-sxm2-16gb.textproto and bump its calibration version.
//
//   bazel run //profiler:calibrate -- [--report_only | --report]

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "google/protobuf/text_format.h"
#include "profiler/analytical_cost_model.h"
#include "profiler/calibration.h"
#include "profiler/calibration_report.h"
#include "profiler/descs.h"
#include "profiler/interconnect.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, hardware, "profiler/hardware/v100-sxm2-16gb.textproto",
          "hardware description to start from");
ABSL_FLAG(bool, report_only, false,
          "evaluate without fitting: the description and the row table");
ABSL_FLAG(bool, report, false,
          "evaluate without fitting: every target (reference rows, stage "
          "shares, Table 1, Figures 8, 9 and 14) with its residual");
ABSL_FLAG(bool, separate_attention_curve, false,
          "fit the batched attention GEMMs their own efficiency curve");
ABSL_FLAG(std::string, dp_unit, "block",
          "units of the DP stages in the figure targets: block or layer");
ABSL_FLAG(bool, fit_figures, true,
          "include the Figure 5 and 14 targets in the loss");
ABSL_FLAG(int, iterations, 3000, "Nelder-Mead iterations per restart");

namespace multiplex {
namespace {

// NCCL all-reduce and point-to-point latency floor (s): the fit may not go
// below it.
constexpr double kMinCollectiveLatency = 1e-5;

// Table 1 errors beyond this are penalized steeply (see Loss()).
constexpr double kTable1Tolerance = 0.002;

double Logit(double p) { return std::log(p / (1 - p)); }
double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

std::vector<double> Encode(const HardwareDesc& hw) {
  const Interconnect& ic = hw.interconnect();
  const GemmEfficiency& att =
      hw.has_attention_gemm() ? hw.attention_gemm() : hw.gemm();
  return {Logit(hw.gemm().max_efficiency()), std::log(hw.gemm().half_flops()),
          std::log(hw.gemm().sharpness()), Logit(hw.memory_efficiency()),
          std::log(
              std::max(ic.allreduce_latency_s() - kMinCollectiveLatency, 1e-9)),
          // The node's bus bandwidth below its NVLink bandwidth, and each
          // smaller group's below the next larger one's (fewer links).
          Logit(std::min(CollectiveBusBandwidth(ic, 8) / ic.nvlink_bandwidth(),
                         0.9999)),
          std::log(std::max(ic.p2p_latency_s() - kMinCollectiveLatency, 1e-9)),
          std::log(ic.p2p_bandwidth()),
          std::log(hw.softmax_bytes_per_element()), Logit(att.max_efficiency()),
          std::log(att.half_flops()),
          std::log(hw.has_logits_bytes_per_element()
                       ? hw.logits_bytes_per_element()
                       : hw.softmax_bytes_per_element()),
          Logit(std::min(
              CollectiveBusBandwidth(ic, 2) / CollectiveBusBandwidth(ic, 4),
              0.999)),
          Logit(std::min(
              CollectiveBusBandwidth(ic, 4) / CollectiveBusBandwidth(ic, 8),
              0.999))};
}

HardwareDesc Decode(const HardwareDesc& base, const std::vector<double>& x) {
  HardwareDesc hw = base;
  hw.mutable_gemm()->set_max_efficiency(Sigmoid(x[0]));
  hw.mutable_gemm()->set_half_flops(std::exp(x[1]));
  hw.mutable_gemm()->set_sharpness(std::exp(x[2]));
  hw.set_memory_efficiency(Sigmoid(x[3]));
  Interconnect* ic = hw.mutable_interconnect();
  ic->set_allreduce_latency_s(kMinCollectiveLatency + std::exp(x[4]));
  ic->set_allreduce_bus_bandwidth(ic->nvlink_bandwidth() * Sigmoid(x[5]));
  ic->set_p2p_latency_s(kMinCollectiveLatency + std::exp(x[6]));
  ic->set_p2p_bandwidth(std::exp(x[7]));
  hw.set_softmax_bytes_per_element(std::exp(x[8]));
  hw.mutable_attention_gemm()->set_max_efficiency(Sigmoid(x[9]));
  hw.mutable_attention_gemm()->set_half_flops(std::exp(x[10]));
  hw.mutable_attention_gemm()->set_sharpness(std::exp(x[2]));
  hw.set_logits_bytes_per_element(std::exp(x[11]));
  // Groups of two and four GPUs have their own all-reduce bandwidth; eight
  // (the whole node) use allreduce_bus_bandwidth.
  ic->clear_allreduce_group_bandwidth();
  const double bw4 = ic->allreduce_bus_bandwidth() * Sigmoid(x[13]);
  for (const auto& [size, bw] :
       {std::pair<int, double>{2, bw4 * Sigmoid(x[12])},
        std::pair<int, double>{4, bw4}}) {
    Interconnect::GroupBandwidth* g = ic->add_allreduce_group_bandwidth();
    g->set_group_size(size);
    g->set_bus_bandwidth(bw);
  }
  if (!absl::GetFlag(FLAGS_separate_attention_curve)) hw.clear_attention_gemm();
  return hw;
}

// Rounds to 4 significant digits so the textproto is readable (3 would move
// Table 1 by up to 0.2%).
double Round4(double v) {
  if (v == 0) return 0;
  double p = std::pow(10, std::floor(std::log10(std::fabs(v))) - 3);
  return std::round(v / p) * p;
}

// What the fit minimizes (every term continuous, so that rounding the fitted
// constants cannot tip a row over a threshold):
//  - per reference table, the mean over rows of le^2 + 10 x (|le| -
//    log 1.25)^2 beyond 25%, le the log error of the end-to-end latency;
//  - per table, the mean squared log error of how the stage sum grows with
//    the number of stages, and for the stage table that of each stage's share
//    of the total (op = 1; RowError, TableSummary). Totals alone cannot tell
//    where the time goes: fitted to totals only, the model put too little
//    into the LM head and twice the measured cost into each pipeline
//    boundary, which is what the DP stage partition (docs/study.md §2.2) and
//    Figures 8 and 14 see;
//  - for each Table 1 model, 3 x le^2 plus 10^4 x (|le| - kTable1Tolerance)^2
//    beyond the tolerance: the figures run at these latencies (Figure 2b runs
//    one GPU near 96% load, where a 2% error changes the mean latency
//    several-fold), while the reference tables are another sequence length.
double Hinge(double le, double tolerance) {
  const double over = std::fabs(le) - tolerance;
  return over > 0 ? over * over : 0;
}

// The figure targets (calibration_report.h) enter with weights that let
// them bend the fit only where they are missed: a Figure 14 cut beyond 8
// points of the paper's, a range (axis, Figure 5's pipeline capacity) by
// its relative distance.
double FigureLoss(const std::vector<TargetLine>& lines) {
  double l = 0;
  for (const TargetLine& t : lines) {
    if (t.group.rfind("Figure 14", 0) == 0 && !t.is_range) {
      l += 10 * Hinge(t.Residual() / 100, 0.08);
    } else if (t.is_range && (t.group.rfind("Figure 14", 0) == 0 ||
                              t.group.rfind("Figure 5", 0) == 0)) {
      // Aim half a percent inside the range, so that rounding the fitted
      // constants cannot tip the value out.
      const double lo = t.lo * 1.005, hi = t.hi / 1.005;
      const double over = t.modelled < lo   ? t.modelled / lo - 1
                          : t.modelled > hi ? t.modelled / hi - 1
                                            : 0;
      l += 1e3 * over * over;
    }
  }
  return l;
}

double Loss(const CalibrationReport& r) {
  double l = 0;
  for (const TableSummary* t : {&r.stage, &r.pipeline}) {
    double s = 0;
    for (const RowError& e : t->rows) {
      const double le = std::log1p(e.rel_error);
      s += le * le + 10 * Hinge(le, std::log(1.25));
    }
    l += s / t->rows.size();
    // The medians may not drift above v100-fit-2's (7.8% and 6.0%).
    const double median_limit = t == &r.stage ? 0.077 : 0.059;
    l += 1e3 * Hinge(t->median_abs, median_limit);
    l += t->growth_rms * t->growth_rms + t->shape_rms * t->shape_rms;
  }
  for (double e : r.table1_rel_error) {
    const double le = std::log1p(e);
    l += 3 * le * le + 1e4 * Hinge(le, kTable1Tolerance);
  }
  return l;
}

std::vector<double> NelderMead(
    const std::function<double(const std::vector<double>&)>& f,
    std::vector<double> x0, double step, int iters) {
  const int n = static_cast<int>(x0.size());
  std::vector<std::vector<double>> p(n + 1, x0);
  std::vector<double> v(n + 1);
  for (int i = 0; i < n; ++i) p[i + 1][i] += step;
  for (int i = 0; i <= n; ++i) v[i] = f(p[i]);
  for (int it = 0; it < iters; ++it) {
    std::vector<int> idx(n + 1);
    for (int i = 0; i <= n; ++i) idx[i] = i;
    std::sort(idx.begin(), idx.end(),
              [&](int a, int b) { return v[a] < v[b]; });
    std::vector<std::vector<double>> q;
    std::vector<double> w;
    for (int i : idx) {
      q.push_back(p[i]);
      w.push_back(v[i]);
    }
    p = q;
    v = w;
    std::vector<double> c(n, 0);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) c[j] += p[i][j] / n;
    auto along = [&](double t) {
      std::vector<double> y(n);
      for (int j = 0; j < n; ++j) y[j] = c[j] + t * (p[n][j] - c[j]);
      return y;
    };
    std::vector<double> r = along(-1);
    double fr = f(r);
    if (fr < v[0]) {
      std::vector<double> e = along(-2);
      double fe = f(e);
      if (fe < fr) {
        p[n] = e;
        v[n] = fe;
      } else {
        p[n] = r;
        v[n] = fr;
      }
    } else if (fr < v[n - 1]) {
      p[n] = r;
      v[n] = fr;
    } else {
      std::vector<double> k = along(0.5);
      double fk = f(k);
      if (fk < v[n]) {
        p[n] = k;
        v[n] = fk;
      } else {
        for (int i = 1; i <= n; ++i) {
          for (int j = 0; j < n; ++j)
            p[i][j] = p[0][j] + 0.5 * (p[i][j] - p[0][j]);
          v[i] = f(p[i]);
        }
      }
    }
  }
  int best = 0;
  for (int i = 1; i <= n; ++i)
    if (v[i] < v[best]) best = i;
  return p[best];
}

int Main() {
  // The defaults are the workspace's; a given --hardware is the user's.
  std::string hardware = absl::GetFlag(FLAGS_hardware);
  if (!FlagGiven("hardware")) hardware = ResolveWorkspacePath(hardware);
  absl::StatusOr<HardwareDesc> base = LoadHardwareDesc(hardware);
  if (!base.ok()) {
    std::fprintf(stderr, "%s\n", std::string(base.status().message()).c_str());
    return 1;
  }
  auto models =
      LoadModelDescs(ResolveWorkspacePath("profiler/models"),
                     {"bert-1.3b", "bert-2.6b", "bert-6.7b", "bert-15b"});
  auto stage = LoadStageTable(ResolveWorkspacePath(
      "profiler/reference/v100_bert1.3b_stage_latency.tsv"));
  auto pipe = LoadPipelineTable(
      ResolveWorkspacePath("profiler/reference/v100_pipeline_latency.tsv"));
  if (!models.ok() || !stage.ok() || !pipe.ok()) {
    std::fprintf(stderr, "cannot load models or reference tables\n");
    return 1;
  }
  auto loss = [&](const std::vector<double>& x) {
    const HardwareDesc hw = Decode(*base, x);
    absl::StatusOr<CalibrationReport> r = Evaluate(hw, *models, *stage, *pipe);
    if (!r.ok()) return 1e9;
    if (!absl::GetFlag(FLAGS_fit_figures)) return Loss(*r);
    absl::StatusOr<std::vector<TargetLine>> figures =
        FigureTargets(hw, *models, absl::GetFlag(FLAGS_dp_unit));
    return figures.ok() ? Loss(*r) + FigureLoss(*figures) : 1e9;
  };
  if (absl::GetFlag(FLAGS_report)) {
    absl::StatusOr<CalibrationReport> r =
        Evaluate(*base, *models, *stage, *pipe);
    absl::StatusOr<std::vector<TargetLine>> figures =
        FigureTargets(*base, *models, absl::GetFlag(FLAGS_dp_unit));
    if (!r.ok() || !figures.ok()) {
      std::fprintf(stderr, "%s\n",
                   std::string(r.ok() ? figures.status().message()
                                      : r.status().message())
                       .c_str());
      return 1;
    }
    std::vector<TargetLine> lines = ReferenceTargets(*r);
    lines.insert(lines.end(), figures->begin(), figures->end());
    std::printf("calibration: %s\n%s", base->calibration().c_str(),
                FormatTargets(lines).c_str());
    return 0;
  }
  std::vector<double> x = Encode(*base);
  if (!absl::GetFlag(FLAGS_report_only)) {
    for (int restart = 0; restart < 4; ++restart) {
      x = NelderMead(loss, x, restart == 0 ? 0.5 : 0.2,
                     absl::GetFlag(FLAGS_iterations));
      std::fprintf(stderr, "restart %d loss %.6f\n", restart, loss(x));
    }
  }
  HardwareDesc fitted = Decode(*base, x);
  // Round the fitted constants for the text proto.
  GemmEfficiency* g = fitted.mutable_gemm();
  g->set_max_efficiency(Round4(g->max_efficiency()));
  g->set_half_flops(Round4(g->half_flops()));
  g->set_sharpness(Round4(g->sharpness()));
  if (fitted.has_attention_gemm()) {
    GemmEfficiency* a = fitted.mutable_attention_gemm();
    a->set_max_efficiency(Round4(a->max_efficiency()));
    a->set_half_flops(Round4(a->half_flops()));
    a->set_sharpness(Round4(a->sharpness()));
  }
  fitted.set_memory_efficiency(Round4(fitted.memory_efficiency()));
  fitted.set_softmax_bytes_per_element(
      Round4(fitted.softmax_bytes_per_element()));
  fitted.set_logits_bytes_per_element(
      Round4(fitted.logits_bytes_per_element()));
  Interconnect* ic = fitted.mutable_interconnect();
  ic->set_allreduce_latency_s(Round4(ic->allreduce_latency_s()));
  ic->set_allreduce_bus_bandwidth(Round4(ic->allreduce_bus_bandwidth()));
  ic->set_p2p_latency_s(Round4(ic->p2p_latency_s()));
  ic->set_p2p_bandwidth(Round4(ic->p2p_bandwidth()));
  for (Interconnect::GroupBandwidth& g :
       *ic->mutable_allreduce_group_bandwidth()) {
    g.set_bus_bandwidth(Round4(g.bus_bandwidth()));
  }
  std::string text;
  google::protobuf::TextFormat::PrintToString(fitted, &text);
  std::printf("%s\n", text.c_str());
  absl::StatusOr<CalibrationReport> r =
      Evaluate(fitted, *models, *stage, *pipe);
  if (r.ok()) std::printf("%s", r->ToString().c_str());
  std::printf("loss %.6f\n", loss(Encode(fitted)));
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(
      argc, argv, "calibrate",
      "Fits the free parameters of a hardware description to the V100 "
      "reference tables\n(profiler/reference/) and Table 1, and prints the "
      "fitted description and its\nreport.\n"
      "Usage: bazel run //profiler:calibrate -- [--report_only | --report] "
      "[--hardware=FILE]\n"
      "A given --hardware is taken from the directory the command was run "
      "in; the\ndefault, the models and the reference tables are the "
      "workspace's.");
  return multiplex::Main();
}
