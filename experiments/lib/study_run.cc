#include "experiments/lib/study_run.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <memory>
#include <numeric>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "core/file_io.h"
#include "core/number_format.h"
#include "core/placement_policy.h"
#include "core/placement_schedule.h"
#include "core/registry.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"
#include "core/simulator_schedule.h"
#include "core/status_macros.h"
#include "experiments/lib/charts.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/figure_output.h"
#include "experiments/lib/results_row.h"
#include "experiments/lib/serving_case.h"
#include "google/protobuf/text_format.h"
#include "render/color.h"
#include "workloads/generator.h"
#include "workloads/trace_replay.h"

namespace multiplex {
namespace {

using study::ChartSpec;

// Every model's SLO in seconds; empty: a trace's own.
std::vector<double> ModelSlos(const Study& study, const StudyCase& c) {
  const study::WorkloadSpec& w = c.spec.workload();
  std::vector<double> slos;
  for (const ModelSpec& m : c.models) {
    if (w.has_slo_s()) {
      slos.push_back(w.slo_s());
    } else if (w.has_slo_scale()) {
      slos.push_back(w.slo_scale() * study.l1_s.at(m.type));  // inf * L1 = inf
    } else if (w.has_trace()) {
      return {};
    } else {
      slos.push_back(kNoSlo);
    }
  }
  return slos;
}

// The rows of a trace before `duration` for the case's models (by name:
// the spec's trace names only the study's models).
absl::StatusOr<Workload> ReplayCaseTrace(const Workload& trace,
                                         const std::vector<ModelSpec>& models,
                                         double duration,
                                         const std::vector<double>& slos) {
  const std::vector<std::string> names = ModelNames(models);
  return ReplayTrace(trace, names, duration, slos, /*every_request=*/true);
}

// The case's workload `w` (the serving workload, or it with the training
// spec's changes) drawn with `process` (the serving workload's, or
// training.process) and `seed`.
absl::StatusOr<Workload> Generate(const StudyCase& c,
                                  const study::WorkloadSpec& w,
                                  const std::vector<double>& slos,
                                  const std::string& process, uint64_t seed,
                                  double duration) {
  WorkloadSpec spec;
  spec.num_models = static_cast<int>(c.models.size());
  spec.total_rate = w.total_rate();
  spec.rate_split = w.rate_split();
  spec.process = process;
  // To the process parameters that declare them (PluginParam::FedBy).
  if (w.has_cv()) spec.feeds[Feed::kCv] = w.cv();
  if (w.has_rate_scale()) spec.feeds[Feed::kRateScale] = w.rate_scale();
  if (w.has_cv_scale()) spec.feeds[Feed::kCvScale] = w.cv_scale();
  spec.slo_s = slos;
  spec.prompt_lengths.assign(w.prompt_lengths().begin(),
                             w.prompt_lengths().end());
  spec.output_lengths.assign(w.output_lengths().begin(),
                             w.output_lengths().end());
  spec.duration = duration;
  spec.seed = seed;
  return MakeWorkload(spec);
}

struct Workloads {
  std::shared_ptr<const Workload> serving, training;
};

absl::StatusOr<Workloads> DrawWorkloads(const Study& study,
                                        const StudyCase& c) {
  const study::WorkloadSpec& w = c.spec.workload();
  const study::TrainingSpec& t = c.spec.training();
  const std::vector<double> slos = ModelSlos(study, c);
  const double duration =
      study.ScaledDuration(w.duration_s(), w.min_scaled_duration_s());
  Workloads out;
  if (w.has_trace()) {
    ASSIGN_OR_RETURN(
        Workload serving,
        ReplayCaseTrace(*study.serving_trace, c.models, duration, slos));
    out.serving = std::make_shared<const Workload>(std::move(serving));
  } else {
    ASSIGN_OR_RETURN(Workload serving,
                     Generate(c, w, slos, w.process(), w.seed(), duration));
    out.serving = std::make_shared<const Workload>(std::move(serving));
  }
  // A case without requests measures nothing: refused with the window.
  if (out.serving->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the serving workload has no requests over its ",
        FormatDoubleExact(duration),
        " s; raise the rate or the duration (or --duration_scale)"));
  }
  if (t.has_seed() || t.has_process() || t.has_total_rate() ||
      t.has_rate_split() || t.has_cv()) {
    const double training_duration = study.ScaledDuration(
        t.has_duration_s() ? t.duration_s() : w.duration_s(),
        w.min_scaled_duration_s());
    // Another traffic pattern: the serving workload with these changed.
    study::WorkloadSpec changed = w;
    if (t.has_total_rate()) changed.set_total_rate(t.total_rate());
    if (t.has_rate_split()) changed.set_rate_split(t.rate_split());
    if (t.has_cv()) changed.set_cv(t.cv());
    ASSIGN_OR_RETURN(
        Workload training,
        Generate(c, changed, slos, t.has_process() ? t.process() : w.process(),
                 t.has_seed() ? t.seed() : w.seed(), training_duration));
    out.training = std::make_shared<const Workload>(std::move(training));
  } else if (t.has_trace()) {
    ASSIGN_OR_RETURN(
        Workload training,
        ReplayCaseTrace(
            *study.training_trace, c.models,
            study.ScaledDuration(t.duration_s(), w.min_scaled_duration_s()),
            slos));
    out.training = std::make_shared<const Workload>(std::move(training));
  } else {
    out.training = out.serving;
  }
  return out;
}

