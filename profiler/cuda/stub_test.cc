// The GPU runner of a build without the CUDA toolkit.
#include "gtest/gtest.h"
#include "profiler/cuda/gpu_runner.h"

namespace multiplex {
namespace cuda {
namespace {

TEST(StubTest, OpenReportsNoCudaDevice) {
  EXPECT_FALSE(BuiltWithCuda());
  std::string error;
  EXPECT_EQ(GpuRunner::Open(0, DType::kFp16, &error), nullptr);
  EXPECT_EQ(error.rfind("no CUDA device: ", 0), 0u) << error;
  EXPECT_NE(error.find("built without CUDA"), std::string::npos);
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

TEST(StubTest, DescribeDevice) {
  DeviceInfo info;
  info.name = "NVIDIA H100 80GB HBM3";
  info.sm_count = 132;
  info.sm_clock_khz = 1980000;
  info.runtime_version = 13000;
  info.driver_version = 13000;
  const std::string d = DescribeDevice(info);
  EXPECT_NE(d.find("132 SMs"), std::string::npos) << d;
  EXPECT_NE(d.find("1980 MHz"), std::string::npos) << d;
  EXPECT_NE(d.find("CUDA runtime 13.0"), std::string::npos) << d;
}

}  // namespace
}  // namespace cuda
}  // namespace multiplex
