#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_H_

// A declarative study (experiments/lib/study.proto): loading a StudySpec,
// checking it, filling its defaults and expanding it into cases. Running the
// cases and writing the outputs is study_run.h.
//
//   StudyOptions options;
//   options.default_cost_model = "database:path=/abs/db.textproto";
//   ASSIGN_OR_RETURN(Study study,
//                    LoadStudy("examples/mixed_16gpu.textproto", options));
//   for (const StudyCase& c : study.cases) ...
//
// Errors name the file, the line of the offending field and the field:
//   "s.textproto:7: workload.total_rate: must be > 0, got -2"
//   "s.textproto:3:9: Message type "multiplex.study.StudySpec" has no field
//    named "modles"."  (parse errors: line and column)
//
// Loading creates every cost model the spec names (once per spec) and checks
// every plugin spec through the registries, so the binary must link the
// plugins (//tools:all_plugins).

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/simulator_interface.h"
#include "core/workload.h"
#include "experiments/lib/study.pb.h"

namespace multiplex {

struct StudyOptions {
  // The cost model spec used when the spec sets none (the shipped database;
  // the caller resolves its path). Not rewritten against the spec's
  // directory.
  std::string default_cost_model;
  // Overrides workload.seed (a sweep over workload.seed still sets each
  // case's).
  std::optional<uint64_t> seed;
  // Multiplies every simulated duration (workload.duration_s,
  // training.duration_s) when the cases run; the spec and its sweep values
  // keep the unscaled numbers.
  double duration_scale = 1.0;
};

// One case: a sweep point of one policy.
struct StudyCase {
  int policy = 0;           // index into Study::spec.policies()
  std::string policy_spec;  // the policy's spec or its policy.spec value
  // The study's cluster, models, workload, training and serving with this
  // case's sweep values applied; every other field is cleared.
  study::StudySpec spec;
  std::vector<ModelSpec> models;  // m0, m1, ... with their types
  // The case's sweep values in axis order ("workload.total_rate", "20"),
  // for messages.
  std::vector<std::pair<std::string, std::string>> point;
  // Cases with the same group draw the same serving and training workloads
  // (they differ at most in policy, cluster and serving constants), which
  // are drawn once for all of them.
  int workload_group = 0;
  // What the charts need beyond the statistics.
  bool keep_latencies = false;          // good latencies (latency_cdf)
  bool keep_per_model = false;          // ... also per model
  std::vector<int> utilization_charts;  // indices into spec.charts()
  // The cost model and simulator the case runs with: its policy's, or the
  // variant a sweep over one of their parameters makes.
  const CostModel* cost_model = nullptr;
  const Simulator* simulator = nullptr;
  // Which repetition (StudySpec.repetitions) of its sweep point; the
  // repetitions of a point are consecutive cases, 0 first.
  int repetition = 0;
};

// The cases a chart draws: per policy (in spec order), the case indices in
// sweep order and, for "line", their x values.
struct ChartPlan {
  // Repetition 0's cases; repetition r of case i is case i + r.
  std::vector<std::vector<size_t>> cases;
  std::vector<std::vector<double>> x;
};

struct Study {
  study::StudySpec spec;  // every default filled, every path absolute
  std::string path;       // the spec file as given
  int entry = -1;         // its index in the file's `studies`; -1: none
  StudyOptions options;
  // The sweep fields of all policies, in order of first appearance (study
  // sweep first): the leading columns of results.tsv.
  std::vector<std::string> columns;
  std::vector<StudyCase> cases;   // in results.tsv row order
  std::vector<ChartPlan> charts;  // one per spec.charts()
  int num_workload_groups = 0;
  // Every cost model the spec names, created once, by resolved spec.
  std::map<std::string, std::shared_ptr<const CostModel>> cost_models;
  const CostModel* cost_model = nullptr;             // the study's
  std::vector<const CostModel*> policy_cost_models;  // per policy
  // Every simulator the spec names, created once, by spec; the study's
  // (`fast` when the spec names none) and each policy's.
  std::map<std::string, std::shared_ptr<const Simulator>> simulators;
  const Simulator* simulator = nullptr;
  std::vector<const Simulator*> policy_simulators;
  // Single-GPU batch-1 latency of every model type the cases serve, from
  // the study's cost model (the SLO unit).
  std::map<std::string, double> l1_s;
  // The workload.trace and training.trace files, read once (null if none).
  std::shared_ptr<const Workload> serving_trace, training_trace;

  // A duration under options.duration_scale, shortened to no less than
  // min(seconds, floor_s) (WorkloadSpec.min_scaled_duration_s).
  double ScaledDuration(double seconds, double floor_s) const {
    return std::max(seconds * options.duration_scale,
                    std::min(seconds, floor_s));
  }
};

// Whether a plugin parameter names a file or directory ("path", "hardware",
// "models_dir", "*_path", "*_dir", "*_file"): relative values are taken
// from the spec's directory.
bool IsPathParam(const std::string& key);

// Reads, checks and expands a spec file: its one study, or one per entry of
// its `studies` (in order). Relative paths in the spec are taken from the
// file's directory.
absl::StatusOr<std::vector<Study>> LoadStudies(const std::string& path,
                                               const StudyOptions& options);

// The same for spec text; `path` names it in messages and gives the
// directory relative paths are taken from.
absl::StatusOr<std::vector<Study>> ParseStudies(absl::string_view text,
                                                const std::string& path,
                                                const StudyOptions& options);

// As above for a file of one study (without `studies`).
absl::StatusOr<Study> LoadStudy(const std::string& path,
                                const StudyOptions& options);
absl::StatusOr<Study> ParseStudy(absl::string_view text,
                                 const std::string& path,
                                 const StudyOptions& options);

// The value of a column (a sweep field path) in a case: a number in the
// shortest form that reads back exactly, or the policy spec for
// "policy.spec"; "" for a field the case leaves unset.
std::string CaseValue(const StudyCase& c, absl::string_view field);

// The text of study.textproto: a comment naming the source, then the filled
// spec.
std::string FormatFilledSpec(const Study& study);

// The metrics a "line" chart can plot (and results.tsv's statistics).
const std::vector<std::string>& StudyMetrics();

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_H_