// The study's case as a serving case (serving_case.h) on `training`.
ServingCase MakeServingCase(const Study& study, const StudyCase& c,
                            const PlacementPolicy& policy,
                            const Workload& training) {
  const study::ClusterSpec& cluster = c.spec.cluster();
  ServingCase sc;
  sc.models = c.models;
  sc.cluster = {cluster.num_devices(), cluster.mem_budget_gib() * kGiB,
                cluster.devices_per_node()};
  // A case of a plugin-parameter sweep carries its own cost model or
  // simulator; otherwise the policy's.
  sc.cost_model = c.cost_model != nullptr ? c.cost_model
                                          : study.policy_cost_models[c.policy];
  sc.simulator =
      c.simulator != nullptr ? c.simulator : study.policy_simulators[c.policy];
  sc.serving.fixed_overhead_s = c.spec.serving().fixed_overhead_s();
  sc.serving.stage_slowdown = c.spec.serving().stage_slowdown();
  sc.policy = &policy;
  sc.policy_spec = c.policy_spec;
  sc.training = &training;
  return sc;
}

absl::StatusOr<CaseResult> RunCase(const Study& study, const StudyCase& c,
                                   const Workload& serving,
                                   const Workload& training) {
  ASSIGN_OR_RETURN(std::unique_ptr<PlacementPolicy> policy,
                   Registry<PlacementPolicy>::Global().Create(c.policy_spec));
  const ServingCase sc = MakeServingCase(study, c, *policy, training);
  ASSIGN_OR_RETURN(PlacedCase placed, Place(sc));
  SimulateOptions options;
  options.record_busy_intervals = !c.utilization_charts.empty();
  ASSIGN_OR_RETURN(SimulationResult sim, Serve(sc, placed, serving, options));
  ASSIGN_OR_RETURN(ServingStats stats,
                   ComputeStats(serving, sim, c.spec.serving().warmup_s()));

  CaseResult r;
  static_cast<ServingSummary&>(r) = Summarize(sc, placed, serving, sim, stats);
  // The good requests' latencies inside the trimmed range, in workload
  // order, for the charts.
  if (c.keep_per_model) r.model_latencies.resize(c.models.size());
  if (c.keep_latencies || c.keep_per_model) {
    for (size_t i = stats.range.begin; i < stats.range.end; ++i) {
      if (!sim.good[i]) continue;
      const double latency = sim.finish_s[i] - serving.arrival_s[i];
      if (c.keep_latencies) r.good_latencies.push_back(latency);
      if (c.keep_per_model) {
        r.model_latencies[serving.model[i]].push_back(latency);
      }
    }
  }
  for (int chart : c.utilization_charts) {
    ASSIGN_OR_RETURN(
        Utilization u,
        ComputeUtilization(
            sim, sc.cluster.num_devices, 0,
            study.ScaledDuration(c.spec.workload().duration_s(),
                                 c.spec.workload().min_scaled_duration_s()),
            study.spec.charts(chart).step_s()));
    r.utilization[chart] = std::move(u);
  }
  return r;
}

