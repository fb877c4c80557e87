#include "experiments/lib/study_plugins.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "core/cost_model.h"
#include "core/number_format.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "workloads/generator.h"
#include "workloads/rate_split.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace study_internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using study::ChartSpec;
using study::PolicySpec;
using study::StudySpec;
using study::SweepAxis;
using study::SweepField;

// Whether a cost model spec names a plugin that takes a `base` (a cost
// model it wraps) and leaves it out. Unknown plugins: false (Create says
// what is wrong).
absl::StatusOr<bool> LeavesOutBase(const std::string& spec) {
  ASSIGN_OR_RETURN(PluginSpec parsed, ParsePluginSpec(spec));
  absl::StatusOr<const PluginEntry<CostModel>*> entry =
      Registry<CostModel>::Global().Find(parsed.name);
  if (!entry.ok()) return false;
  for (const PluginParam& p : (*entry)->params) {
    if (p.name == "base") return !parsed.args.Has("base");
  }
  return false;
}

}  // namespace

// `wrap`: the study's cost model spec, which a wrapper (a plugin taking a
// `base`) that leaves out its base wraps; empty for the study's own.
absl::StatusOr<const CostModel*> CostModelFor(
    LoadState& load, const std::string& spec, const FieldPath& at,
    bool from_spec, const std::string& wrap, std::string* resolved) {
  *resolved = spec;
  if (from_spec) {
    absl::StatusOr<std::string> r = ResolvePluginPaths(spec, load.dir);
    if (!r.ok()) return load.Err(at, r.status().message());
    *resolved = *r;
  }
  absl::StatusOr<bool> open = LeavesOutBase(*resolved);
  if (!open.ok()) return load.Err(at, open.status().message());
  if (*open && wrap.empty()) {
    return load.Err(at,
                    "this cost model wraps another and names no base: give "
                    "it as a policy's cost_model (it then wraps the study's "
                    "cost model)");
  }
  PluginArgs args;
  std::string key = *resolved;
  if (*open) {
    args.Set("base", wrap);
    absl::StrAppend(&key, " wrapping ", wrap);
  }
  auto it = load.study.cost_models.find(key);
  if (it != load.study.cost_models.end()) return it->second.get();
  absl::StatusOr<std::unique_ptr<CostModel>> made =
      Registry<CostModel>::Global().Create(*resolved, args);
  if (!made.ok()) return load.Err(at, made.status().message());
  std::shared_ptr<const CostModel> model(std::move(*made));
  load.study.cost_models.emplace(key, model);
  return model.get();
}

absl::StatusOr<const Simulator*> SimulatorFor(LoadState& load,
                                              const std::string& spec,
                                              const FieldPath& at) {
  if (spec.empty()) return load.Err(at, "is empty");
  auto it = load.study.simulators.find(spec);
  if (it != load.study.simulators.end()) return it->second.get();
  absl::StatusOr<std::unique_ptr<Simulator>> made =
      Registry<Simulator>::Global().Create(spec);
  if (!made.ok()) return load.Err(at, made.status().message());
  std::shared_ptr<const Simulator> simulator(std::move(*made));
  load.study.simulators.emplace(spec, simulator);
  return simulator.get();
}

namespace {

absl::StatusOr<std::shared_ptr<const Workload>> ReadStudyTrace(
    LoadState& load, const std::string& file, const FieldPath& at) {
  const std::string path = JoinPath(load.dir, file);
  absl::StatusOr<Workload> trace = ReadTrace(path);
  if (!trace.ok()) return load.Err(at, trace.status().message());
  if (trace->empty())
    return load.Err(at, absl::StrCat(path, " has no requests"));
  const std::vector<std::string> names = load.ModelNames();
  for (const std::string& name : trace->model_names) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return load.Err(
          at, absl::StrCat(path, " has requests for model '", name,
                           "', which is not one of the study's ", names.size(),
                           " models m0..m", names.size() - 1));
    }
  }
  return std::make_shared<const Workload>(*std::move(trace));
}

