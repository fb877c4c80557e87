#ifndef MULTIPLEX_CORE_SIMULATOR_H_
#define MULTIPLEX_CORE_SIMULATOR_H_

// The serving simulator of docs/study.md §3.
//
// Two steps:
//  1. PreparedPlacement::Create resolves, once, for every group and every
//     model it hosts, the batch-1 stage latencies from the cost model,
//     multiplied by (1 + stage_slowdown * pp). Cost-model lookups are slow;
//     a prepared placement is reused across runs.
//  2. A run walks the columnar workload in arrival order with no per-request
//     allocation:
//       - a request for model m goes to the group hosting m whose LAST stage
//         becomes free earliest (ties: the lowest group index);
//       - t = arrival; for each stage k: t = max(t, free[k]) + latency[k];
//         finish = t + fixed_overhead;
//       - the request is accepted when finish - arrival <= slo (exactly this
//         form, the original's; finish <= arrival + slo rounds differently
//         and disagrees in the last bit when the SLO equals the service
//         time); otherwise it is rejected at once: it is not good and
//         occupies nothing (the stage clocks are committed only for accepted
//         requests); a model with no replica is rejected.
//
// Entry points:
//  - Simulate(): the full run; per request its group, start of service,
//    finish and good flag, per group and stage the busy intervals.
//  - SimulateLean(): only what a placement score needs (per model requests,
//    good requests and the sum of good latencies over the warm-up-trimmed
//    range, per group served and routed counts), into caller-owned buffers.
//
// Thread safety: a PreparedPlacement is immutable after Create and may be
// shared by concurrent runs; Simulate() allocates its own state; concurrent
// SimulateLean() calls need one SimulatorScratch and LeanResult each.
//
// Usage:
//   absl::StatusOr<PreparedPlacement> prepared =
//       PreparedPlacement::Create(placement, models, cost_model);
//   absl::StatusOr<SimulationResult> result = Simulate(*prepared, workload);
//   ServingStats stats = ComputeStats(workload, *result);  // core/stats.h
//
//   SimulatorScratch scratch;  // reused across calls
//   LeanResult lean;
//   absl::Status s = SimulateLean(*prepared, workload, &scratch, &lean);

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/parallel_config.h"
#include "core/placement.h"
#include "core/serving_constants.h"
#include "core/workload.h"

namespace multiplex {

// Default warm-up dropped at each end of a workload by the statistics.
constexpr double kDefaultWarmupS = 10.0;

// The requests statistics count: [begin, end) of the workload after dropping
// skip = floor(warmup_s / (last arrival - first arrival) * N) requests at each
// end (skip = 0 for N < 2 or a zero span; empty when 2 * skip >= N).
struct TrimRange {
  size_t begin = 0;
  size_t end = 0;
  size_t skip = 0;
};
TrimRange WarmupTrim(const std::vector<double>& arrival_s, double warmup_s);

// The placement with everything a run needs resolved from the cost model.
// Model indices are those of the ModelSpec list given to Create; a workload
// is matched to it by model name.
class PreparedPlacement {
 public:
  // Fails (InvalidArgument / NotFound) where VerifyGroups does (an invalid
  // config, a model index out of range, a model hosted twice by a group) or
  // on a (model, config) the cost model cannot answer at batch 1. Does not
  // check memory: see VerifyPlacement.
  // max_batch_size > 1 also resolves the latencies of every batch size
  // 2, 4, 8, ... up to it (for simulators that batch, e.g. `batching`); the
  // cost model must then know those batch sizes.
  static absl::StatusOr<PreparedPlacement> Create(
      const Placement& placement, const std::vector<ModelSpec>& models,
      const CostModel& cost_model,
      const ServingConstants& constants = ServingConstants(),
      int max_batch_size = 1);

  // For tests and synthetic studies: explicit raw (batch-1, unscaled) stage
  // latencies; stage_latency_s[g][j] are the stages of the j-th model of
  // group g (size == that group's pp). The stage factor is applied here.
  static absl::StatusOr<PreparedPlacement> FromLatencies(
      const Placement& placement, std::vector<std::string> model_names,
      const std::vector<std::vector<std::vector<double>>>& stage_latency_s,
      const ServingConstants& constants = ServingConstants());