struct WorkloadGroup {
  absl::Mutex mu;
  bool drawn = false;
  absl::Status error;
  Workloads workloads;
  int remaining = 0;
};

std::string PoliciesParam(const Study& study) {
  std::vector<std::string> items;
  for (const study::PolicySpec& p : study.spec.policies()) {
    items.push_back(p.spec().empty()
                        ? p.label()
                        : absl::StrCat(p.label(), " = ", p.spec()));
  }
  return absl::StrJoin(items, ", ");
}

// The set fields of a section of the spec ("num_devices 8, mem_budget_gib
// 13"), each swept one as "swept".
std::string SectionParam(const Study& study, const google::protobuf::Message& m,
                         const std::string& section) {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  std::vector<std::string> items;
  for (const google::protobuf::FieldDescriptor* f : fields) {
    const std::string path = absl::StrCat(section, ".", f->name());
    std::string value;
    if (std::find(study.columns.begin(), study.columns.end(), path) !=
        study.columns.end()) {
      value = "swept";
    } else {
      google::protobuf::TextFormat::PrintFieldValueToString(m, f, -1, &value);
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE) {
        value = FormatDoubleExact(m.GetReflection()->GetDouble(m, f));
      } else if (f->cpp_type() ==
                 google::protobuf::FieldDescriptor::CPPTYPE_STRING) {
        value = m.GetReflection()->GetString(m, f);
      }
    }
    items.push_back(absl::StrCat(f->name(), " ", OneLine(value)));
  }
  return absl::StrJoin(items, ", ");
}

// Each sweep column's values over `cases`, in order of first appearance:
// "workload.total_rate = 0.8 2.4; workload.cv = 1 3".
std::string SweepParam(const Study& study, const std::vector<size_t>& cases) {
  std::vector<std::string> items;
  for (const std::string& column : study.columns) {
    std::vector<std::string> values;
    for (size_t i : cases) {
      const std::string v = CaseValue(study.cases[i], column);
      if (!v.empty() &&
          std::find(values.begin(), values.end(), v) == values.end()) {
        values.push_back(v);
      }
    }
    if (!values.empty()) {
      items.push_back(absl::StrCat(column, " = ", absl::StrJoin(values, " ")));
    }
  }
  return absl::StrJoin(items, "; ");
}

