#include "experiments/lib/study_checks.h"

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
#include "core/length_distribution.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "experiments/lib/charts.h"

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

absl::Status CheckLineStyle(const LoadState& load,
                            const study::LineStyle& style,
                            const FieldPath& at) {
  if (style.has_color_name()) {
    absl::Status s = ParseColorName(style.color_name()).status();
    if (!s.ok()) return load.Err(at.F("color_name"), s.message());
  }
  if (style.has_dash()) {
    absl::Status s = ParseDash(style.dash()).status();
    if (!s.ok()) return load.Err(at.F("dash"), s.message());
  }
  if (style.has_marker()) {
    absl::Status s = ParseMarker(style.marker()).status();
    if (!s.ok()) return load.Err(at.F("marker"), s.message());
  }
  if (style.has_line_width() &&
      !(style.line_width() > 0 && style.line_width() <= 20)) {
    return load.Err(at.F("line_width"),
                    absl::StrCat("must be in (0, 20] points, got ",
                                 FormatDoubleExact(style.line_width())));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckBasics(LoadState& load) {
  if (!load.spec.has_name()) load.spec.set_name(FileStem(load.path));
  if (load.spec.repetitions() < 1 || load.spec.repetitions() > 1000) {
    return load.Err(
        kRoot.F("repetitions"),
        absl::StrCat("must be in [1, 1000], got ", load.spec.repetitions()));
  }
  if (load.spec.models_size() == 0) {
    return load.Err(
        kRoot.F("models"),
        "the spec serves no models: add at least one models { type: "
        "\"bert-1.3b\" count: 4 }");
  }
  for (int i = 0; i < load.spec.models_size(); ++i) {
    const study::ModelGroupSpec& g = load.spec.models(i);
    if (g.type().empty()) {
      return load.Err(kRoot.F("models", i), "needs a type, e.g. \"bert-2.6b\"");
    }
    if (g.count() < 1) {
      return load.Err(kRoot.F("models", i).F("count"),
                      absl::StrCat("must be >= 1, got ", g.count()));
    }
  }
  int64_t instances = 0;  // int32 counts: their sum may not fit an int
  for (const study::ModelGroupSpec& g : load.spec.models()) {
    instances += g.count();
  }
  if (instances > kMaxModels) {
    return load.Err(
        kRoot.F("models"),
        absl::StrCat(instances, " model instances, over the limit of ",
                     kMaxModels, " (kMaxModels)"));
  }
  const study::ClusterSpec& c = load.spec.cluster();
  const FieldPath cluster = kRoot.F("cluster");
  RETURN_IF_ERROR(load.CheckField(cluster.F("num_devices"),
                                  "cluster.num_devices", nullptr,
                                  c.num_devices()));
  RETURN_IF_ERROR(load.CheckField(cluster.F("mem_budget_gib"),
                                  "cluster.mem_budget_gib", nullptr,
                                  c.mem_budget_gib()));
  RETURN_IF_ERROR(load.CheckField(cluster.F("devices_per_node"),
                                  "cluster.devices_per_node", nullptr,
                                  c.devices_per_node()));
  const study::ServingSpec& s = load.spec.serving();
  const FieldPath serving = kRoot.F("serving");
  RETURN_IF_ERROR(load.CheckField(serving.F("fixed_overhead_s"),
                                  "serving.fixed_overhead_s", nullptr,
                                  s.fixed_overhead_s()));
  RETURN_IF_ERROR(load.CheckField(serving.F("stage_slowdown"),
                                  "serving.stage_slowdown", nullptr,
                                  s.stage_slowdown()));
  RETURN_IF_ERROR(load.CheckField(serving.F("warmup_s"), "serving.warmup_s",
                                  nullptr, s.warmup_s()));
  return absl::OkStatus();
}

absl::Status CheckWorkload(LoadState& load) {
  const study::WorkloadSpec& w = load.spec.workload();
  const FieldPath at = kRoot.F("workload");
  load.modes.trace = w.has_trace();
  if (load.modes.trace) {
    const char* const generated[] = {"process", "total_rate", "rate_split",
                                     "cv",      "rate_scale", "cv_scale"};
    for (const char* name : generated) {
      const FieldDescriptor* f =
          study::WorkloadSpec::descriptor()->FindFieldByName(name);
      if (w.GetReflection()->HasField(w, f)) {
        return load.Err(
            at.F(name),
            "not with workload.trace: the trace gives the arrivals");
      }
    }
    if (w.trace().empty()) return load.Err(at.F("trace"), "is empty");
  }
  if (w.has_slo_scale() && w.has_slo_s()) {
    return load.Err(
        at.F("slo_s"),
        "give either workload.slo_scale or workload.slo_s, not both");
  }
  if (w.has_total_rate()) {
    RETURN_IF_ERROR(load.CheckField(at.F("total_rate"), "workload.total_rate",
                                    nullptr, w.total_rate()));
  }
  if (w.has_cv()) {
    RETURN_IF_ERROR(
        load.CheckField(at.F("cv"), "workload.cv", nullptr, w.cv()));
  }
  if (w.has_rate_scale()) {
    RETURN_IF_ERROR(load.CheckField(at.F("rate_scale"), "workload.rate_scale",
                                    nullptr, w.rate_scale()));
  }
  if (w.has_cv_scale()) {
    RETURN_IF_ERROR(load.CheckField(at.F("cv_scale"), "workload.cv_scale",
                                    nullptr, w.cv_scale()));
  }
  if (w.has_duration_s()) {
    RETURN_IF_ERROR(load.CheckField(at.F("duration_s"), "workload.duration_s",
                                    nullptr, w.duration_s()));
  }
  if (w.has_min_scaled_duration_s()) {
    RETURN_IF_ERROR(load.CheckField(at.F("min_scaled_duration_s"),
                                    "workload.min_scaled_duration_s", nullptr,
                                    w.min_scaled_duration_s()));
  }
  if (w.has_slo_scale()) {
    RETURN_IF_ERROR(load.CheckField(at.F("slo_scale"), "workload.slo_scale",
                                    nullptr, w.slo_scale()));
  }
  if (w.has_slo_s()) {
    RETURN_IF_ERROR(
        load.CheckField(at.F("slo_s"), "workload.slo_s", nullptr, w.slo_s()));
  }
  if (w.has_process() && w.process().empty()) {
    return load.Err(at.F("process"), "is empty");
  }
  if (w.prompt_lengths_size() != 0 || w.output_lengths_size() != 0) {
    if ((w.prompt_lengths_size() == 0) != (w.output_lengths_size() == 0)) {
      return load.Err(
          at.F("prompt_lengths"),
          "give both prompt_lengths and output_lengths, or neither");
    }
    if (w.has_trace()) {
      return load.Err(at.F("prompt_lengths"),
                      "not with workload.trace: length distributions go with "
                      "generated arrivals");
    }
    for (const char* name : {"prompt_lengths", "output_lengths"}) {
      const auto& specs = std::string(name) == "prompt_lengths"
                              ? w.prompt_lengths()
                              : w.output_lengths();
      for (const std::string& length_spec : specs) {
        absl::StatusOr<std::unique_ptr<LengthDistribution>> d =
            Registry<LengthDistribution>::Global().Create(length_spec);
        if (!d.ok()) return load.Err(at.F(name), d.status().message());
      }
    }
  }
  load.modes.slo_seconds = w.has_slo_s();
  load.modes.slo_explicit = w.has_slo_scale() || w.has_slo_s();
  return absl::OkStatus();
}

absl::Status CheckTraining(LoadState& load) {
  const study::TrainingSpec& t = load.spec.training();
  const FieldPath at = kRoot.F("training");
  int set = 0;
  if (t.has_same_as_serving() && t.same_as_serving()) ++set;
  if (t.has_seed()) {
    if (++set > 1) {
      return load.Err(at.F("seed"),
                      "give one of same_as_serving, seed and trace");
    }
    load.modes.training = Modes::kSeed;
    if (load.modes.trace) {
      return load.Err(at.F("seed"),
                      "a fresh draw needs a generated serving workload; with "
                      "workload.trace use training.trace or same_as_serving");
    }
  }
  if (t.has_trace()) {
    if (++set > 1) {
      return load.Err(at.F("trace"),
                      "give one of same_as_serving, seed and trace");
    }
    load.modes.training = Modes::kTrace;
    if (t.trace().empty()) return load.Err(at.F("trace"), "is empty");
  }
  if (t.has_process()) {
    // A fresh draw of another process: as `seed` (which it may go with).
    if (t.has_trace() || (t.has_same_as_serving() && t.same_as_serving())) {
      return load.Err(at.F("process"),
                      "not with training.trace or same_as_serving");
    }
    if (load.modes.trace) {
      return load.Err(at.F("process"),
                      "a fresh draw needs a generated serving workload; with "
                      "workload.trace use training.trace or same_as_serving");
    }
    if (t.process().empty()) return load.Err(at.F("process"), "is empty");
    if (set == 0) ++set;
    load.modes.training = Modes::kSeed;
  }
  // Pattern changes: a fresh draw, as `process`.
  const char* const changes[] = {"total_rate", "rate_split", "cv"};
  for (const char* name : changes) {
    const FieldDescriptor* f =
        study::TrainingSpec::descriptor()->FindFieldByName(name);
    if (!t.GetReflection()->HasField(t, f)) continue;
    if (t.has_trace() || (t.has_same_as_serving() && t.same_as_serving())) {
      return load.Err(at.F(name), "not with training.trace or same_as_serving");
    }
    if (load.modes.trace) {
      return load.Err(at.F(name),
                      "a fresh draw needs a generated serving workload; with "
                      "workload.trace use training.trace or same_as_serving");
    }
    if (set == 0) ++set;
    load.modes.training = Modes::kSeed;
  }
  if (t.has_total_rate()) {
    RETURN_IF_ERROR(load.CheckField(at.F("total_rate"), "workload.total_rate",
                                    nullptr, t.total_rate()));
  }
  if (t.has_cv()) {
    RETURN_IF_ERROR(
        load.CheckField(at.F("cv"), "workload.cv", nullptr, t.cv()));
  }
  if (t.has_same_as_serving() && !t.same_as_serving() && set == 0) {
    return load.Err(at.F("same_as_serving"),
                    "false needs training.seed or training.trace instead");
  }
  if (t.has_duration_s()) {
    if (load.modes.training == Modes::kSame) {
      return load.Err(at.F("duration_s"),
                      "only with training.seed or training.trace (the serving "
                      "workload has its own duration)");
    }
    RETURN_IF_ERROR(load.CheckField(at.F("duration_s"), "training.duration_s",
                                    nullptr, t.duration_s()));
  }
  return absl::OkStatus();
}

absl::Status CheckPolicies(LoadState& load) {
  if (load.spec.policies_size() == 0) {
    return load.Err(
        kRoot.F("policies"),
        "the spec compares no policies: add at least one policies { "
        "spec: \"sr-greedy\" }");
  }
  std::map<std::string, int> labels;
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    PolicySpec* policy = load.spec.mutable_policies(p);
    const FieldPath at = kRoot.F("policies", p);
    const ResolvedField* swept = load.SweepOf(p).Find(kPolicySpecField);
    if (!policy->has_spec() && swept == nullptr) {
      return load.Err(at,
                      "needs a spec, e.g. \"mp-search\" (or a sweep over "
                      "policy.spec)");
    }
    if (policy->has_spec()) {
      absl::StatusOr<std::unique_ptr<PlacementPolicy>> made =
          Registry<PlacementPolicy>::Global().Create(policy->spec());
      if (!made.ok()) return load.Err(at.F("spec"), made.status().message());
    }
    if (swept != nullptr) {
      for (size_t i = 0; i < swept->labels.size(); ++i) {
        absl::StatusOr<std::unique_ptr<PlacementPolicy>> made =
            Registry<PlacementPolicy>::Global().Create(swept->labels[i]);
        if (!made.ok()) {
          return load.Err(swept->at.F("labels", static_cast<int>(i)),
                          made.status().message());
        }
      }
    }
    if (!policy->has_label()) {
      if (!policy->has_spec()) {
        return load.Err(at, "needs a label when its spec comes from a sweep");
      }
      policy->set_label(policy->spec());
    }
    if (policy->label().empty() ||
        policy->label().find_first_of("\t\n") != std::string::npos) {
      return load.Err(at.F("label"),
                      "must be non-empty, without tabs or "
                      "newlines");
    }
    auto [it, inserted] = labels.emplace(policy->label(), p);
    if (!inserted) {
      return load.Err(
          at.F("label"),
          absl::StrCat("'", policy->label(),
                       "' is already the label of policies[", it->second,
                       "]; labels name the lines and rows, so they "
                       "must be unique"));
    }
    if (policy->style().has_color() && policy->style().color() < 0) {
      return load.Err(at.F("style").F("color"),
                      absl::StrCat("must be >= 0 (a tab10 index), got ",
                                   policy->style().color()));
    }
    const double alpha = policy->style().alpha();
    if (!(alpha > 0 && alpha <= 1)) {
      return load.Err(
          at.F("style").F("alpha"),
          absl::StrCat("must be in (0, 1], got ", FormatDoubleExact(alpha)));
    }
    RETURN_IF_ERROR(CheckLineStyle(load, policy->style(), at.F("style")));
  }
  return absl::OkStatus();
}

}  // namespace study_internal
}  // namespace multiplex
