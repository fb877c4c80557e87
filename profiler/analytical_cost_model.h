#ifndef MULTIPLEX_PROFILER_ANALYTICAL_COST_MODEL_H_
#define MULTIPLEX_PROFILER_ANALYTICAL_COST_MODEL_H_

// The `analytical` cost model: BERT/GPT-style transformer inference from first
// principles on a described GPU (profiler/hardware/*.textproto; the
// descriptions are read by profiler/descs.h).
//
// Every kernel is a roofline: max(FLOPs / (peak x efficiency), bytes / (HBM
// bandwidth x memory efficiency)) + a launch cost; GEMM efficiency grows with
// the GEMM's size (HardwareDesc.gemm). The network is cut into units:
//   embedding  one-hot (tokens x vocab) x (vocab x hidden) matmul (or a
//              gather), position add, LayerNorm;
//   attention  QKV GEMM, scores and values batched GEMMs, softmax, output
//              projection, residual + LayerNorm;
//   ffn        two GEMMs with GELU between, residual + LayerNorm;
//   head       dense + GELU + LayerNorm, tied vocab GEMM, log-softmax (its
//              traffic per logit is HardwareDesc.logits_bytes_per_element,
//              fitted apart from the attention softmax's: measured, the
//              head's stage is the heaviest of an equal-layer pipeline).
// A mixture-of-experts layer (TransformerModelDesc.num_experts > 0; every
// moe_layer_interval-th layer, GShard-style) replaces its FFN unit by:
//   moe        linear gate + softmax/top-k over the experts, scatter of each
//              token to its k experts, the experts' two GEMMs (batched over
//              the experts a GPU holds, k x tokens / experts tokens each:
//              routing is taken as balanced), gather and weighted sum,
//              residual + LayerNorm.
// Its operator parallelism of degree t is expert parallelism: each GPU holds
// experts / t whole experts (t must divide the expert count) and a replica
// of the gate, takes its 1/t slice of the tokens, and exchanges the routed
// tokens (k x tokens / t x hidden x dtype bytes per GPU) in two all-to-alls,
// dispatch and combine; an all-gather then gives every GPU the whole output
// again for the next Megatron-sharded attention. The collectives use the
// all-reduce's calibrated constants (profiler/interconnect.h).
// Operator parallelism of degree t shards the GEMMs Megatron-style (heads and
// the FFN inner dimension; vocab for embedding and head) and adds an
// all-reduce of batch x seq x hidden x dtype bytes after attention, after the
// FFN and after a sharded embedding. A pipeline stage that is not the last
// also sends batch x seq x hidden x dtype bytes to the next stage. Stages
// are formed from the units by profiler/partition.h (`manual` or `dp`, the
// latter on batch-1 unit latencies so a config's stages do not depend on
// the batch size).
//
// Weight memory convention: a stage's weight bytes are the parameters it
// owns, per GPU. The tied word-embedding matrix is owned (and counted) by the
// embedding unit on stage 0; the head's vocab GEMM reuses it, so with pp > 1
// the last stage reads a replica of it (vocab x hidden x dtype / t bytes)
// that is counted in that stage's activation (workspace) bytes rather than
// its weights. Hence the stages' weights sum to the model's parameters
// (times t for the replicated position embedding, LayerNorms and biases).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/cost_model.h"
#include "profiler/hardware_desc.pb.h"
#include "profiler/model_desc.pb.h"
#include "profiler/partition.h"

namespace multiplex {

struct UnitCost {
  UnitKind kind;
  double latency_s = 0;         // at op degree t, on one GPU of the group
  double weight_bytes = 0;      // owned parameters per GPU
  double activation_bytes = 0;  // peak live activations/workspace per GPU
};

struct AnalyticalOptions {
  // 0 = each model's own sequence_length.
  int sequence_length = 0;
  std::string partition = "dp";  // "dp" or "manual"
  // The units the DP partition may cut between: "block" (embedding, each
  // layer's attention and FFN blocks, head) or "layer" (whole transformer
  // layers, as Alpa's layer construction forms them).
  std::string dp_unit = "block";
  std::vector<int> op_degrees = {1, 2, 4, 8};
  std::vector<int> pp_degrees = {1, 2, 4, 8, 16, 32};  // > layers: skipped
  std::vector<int> batch_sizes = {1, 2, 4, 8, 16};
};

class AnalyticalCostModel : public CostModel {
 public:
  AnalyticalCostModel(HardwareDesc hardware,
                      std::vector<TransformerModelDesc> models,
                      AnalyticalOptions options);

  // "analytical(<hardware>; <calibration>; seq=<s>; partition=<p>)"
  std::string Name() const override;
  std::vector<std::string> Models() const override;
  std::vector<ParallelConfig> Configs(absl::string_view model) const override;
  std::vector<int> BatchSizes(absl::string_view model,
                              const ParallelConfig& config) const override;
  absl::StatusOr<StageCosts> Stages(absl::string_view model,
                                    const ParallelConfig& config,
                                    int batch_size) const override;

  // The units of `model` at operator-parallel degree `op`.
  std::vector<UnitCost> Units(const TransformerModelDesc& model, int op,
                              int batch_size, int seq) const;
  // Stage boundaries (partition.h) of `model` for (op, pp).
  absl::StatusOr<std::vector<int>> Partition(const TransformerModelDesc& model,
                                             int op, int pp) const;
  // Seconds to all-reduce `bytes` over `n` GPUs (0 when n == 1).
  double AllReduceSeconds(double bytes, int n) const;
  // Seconds of one all-to-all with `bytes` per GPU over `n` GPUs.
  double AllToAllSeconds(double bytes, int n) const;
  // Seconds to send `bytes` from stage `stage` to the next one.
  double SendSeconds(double bytes, int op, int stage) const;

  const HardwareDesc& hardware() const { return hw_; }
  const AnalyticalOptions& options() const { return options_; }
  absl::StatusOr<const TransformerModelDesc*> FindModel(
      absl::string_view name) const;
  int SequenceLength(const TransformerModelDesc& model) const;

 private:
  double GemmSeconds(double m, double n, double k, double batch,
                     bool attention) const;
  double MemorySeconds(double bytes) const;
  // The mixture-of-experts FFN unit of one layer (see the file comment).
  UnitCost MoeUnit(const TransformerModelDesc& model, int op, int batch_size,
                   int seq) const;

  HardwareDesc hw_;
  std::vector<TransformerModelDesc> models_;  // sorted by name
  AnalyticalOptions options_;
};

// Whether layer `layer` (0-based) of `model` has a mixture-of-experts FFN.
bool IsMoeLayer(const TransformerModelDesc& model, int layer);

// Parameter count of `model` with the tied embedding counted once (every
// expert and each MoE layer's gate included), and its fp16 (dtype) weight
// bytes.
double ModelParameters(const TransformerModelDesc& model);
double ModelWeightBytes(const TransformerModelDesc& model);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_ANALYTICAL_COST_MODEL_H_