// What every chart's TSV says about the study: its source, cost models,
// models, cluster, workload, serving constants, sweeps and policies.
render::DataParams StudyParams(const Study& study) {
  const study::StudySpec& spec = study.spec;
  render::DataParams params = {{"study", OneLine(spec.name())}};
  params.push_back(
      {"spec", study.entry >= 0
                   ? absl::StrCat(study.path, " (studies[", study.entry, "])")
                   : study.path});
  if (!spec.description().empty()) {
    params.push_back({"description", OneLine(spec.description())});
  }
  params.push_back({"cost_model", study.cost_model->Name()});
  AddProvenance("provenance", *study.cost_model, &params);
  for (size_t p = 0; p < study.policy_cost_models.size(); ++p) {
    if (study.policy_cost_models[p] == study.cost_model) continue;
    const std::string label = spec.policies(static_cast<int>(p)).label();
    params.push_back({absl::StrCat("cost_model of ", label),
                      study.policy_cost_models[p]->Name()});
    AddProvenance(absl::StrCat("provenance of ", label),
                  *study.policy_cost_models[p], &params);
  }
  // The simulators, only where one is not fast (outputs as before).
  if (study.simulator->Name() != "fast") {
    params.push_back({"simulator", study.simulator->Name()});
  }
  for (size_t p = 0; p < study.policy_simulators.size(); ++p) {
    if (study.policy_simulators[p] == study.simulator) continue;
    params.push_back({absl::StrCat("simulator of ",
                                   spec.policies(static_cast<int>(p)).label()),
                      study.policy_simulators[p]->Name()});
  }
  std::vector<std::string> models;
  for (const study::ModelGroupSpec& g : spec.models()) {
    models.push_back(absl::StrCat(g.count(), " x ", g.type()));
  }
  params.push_back({"models", absl::StrJoin(models, ", ")});
  params.push_back({"cluster", SectionParam(study, spec.cluster(), "cluster")});
  params.push_back(
      {"workload", SectionParam(study, spec.workload(), "workload")});
  params.push_back(
      {"training", SectionParam(study, spec.training(), "training")});
  params.push_back({"serving", SectionParam(study, spec.serving(), "serving")});
  bool own_sweeps = false;
  for (const study::PolicySpec& p : spec.policies()) {
    own_sweeps = own_sweeps || p.sweep_size() > 0;
  }
  std::vector<std::vector<size_t>> cases(spec.policies_size());
  for (size_t i = 0; i < study.cases.size(); ++i) {
    cases[study.cases[i].policy].push_back(i);
  }
  if (!own_sweeps && !study.columns.empty()) {
    std::vector<size_t> all(study.cases.size());
    std::iota(all.begin(), all.end(), 0);
    params.push_back({"sweep", SweepParam(study, all)});
  } else if (own_sweeps) {
    for (int p = 0; p < spec.policies_size(); ++p) {
      params.push_back({absl::StrCat("sweep of ", spec.policies(p).label()),
                        SweepParam(study, cases[p])});
    }
  }
  params.push_back({"policies", PoliciesParam(study)});
  return params;
}

}  // namespace

std::string DescribeCase(const Study& study, size_t i) {
  const StudyCase& c = study.cases[i];
  std::string text =
      absl::StrCat("case ", i, " (", study.spec.policies(c.policy).label());
  for (const auto& [field, value] : c.point) {
    absl::StrAppend(&text, ", ", field, "=", value);
  }
  return text + ")";
}

absl::StatusOr<StudyResults> RunStudy(const Study& study,
                                      const ParallelOptions& options) {
  std::vector<size_t> all(study.cases.size());
  std::iota(all.begin(), all.end(), 0);
  return RunStudyCases(study, all, options);
}

