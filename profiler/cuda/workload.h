#ifndef MULTIPLEX_PROFILER_CUDA_WORKLOAD_H_
#define MULTIPLEX_PROFILER_CUDA_WORKLOAD_H_

// What the CUDA profiler runs: the GPU operations of each kind of unit of a
// transformer (profiler/partition.h units) at a batch size and an
// operator-parallel shard width t, with FLOP and memory bookkeeping.
//
// The units and their memory follow the conventions of the analytical cost
// model (profiler/analytical_cost_model.h), so a measured database and a
// modelled one differ only in the compute latencies:
//   embedding  one-hot [T, V/t] x [V/t, h] GEMM (or a gather), then
//              LayerNorm(word + position);            all-reduce if t > 1
//   attention  QKV [T, h] x [h, 3h/t]; scores (b a/t) x [s, d] x [s, d]^T;
//              softmax(scores / sqrt(d)); values (b a/t) x [s, s] x [s, d];
//              output [T, h/t] x [h/t, h]; LayerNorm(x + residual);
//                                                     all-reduce if t > 1
//   ffn        [T, h] x [h, f/t]; GELU; [T, f/t] x [f/t, h];
//              LayerNorm(x + residual);               all-reduce if t > 1
//   head       dense [T, h] x [h, h]; GELU; LayerNorm; tied vocab GEMM
//              [T, h] x [V/t, h]^T; log-softmax over [T, V/t];
//                                     2 all-reduces of T floats if t > 1
// with T = b x s tokens, d = h / a. The GEMMs of one shard run on one GPU
// (as Vidur profiles tensor parallelism); the all-reduces cannot be measured
// on one GPU and come from the hardware description's interconnect model.
// Biases are assumed fused into the GEMM epilogues and not timed; the
// attention head split/merge is assumed fused (Q, K, V laid out per head).

#include <string>
#include <vector>

#include "profiler/cuda/op_spec.h"
#include "profiler/model_desc.pb.h"
#include "profiler/partition.h"

namespace multiplex {
namespace cuda {

struct UnitWork {
  UnitKind kind = UnitKind::kLayer;
  std::vector<OpSpec> ops;
  // All-reduces after the unit (t > 1): count x bytes each.
  int allreduce_count = 0;
  double allreduce_bytes = 0;
  // Parameters owned per GPU and peak live activations per GPU (bytes).
  double weight_bytes = 0;
  double activation_bytes = 0;

  double Flops() const;
};

// The four distinct units (embedding, attention, ffn, head) of `model` at
// shard width `op`, batch size `batch` and sequence length `seq`.
std::vector<UnitWork> DistinctUnits(const TransformerModelDesc& model, int op,
                                    int batch, int seq);

// The unit sequence of the whole model: embedding, (attention, ffn) x
// num_layers, head.
std::vector<UnitKind> UnitSequence(const TransformerModelDesc& model);

// The sequence length a model is profiled at: `override_seq` if > 0, else
// the model's own.
int ProfiledSequence(const TransformerModelDesc& model, int override_seq);

// GEMM FLOPs (2 m n k batch) and minimum bytes of `op` at `dtype_bytes`.
double OpFlops(const OpSpec& op);
double OpBytes(const OpSpec& op, int dtype_bytes);

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_WORKLOAD_H_