// The process's own settings of what the study feeds it, and the workload
// fields that feed a parameter the process lacks.
absl::Status CheckProcessFeeds(LoadState& load, const PluginSpec& parsed,
                               const std::vector<PluginParam>& params) {
  study::WorkloadSpec* w = load.spec.mutable_workload();
  const FieldPath at = kRoot.F("workload");
  const PluginParam* rate_param = ParamFedBy(params, Feed::kRate);
  const PluginParam* cv_param = ParamFedBy(params, Feed::kCv);
  if (rate_param != nullptr && parsed.args.Has(rate_param->name)) {
    return load.Err(at.F("process"),
                    absl::StrCat("leave out '", rate_param->name,
                                 "': each model's rate comes from "
                                 "workload.total_rate and "
                                 "workload.rate_split"));
  }
  // rate_scale and cv_scale: passed to the process, which must take
  // them and must not set them itself (so that they can be swept).
  const struct {
    const char* name;  // the workload field
    Feed feed;
    bool set;
    const FieldPath& swept_at;
  } scales[] = {
      {"rate_scale", Feed::kRateScale, w->has_rate_scale(),
       load.swept_rate_scale_at},
      {"cv_scale", Feed::kCvScale, w->has_cv_scale(), load.swept_cv_scale_at}};
  for (const auto& scale : scales) {
    const PluginParam* fed = ParamFedBy(params, scale.feed);
    const bool given = scale.set || !scale.swept_at.segments().empty();
    if (given && fed == nullptr) {
      return load.Err(
          scale.set ? at.F(scale.name) : scale.swept_at,
          absl::StrCat("process '", parsed.name, "' takes no ", scale.name));
    }
    if (given && parsed.args.Has(fed->name)) {
      return load.Err(at.F("process"),
                      absl::StrCat("leave out '", fed->name, "': set workload.",
                                   scale.name, " (so that it can be swept)"));
    }
  }
  if (cv_param != nullptr && parsed.args.Has(cv_param->name)) {
    return load.Err(at.F("process"),
                    absl::StrCat("leave out '", cv_param->name,
                                 "': set workload.cv (so that it can be "
                                 "swept)"));
  }
  return absl::OkStatus();
}

// The rate and CV fields of the workload and training sections against
// what the process takes.
absl::Status CheckRateAndCv(LoadState& load, const PluginSpec& parsed) {
  const study::WorkloadSpec* w = &load.spec.workload();
  const FieldPath at = kRoot.F("workload");
  const study::TrainingSpec& training = load.spec.training();
  const FieldPath t_at = kRoot.F("training");
  if (training.has_cv() && !load.modes.takes_cv) {
    return load.Err(t_at.F("cv"),
                    absl::StrCat("process '", parsed.name, "' takes no cv"));
  }
  if (training.has_total_rate() && !load.modes.takes_rate) {
    return load.Err(t_at.F("total_rate"),
                    absl::StrCat("process '", parsed.name, "' takes no rate"));
  }
  if (training.has_rate_split()) {
    if (!load.modes.takes_rate) {
      return load.Err(
          t_at.F("rate_split"),
          absl::StrCat("process '", parsed.name, "' takes no rate"));
    }
    absl::StatusOr<std::vector<double>> split =
        SplitRate(training.rate_split(), 1.0, load.NumModels());
    if (!split.ok()) {
      return load.Err(t_at.F("rate_split"), split.status().message());
    }
  }
  if (!load.modes.takes_cv) {
    if (w->has_cv()) {
      return load.Err(at.F("cv"),
                      absl::StrCat("process '", parsed.name, "' takes no cv"));
    }
    if (!load.swept_cv_at.segments().empty()) {
      return load.Err(load.swept_cv_at,
                      absl::StrCat("process '", parsed.name, "' takes no cv"));
    }
  }
  if (load.modes.takes_rate) {
    if (!w->has_total_rate() && load.swept_rate_at.segments().empty()) {
      return load.Err(at, absl::StrCat("needs total_rate (requests/s over all "
                                       "models): process '",
                                       parsed.name, "' takes a rate"));
    }
    const double rate = w->has_total_rate() ? w->total_rate() : 1.0;
    absl::StatusOr<std::vector<double>> split =
        SplitRate(w->rate_split(), rate, load.NumModels());
    if (!split.ok())
      return load.Err(at.F("rate_split"), split.status().message());
  } else {
    if (w->has_total_rate()) {
      return load.Err(at.F("total_rate"), absl::StrCat("process '", parsed.name,
                                                       "' takes no rate"));
    }
    if (!load.swept_rate_at.segments().empty()) {
      return load.Err(load.swept_rate_at, absl::StrCat("process '", parsed.name,
                                                       "' takes no rate"));
    }
  }
  return absl::OkStatus();
}

