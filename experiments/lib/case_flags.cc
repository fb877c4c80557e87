#include "experiments/lib/case_flags.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/arrival_process.h"
#include "core/limits.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "experiments/lib/case_assignment.h"
#include "experiments/lib/study_bounds.h"
#include "workloads/generator.h"
#include "workloads/trace_io.h"
#include "workloads/trace_replay.h"

namespace multiplex {
namespace {

absl::Status Invalid(absl::string_view message) {
  return absl::InvalidArgumentError(message);
}

// --models=TYPE:COUNT,...: (type, count) in order.
absl::StatusOr<std::vector<std::pair<std::string, int>>> ParseModels(
    const std::string& text) {
  std::vector<std::pair<std::string, int>> groups;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    int count = 1;
    if (parts.size() > 2 || parts[0].empty() ||
        (parts.size() == 2 && (!absl::SimpleAtoi(parts[1], &count) ||
                               count < 1 || count > 1000000))) {
      return Invalid(absl::StrCat("--models: '", item,
                                  "' is not TYPE or TYPE:COUNT with a "
                                  "count >= 1 (e.g. "
                                  "--models=bert-1.3b:4,bert-6.7b:2)"));
    }
    groups.emplace_back(std::string(parts[0]), count);
  }
  return groups;
}

// "8 x bert-2.6b" or "4 x bert-1.3b + 2 x bert-6.7b".
std::string DescribeModels(
    const std::vector<std::pair<std::string, int>>& groups) {
  std::vector<std::string> parts;
  for (const auto& [type, count] : groups) {
    parts.push_back(absl::StrCat(count, " x ", type));
  }
  return absl::StrJoin(parts, " + ");
}

// What the flags need to know of an arrival process spec, from one parse.
struct ProcessTraits {
  bool takes_rate = false;
  bool takes_cv = false;
  bool is_trace = false;
};

absl::StatusOr<ProcessTraits> TraitsOf(const std::string& process) {
  ASSIGN_OR_RETURN(const PluginSpec parsed, ParsePluginSpec(process));
  const Registry<ArrivalProcess>& registry = Registry<ArrivalProcess>::Global();
  for (const auto& [key, entry] : registry.entries()) {
    if (!MatchPluginName(entry.name, entry.pattern, parsed.name).ok()) {
      continue;
    }
    ProcessTraits traits;
    for (const PluginParam& p : entry.params) {
      traits.takes_rate = traits.takes_rate || p.name == "rate";
      traits.takes_cv = traits.takes_cv || p.name == "cv";
    }
    traits.is_trace = parsed.name == kTraceProcess;
    return traits;
  }
  return absl::NotFoundError(
      absl::StrCat("unknown ", registry.category(), " '", parsed.name,
                   "'; known: ", absl::StrJoin(registry.Names(), ", ")));
}

// The instances: --models, or --num_models x --model_type, within the
// kernel's limits (core/limits.h) before anything is allocated.
absl::StatusOr<std::vector<std::pair<std::string, int>>> ModelGroups(
    const PlaceFlags& flags) {
  std::vector<std::pair<std::string, int>> groups;
  if (!flags.models.empty()) {
    if (flags.given.count("model_type") || flags.given.count("num_models")) {
      return Invalid(
          "give --models=TYPE:COUNT,... or --model_type and --num_models, "
          "not both");
    }
    ASSIGN_OR_RETURN(groups, ParseModels(flags.models));
  } else {
    if (flags.num_models < 1) {
      return Invalid("--num_models must be at least 1");
    }
    groups.emplace_back(flags.model_type, flags.num_models);
  }
  if (flags.num_devices < 1) {
    return Invalid("--num_devices must be at least 1");
  }
  if (flags.num_devices > kMaxDevices) {
    return Invalid(absl::StrCat("--num_devices=", flags.num_devices,
                                " is over the limit of ", kMaxDevices,
                                " devices (kMaxDevices)"));
  }
  int64_t total_models = 0;
  for (const auto& group : groups) total_models += group.second;
  if (total_models > kMaxModels) {
    return Invalid(absl::StrCat(total_models,
                                " model instances are over the "
                                "limit of ",
                                kMaxModels, " (kMaxModels)"));
  }
  return groups;
}

// Refuses `flag` when given: it does not apply because of `why`.
absl::Status RefuseGiven(const PlaceFlags& flags, const char* flag,
                         const std::string& why) {
  if (flags.given.count(flag)) {
    return Invalid(absl::StrCat("--", flag, " does not apply ", why));
  }
  return absl::OkStatus();
}

// The training workload of the flags, and its description.
absl::Status MakeTraining(const PlaceFlags& flags,
                          const std::vector<std::string>& names,
                          const std::vector<double>& slos, FlagCase* out) {
  if (!flags.workload.empty()) {
    for (const char* flag :
         {"total_rate", "rate_split", "process", "cv", "duration", "seed"}) {
      RETURN_IF_ERROR(RefuseGiven(
          flags, flag,
          "with --workload: the trace gives the training arrivals"));
    }
    ASSIGN_OR_RETURN(const Workload trace, ReadTrace(flags.workload));
    if (trace.empty()) {
      return Invalid(
          absl::StrCat("--workload: ", flags.workload, " has no requests"));
    }
    ASSIGN_OR_RETURN(
        out->training,
        ReplayTrace(trace, names, std::numeric_limits<double>::infinity(),
                    out->trace_slos ? std::vector<double>() : slos,
                    /*every_request=*/false));
    out->workload_text = absl::StrCat("trace ", flags.workload);
    out->training_text = absl::StrFormat("of the trace's %zu", trace.size());
    out->workload_desc = absl::StrCat("trace ", flags.workload);
    return absl::OkStatus();
  }
  const std::string& process = flags.process;
  ASSIGN_OR_RETURN(const ProcessTraits traits, TraitsOf(process));
  const std::string to_process = absl::StrCat("to process '", process, "'");
  if (!traits.takes_rate) {
    RETURN_IF_ERROR(
        RefuseGiven(flags, "total_rate", to_process + ": it takes no rate"));
    RETURN_IF_ERROR(
        RefuseGiven(flags, "rate_split", to_process + ": it takes no rate"));
  }
  if (!traits.takes_cv) RETURN_IF_ERROR(RefuseGiven(flags, "cv", to_process));
  if (traits.is_trace) {
    RETURN_IF_ERROR(RefuseGiven(
        flags, "seed", to_process + ": a trace draws nothing at random"));
  }
  // A policy optimised on an empty training workload learns nothing.
  if (!(flags.duration > 0) || !std::isfinite(flags.duration)) {
    return Invalid(
        absl::StrCat("--duration must be a finite number of seconds > 0, got ",
                     flags.duration));
  }
  WorkloadSpec spec;
  spec.num_models = static_cast<int>(names.size());
  spec.total_rate = flags.total_rate;
  spec.rate_split = flags.rate_split;
  spec.process = process;
  if (traits.takes_cv) spec.process_args.Set("cv", flags.cv);
  spec.slo_s = slos;
  spec.duration = flags.duration;
  spec.seed = flags.seed;
  ASSIGN_OR_RETURN(out->training, MakeWorkload(spec));
  if (out->training.empty()) {
    return Invalid(absl::StrCat("the training workload has no request (",
                                flags.total_rate, " req/s over ",
                                flags.duration,
                                " s); raise --duration or --total_rate"));
  }
  if (traits.takes_rate) {
    out->workload_text =
        absl::StrFormat("%.6g req/s (%s)", flags.total_rate, flags.rate_split);
    out->workload_desc =
        absl::StrFormat("%.6g req/s %s", flags.total_rate, flags.rate_split);
  }
  if (process != "gamma") {
    for (std::string* text : {&out->workload_text, &out->workload_desc}) {
      absl::StrAppend(text, text->empty() ? "" : ", ", "process ", process);
    }
  }
  if (traits.takes_cv) {
    absl::StrAppend(&out->workload_text,
                    absl::StrFormat(", cv %.6g", flags.cv));
    absl::StrAppend(&out->workload_desc,
                    absl::StrFormat(", cv %.6g", flags.cv));
  }
  out->training_text = absl::StrFormat("over %.6g s", flags.duration);
  out->training_desc = absl::StrFormat(", duration %.6g s", flags.duration);
  if (!traits.is_trace) {
    absl::StrAppend(&out->training_desc,
                    absl::StrFormat(", seed %d", flags.seed));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FlagCase>> CaseFromPlaceFlags(
    const PlaceFlags& flags, const CostModelMaker& make_cost_model) {
  const double budget_gib = flags.mem_budget_gib;
  const double slo_scale = flags.slo_scale;
  ASSIGN_OR_RETURN(const auto groups, ModelGroups(flags));
  if (!(budget_gib > 0) || !std::isfinite(budget_gib)) {
    return Invalid("--mem_budget_gb must be a positive number");
  }
  if (!(slo_scale > 0)) return Invalid("--slo_scale must be positive (or inf)");
  if (!(flags.max_case_hours > 0)) {
    return Invalid("--max_case_hours must be > 0");
  }
  auto out = std::make_unique<FlagCase>();
  // A --workload trace without --slo_scale brings its own SLOs.
  out->trace_slos = !flags.workload.empty() && !flags.given.count("slo_scale");
  // A fill ordered by unserved requests has nothing to order by without a
  // deadline (docs/study.md, "Policies and the SLO").
  const std::string& spec = flags.policy;
  if (std::isinf(slo_scale) && !out->trace_slos &&
      (spec == "sr-greedy" || absl::StartsWith(spec, "mp-greedy-") ||
       absl::StartsWith(spec, "mp-search"))) {
    out->slo_warning = absl::StrCat(
        "warning: --policy=", spec,
        " places by the requests it leaves unserved within the SLO; with "
        "an infinite --slo_scale none is unserved, so it orders models "
        "arbitrarily and may place far worse than round robin");
  }
  ServingCase& c = out->serving_case;
  for (const auto& [type, count] : groups) {
    for (int i = 0; i < count; ++i) {
      c.models.push_back({absl::StrCat("m", c.models.size()), type});
    }
  }
  const int num_models = static_cast<int>(c.models.size());
  out->models_text = DescribeModels(groups);

  ASSIGN_OR_RETURN(out->cost_model, make_cost_model());
  ASSIGN_OR_RETURN(out->policy,
                   Registry<PlacementPolicy>::Global().Create(flags.policy));
  ASSIGN_OR_RETURN(out->simulator,
                   Registry<Simulator>::Global().Create(flags.simulator));
  const CostModel& cost = *out->cost_model;

  // Each type's single-GPU batch-1 latency: the SLO unit.
  std::map<std::string, double> l1_s;
  for (const auto& [type, count] : groups) {
    if (l1_s.count(type)) continue;
    absl::StatusOr<StageCosts> single = cost.Stages(type, {1, 1, 1}, 1);
    if (std::isfinite(slo_scale) && !single.ok()) {
      return Invalid(
          absl::StrCat("a finite --slo_scale needs the single-GPU latency of ",
                       type, ": ", single.status().message()));
    }
    if (!single.ok() && cost.Configs(type).empty()) {
      return Invalid(
          absl::StrCat("the cost model ", cost.Name(), " has no model '", type,
                       "'; it has: ", absl::StrJoin(cost.Models(), ", ")));
    }
    l1_s[type] = single.ok() ? single->TotalLatency() : 0;
  }
  std::vector<double> slos;
  for (const ModelSpec& m : c.models) slos.push_back(slo_scale * l1_s[m.type]);
  if (!std::isfinite(slo_scale)) slos.assign(num_models, slo_scale);

  RETURN_IF_ERROR(MakeTraining(flags, ModelNames(c.models), slos, out.get()));

  if (out->trace_slos) {
    out->slo_text = "the trace's";
  } else if (std::isfinite(slo_scale) && l1_s.size() == 1) {
    out->slo_text = absl::StrFormat("%.4f s (%.6g x L1)", slos[0], slo_scale);
  } else if (std::isfinite(slo_scale)) {
    std::vector<std::string> per_type;
    for (const auto& [type, l1] : l1_s) {
      per_type.push_back(absl::StrFormat("%s %.4f s", type, slo_scale * l1));
    }
    out->slo_text = absl::StrFormat("%.6g x L1 (%s)", slo_scale,
                                    absl::StrJoin(per_type, ", "));
  } else {
    out->slo_text = "inf";
  }

  // The search's work bounded before it starts, as //tools:study bounds a
  // case: a cluster or workload typed too large is refused in a second.
  const double requests = static_cast<double>(out->training.size());
  RETURN_IF_ERROR(CheckCaseHours(
      absl::StrCat("--policy=", flags.policy, " on ", flags.num_devices,
                   " GPUs"),
      CaseWork(requests, requests, num_models, flags.num_devices), requests,
      num_models, flags.num_devices, flags.max_case_hours));

  c.cluster.num_devices = flags.num_devices;
  c.cluster.mem_budget_bytes = budget_gib * kGiB;
  c.cost_model = out->cost_model.get();
  c.simulator = out->simulator.get();
  c.policy = out->policy.get();
  c.policy_spec = flags.policy;
  c.training = &out->training;
  return out;
}

absl::StatusOr<std::unique_ptr<FileCase>> CaseFromSimulateFlags(
    const SimulateFlags& flags, const CostModelMaker& make_cost_model) {
  const ServingConstants& constants = flags.serving;
  if (!(constants.fixed_overhead_s >= 0) || !(constants.stage_slowdown >= 0) ||
      !std::isfinite(constants.fixed_overhead_s) ||
      !std::isfinite(constants.stage_slowdown)) {
    return Invalid(
        "--fixed_overhead_s and --stage_slowdown must be finite and >= 0");
  }
  if (!(flags.warmup_s >= 0) || !std::isfinite(flags.warmup_s)) {
    return Invalid("--warmup_s must be finite and >= 0");
  }
  auto out = std::make_unique<FileCase>();
  ASSIGN_OR_RETURN(out->file, ReadPlacementFile(flags.placement));
  const PlacementFile& file = out->file;
  ServingCase& c = out->serving_case;

  if (file.has_cluster) c.cluster = file.cluster;
  if (flags.mem_budget_gib != 0) {
    if (!(flags.mem_budget_gib > 0)) {
      return Invalid("--mem_budget_gb/--mem_budget_gib must be > 0");
    }
    c.cluster.mem_budget_bytes = flags.mem_budget_gib * kGiB;
  } else if (!file.has_cluster) {
    out->check_memory = false;
    c.cluster.mem_budget_bytes = std::numeric_limits<double>::infinity();
  }
  if (flags.num_devices < 0) return Invalid("--num_devices must be >= 0");
  if (flags.num_devices > 0) {
    c.cluster.num_devices = flags.num_devices;
  } else if (!file.has_cluster) {
    for (const PlacementPhase& phase : file.Schedule().phases) {
      c.cluster.num_devices =
          std::max(c.cluster.num_devices, phase.placement.NumDevices());
    }
  }

  ASSIGN_OR_RETURN(out->cost_model, make_cost_model());
  for (const ModelSpec& m : file.models) {
    if (out->cost_model->Configs(m.type).empty()) {
      return Invalid(absl::StrCat(flags.placement, ": instance '", m.name,
                                  "' has model type '", m.type,
                                  "', which the cost model ",
                                  out->cost_model->Name(), " does not know"));
    }
  }
  ASSIGN_OR_RETURN(out->workload, ReadTrace(flags.workload, file.ModelNames()));
  ASSIGN_OR_RETURN(out->simulator,
                   Registry<Simulator>::Global().Create(flags.simulator));

  c.models = file.models;
  c.cost_model = out->cost_model.get();
  c.simulator = out->simulator.get();
  c.serving = constants;
  return out;
}

}  // namespace multiplex
