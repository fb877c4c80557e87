// GpuRunner where the CUDA toolkit was absent at build time.
#include "profiler/cuda/gpu_runner.h"

namespace multiplex {
namespace cuda {

std::unique_ptr<GpuRunner> GpuRunner::Open(int device, DType dtype,
                                           std::string* error) {
  (void)device;
  (void)dtype;
  *error =
      "no CUDA device: this binary was built without CUDA (no toolkit at "
      "build time)";
  return nullptr;
}

bool BuiltWithCuda() { return false; }

}  // namespace cuda
}  // namespace multiplex
