#ifndef MULTIPLEX_PROFILER_DECODER_COST_MODEL_H_
#define MULTIPLEX_PROFILER_DECODER_COST_MODEL_H_

// The `decoder` cost model: decoder-only LLMs (profiler/decoder_desc.proto)
// on a described GPU (hardware_desc.proto) with constants fitted to
// measurements (DecoderCalibration), per (dp, op, pp) config:
//
//   Per layer and GPU of an op-way tensor-parallel group, for T tokens:
//     linear layers (QKV, output, gate/up/down): F = 2 T P / op flops over
//       P = 2 h^2 + 2 h kv d + 3 h I weights (d = h / heads), and W = P
//       dtype / op weight bytes plus ~12 T h dtype bytes of activations;
//       time = max(F / (peak x eff(F)), bytes / (hbm x memory_efficiency))
//       with eff(F) = max_eff / (1 + half_flops / F), plus layer_overhead_s;
//     prefill attention (causal, flash): 2 h L^2 / op flops per sequence of
//       L prompt tokens at attention_efficiency x peak (quadratic in L);
//     decode attention: reading the sequence's KV cache, 2 kv d dtype x
//       context / op bytes (kv heads split over op GPUs, at least one each),
//       at hbm x memory_efficiency;
//     two all-reduces of T h dtype bytes when op > 1 (interconnect.h's
//       ring model).
//   Embedding (a gather) on the first stage, LM head (h x vocab GEMM for
//   one token per sequence) on the last; layers split evenly over pp stages
//   (the first stages take the remainder); each stage but the last sends
//   T h dtype bytes to the next (p2p latency + bytes / bandwidth).
//   Weight bytes per GPU: its stage's parameters x dtype / op. KV bytes per
//   token per GPU: 2 x layers of the stage x ceil(kv / op) x d x dtype.
//   KV capacity: (usable memory - weight bytes) / KV bytes per token, the
//   smallest over the stages.
//
// One-shot queries (Stages) answer a prefill of batch_size prompts of
// `prompt_tokens` tokens each, so the plugin also works where only batch
// latencies are asked.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "profiler/decoder_desc.pb.h"
#include "profiler/hardware_desc.pb.h"

namespace multiplex {

// Reads and checks a decoder model description: a parse error, or a field
// that does not add up (heads not dividing hidden, kv_heads not dividing
// heads, a parameter count off by more than 1% from num_parameters, ...),
// names the file and line ("llama.textproto:7: ...").
absl::StatusOr<DecoderModelDesc> LoadDecoderModelDesc(const std::string& path);
absl::StatusOr<DecoderCalibration> LoadDecoderCalibration(
    const std::string& path);

// The parameters a description adds up to (embedding, layers, norms, LM
// head unless tied).
double DecoderParameterCount(const DecoderModelDesc& m);

// Time of the non-attention work of one layer (linear layers, norms,
// activations) for `tokens` tokens on one GPU of an op-way group, s: what
// the calibration fits.
double DecoderLayerLinearTime(const DecoderModelDesc& m, const HardwareDesc& hw,
                              const DecoderCalibration& cal, int op,
                              double tokens);

class DecoderCostModel : public CostModel {
 public:
  DecoderCostModel(HardwareDesc hardware, DecoderCalibration calibration,
                   std::vector<DecoderModelDesc> models, int prompt_tokens,
                   int max_devices);

  std::string Name() const override;
  std::vector<std::string> Models() const override;
  std::vector<ParallelConfig> Configs(absl::string_view model) const override;
  std::vector<int> BatchSizes(absl::string_view model,
                              const ParallelConfig& config) const override;
  absl::StatusOr<StageCosts> Stages(absl::string_view model,
                                    const ParallelConfig& config,
                                    int batch_size) const override;
  std::vector<std::string> Provenance() const override;

  absl::StatusOr<TokenStepCosts> Prefill(
      absl::string_view model, const ParallelConfig& config,
      const std::vector<int32_t>& prompt_tokens) const override;
  absl::StatusOr<TokenStepCosts> DecodeStep(
      absl::string_view model, const ParallelConfig& config,
      const std::vector<int32_t>& context_tokens) const override;
  absl::StatusOr<int64_t> KvCacheCapacityTokens(
      absl::string_view model, const ParallelConfig& config) const override;

 private:
  enum class Phase { kPrefill, kDecode };
  absl::StatusOr<const DecoderModelDesc*> Find(
      absl::string_view model, const ParallelConfig& config) const;
  absl::StatusOr<TokenStepCosts> Step(absl::string_view model,
                                      const ParallelConfig& config,
                                      const std::vector<int32_t>& lengths,
                                      Phase phase) const;

  HardwareDesc hw_;
  DecoderCalibration cal_;
  std::vector<DecoderModelDesc> models_;
  int prompt_tokens_;
  int max_devices_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DECODER_COST_MODEL_H_
