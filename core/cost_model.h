#ifndef MULTIPLEX_CORE_COST_MODEL_H_
#define MULTIPLEX_CORE_COST_MODEL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/parallel_config.h"

namespace multiplex {

// Costs of running one batch of one model under one parallel config.
// All three vectors have one entry per pipeline stage (size == config.pp).
struct StageCosts {
  std::vector<double> latency_s;         // seconds per stage, > 0
  std::vector<double> activation_bytes;  // peak activation memory per GPU
  std::vector<double> weight_bytes;      // weight memory per GPU of the stage

  double TotalLatency() const;  // sum of stage latencies (s)
  double MaxLatency() const;    // slowest stage (s): 1 / pipeline throughput
  double MaxWeightBytes() const;
};

// Answers "how long does model M take on config C at batch size B, and how
// much memory does it need". Implementations: a loaded profiling database
// (`database`), an analytical transformer model, ... registered by name in
// Registry<CostModel>.
//
// Contract: Models(), Configs() and BatchSizes() list exactly what Stages()
// can answer, in a deterministic (sorted) order. Stages() returns NotFound
// for anything else, with a message naming the model and config.
//
// Thread safety: every method is const and must be safe to call from many
// threads at once (sweeps share one cost model across all their workers);
// an implementation that caches must synchronise its cache.
class CostModel {
 public:
  static constexpr const char* kPluginCategory = "cost_model";

  virtual ~CostModel() = default;

  // Identifies the model and its data source; stamped into every output.
  virtual std::string Name() const = 0;
  virtual std::vector<std::string> Models() const = 0;
  virtual std::vector<ParallelConfig> Configs(
      absl::string_view model) const = 0;
  virtual std::vector<int> BatchSizes(absl::string_view model,
                                      const ParallelConfig& config) const = 0;
  virtual absl::StatusOr<StageCosts> Stages(absl::string_view model,
                                            const ParallelConfig& config,
                                            int batch_size) const = 0;

  // Where the numbers come from, one "key: value" line each (for a
  // database: method measured/modelled, hardware, calibration, ...);
  // stamped into every figure's data file. Default: none known.
  virtual std::vector<std::string> Provenance() const { return {}; }

  bool HasConfig(absl::string_view model, const ParallelConfig& config) const;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_COST_MODEL_H_
