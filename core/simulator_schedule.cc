#include "core/simulator_schedule.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

absl::Status InPhase(int p, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat("phase ", p, ": ", status.message()));
}

// The devices of phase `p`'s groups in order: calls f(first stage clock
// index, stage k, first device, device count) for every stage.
template <typename F>
void ForEachStage(const PreparedPlacement& p, F f) {
  int64_t device = 0;
  for (int g = 0; g < p.num_groups(); ++g) {
    const ParallelConfig& c = p.group_configs()[g];
    const int64_t per_stage = static_cast<int64_t>(c.dp) * c.op;
    for (int k = 0; k < c.pp; ++k) {
      f(g, k, device, per_stage);
      device += per_stage;
    }
  }
}

// The stage clocks phase `p` starts from: every stage of a group at the
// latest free time of the group's devices.
std::vector<double> StartClocks(const PreparedPlacement& p,
                                std::vector<double>* device_free) {
  std::vector<double> group_start(p.num_groups(), kNegInf);
  ForEachStage(p, [&](int g, int, int64_t first, int64_t count) {
    if (device_free->size() < static_cast<size_t>(first + count)) {
      device_free->resize(first + count, kNegInf);
    }
    for (int64_t d = first; d < first + count; ++d) {
      group_start[g] = std::max(group_start[g], (*device_free)[d]);
    }
  });
  std::vector<double> clock(p.total_stages(), kNegInf);
  for (int g = 0; g < p.num_groups(); ++g) {
    for (int32_t c = p.group_clock_offset()[g];
         c < p.group_clock_offset()[g + 1]; ++c) {
      clock[c] = group_start[g];
    }
  }
  return clock;
}

// After a phase: each of its devices is busy until its stage's clock.
void UpdateDeviceFree(const PreparedPlacement& p,
                      const std::vector<double>& clock,
                      std::vector<double>* device_free) {
  ForEachStage(p, [&](int g, int k, int64_t first, int64_t count) {
    const double c = clock[p.group_clock_offset()[g] + k];
    for (int64_t d = first; d < first + count; ++d) (*device_free)[d] = c;
  });
}

// The requests of one phase as a workload of their own.
Workload Slice(const Workload& w, const std::vector<size_t>& index) {
  Workload out;
  out.model_names = w.model_names;
  out.arrival_s.reserve(index.size());
  out.model.reserve(index.size());
  out.slo_s.reserve(index.size());
  for (size_t i : index) {
    out.arrival_s.push_back(w.arrival_s[i]);
    out.model.push_back(w.model[i]);
    out.slo_s.push_back(w.slo_s[i]);
  }
  return out;
}

}  // namespace

absl::StatusOr<PreparedSchedule> PreparedSchedule::FromPhases(
    std::vector<double> start_s, std::vector<PreparedPlacement> phases) {
  if (phases.empty() || start_s.size() != phases.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(start_s.size(), " start times for ", phases.size(),
                     " prepared phases (at least one)"));
  }
  // The order rules of a PlacementSchedule, checked on empty placements.
  PlacementSchedule order;
  for (double t : start_s) order.phases.push_back({t, Placement()});
  RETURN_IF_ERROR(VerifyScheduleGroups(order, phases[0].model_names()));
  for (size_t p = 1; p < phases.size(); ++p) {
    if (phases[p].model_names() != phases[0].model_names()) {
      return absl::InvalidArgumentError(
          absl::StrCat("phase ", p, " serves other models than phase 0 (",
                       phases[p].num_models(), " vs ", phases[0].num_models(),
                       " model instances, or other names)"));
    }
  }
  PreparedSchedule s;
  s.start_s_ = std::move(start_s);
  s.phases_ = std::move(phases);
  return s;
}

absl::StatusOr<PreparedSchedule> PreparedSchedule::Create(
    const PlacementSchedule& schedule, const std::vector<ModelSpec>& models,
    const CostModel& cost_model, const ServingConstants& constants,
    int max_batch_size) {
  const std::vector<std::string> names = ModelNames(models);
  RETURN_IF_ERROR(VerifyScheduleGroups(schedule, names));
  std::vector<double> start_s;
  std::vector<PreparedPlacement> phases;
  for (size_t p = 0; p < schedule.phases.size(); ++p) {
    absl::StatusOr<PreparedPlacement> prepared =
        PreparedPlacement::Create(schedule.phases[p].placement, models,
                                  cost_model, constants, max_batch_size);
    if (!prepared.ok()) {
      if (schedule.IsStatic()) return prepared.status();
      return InPhase(static_cast<int>(p), prepared.status());
    }
    start_s.push_back(schedule.phases[p].start_s);
    phases.push_back(*std::move(prepared));
  }
  return FromPhases(std::move(start_s), std::move(phases));
}

int PreparedSchedule::num_groups() const {
  int n = 0;
  for (const PreparedPlacement& p : phases_) n += p.num_groups();
  return n;
}

