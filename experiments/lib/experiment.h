#ifndef MULTIPLEX_EXPERIMENTS_LIB_EXPERIMENT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_EXPERIMENT_H_

// A figure group of the study (Fig 2 a-d, Fig 4, ...) as a plugin: each
// experiments/*.cc registers one with RegisterExperiment(), and
// experiment_main.cc runs every experiment linked into the binary. So
// //experiments:changing_rate_cv_slo links one, //experiments:motivation all.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/file_io.h"
#include "experiments/lib/parallel_cases.h"

namespace multiplex {

// What every experiment is given: where to write, which databases to read,
// how long to simulate.
struct ExperimentContext {
  std::string out_dir;         // exists; files go here
  std::string db_path;         // default database (profiling_result)
  std::string db_manual_path;  // long-sequence database, manual stages
  std::string db_dp_path;      // long-sequence database, DP stages
  // Multiplies every simulated duration (1 = the study's parameters; CI runs
  // shortened figures with e.g. 0.01).
  double duration_scale = 1.0;
  uint64_t seed = 0;
  bool png = false;  // also write a PNG beside each PDF
  // Fail (instead of warning) when a chart breaks a layout invariant
  // (render/inspect.h: clipped text, a legend over data, an axis past its
  // bound).
  bool strict_layout = false;
  // --trace: an Azure Functions trace (MAF1 day file or directory, MAF2
  // file), absolute, for the experiments that take one (takes_trace());
  // empty: their synthetic workloads.
  std::string trace_path;
  // --simulator: the simulator of every study case whose spec names none
  // ("batching:max_batch_size=8"); empty: the specs' own (fast by default).
  std::string simulator;
  ParallelOptions parallel;
  // When set, figures are staged here (written to temporaries) and the
  // caller commits them all at once: a figure group, or a study, is then
  // all new or all old. Null: each figure's files are written together.
  StagedFiles* staged = nullptr;
};

class Experiment {
 public:
  static constexpr const char* kPluginCategory = "experiment";

  using RunFn = std::function<absl::Status(const ExperimentContext&)>;

  Experiment(std::string name, std::vector<std::string> outputs, RunFn run,
             bool takes_trace = false)
      : name_(std::move(name)),
        outputs_(std::move(outputs)),
        run_(std::move(run)),
        takes_trace_(takes_trace) {}

  const std::string& name() const { return name_; }
  // File stems the experiment writes (stem.pdf and stem.tsv each).
  const std::vector<std::string>& outputs() const { return outputs_; }
  // Whether it can serve a production trace instead of its synthetic
  // workloads (ExperimentContext::trace_path; same outputs).
  bool takes_trace() const { return takes_trace_; }
  absl::Status Run(const ExperimentContext& context) const {
    return run_(context);
  }

 private:
  std::string name_;
  std::vector<std::string> outputs_;
  RunFn run_;
  bool takes_trace_;
};

// Registers an experiment at static-initialisation time (see registry.h).
bool RegisterExperiment(const std::string& name, const std::string& help,
                        std::vector<std::string> outputs,
                        Experiment::RunFn run);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_EXPERIMENT_H_
