#include "experiments/lib/study_expand.h"

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
#include "core/limits.h"
#include "core/status_macros.h"
#include "experiments/lib/study_plugin_sweeps.h"

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

// At most kMaxStudyCases cases: sweep points x policies, counted in 64
// bits, saturating (the points of many axes may not fit 64 bits).
absl::Status CheckNumCases(const LoadState& load) {
  auto points = [](const ResolvedSweep& sweep) {
    int64_t n = 1;
    for (const ResolvedAxis& a : sweep.axes) {
      n = std::min(n * static_cast<int64_t>(a.size), kMaxStudyCases + 1);
    }
    return n;
  };
  int64_t cases = 0;
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    cases +=
        points(load.spec.policies(p).sweep_size() > 0 ? load.policy_sweeps[p]
                                                      : load.study_sweep) *
        load.spec.repetitions();
    if (cases > kMaxStudyCases) {
      return load.Err(
          load.spec.sweep_size() > 0 ? kRoot.F("sweep")
                                     : kRoot.F("policies", p),
          absl::StrCat("the study expands to more than ", kMaxStudyCases,
                       " cases (sweep points x policies); split it"));
    }
  }
  return absl::OkStatus();
}

// The sweep columns of results.tsv: every sweep field, in order of first
// appearance (the study's sweep first when a policy uses it).
void AddColumns(LoadState& load, bool study_sweep_used) {
  std::set<std::string> seen;
  auto add_columns = [&](const ResolvedSweep& sweep) {
    for (const ResolvedAxis& axis : sweep.axes) {
      for (const ResolvedField& f : axis.fields) {
        if (seen.insert(f.field).second) load.study.columns.push_back(f.field);
      }
    }
  };
  if (study_sweep_used) add_columns(load.study_sweep);
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    if (load.spec.policies(p).sweep_size() > 0)
      add_columns(load.policy_sweeps[p]);
  }
}

// Sets case c to a point of its sweep (axis indices from `point`, first
// axis outermost).
absl::Status SetPoint(LoadState& load, int p, const ResolvedSweep& sweep,
                      size_t point, StudyCase* c) {
  std::vector<size_t> index(sweep.axes.size());
  size_t rest = point;
  for (size_t a = sweep.axes.size(); a-- > 0;) {
    index[a] = rest % sweep.axes[a].size;
    rest /= sweep.axes[a].size;
  }
  PluginSettings plugin_settings;
  for (size_t a = 0; a < sweep.axes.size(); ++a) {
    for (const ResolvedField& f : sweep.axes[a].fields) {
      c->point.push_back({f.field, f.Text(index[a])});
      if (f.is_policy_spec) {
        c->policy_spec = f.labels[index[a]];
      } else if (f.plugin.place != PluginPlace::kNone) {
        plugin_settings.values.push_back({f.plugin, f.Text(index[a])});
      } else {
        SetNumber(MutableAt(&c->spec, f.target), f.target.leaf,
                  f.numbers[index[a]]);
      }
    }
  }
  RETURN_IF_ERROR(ApplyPluginSettings(load, p, plugin_settings, c));
  return absl::OkStatus();
}

// Each case repeated (StudySpec.repetitions): consecutive cases with their
// seeds advanced, each repetition its own workload group.
void Repeat(LoadState& load) {
  const int reps = load.spec.repetitions();
  if (reps <= 1) return;
  load.study.columns.push_back("repetition");
  std::vector<StudyCase> repeated;
  repeated.reserve(load.study.cases.size() * reps);
  for (const StudyCase& c : load.study.cases) {
    for (int r = 0; r < reps; ++r) {
      StudyCase copy = c;
      copy.repetition = r;
      study::WorkloadSpec* w = copy.spec.mutable_workload();
      if (w->has_seed()) w->set_seed(w->seed() + r);
      study::TrainingSpec* t = copy.spec.mutable_training();
      if (t->has_seed()) t->set_seed(t->seed() + r);
      copy.workload_group = c.workload_group * reps + r;
      repeated.push_back(std::move(copy));
    }
  }
  load.study.cases = std::move(repeated);
  load.study.num_workload_groups *= reps;
}

}  // namespace

// The cases: for each point of the study's sweep, each policy that uses
// it; then each policy with its own sweep, point by point.
absl::Status Expand(LoadState& load) {
  RETURN_IF_ERROR(CheckNumCases(load));
  bool study_sweep_used = false;
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    if (load.spec.policies(p).sweep_size() == 0) study_sweep_used = true;
  }
  AddColumns(load, study_sweep_used);

  StudySpec base;
  *base.mutable_cluster() = load.spec.cluster();
  *base.mutable_models() = load.spec.models();
  *base.mutable_workload() = load.spec.workload();
  *base.mutable_training() = load.spec.training();
  *base.mutable_serving() = load.spec.serving();

  std::map<std::string, int> groups;
  int64_t total_instances = 0;
  auto add_case = [&](int p, const ResolvedSweep& sweep,
                      size_t point) -> absl::Status {
    StudyCase c;
    c.policy = p;
    c.policy_spec = load.spec.policies(p).spec();
    c.spec = base;
    RETURN_IF_ERROR(SetPoint(load, p, sweep, point, &c));
    int64_t instances = 0;  // swept counts are each within kMaxModels
    for (const study::ModelGroupSpec& g : c.spec.models()) {
      instances += g.count();
    }
    total_instances += instances;
    if (instances > kMaxModels || total_instances > kMaxStudyInstances) {
      return load.Err(
          kRoot.F("models"),
          absl::StrCat("case ", load.study.cases.size(), " serves ", instances,
                       " model instances, ", total_instances,
                       " with the cases before it; ", "the limits are ",
                       kMaxModels, " per case and ", kMaxStudyInstances,
                       " in all"));
    }
    int m = 0;
    for (const study::ModelGroupSpec& g : c.spec.models()) {
      for (int k = 0; k < g.count(); ++k, ++m) {
        c.models.push_back({absl::StrCat("m", m), g.type()});
      }
    }
    // What the workloads depend on: models, workload, training.
    StudySpec key;
    *key.mutable_models() = c.spec.models();
    *key.mutable_workload() = c.spec.workload();
    *key.mutable_training() = c.spec.training();
    std::string bytes;
    key.SerializeToString(&bytes);
    auto [it, inserted] =
        groups.emplace(std::move(bytes), static_cast<int>(groups.size()));
    c.workload_group = it->second;
    load.study.cases.push_back(std::move(c));
    return absl::OkStatus();
  };
  if (study_sweep_used) {
    for (size_t k = 0; k < load.study_sweep.NumPoints(); ++k) {
      for (int p = 0; p < load.spec.policies_size(); ++p) {
        if (load.spec.policies(p).sweep_size() > 0) continue;
        RETURN_IF_ERROR(add_case(p, load.study_sweep, k));
      }
    }
  }
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    if (load.spec.policies(p).sweep_size() == 0) continue;
    for (size_t k = 0; k < load.policy_sweeps[p].NumPoints(); ++k) {
      RETURN_IF_ERROR(add_case(p, load.policy_sweeps[p], k));
    }
  }
  load.study.num_workload_groups = static_cast<int>(groups.size());
  Repeat(load);
  return absl::OkStatus();
}

}  // namespace study_internal
}  // namespace multiplex