int PreparedSchedule::PhaseAt(double t) const {
  auto it = std::upper_bound(start_s_.begin() + 1, start_s_.end(), t);
  return static_cast<int>(it - start_s_.begin()) - 1;
}

absl::StatusOr<SimulationResult> RunSchedule(const PreparedSchedule& schedule,
                                             const Workload& workload,
                                             const SimulateOptions& options,
                                             FullRun full) {
  if (schedule.num_phases() == 1) {
    return full(schedule.phase(0), workload, options);
  }
  RETURN_IF_ERROR(CheckWorkload(workload));
  const size_t n = workload.size();
  std::vector<std::vector<size_t>> index(schedule.num_phases());
  for (size_t i = 0; i < n; ++i) {
    index[schedule.PhaseAt(workload.arrival_s[i])].push_back(i);
  }
  SimulationResult out;
  out.constants = schedule.phase(0).constants();
  const bool with_group = options.record_group_and_start;
  if (with_group) {
    out.group.resize(n);
    out.start_s.resize(n);
  }
  out.finish_s.resize(n);
  out.good.resize(n);
  std::vector<double> device_free;
  int32_t group_offset = 0;
  for (int p = 0; p < schedule.num_phases(); ++p) {
    const PreparedPlacement& prepared = schedule.phase(p);
    const std::vector<double> start_clock = StartClocks(prepared, &device_free);
    std::vector<double> end_clock;
    SimulateOptions phase_options = options;
    phase_options.start_clock = &start_clock;
    phase_options.end_clock = &end_clock;
    const Workload slice = Slice(workload, index[p]);
    absl::StatusOr<SimulationResult> r = full(prepared, slice, phase_options);
    if (!r.ok()) return InPhase(p, r.status());
    if (end_clock.size() != start_clock.size()) {
      return absl::InternalError(absl::StrCat(
          "phase ", p, ": the simulator returned ", end_clock.size(),
          " stage clocks, want ", start_clock.size()));
    }
    UpdateDeviceFree(prepared, end_clock, &device_free);
    for (size_t j = 0; j < index[p].size(); ++j) {
      const size_t i = index[p][j];
      if (with_group) {
        out.group[i] = r->group[j] < 0 ? -1 : r->group[j] + group_offset;
        out.start_s[i] = r->start_s[j];
      }
      out.finish_s[i] = r->finish_s[j];
      out.good[i] = r->good[j];
    }
    for (const ParallelConfig& c : r->group_config) {
      out.group_config.push_back(c);
    }
    for (int64_t served : r->group_served) out.group_served.push_back(served);
    for (auto& stages : r->busy) out.busy.push_back(std::move(stages));
    group_offset += prepared.num_groups();
  }
  return out;
}

absl::Status RunScheduleLean(const PreparedSchedule& schedule,
                             const Workload& workload,
                             SimulatorScratch* scratch, LeanResult* out,
                             double warmup_s, FullRun full, LeanRun lean) {
  if (schedule.num_phases() == 1) {
    return lean(schedule.phase(0), workload, scratch, out, warmup_s);
  }
  SimulateOptions options;
  options.record_busy_intervals = false;
  ASSIGN_OR_RETURN(const SimulationResult r,
                   RunSchedule(schedule, workload, options, full));
  const int wm = workload.num_models();
  out->requests.assign(wm, 0);
  out->good.assign(wm, 0);
  out->good_latency_sum_s.assign(wm, 0.0);
  out->group_served = r.group_served;
  out->group_routed.clear();  // a full run does not record rejections' groups
  out->range = WarmupTrim(workload.arrival_s, warmup_s);
  for (size_t i = out->range.begin; i < out->range.end; ++i) {
    const int32_t m = workload.model[i];
    ++out->requests[m];
    if (r.good[i]) {
      ++out->good[m];
      out->good_latency_sum_s[m] += r.finish_s[i] - workload.arrival_s[i];
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SimulationResult> Simulate(const PreparedSchedule& schedule,
                                          const Workload& workload,
                                          const SimulateOptions& options) {
  return RunSchedule(
      schedule, workload, options,
      [](const PreparedPlacement& p, const Workload& w,
         const SimulateOptions& o) { return Simulate(p, w, o); });
}

absl::Status SimulateLean(const PreparedSchedule& schedule,
                          const Workload& workload, SimulatorScratch* scratch,
                          LeanResult* out, double warmup_s) {
  return RunScheduleLean(
      schedule, workload, scratch, out, warmup_s,
      [](const PreparedPlacement& p, const Workload& w,
         const SimulateOptions& o) { return Simulate(p, w, o); },
      [](const PreparedPlacement& p, const Workload& w, SimulatorScratch* s,
         LeanResult* l,
         double warmup) { return SimulateLean(p, w, s, l, warmup); });
}

}  // namespace multiplex