absl::StatusOr<StudyResults> RunStudyCases(const Study& study,
                                           const std::vector<size_t>& cases,
                                           const ParallelOptions& options) {
  const size_t n = cases.size();
  std::vector<std::unique_ptr<WorkloadGroup>> groups;
  for (int g = 0; g < study.num_workload_groups; ++g) {
    groups.push_back(std::make_unique<WorkloadGroup>());
  }
  std::vector<std::vector<size_t>> members(groups.size());
  for (size_t i : cases) {
    if (i >= study.cases.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "case ", i, " out of range: the study has ", study.cases.size()));
    }
    const int g = study.cases[i].workload_group;
    ++groups[g]->remaining;
    members[g].push_back(i);
  }
  // Groups none of `cases` draws would only hold back the dealing below.
  members.erase(
      std::remove_if(members.begin(), members.end(),
                     [](const std::vector<size_t>& m) { return m.empty(); }),
      members.end());
  // The queue takes the groups `threads` at a time and deals out their cases
  // round-robin: the threads start by drawing different groups' workloads
  // instead of waiting on one draw, and a group's workloads live only while
  // its cases run (about 2 x threads groups at a time).
  const size_t threads = std::max<size_t>(
      1, options.threads > 0 ? options.threads
                             : std::thread::hardware_concurrency());
  std::vector<size_t> order;
  for (size_t first = 0; first < members.size(); first += threads) {
    const size_t last = std::min(members.size(), first + threads);
    for (size_t k = 0, dealt = 1; dealt > 0; ++k) {
      dealt = 0;
      for (size_t g = first; g < last; ++g) {
        if (k < members[g].size()) {
          order.push_back(members[g][k]);
          ++dealt;
        }
      }
    }
  }
  StudyResults results;
  results.cases.resize(study.cases.size());
  auto failed = [&](size_t i, const absl::Status& s) {
    return absl::Status(
        s.code(), absl::StrCat(DescribeCase(study, i), ": ", s.message()));
  };
  RETURN_IF_ERROR(RunCases(
      n,
      [&](size_t k) -> absl::Status {
        const size_t i = order[k];
        const StudyCase& c = study.cases[i];
        WorkloadGroup& group = *groups[c.workload_group];
        Workloads workloads;
        {
          absl::MutexLock lock(&group.mu);
          if (!group.drawn) {
            group.drawn = true;
            absl::StatusOr<Workloads> drawn = DrawWorkloads(study, c);
            if (drawn.ok()) {
              group.workloads = *std::move(drawn);
            } else {
              group.error = drawn.status();
            }
          }
          if (!group.error.ok()) return failed(i, group.error);
          workloads = group.workloads;
        }
        const bool on_serving =
            study.spec.policies(c.policy).train_on_serving();
        absl::StatusOr<CaseResult> r =
            RunCase(study, c, *workloads.serving,
                    on_serving ? *workloads.serving : *workloads.training);
        {
          absl::MutexLock lock(&group.mu);
          if (--group.remaining == 0) group.workloads = Workloads();
        }
        if (!r.ok()) return failed(i, r.status());
        results.cases[i] = *std::move(r);
        return absl::OkStatus();
      },
      options));
  return results;
}

double MetricValue(const CaseResult& r, const std::string& metric) {
  if (metric == "slo_attainment") return r.slo_attainment;
  if (metric == "mean_latency_s") return r.mean_latency_s;
  if (metric == "p50_latency_s") return r.p50_latency_s;
  if (metric == "p90_latency_s") return r.p90_latency_s;
  if (metric == "p99_latency_s") return r.p99_latency_s;
  if (metric == "p99_all_latency_s") return r.p99_all_latency_s;
  if (metric == "throughput_rps") return r.throughput_rps;
  if (metric == "requests") return static_cast<double>(r.requests);
  if (metric == "solver_s") return r.solver_s;
  return std::numeric_limits<double>::quiet_NaN();
}

