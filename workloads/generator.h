#ifndef MULTIPLEX_WORKLOADS_GENERATOR_H_
#define MULTIPLEX_WORKLOADS_GENERATOR_H_

// Building Workloads (core/workload.h) from per-model arrival processes.
//
// Reproducibility: model i draws from its own std::mt19937_64 seeded with
// StreamSeed(base_seed, i) = SplitMix64(SplitMix64(base_seed) + i)
// (core/stream_seed.h) through the portable samplers of random.h, so a
// (spec, seed) pair gives the same workload byte for byte with any compiler
// and standard library (same libm). The mix makes any two base seeds
// independent replicates: no stream of one is a stream of the other (with
// base_seed + i, seeds k and k+1 shared all but one model's arrivals). The
// study's training workload is the same call again with the same seed.
// Token counts drawn from length distributions use StreamSeed(StreamSeed(
// base_seed, i), 1) for prompts and (..., 2) for outputs.
//
// Example: the study's Figure 5/6 setting, 8 models at 20 req/s, cv 3:
//
//   absl::StatusOr<Workload> w = MakeGammaWorkload(
//       /*num_models=*/8, /*total_rate=*/20, "uniform", /*cv=*/3,
//       /*duration=*/20000, /*seed=*/0);
//
// or, with any registered process and per-model SLOs:
//
//   WorkloadSpec spec;
//   spec.num_models = 2;
//   spec.total_rate = 3;
//   spec.rate_split = "2:8";
//   spec.process = "gamma:cv=3";        // `rate` comes from the split
//   spec.slo_s = {1.5, 2.0};
//   spec.duration = 20000;
//   absl::StatusOr<Workload> w = MakeWorkload(spec);

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/arrival_process.h"
#include "core/length_distribution.h"
#include "core/limits.h"
#include "core/plugin_args.h"
#include "core/plugin_params.h"
#include "core/workload.h"

namespace multiplex {

inline constexpr double kNoSlo = std::numeric_limits<double>::infinity();

// One model's request stream.
struct ModelStream {
  std::string name;                               // unique, no tab/newline
  std::shared_ptr<const ArrivalProcess> process;  // not null
  double slo_s = kNoSlo;                          // >= 0 or +inf
  // Token counts of LLM requests (both or neither; null: the process's own,
  // if it has them, else none). The workload has tokens when every model's
  // requests do.
  std::shared_ptr<const LengthDistribution> prompt_lengths;
  std::shared_ptr<const LengthDistribution> output_lengths;
};

// Generates every stream over [start, start + duration) (stream i with seed
// StreamSeed(base_seed, i)) and merges them by arrival time; equal times keep
// model index order. Fails on bad arguments (duration < 0, non-finite start,
// duplicate names, a null process, a NaN or negative SLO), on more than
// kMaxWorkloadRequests requests, or when a process breaks its contract
// (unsorted times or times outside the window).
absl::StatusOr<Workload> GenerateWorkload(
    const std::vector<ModelStream>& streams, double start, double duration,
    uint64_t base_seed);

// The most requests GenerateWorkload makes (expected count: sum of
// Rate() x duration), a guard against typos that would exhaust memory.
inline constexpr double kMaxWorkloadRequests = kMaxRequests;

// Workload windows lie within +-kMaxWorkloadTime seconds (about 31 years),
// where double-precision times keep sub-microsecond resolution.
inline constexpr double kMaxWorkloadTime = 1e9;

// The merge step on its own: per-model sorted times -> one sorted Workload
// (ties by model index). `slo_s` has one value per model.
Workload MergeArrivals(std::vector<std::string> model_names,
                       const std::vector<std::vector<double>>& times,
                       const std::vector<double>& slo_s);

// N models, a rate split and one process spec for all of them.
struct WorkloadSpec {
  int num_models = 1;
  std::vector<std::string> model_names;  // empty: m0, m1, ...
  double total_rate = 0;                 // requests/s over all models
  std::string rate_split = "uniform";    // see rate_split.h
  // A Registry<ArrivalProcess> spec. When the process takes a `rate`
  // parameter, each model's comes from total_rate and rate_split (the spec
  // must not set it); processes without one (trace) ignore both. A `trace`
  // process that names no `model` gives each model its own stream: the
  // trace's model of the same name, or, when no name matches, its i-th
  // model (trace_replay.h); a model the rule leaves without one is an error.
  // A process that takes `model_index` (azure: a production trace's
  // functions dealt to the models) gets each model's index and `num_models`
  // (the spec must not set them).
  std::string process = "gamma:cv=1";
  // Further process parameters (e.g. set from flags); the spec's own win.
  PluginArgs process_args;
  // Quantities for the process parameters that declare them
  // (PluginParam::FedBy: workload.cv, rate_scale, cv_scale); the spec's own
  // win. A process that declares none of a given feed is an error.
  std::map<Feed, double> feeds;
  std::vector<double> slo_s = {kNoSlo};  // one for all, or one per model
  // Registry<LengthDistribution> specs (workloads/lengths.h) of the prompt
  // and output token counts: none, one for all or one per model; both or
  // neither. They override the lengths a trace process replays.
  std::vector<std::string> prompt_lengths;
  std::vector<std::string> output_lengths;
  double start = 0;
  double duration = 0;
  uint64_t seed = 0;
};

// The streams MakeWorkload generates (processes created, rates split).
absl::StatusOr<std::vector<ModelStream>> MakeModelStreams(
    const WorkloadSpec& spec);

absl::StatusOr<Workload> MakeWorkload(const WorkloadSpec& spec);

// Models m0..m{N-1} with Gamma(rate_i, cv) arrivals, rate_i from the split.
absl::StatusOr<Workload> MakeGammaWorkload(int num_models, double total_rate,
                                           absl::string_view rate_split,
                                           double cv, double duration,
                                           uint64_t seed, double slo_s = kNoSlo,
                                           double start = 0);

// The arrival process that replays a trace file (workloads/trace_process.cc).
inline constexpr char kTraceProcess[] = "trace";

// Whether a process spec names the `trace` process (which replays a file:
// it takes no rate and draws nothing at random).
absl::StatusOr<bool> IsTraceProcess(absl::string_view process_spec);

// Whether the registered process a spec names takes parameter `param`
// (NotFound with the registry's list of names when no process matches).
absl::StatusOr<bool> ProcessAcceptsParam(absl::string_view process_spec,
                                         absl::string_view param);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_GENERATOR_H_
