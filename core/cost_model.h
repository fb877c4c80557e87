#ifndef MULTIPLEX_CORE_COST_MODEL_H_
#define MULTIPLEX_CORE_COST_MODEL_H_

#include <cstdint>
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

// Costs of one token-level step of a decoder LLM (a prefill of prompts, or
// one decode step of running sequences) under one parallel config. Every
// vector has one entry per pipeline stage.
struct TokenStepCosts {
  std::vector<double> latency_s;     // compute + all-reduces of each stage
  std::vector<double> allreduce_s;   // of which tensor-parallel all-reduces
  std::vector<double> send_s;        // activations to the next stage (last: 0)
  std::vector<double> weight_bytes;  // weights per GPU of each stage
  std::vector<double> kv_bytes_per_token;  // KV cache per token, per GPU

  // Time of the whole step through the pipeline (stages and sends).
  double TotalLatency() const;
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

  // Token-level queries for decoder LLMs (what a token-level simulator
  // needs). One-shot models do not answer them: the defaults return
  // Unimplemented, and Stages() is unaffected either way.
  //
  // A prefill of prompts of these lengths (tokens), batched.
  virtual absl::StatusOr<TokenStepCosts> Prefill(
      absl::string_view model, const ParallelConfig& config,
      const std::vector<int32_t>& prompt_tokens) const;
  // One decode step: one new token for each running sequence, whose context
  // (prompt and tokens so far) has these lengths.
  virtual absl::StatusOr<TokenStepCosts> DecodeStep(
      absl::string_view model, const ParallelConfig& config,
      const std::vector<int32_t>& context_tokens) const;
  // Tokens of KV cache that fit beside the weights on every GPU of the
  // config (the tightest stage decides).
  virtual absl::StatusOr<int64_t> KvCacheCapacityTokens(
      absl::string_view model, const ParallelConfig& config) const;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_COST_MODEL_H_