std::string FormatResultsTsv(const Study& study, const StudyResults& results) {
  std::string out;
  absl::StrAppend(&out, "# study: ", OneLine(study.spec.name()), "\n");
  if (!study.spec.description().empty()) {
    absl::StrAppend(&out, "# description: ", OneLine(study.spec.description()),
                    "\n");
  }
  absl::StrAppend(&out, "# commit: ", WorkspaceCommit(), "\n");
  for (const std::string& w : StudyWarnings(study, results)) {
    absl::StrAppend(&out, "# warning: ", OneLine(w), "\n");
  }
  absl::StrAppend(&out, "# cost_model: ", study.cost_model->Name(), "\n");
  for (const std::string& line : study.cost_model->Provenance()) {
    absl::StrAppend(&out, "# cost_model provenance: ", OneLine(line), "\n");
  }
  for (size_t p = 0; p < study.policy_cost_models.size(); ++p) {
    if (study.policy_cost_models[p] == study.cost_model) continue;
    absl::StrAppend(&out, "# cost_model of ",
                    study.spec.policies(static_cast<int>(p)).label(), ": ",
                    study.policy_cost_models[p]->Name(), "\n");
  }
  if (study.simulator->Name() != "fast") {
    absl::StrAppend(&out, "# simulator: ", study.simulator->Name(), "\n");
  }
  for (size_t p = 0; p < study.policy_simulators.size(); ++p) {
    if (study.policy_simulators[p] == study.simulator) continue;
    absl::StrAppend(&out, "# simulator of ",
                    study.spec.policies(static_cast<int>(p)).label(), ": ",
                    study.policy_simulators[p]->Name(), "\n");
  }
  absl::StrAppend(
      &out, "# spec: ", study.path,
      study.entry >= 0 ? absl::StrCat(" (studies[", study.entry, "])") : "",
      "\n");
  if (study.spec.workload().has_seed()) {
    absl::StrAppend(&out, "# seed: ", study.spec.workload().seed(), "\n");
  }
  absl::StrAppend(&out, "# duration_scale: ",
                  FormatDoubleExact(study.options.duration_scale), "\n");
  std::vector<std::string> header = study.columns;
  for (const std::string& column : ResultColumns()) header.push_back(column);
  absl::StrAppend(&out, absl::StrJoin(header, "\t"), "\n");
  for (size_t i = 0; i < study.cases.size(); ++i) {
    const StudyCase& c = study.cases[i];
    std::vector<std::string> row;
    for (const std::string& column : study.columns) {
      row.push_back(CaseValue(c, column));
    }
    for (std::string& cell : ResultCells(study.spec.policies(c.policy).label(),
                                         c.policy_spec, results.cases[i])) {
      row.push_back(std::move(cell));
    }
    absl::StrAppend(&out, absl::StrJoin(row, "\t"), "\n");
  }
  return out;
}

