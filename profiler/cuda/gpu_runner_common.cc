#include <cstdio>
#include <string>

#include "profiler/cuda/gpu_runner.h"

namespace multiplex {
namespace cuda {

namespace {
std::string CudaVersionString(int v) {
  if (v <= 0) return "?";
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}
}  // namespace

std::string DescribeDevice(const DeviceInfo& info) {
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "%s (device %d, sm_%d%d, %d SMs, SM clock %.0f MHz, memory "
                "clock %.0f MHz, %d-bit bus, %.1f GiB; CUDA runtime %s, driver "
                "API %s; cuBLAS %d from %s)",
                info.name.c_str(), info.device, info.cc_major, info.cc_minor,
                info.sm_count, info.sm_clock_khz / 1e3,
                info.memory_clock_khz / 1e3, info.memory_bus_width,
                info.memory_bytes / (1024.0 * 1024 * 1024),
                CudaVersionString(info.runtime_version).c_str(),
                CudaVersionString(info.driver_version).c_str(),
                info.cublas_version, info.cublas_library.c_str());
  return buf;
}

}  // namespace cuda
}  // namespace multiplex
