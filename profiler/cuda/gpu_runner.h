#ifndef MULTIPLEX_PROFILER_CUDA_GPU_RUNNER_H_
#define MULTIPLEX_PROFILER_CUDA_GPU_RUNNER_H_

// The only part of the profiler that touches the GPU. Plain C++ interface;
// implemented by gpu_runner.cu (nvcc, CUDA events, cuBLAS loaded at run time)
// where the CUDA toolkit exists, and by gpu_runner_stub.cc (always "built
// without CUDA") elsewhere.

#include <memory>
#include <string>
#include <vector>

#include "profiler/cuda/op_spec.h"

namespace multiplex {
namespace cuda {

struct DeviceInfo {
  std::string name;  // e.g. "NVIDIA H100 80GB HBM3"
  int device = 0;    // ordinal
  int cc_major = 0, cc_minor = 0;
  int sm_count = 0;
  int sm_clock_khz = 0;      // max SM clock
  int memory_clock_khz = 0;  // max memory clock
  int memory_bus_width = 0;  // bits
  double memory_bytes = 0;
  int runtime_version = 0;     // cudaRuntimeGetVersion, e.g. 13000
  int driver_version = 0;      // cudaDriverGetVersion (CUDA API of the driver)
  std::string cublas_library;  // path/soname of the loaded cuBLAS
  int cublas_version = 0;      // cublasGetVersion
};

// One-line description: name, SMs, clocks, versions.
std::string DescribeDevice(const DeviceInfo& info);

class GpuRunner {
 public:
  virtual ~GpuRunner() = default;

  // Opens device `device` for `dtype` work. Null with `*error` set when there
  // is no usable device: the message then begins with "no CUDA device" (no
  // driver, no GPU, or the binary was built without CUDA) or names the
  // failure (cuBLAS not found, out of memory...).
  static std::unique_ptr<GpuRunner> Open(int device, DType dtype,
                                         std::string* error);

  virtual const DeviceInfo& info() const = 0;

  // Runs `ops` in order `warmup` times untimed, then `repeats` times, timing
  // each repetition of the whole sequence with CUDA events (`seq_ms`), then
  // (if `op_ms` is not null) each op alone `repeats` times (`op_ms[i]`).
  // Operands are device buffers of random values in [-1, 1] (indices random
  // in [0, vocab)), refilled when a larger buffer is needed.
  virtual bool TimeOps(const std::vector<OpSpec>& ops, int warmup, int repeats,
                       std::vector<double>* seq_ms,
                       std::vector<std::vector<double>>* op_ms,
                       std::string* error) = 0;

  // For the numerical check: runs `op` once on the given host inputs (sizes
  // per SizesOf; converted to the dtype on the device, gather indices rounded
  // to integers) and returns the output converted back to float.
  virtual bool RunOnHostData(const OpSpec& op,
                             const std::vector<std::vector<float>>& inputs,
                             std::vector<float>* output,
                             std::string* error) = 0;
};

// Whether this binary was built with the CUDA implementation.
bool BuiltWithCuda();

}  // namespace cuda
}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CUDA_GPU_RUNNER_H_