absl::StatusOr<render::Figure> MakeChart(const Study& study,
                                         const StudyResults& results,
                                         int index) {
  const ChartSpec& chart = study.spec.charts(index);
  const ChartPlan& plan = study.charts[index];
  ChartLook look;
  look.width_in = chart.width_in();
  look.height_in = chart.height_in();
  look.xlabel = chart.xlabel();
  look.ylabel = chart.ylabel();
  ASSIGN_OR_RETURN(look.legend.loc, ParseLegendLoc(chart.legend().loc()));
  look.legend.ncols = chart.legend().ncols();
  if (chart.legend().has_font_size()) {
    look.legend.font_size = chart.legend().font_size();
  }
  look.xtick_step = chart.x_tick_step();
  look.ytick_step = chart.y_tick_step();
  look.marker_size = chart.marker_size();
  look.xlog = chart.x_log();
  look.ylog = chart.y_log();
  look.title = chart.title();
  if (chart.has_y_min() || chart.has_y_max()) {
    // One end given: the other is the automatic one of the plotted data
    // (filled in by the chart itself when both are needed).
    look.ylim = render::Limits{chart.has_y_min() ? chart.y_min() : NAN,
                               chart.has_y_max() ? chart.y_max() : NAN};
  }
  if (chart.kind() == "line" && chart.metric() == "slo_attainment") {
    const double bound = chart.y_scale();
    look.ybound = render::Limits{std::min(0.0, bound), std::max(0.0, bound)};
  }
  for (const study::HLineSpec& h : chart.hlines()) {
    look.hlines.push_back({h.y(), h.label()});
  }
  const int num_policies = study.spec.policies_size();
  auto label = [&](int p) { return study.spec.policies(p).label(); };
  auto color = [&](int p) {
    const study::LineStyle& style = study.spec.policies(p).style();
    if (style.has_color_name()) {
      absl::StatusOr<render::Color> c = ParseColorName(style.color_name());
      if (c.ok()) return *c;  // checked when the spec was loaded
    }
    return render::Tab10(style.color());
  };
  auto style_line = [&](int p, ChartLine* line) {
    const study::LineStyle& style = study.spec.policies(p).style();
    if (style.has_dash()) line->dash = ParseDash(style.dash()).value();
    if (style.has_marker()) line->marker = ParseMarker(style.marker()).value();
    line->line_width = style.line_width();
  };
  auto alpha = [&](int p) { return study.spec.policies(p).style().alpha(); };
  if (chart.kind() == "line") {
    std::vector<ChartLine> lines;
    for (int p = 0; p < num_policies; ++p) {
      ChartLine line;
      line.label = label(p);
      line.x = plan.x[p];
      const int reps = study.spec.repetitions();
      for (size_t i : plan.cases[p]) {
        std::vector<double> values;
        for (int r = 0; r < reps; ++r) {
          values.push_back(MetricValue(results.cases[i + r], chart.metric()) *
                           chart.y_scale());
        }
        const auto [mean, ci] = MeanAndCi95(values);
        line.y.push_back(mean);
        if (reps > 1) {
          line.y_lo.push_back(mean - ci);
          line.y_hi.push_back(mean + ci);
        }
      }
      line.color = color(p);
      line.alpha = alpha(p);
      style_line(p, &line);
      lines.push_back(std::move(line));
    }
    std::vector<ChartVLine> vlines;
    for (const study::RefLineSpec& v : chart.vlines()) {
      vlines.push_back({v.x(), v.label()});
    }
    std::optional<ChartThreshold> threshold;
    if (chart.has_threshold()) {
      threshold =
          ChartThreshold{chart.threshold().y(), chart.threshold().label(),
                         chart.threshold().scan() == "from_right"};
    }
    return LineFigure(look, lines, vlines, threshold);
  }
  if (chart.kind() == "latency_cdf") {
    std::vector<CdfSeries> series;
    for (int p = 0; p < num_policies; ++p) {
      const CaseResult& r = results.cases[plan.cases[p][0]];
      CdfSeries s;
      s.label = label(p);
      s.color = color(p);
      s.alpha = alpha(p);
      s.latencies = r.good_latencies;
      if (chart.per_model()) s.per_model = r.model_latencies;
      s.mean_latency_s = r.mean_latency_s;
      series.push_back(std::move(s));
    }
    return LatencyCdfFigure(look, series);
  }
  std::vector<UtilizationSeries> series;
  std::vector<const Utilization*> utilization;
  for (int p = 0; p < num_policies; ++p) {
    const CaseResult& r = results.cases[plan.cases[p][0]];
    auto it = r.utilization.find(index);
    if (it == r.utilization.end()) {
      return absl::InternalError(
          absl::StrCat("chart ", chart.stem(), ": no utilization recorded"));
    }
    utilization.push_back(&it->second);
    series.push_back({label(p), color(p), alpha(p), &it->second});
  }
  const double start =
      MostDifferentWindowStart(utilization, chart.window_s(), chart.step_s());
  return UtilizationFigure(look, series, start, chart.window_s());
}

