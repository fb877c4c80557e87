#include "experiments/lib/study_defaults.h"

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

// The default palette index of policy p (study.proto's LineStyle.color):
// by family, model parallelism blue (0) and replication orange (1) for the
// family's first policy, else the lowest index no policy takes, from 2.
int FamilyColor(const StudySpec& spec, int p) {
  std::set<int> taken;
  for (int q = 0; q < spec.policies_size(); ++q) {
    const study::LineStyle& s = spec.policies(q).style();
    if (q != p && s.has_color()) taken.insert(s.color());
  }
  // Earlier policies' defaults were filled already (has_color above).
  // A policy whose spec is swept goes by its first value.
  std::string name = spec.policies(p).spec();
  for (const SweepAxis& axis : spec.policies(p).sweep()) {
    for (const study::SweepField& f : axis.fields()) {
      if (name.empty() && f.field() == "policy.spec" && f.labels_size() > 0) {
        name = f.labels(0);
      }
    }
  }
  const int family = absl::StartsWith(name, "mp-")   ? 0
                     : absl::StartsWith(name, "sr-") ? 1
                                                     : -1;
  if (family >= 0 && !taken.count(family)) {
    // Another policy of the family that comes later and has no colour
    // still yields to this one (the first takes the family colour).
    return family;
  }
  for (int c = 2; c < 10; ++c) {
    if (!taken.count(c)) return c;
  }
  return p % 10;
}

// The default duration of a trace: the smallest whole second after its
// last arrival.
double TraceEnd(const Workload& w) {
  return std::floor(w.arrival_s.back()) + 1;
}

void FillSweepAxis(SweepAxis* axis) {
  for (SweepField& f : *axis->mutable_fields()) {
    if (f.labels_size() == 0) f.set_scale(f.scale());
  }
}

}  // namespace

void FillDefaults(LoadState& load) {
  if (load.spec.repetitions() > 1)
    load.spec.set_repetitions(load.spec.repetitions());
  study::ClusterSpec* c = load.spec.mutable_cluster();
  c->set_num_devices(c->num_devices());
  c->set_mem_budget_gib(c->mem_budget_gib());
  c->set_devices_per_node(c->devices_per_node());
  for (study::ModelGroupSpec& g : *load.spec.mutable_models()) {
    g.set_count(g.count());
  }
  study::WorkloadSpec* w = load.spec.mutable_workload();
  w->set_min_scaled_duration_s(w->min_scaled_duration_s());
  if (load.modes.trace) {
    if (!w->has_duration_s()) {
      w->set_duration_s(TraceEnd(*load.study.serving_trace));
    }
  } else {
    w->set_process(w->process());
    w->set_rate_split(w->rate_split());
    if (load.modes.takes_cv) w->set_cv(w->cv());
    w->set_duration_s(w->duration_s());
    w->set_seed(load.options.seed.has_value() ? *load.options.seed : w->seed());
    if (!load.modes.slo_seconds) w->set_slo_scale(w->slo_scale());
  }
  study::TrainingSpec* t = load.spec.mutable_training();
  if (load.modes.training == Modes::kSame) t->set_same_as_serving(true);
  if (load.modes.training == Modes::kTrace && !t->has_duration_s()) {
    t->set_duration_s(TraceEnd(*load.study.training_trace));
  }
  study::ServingSpec* s = load.spec.mutable_serving();
  s->set_fixed_overhead_s(s->fixed_overhead_s());
  s->set_stage_slowdown(s->stage_slowdown());
  s->set_warmup_s(s->warmup_s());
  for (int p = 0; p < load.spec.policies_size(); ++p) {
    PolicySpec* policy = load.spec.mutable_policies(p);
    study::LineStyle* style = policy->mutable_style();
    if (!style->has_color()) {
      style->set_color(FamilyColor(load.spec, p));
    }
    style->set_alpha(style->alpha());
    for (SweepAxis& axis : *policy->mutable_sweep()) FillSweepAxis(&axis);
  }
  for (SweepAxis& axis : *load.spec.mutable_sweep()) FillSweepAxis(&axis);
}

}  // namespace study_internal
}  // namespace multiplex