  // As FromLatencies with latencies per batch size: batch_sizes is 1, 2,
  // 4, ... (powers of two from 1), batch_stage_latency_s[b] the
  // stage_latency_s of batch size batch_sizes[b].
  static absl::StatusOr<PreparedPlacement> FromBatchLatencies(
      const Placement& placement, std::vector<std::string> model_names,
      const std::vector<int>& batch_sizes,
      const std::vector<std::vector<std::vector<std::vector<double>>>>&
          batch_stage_latency_s,
      const ServingConstants& constants = ServingConstants());

  const ServingConstants& constants() const { return constants_; }
  const std::vector<std::string>& model_names() const { return model_names_; }
  int num_models() const { return static_cast<int>(model_names_.size()); }
  int num_groups() const { return static_cast<int>(configs_.size()); }
  const std::vector<ParallelConfig>& group_configs() const { return configs_; }
  int total_stages() const { return total_stages_; }
  int max_pp() const { return max_pp_; }
  // Scaled stage latencies (s) of `model` in `group`; empty if not hosted.
  std::vector<double> StageLatencies(int group, int model) const;

  // Internal layout, public for the run loop.
  struct Replica {
    int32_t group;
    int32_t clock_offset;    // first stage clock of the group
    int32_t pp;              // number of stages
    int32_t latency_offset;  // into latency()
  };
  // Replicas of model m: replicas()[replica_begin()[m] .. replica_begin()[m+1])
  // in increasing group order.
  const std::vector<int32_t>& replica_begin() const { return replica_begin_; }
  const std::vector<Replica>& replicas() const { return replicas_; }
  const std::vector<double>& latency() const { return latency_; }
  // The batch sizes resolved: {1} unless created with max_batch_size > 1.
  const std::vector<int>& batch_sizes() const { return batch_sizes_; }
  // Scaled stage latencies at batch_sizes()[b], laid out as latency():
  // batch_latency(b)[replica.latency_offset + k]; batch_latency(0) is
  // latency().
  const double* batch_latency(int b) const {
    return b == 0 ? latency_.data()
                  : batch_latency_.data() + (b - 1) * latency_.size();
  }
  const std::vector<int32_t>& group_clock_offset() const {
    return group_clock_offset_;
  }

 private:
  ServingConstants constants_;
  std::vector<std::string> model_names_;
  std::vector<ParallelConfig> configs_;
  std::vector<int32_t> group_clock_offset_;
  std::vector<int32_t> replica_begin_;
  std::vector<Replica> replicas_;
  std::vector<double> latency_;
  std::vector<int> batch_sizes_{1};
  std::vector<double> batch_latency_;  // batch sizes 2, 4, ... in turn
  int total_stages_ = 0;
  int max_pp_ = 0;
};

struct SimulateOptions {
  // Busy intervals cost 16 bytes per accepted request and stage; turn off
  // when only per-request outcomes are needed.
  bool record_busy_intervals = true;
  // For the phases of a schedule after the first (core/simulator_schedule.h):
  // when set, the stage clocks start here (one per stage, in the prepared
  // placement's layout, group_clock_offset()) instead of -infinity, and
  // end_clock receives them after the run (when every accepted request has
  // left them).
  const std::vector<double>* start_clock = nullptr;
  std::vector<double>* end_clock = nullptr;
  // Per request group and start_s cost 12 bytes; without them (false) the
  // result's group and start_s stay empty, finish_s and good are filled.
  // The statistics (core/stats.h) need neither.
  bool record_group_and_start = true;
};

// [start, end) of one request's service on one stage (seconds).
struct Interval {
  double start;
  double end;

