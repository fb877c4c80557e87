#ifndef MULTIPLEX_PROFILER_CUDA_DECODER_WORKLOAD_H_
#define MULTIPLEX_PROFILER_CUDA_DECODER_WORKLOAD_H_

// Prefill and decode measurement for decoder LLMs (profiler/
// decoder_desc.proto): the GPU operations of one Llama-class decoder layer
// on one GPU of an op-way tensor-parallel group, and their timing on a
// GpuRunner (a real GPU, or the roofline fake in tests), split into the
// linear part the `decoder` cost model calibrates (DecoderLayerLinearTime)
// and attention.
//
//   rmsnorm1   [T, h]                    (timed as LayerNorm: same traffic)
//   qkv        [T, h] x [h, (h + 2 kv d) / op]
//   attention  per sequence: scores (heads/op) x [L, d] x [C, d]^T,
//              softmax over [heads/op x L, C], values (heads/op) x [L, C] x
//              [C, d]; prefill: L = C = the prompt (the full square: plain
//              GEMMs, no flash kernel); decode: L = 1, C = the context
//   out        [T, h/op] x [h/op, h]
//   rmsnorm2   [T, h]
//   gate_up    [T, h] x [h, 2 I / op]
//   silu       [T, I/op]                 (timed as GELU: same traffic)
//   down       [T, I/op] x [I/op, h]
// with T the tokens of the step (prefill: the prompts' sum; decode: one per
// sequence), d = h / heads. All-reduces are not measured on one GPU (the
// cost model's interconnect model supplies them).

#include <cstdint>
#include <string>
#include <vector>

#include "profiler/cuda/gpu_runner.h"
#include "profiler/cuda/op_spec.h"
#include "profiler/decoder_desc.pb.h"

namespace multiplex {
namespace cuda {

// One layer's ops for a prefill of `prompts` or a decode step of sequences
// with `contexts` tokens of context; flops and bytes filled (dtype of the
// model). Lengths must be >= 1 and op must divide heads.
std::vector<OpSpec> DecoderPrefillLayerOps(const DecoderModelDesc& model,
                                           int op,
                                           const std::vector<int32_t>& prompts);
std::vector<OpSpec> DecoderDecodeLayerOps(const DecoderModelDesc& model, int op,
                                          const std::vector<int32_t>& contexts);

// Whether an op belongs to attention (scores, softmax, values).
bool IsAttentionOp(const OpSpec& op);

struct DecoderLayerTiming {
  double layer_ms = 0;      // median of the whole sequence of ops
  double linear_ms = 0;     // sum of the non-attention ops' medians
  double attention_ms = 0;  // sum of the attention ops' medians
};

// Times `ops` (`warmup` untimed runs, then `repeats`); false with *error
// set when the runner fails.
bool MeasureDecoderLayer(GpuRunner& runner, const std::vector<OpSpec>& ops,
                         int warmup, int repeats, DecoderLayerTiming* out,
                         std::string* error);

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_DECODER_WORKLOAD_H_
