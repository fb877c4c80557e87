#ifndef MULTIPLEX_PROFILER_CUDA_OP_SPEC_H_
#define MULTIPLEX_PROFILER_CUDA_OP_SPEC_H_

// One GPU operation of a profiled unit, in plain C++ (no CUDA, no Abseil) so
// that nvcc-compiled code and host code share it.
//
// Layouts are row-major. Shapes:
//   kGemm         C[m,n] = A[m,k] x B[k,n]      (trans_b: B is [n,k], A x B^T)
//   kBatchedGemm  the same, `batch` times, operands contiguous per batch
//   kSoftmax      Y[rows,cols] = softmax(scale x X) along each row
//   kLogSoftmax   Y[rows,cols] = log_softmax(X) along each row
//   kLayerNorm    Y[rows,cols] = LayerNorm(X + R) x gamma + beta (eps 1e-5)
//   kGelu         Y[n] = gelu(X) (erf form), n = rows x cols
//   kGather       Y[rows,cols] = table[idx[r], :], table [vocab, cols]
// GEMMs take fp16/bf16 inputs and outputs with fp32 accumulation.

#include <cstdint>
#include <string>

namespace multiplex {
namespace cuda {

enum class OpKind {
  kGemm,
  kBatchedGemm,
  kSoftmax,
  kLogSoftmax,
  kLayerNorm,
  kGelu,
  kGather,
};

enum class DType { kFp16, kBf16 };

struct OpSpec {
  std::string name;  // e.g. "qkv", "scores", "softmax"
  OpKind kind = OpKind::kGemm;
  // GEMMs.
  int64_t m = 0, n = 0, k = 0, batch = 1;
  bool trans_b = false;
  // Row-wise and elementwise ops; kGather: rows = tokens, cols = hidden.
  int64_t rows = 0, cols = 0;
  int64_t vocab = 0;   // kGather table rows
  float scale = 1.0f;  // kSoftmax input scale
  // Bookkeeping filled by the workload builder (workload.h).
  double flops = 0;  // floating-point operations (a multiply-add = 2)
  double bytes = 0;  // minimum bytes read + written at the dtype
};

// Element counts of an op's operands: inputs 0..3 and the output.
// GEMM: A, B; softmax/GELU: X; LayerNorm: X, R, gamma, beta; gather: table,
// indices (as integers).
struct OperandSizes {
  int64_t in[4] = {0, 0, 0, 0};
  int64_t out = 0;
};

inline OperandSizes SizesOf(const OpSpec& op) {
  OperandSizes s;
  switch (op.kind) {
    case OpKind::kGemm:
    case OpKind::kBatchedGemm:
      s.in[0] = op.batch * op.m * op.k;
      s.in[1] = op.batch * op.k * op.n;
      s.out = op.batch * op.m * op.n;
      break;
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
    case OpKind::kGelu:
      s.in[0] = op.rows * op.cols;
      s.out = op.rows * op.cols;
      break;
    case OpKind::kLayerNorm:
      s.in[0] = op.rows * op.cols;
      s.in[1] = op.rows * op.cols;
      s.in[2] = op.cols;
      s.in[3] = op.cols;
      s.out = op.rows * op.cols;
      break;
    case OpKind::kGather:
      s.in[0] = op.vocab * op.cols;
      s.in[1] = op.rows;
      s.out = op.rows * op.cols;
      break;
  }
  return s;
}

inline const char* OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kGemm:
      return "gemm";
    case OpKind::kBatchedGemm:
      return "batched_gemm";
    case OpKind::kSoftmax:
      return "softmax";
    case OpKind::kLogSoftmax:
      return "log_softmax";
    case OpKind::kLayerNorm:
      return "layernorm";
    case OpKind::kGelu:
      return "gelu";
    case OpKind::kGather:
      return "gather";
  }
  return "?";
}

inline const char* DTypeName(DType t) {
  return t == DType::kFp16 ? "fp16" : "bf16";
}

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_OP_SPEC_H_