  friend bool operator==(const Interval& a, const Interval& b) {
    return a.start == b.start && a.end == b.end;
  }
};

struct SimulationResult {
  ServingConstants constants;                // stamped from the placement
  std::vector<ParallelConfig> group_config;  // per group
  // Per request, in workload order.
  // (group and start_s: empty unless
  // SimulateOptions::record_group_and_start)
  std::vector<int32_t> group;    // serving group; -1 when rejected
  std::vector<double> start_s;   // service start on the first stage;
                                 // arrival when rejected
  std::vector<double> finish_s;  // arrival when rejected
  std::vector<uint8_t> good;     // 1: finished within its SLO
  // Per group: accepted requests (over the whole workload).
  std::vector<int64_t> group_served;
  // busy[g][k]: service intervals of stage k of group g, in start order
  // (empty unless SimulateOptions::record_busy_intervals).
  std::vector<std::vector<std::vector<Interval>>> busy;

  size_t size() const { return finish_s.size(); }
};

// Caller-owned buffers reused across lean runs.
struct SimulatorScratch {
  std::vector<double> clock;         // free time of every stage
  std::vector<double> stage_start;   // tentative stage starts of one request
  std::vector<double> stage_end;     // tentative stage ends of one request
  std::vector<int32_t> route_begin;  // per workload model: replica range
  std::vector<int32_t> route_end;
  std::vector<int32_t> to_prepared;  // workload model -> prepared model
  // Buffers of other simulators (the `batching` plugin's queues).
  std::vector<int32_t> aux_int;
  std::vector<double> aux_double;
  // An input, empty but in a schedule's later phases: Route starts the stage
  // clocks here instead of at -infinity (SimulateOptions::start_clock).
  std::vector<double> start_clock;
};

// What a placement score needs. Per-model counts cover the warm-up-trimmed
// range (WarmupTrim with warmup_s); the per-group counts cover the whole
// workload. Indexed by the workload's model indices.
struct LeanResult {
  std::vector<int64_t> requests;
  std::vector<int64_t> good;
  std::vector<double> good_latency_sum_s;
  // Per group: the requests it accepted.
  std::vector<int64_t> group_served;
  // Per group: the requests routed to it, accepted or rejected there
  // (group_served plus the group's rejections; a model without replica
  // routes nothing). The original study's greedy fill orders groups by this
  // load (docs/study.md §5.2). A schedule of several phases
  // (RunScheduleLean) leaves it empty.
  std::vector<int64_t> group_routed;
  TrimRange range;

  int64_t TotalRequests() const;
  int64_t TotalGood() const;
  // good / requests over all models (0 when there are no requests).
  double Goodput() const;
  // Mean latency of the good requests over all models (0 when none).
  double MeanGoodLatency() const;
};

// Full run. Fails when a workload model name is not among the prepared
// placement's model names.
absl::StatusOr<SimulationResult> Simulate(
    const PreparedPlacement& prepared, const Workload& workload,
    const SimulateOptions& options = SimulateOptions());

// Lean run; `scratch` and `out` are resized as needed and reused.
absl::Status SimulateLean(const PreparedPlacement& prepared,
                          const Workload& workload, SimulatorScratch* scratch,
                          LeanResult* out, double warmup_s = kDefaultWarmupS);
// As SimulateLean, with the per-model counts over the requests whose index
// lies in `range` (clamped to the workload) instead of the warm-up trim. A
// placement search simulating part of a workload passes the part of the
// whole workload's trim that falls in it, so the counts add up exactly.
absl::Status SimulateLeanInRange(const PreparedPlacement& prepared,
                                 const Workload& workload,
                                 SimulatorScratch* scratch, LeanResult* out,
                                 TrimRange range);

// For other simulators: the checks and routing of a run. CheckWorkload fails
// when the workload's columns differ in length; Route fills scratch's
// route_begin / route_end / to_prepared (failing on a workload model the
// placement lacks) and sets every stage clock to -infinity, or to
// scratch->start_clock when that is not empty (it must then have one clock
// per stage).
absl::Status CheckWorkload(const Workload& workload);
absl::Status Route(const PreparedPlacement& prepared, const Workload& workload,
                   SimulatorScratch* scratch);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_SIMULATOR_H_