// Creates the process (and training.process) once with the study's
// quantities, so that its own parameters are checked at load time.
absl::Status ProbeProcesses(LoadState& load, const std::string& resolved) {
  const study::WorkloadSpec* w = &load.spec.workload();
  const FieldPath at = kRoot.F("workload");
  // The process's own parameters: create it once.
  WorkloadSpec probe;
  probe.num_models = load.NumModels();
  probe.total_rate = w->has_total_rate() ? w->total_rate() : 1.0;
  probe.rate_split = w->rate_split();
  probe.process = resolved;
  if (load.modes.takes_cv) probe.feeds[Feed::kCv] = w->cv();
  if (w->has_rate_scale()) probe.feeds[Feed::kRateScale] = w->rate_scale();
  if (w->has_cv_scale()) probe.feeds[Feed::kCvScale] = w->cv_scale();
  absl::StatusOr<std::vector<ModelStream>> streams = MakeModelStreams(probe);
  if (!streams.ok())
    return load.Err(at.F("process"), streams.status().message());
  // training.process: the same, with its process.
  study::TrainingSpec* t = load.spec.mutable_training();
  if (t->has_process()) {
    const FieldPath t_at = kRoot.F("training").F("process");
    absl::StatusOr<std::string> t_resolved =
        ResolvePluginPaths(t->process(), load.dir);
    if (!t_resolved.ok()) return load.Err(t_at, t_resolved.status().message());
    t->set_process(*t_resolved);
    probe.process = *t_resolved;
    streams = MakeModelStreams(probe);
    if (!streams.ok()) return load.Err(t_at, streams.status().message());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CreateCostModels(LoadState& load) {
  std::string resolved;
  if (load.spec.has_cost_model()) {
    if (load.spec.cost_model().empty()) {
      return load.Err(kRoot.F("cost_model"), "is empty");
    }
    ASSIGN_OR_RETURN(load.study.cost_model,
                     CostModelFor(load, load.spec.cost_model(),
                                  kRoot.F("cost_model"), true, "", &resolved));
  } else {
    if (load.options.default_cost_model.empty()) {
      return load.Err(kRoot.F("cost_model"),
                      "no cost model given and no default known");
    }
    ASSIGN_OR_RETURN(load.study.cost_model,
                     CostModelFor(load, load.options.default_cost_model,
                                  kRoot.F("cost_model"), false, "", &resolved));
  }
  load.spec.set_cost_model(resolved);
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    PolicySpec* policy = load.spec.mutable_policies(p);
    if (!policy->has_cost_model()) {
      load.study.policy_cost_models.push_back(load.study.cost_model);
      continue;
    }
    const FieldPath at = kRoot.F("policies", p).F("cost_model");
    if (policy->cost_model().empty()) return load.Err(at, "is empty");
    ASSIGN_OR_RETURN(const CostModel* model,
                     CostModelFor(load, policy->cost_model(), at, true,
                                  load.spec.cost_model(), &resolved));
    policy->set_cost_model(resolved);
    load.study.policy_cost_models.push_back(model);
  }
  // The SLO unit of every model type: its single-GPU batch-1 latency.
  for (int i = 0; i < load.spec.models_size(); ++i) {
    const std::string& type = load.spec.models(i).type();
    if (load.study.l1_s.count(type)) continue;
    absl::StatusOr<StageCosts> single =
        load.study.cost_model->Stages(type, ParallelConfig{1, 1, 1}, 1);
    if (!single.ok()) {
      const std::vector<std::string> known = load.study.cost_model->Models();
      return load.Err(
          kRoot.F("models", i).F("type"),
          absl::StrCat("cost model ", load.study.cost_model->Name(),
                       " cannot serve '", type,
                       "' on one GPU at batch 1: ", single.status().message(),
                       " (it knows: ", absl::StrJoin(known, ", "), ")"));
    }
    load.study.l1_s[type] = single->TotalLatency();
  }
  return absl::OkStatus();
}

// The study's simulator (fast unless named; the default is not filled)
// and each policy's.
absl::Status CreateSimulators(LoadState& load) {
  ASSIGN_OR_RETURN(
      load.study.simulator,
      SimulatorFor(load,
                   load.spec.has_simulator() ? load.spec.simulator() : "fast",
                   kRoot.F("simulator")));
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    const PolicySpec& policy = load.spec.policies(p);
    if (!policy.has_simulator()) {
      load.study.policy_simulators.push_back(load.study.simulator);
      continue;
    }
    ASSIGN_OR_RETURN(const Simulator* simulator,
                     SimulatorFor(load, policy.simulator(),
                                  kRoot.F("policies", p).F("simulator")));
    load.study.policy_simulators.push_back(simulator);
  }
  return absl::OkStatus();
}

