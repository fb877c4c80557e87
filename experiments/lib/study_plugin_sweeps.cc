#include "experiments/lib/study_plugin_sweeps.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/arrival_process.h"
#include "core/cost_model.h"
#include "core/placement_policy.h"
#include "core/plugin_name_matcher.h"
#include "core/plugin_params.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
#include "core/status_macros.h"
#include "experiments/lib/study_plugins.h"

namespace multiplex {
namespace study_internal {
namespace {

// The parameter a sweep field names, checked against the declarations of
// the plugin `spec` names: "" when fine, else what is wrong.
template <typename T>
std::string CheckParam(const ResolvedField& r, const std::string& spec) {
  const Registry<T>& registry = Registry<T>::Global();
  absl::StatusOr<const PluginEntry<T>*> found = registry.Find(spec);
  if (!found.ok()) return std::string(found.status().message());
  const PluginEntry<T>& entry = **found;
  const std::string& param = r.plugin.param;
  const std::string who =
      absl::StrCat(registry.category(), " '", entry.name, "'");
  const PluginParam* decl = nullptr;
  size_t position = 0;
  for (size_t i = 0; i < entry.params.size(); ++i) {
    if (entry.params[i].name == param) {
      decl = &entry.params[i];
      position = i;
    }
  }
  if (decl == nullptr) {
    std::vector<std::string> names;
    for (const PluginParam& p : entry.params) names.push_back(p.name);
    return absl::StrCat(who, " has no parameter '", param, "'; it has: ",
                        names.empty() ? "(none)" : absl::StrJoin(names, ", "));
  }
  if (decl->fed_by != Feed::kNone) {
    return absl::StrCat("parameter '", param, "' of ", who, " is fed by ",
                        FeedSource(decl->fed_by), "; sweep that field instead");
  }
  if (decl->type != ParamType::kInt && decl->type != ParamType::kDouble) {
    return absl::StrCat("parameter '", param, "' of ", who, " is a ",
                        ParamTypeName(*decl),
                        "; only int and double parameters can be swept");
  }
  absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
  if (!parsed.ok()) return std::string(parsed.status().message());
  if (position < CountCaptureGroups(entry.pattern)) {
    return absl::StrCat("'", spec, "' gives parameter '", param,
                        "' in its name, which a sweep cannot vary; sweep "
                        "policy.spec over the names instead");
  }
  // Each value under the declaration alone (its range and type).
  PluginParam alone = *decl;
  alone.default_value.reset();
  alone.optional = true;
  for (size_t i = 0; i < r.size(); ++i) {
    PluginArgs args;
    args.Set(param, r.Text(i));
    absl::StatusOr<PluginValues> v = ParsePluginValues({alone}, args);
    if (!v.ok()) {
      return absl::StrCat("value ", i, " of '", r.field, "' for ", who, ": ",
                          v.status().message());
    }
  }
  return "";
}

// The specs a plugin field reaches in policy p's cases.
std::vector<std::string> SpecsOf(const LoadState& load, int p,
                                 PluginPlace place) {
  const study::PolicySpec& policy = load.spec.policies(p);
  switch (place) {
    case PluginPlace::kProcess:
      return {load.spec.workload().process()};
    case PluginPlace::kTrainingProcess:
      return {load.spec.training().process()};
    case PluginPlace::kCostModel:
      return {policy.has_cost_model() ? policy.cost_model()
                                      : load.spec.cost_model()};
    case PluginPlace::kSimulator:
      return {policy.has_simulator()      ? policy.simulator()
              : load.spec.has_simulator() ? load.spec.simulator()
                                          : "fast"};
    case PluginPlace::kPolicy:
      if (const ResolvedField* f = load.SweepOf(p).Find(kPolicySpecField)) {
        return f->labels;
      }
      return {policy.spec()};
    case PluginPlace::kNone:
      break;
  }
  return {};
}

absl::Status CheckField(LoadState& load, int p, const ResolvedField& r) {
  const FieldPath at = r.at.F("field");
  const PluginPlace place = r.plugin.place;
  if (place == PluginPlace::kProcess && load.modes.trace) {
    return load.Err(
        at, absl::StrCat("'", r.field, "' does not apply to a workload.trace"));
  }
  if (place == PluginPlace::kTrainingProcess &&
      !load.spec.training().has_process()) {
    return load.Err(
        at, absl::StrCat("'", r.field, "' needs training { process: ... }"));
  }
  for (const std::string& spec : SpecsOf(load, p, place)) {
    std::string problem;
    switch (place) {
      case PluginPlace::kProcess:
      case PluginPlace::kTrainingProcess:
        problem = CheckParam<ArrivalProcess>(r, spec);
        break;
      case PluginPlace::kCostModel:
        problem = CheckParam<CostModel>(r, spec);
        break;
      case PluginPlace::kSimulator:
        problem = CheckParam<Simulator>(r, spec);
        break;
      case PluginPlace::kPolicy:
        problem = CheckParam<PlacementPolicy>(r, spec);
        break;
      case PluginPlace::kNone:
        break;
    }
    if (!problem.empty()) return load.Err(at, problem);
    // Create what each value makes, so that its errors come now.
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string variant = WithParam(spec, r.plugin.param, r.Text(i));
      if (place == PluginPlace::kCostModel) {
        const study::PolicySpec& policy = load.spec.policies(p);
        std::string resolved;
        RETURN_IF_ERROR(
            CostModelFor(load, variant, at, false,
                         policy.has_cost_model() ? load.spec.cost_model() : "",
                         &resolved)
                .status());
      } else if (place == PluginPlace::kSimulator) {
        RETURN_IF_ERROR(SimulatorFor(load, variant, at).status());
      } else if (place == PluginPlace::kPolicy) {
        absl::Status made =
            Registry<PlacementPolicy>::Global().Create(variant).status();
        if (!made.ok()) return load.Err(at, made.message());
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckPluginSweeps(LoadState& load) {
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    for (const ResolvedAxis& axis : load.SweepOf(p).axes) {
      for (const ResolvedField& r : axis.fields) {
        if (r.plugin.place == PluginPlace::kNone) continue;
        RETURN_IF_ERROR(CheckField(load, p, r));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyPluginSettings(LoadState& load, int p,
                                 const PluginSettings& settings, StudyCase* c) {
  const study::PolicySpec& policy = load.spec.policies(p);
  c->cost_model = load.study.policy_cost_models[p];
  c->simulator = load.study.policy_simulators[p];
  if (settings.values.empty()) return absl::OkStatus();
  std::string cost_model = SpecsOf(load, p, PluginPlace::kCostModel)[0];
  std::string simulator = SpecsOf(load, p, PluginPlace::kSimulator)[0];
  bool cost_model_set = false, simulator_set = false;
  for (const auto& [path, text] : settings.values) {
    switch (path.place) {
      case PluginPlace::kProcess: {
        study::WorkloadSpec* w = c->spec.mutable_workload();
        w->set_process(WithParam(w->process(), path.param, text));
        break;
      }
      case PluginPlace::kTrainingProcess: {
        study::TrainingSpec* t = c->spec.mutable_training();
        t->set_process(WithParam(t->process(), path.param, text));
        break;
      }
      case PluginPlace::kCostModel:
        cost_model = WithParam(cost_model, path.param, text);
        cost_model_set = true;
        break;
      case PluginPlace::kSimulator:
        simulator = WithParam(simulator, path.param, text);
        simulator_set = true;
        break;
      case PluginPlace::kPolicy:
        c->policy_spec = WithParam(c->policy_spec, path.param, text);
        break;
      case PluginPlace::kNone:
        break;
    }
  }
  const FieldPath at = kRoot.F("policies", p);
  if (cost_model_set) {
    std::string resolved;
    ASSIGN_OR_RETURN(
        c->cost_model,
        CostModelFor(load, cost_model, at.F("cost_model"), false,
                     policy.has_cost_model() ? load.spec.cost_model() : "",
                     &resolved));
  }
  if (simulator_set) {
    ASSIGN_OR_RETURN(c->simulator,
                     SimulatorFor(load, simulator, at.F("simulator")));
  }
  return absl::OkStatus();
}

}  // namespace study_internal
}  // namespace multiplex
