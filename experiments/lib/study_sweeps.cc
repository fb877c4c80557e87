#include "experiments/lib/study_sweeps.h"

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
#include "core/number_format.h"
#include "core/status_macros.h"
#include "experiments/lib/sweep.h"

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

// Whether sweeping the field makes sense for this spec.
absl::Status CheckSweepable(LoadState& load, const ResolvedField& r) {
  const std::string& key = r.target.key;
  const FieldPath at = r.at.F("field");
  const bool generated_only = key == "workload.total_rate" ||
                              key == "workload.cv" || key == "workload.seed" ||
                              key == "workload.rate_scale" ||
                              key == "workload.cv_scale";
  if (load.modes.trace && generated_only) {
    return load.Err(
        at, absl::StrCat("'", key, "' does not apply to a workload.trace"));
  }
  if (key == "workload.slo_scale" && load.spec.workload().has_slo_s()) {
    return load.Err(at,
                    "the spec sets workload.slo_s; sweep workload.slo_s or "
                    "remove it");
  }
  if (key == "workload.slo_s") {
    if (load.spec.workload().has_slo_scale()) {
      return load.Err(at,
                      "the spec sets workload.slo_scale; sweep "
                      "workload.slo_scale or remove it");
    }
    load.modes.slo_seconds = true;
    load.modes.slo_explicit = true;
  }
  if (key == "workload.slo_scale") load.modes.slo_explicit = true;
  if (key == "training.seed" && load.modes.training != Modes::kSeed) {
    return load.Err(at,
                    "training.seed only varies with training { seed: ... }");
  }
  if (key == "training.duration_s" && load.modes.training == Modes::kSame) {
    return load.Err(at,
                    "training.duration_s only applies with training.seed "
                    "or training.trace");
  }
  if (key == "workload.cv") load.swept_cv_at = at;
  if (key == "workload.total_rate") load.swept_rate_at = at;
  if (key == "workload.rate_scale") load.swept_rate_scale_at = at;
  if (key == "workload.cv_scale") load.swept_cv_scale_at = at;
  return absl::OkStatus();
}

// A numeric sweep field: a field of the spec (checked against its rule) or
// a plugin's parameter (checked once the plugins are known,
// study_plugin_sweeps.h); its values scaled.
absl::Status ResolveNumbers(LoadState& load, const SweepField& sf,
                            const FieldPath& field_at, int sources,
                            ResolvedField* out) {
  ResolvedField& r = *out;
  r.plugin = ParsePluginParamPath(sf.field());
  if (r.plugin.place == PluginPlace::kNone) {
    absl::StatusOr<Target> target = ResolveTarget(sf.field(), &load.spec);
    if (!target.ok()) {
      return load.Err(field_at.F("field"), target.status().message());
    }
    r.target = *std::move(target);
  }
  if (sources != 1 || sf.labels_size() > 0) {
    return load.Err(field_at,
                    absl::StrCat("'", sf.field(),
                                 "' needs exactly one of values: [...] "
                                 "and linspace { ... }"));
  }
  if (!std::isfinite(sf.scale()) || sf.scale() == 0) {
    return load.Err(field_at.F("scale"),
                    absl::StrCat("must be a finite non-zero number, got ",
                                 FormatDoubleExact(sf.scale())));
  }
  std::vector<double> raw;
  if (sf.has_linspace()) {
    const study::Linspace& l = sf.linspace();
    if (!std::isfinite(l.start()) || !std::isfinite(l.stop())) {
      return load.Err(field_at.F("linspace"),
                      "start and stop must be finite numbers");
    }
    if (l.num() < 2) {
      return load.Err(field_at.F("linspace").F("num"),
                      absl::StrCat("must be >= 2, got ", l.num()));
    }
    if (l.num() > kMaxStudyCases) {
      return load.Err(
          field_at.F("linspace").F("num"),
          absl::StrCat("must be at most ", kMaxStudyCases, ", got ", l.num()));
    }
    raw = Linspace(l.start(), l.stop(), l.num());
  } else {
    raw.assign(sf.values().begin(), sf.values().end());
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    const double v = raw[i] * sf.scale();
    const std::string problem =
        r.plugin.place != PluginPlace::kNone
            ? ""
            : CheckNumber(r.target.key, r.target.leaf, v);
    if (!problem.empty()) {
      return load.Err(
          field_at.F(sf.has_linspace() ? "linspace" : "values",
                     sf.has_linspace() ? -1 : int(i)),
          absl::StrCat("value ", i, " of '", sf.field(), "': ", problem));
    }
    r.numbers.push_back(v);
  }
  if (r.plugin.place == PluginPlace::kNone) {
    RETURN_IF_ERROR(CheckSweepable(load, r));
  }
  return absl::OkStatus();
}

absl::StatusOr<ResolvedSweep> ResolveSweep(
    LoadState& load, const google::protobuf::RepeatedPtrField<SweepAxis>& axes,
    const FieldPath& at) {
  ResolvedSweep sweep;
  std::set<std::string> seen;
  for (int a = 0; a < axes.size(); ++a) {
    const FieldPath axis_at = at.F("sweep", a);
    if (axes[a].fields_size() == 0) {
      return load.Err(axis_at, "an axis needs at least one fields { ... }");
    }
    ResolvedAxis axis;
    for (int k = 0; k < axes[a].fields_size(); ++k) {
      const SweepField& sf = axes[a].fields(k);
      const FieldPath field_at = axis_at.F("fields", k);
      ResolvedField r;
      r.field = sf.field();
      r.at = field_at;
      if (sf.field().empty()) {
        return load.Err(field_at,
                        "needs a field, e.g. \"workload.total_rate\"");
      }
      if (!seen.insert(sf.field()).second) {
        return load.Err(field_at.F("field"),
                        absl::StrCat("'", sf.field(),
                                     "' is swept twice; each field may vary on "
                                     "one axis only"));
      }
      const int sources =
          (sf.values_size() > 0) + sf.has_linspace() + (sf.labels_size() > 0);
      if (sf.field() == kPolicySpecField) {
        r.is_policy_spec = true;
        if (sf.labels_size() == 0 || sources != 1) {
          return load.Err(field_at.F("field"),
                          "policy.spec takes its values as labels: "
                          "labels: [\"sr-greedy\", \"mp-search\"]");
        }
        if (sf.has_scale()) {
          return load.Err(field_at.F("scale"), "not with labels");
        }
        for (const std::string& label : sf.labels()) {
          r.labels.push_back(label);
        }
      } else {
        RETURN_IF_ERROR(ResolveNumbers(load, sf, field_at, sources, &r));
      }
      if (k == 0) {
        axis.size = r.size();
      } else if (r.size() != axis.size) {
        return load.Err(
            field_at.F("field"),
            absl::StrCat("'", r.field, "' has ", r.size(), " values but '",
                         axis.fields[0].field,
                         "', swept with it on this axis, has ", axis.size,
                         "; fields of one axis go in "
                         "lockstep"));
      }
      axis.fields.push_back(std::move(r));
    }
    sweep.axes.push_back(std::move(axis));
  }
  return sweep;
}

}  // namespace

absl::Status ResolveSweeps(LoadState& load) {
  ASSIGN_OR_RETURN(load.study_sweep,
                   ResolveSweep(load, load.spec.sweep(), kRoot));
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    ASSIGN_OR_RETURN(ResolvedSweep s,
                     ResolveSweep(load, load.spec.policies(p).sweep(),
                                  kRoot.F("policies", p)));
    load.policy_sweeps.push_back(std::move(s));
  }
  return absl::OkStatus();
}

}  // namespace study_internal
}  // namespace multiplex
