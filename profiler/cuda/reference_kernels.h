#ifndef MULTIPLEX_PROFILER_CUDA_REFERENCE_KERNELS_H_
#define MULTIPLEX_PROFILER_CUDA_REFERENCE_KERNELS_H_

// CPU references of the profiler's GPU ops (op_spec.h semantics) in double
// precision, fp16/bf16 rounding, and the comparison used by kernel_check.

#include <string>
#include <vector>

#include "profiler/cuda/op_spec.h"

namespace multiplex {
namespace cuda {

// Round-to-nearest-even to IEEE fp16 / bfloat16, returned as float.
float RoundToDType(float x, DType dtype);

// Relative tolerance for outputs stored in `dtype` (a few output ulps).
double RelativeTolerance(DType dtype);

// Random inputs in [-1, 1] (gather indices in [0, vocab)) for `op`, already
// rounded to `dtype`.
std::vector<std::vector<float>> RandomInputs(const OpSpec& op, DType dtype,
                                             unsigned seed);

// The op on the CPU in double precision (output not rounded).
std::vector<double> ReferenceOp(const OpSpec& op,
                                const std::vector<std::vector<float>>& in);

struct Comparison {
  double max_abs_error = 0;
  double max_ref = 0;           // max |reference|
  double normalized_error = 0;  // max_abs_error / max_ref
  int64_t violations = 0;       // elements outside atol + rtol |ref|
  bool ok = false;
  std::string Describe() const;
};

// Elementwise |got - ref| <= rtol (|ref| + 0.05 max|ref|), rtol from dtype.
Comparison Compare(const std::vector<float>& got,
                   const std::vector<double>& ref, DType dtype);

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_REFERENCE_KERNELS_H_