absl::Status CheckWorkloadPlugins(LoadState& load) {
  study::WorkloadSpec* w = load.spec.mutable_workload();
  const FieldPath at = kRoot.F("workload");
  if (load.modes.trace) {
    ASSIGN_OR_RETURN(load.study.serving_trace,
                     ReadStudyTrace(load, w->trace(), at.F("trace")));
    w->set_trace(JoinPath(load.dir, w->trace()));
  } else {
    const std::string process = w->process();  // default "gamma"
    absl::StatusOr<std::string> resolved =
        ResolvePluginPaths(process, load.dir);
    if (!resolved.ok())
      return load.Err(at.F("process"), resolved.status().message());
    if (w->has_process()) w->set_process(*resolved);
    // Which study quantities the process takes: the parameters it declares
    // fed by them (PluginParam::FedBy).
    absl::StatusOr<const PluginEntry<ArrivalProcess>*> entry =
        Registry<ArrivalProcess>::Global().Find(*resolved);
    if (!entry.ok()) return load.Err(at.F("process"), entry.status().message());
    const std::vector<PluginParam>& params = (*entry)->params;
    const PluginParam* rate_param = ParamFedBy(params, Feed::kRate);
    const PluginParam* cv_param = ParamFedBy(params, Feed::kCv);
    load.modes.takes_rate = rate_param != nullptr;
    load.modes.takes_cv = cv_param != nullptr;
    ASSIGN_OR_RETURN(PluginSpec parsed, ParsePluginSpec(*resolved));
    RETURN_IF_ERROR(CheckProcessFeeds(load, parsed, params));
    RETURN_IF_ERROR(CheckRateAndCv(load, parsed));
    RETURN_IF_ERROR(ProbeProcesses(load, *resolved));
  }
  if (load.modes.training == Modes::kTrace) {
    study::TrainingSpec* t = load.spec.mutable_training();
    ASSIGN_OR_RETURN(
        load.study.training_trace,
        ReadStudyTrace(load, t->trace(), kRoot.F("training").F("trace")));
    t->set_trace(JoinPath(load.dir, t->trace()));
  }
  return absl::OkStatus();
}

}  // namespace study_internal
}  // namespace multiplex