absl::Status WriteStudyCharts(const Study& study, const StudyResults& results,
                              const ExperimentContext& context) {
  render::DataParams common = StudyParams(study);
  for (const std::string& w : StudyWarnings(study, results)) {
    std::cerr << "warning: " << study.spec.name() << ": " << w << "\n";
    common.push_back({"warning", w});
  }
  for (int i = 0; i < study.spec.charts_size(); ++i) {
    const ChartSpec& chart = study.spec.charts(i);
    absl::StatusOr<render::Figure> fig = MakeChart(study, results, i);
    if (!fig.ok()) {
      return absl::Status(
          fig.status().code(),
          absl::StrCat("chart ", chart.stem(), ": ", fig.status().message()));
    }
    render::DataParams params = common;
    params.push_back({"kind", chart.kind()});
    if (chart.kind() == "line") {
      params.push_back({"metric", chart.metric()});
      params.push_back({"x", chart.x()});
      if (chart.y_scale() != 1) {
        params.push_back({"y_scale", FormatDoubleExact(chart.y_scale())});
      }
    }
    if (chart.where_size() > 0) {
      params.push_back({"where", absl::StrJoin(chart.where(), ", ")});
    }
    if (chart.kind() != "line") {
      const ChartPlan& plan = study.charts[i];
      for (int p = 0; p < study.spec.policies_size(); ++p) {
        params.push_back(
            {absl::StrCat(study.spec.policies(p).label(), " placement"),
             OneLine(results.cases[plan.cases[p][0]].placement)});
      }
    } else {
      // The placement of every plotted point, by policy and x.
      const ChartPlan& plan = study.charts[i];
      for (int p = 0; p < study.spec.policies_size(); ++p) {
        for (size_t k = 0; k < plan.cases[p].size(); ++k) {
          const std::string x =
              k < plan.x[p].size() ? FormatAxisValue(plan.x[p][k]) : "?";
          params.push_back(
              {absl::StrCat(study.spec.policies(p).label(), " placement at ",
                            chart.x(), "=", x),
               OneLine(results.cases[plan.cases[p][k]].placement)});
        }
      }
    }
    if (chart.kind() == "utilization") {
      std::vector<const Utilization*> utilization;
      for (size_t p = 0; p < study.charts[i].cases.size(); ++p) {
        utilization.push_back(
            &results.cases[study.charts[i].cases[p][0]].utilization.at(i));
      }
      params.push_back({"window_start_s",
                        FormatDoubleExact(MostDifferentWindowStart(
                            utilization, chart.window_s(), chart.step_s()))});
      params.push_back({"window_s", FormatDoubleExact(chart.window_s())});
      params.push_back({"step_s", FormatDoubleExact(chart.step_s())});
    }
    absl::Status s = WriteFigure(context, chart.stem(), *fig, params);
    if (!s.ok()) {
      return absl::Status(
          s.code(), absl::StrCat("chart ", chart.stem(), ": ", s.message()));
    }
  }
  for (const study::PanelFigureSpec& f : study.spec.figures()) {
    absl::StatusOr<render::Figure> fig = MakePanelFigure(study, results, f);
    absl::Status s = fig.status();
    if (s.ok()) {
      render::DataParams params = common;
      params.push_back({"panels", absl::StrJoin(f.charts(), ", ")});
      s = WriteFigure(context, f.stem(), *fig, params);
    }
    if (!s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("figure ", f.stem(), ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status WriteStudyOutputs(const Study& study, const StudyResults& results,
                               const std::string& out_dir, bool png,
                               bool strict_layout,
                               const std::vector<std::string>& formats) {
  // One set: a failure anywhere (a full disk) leaves the previous run's
  // outputs as they were.
  StagedFiles staged;
  std::vector<std::pair<std::string, std::string>> tables = {
      {"results", FormatResultsTsv(study, results)}};
  if (study.spec.repetitions() > 1) {
    tables.push_back(
        {"results_summary", FormatResultsSummaryTsv(study, results)});
  }
  for (const auto& [stem, tsv] : tables) {
    RETURN_IF_ERROR(
        staged.Stage(absl::StrCat(out_dir, "/", stem, ".tsv"), tsv));
    for (const std::string& format : formats) {
      if (format == "tsv") continue;
      RETURN_IF_ERROR(
          staged.Stage(absl::StrCat(out_dir, "/", stem, ".", format),
                       format == "csv" ? TsvToCsv(tsv) : TsvToJson(tsv)));
    }
  }
  RETURN_IF_ERROR(
      staged.Stage(out_dir + "/study.textproto", FormatFilledSpec(study)));
  ExperimentContext context;
  context.out_dir = out_dir;
  context.png = png;
  context.strict_layout = strict_layout;
  context.duration_scale = study.options.duration_scale;
  context.seed = study.spec.workload().seed();
  context.staged = &staged;
  RETURN_IF_ERROR(WriteStudyCharts(study, results, context));
  return staged.Commit();
}

}  // namespace multiplex
