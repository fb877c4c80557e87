// A GpuRunner without a GPU, for testing the profiler end to end: op times
// follow a roofline (300 TFLOP/s, 2 TB/s, 5 us per launch) with a
// deterministic +-2% jitter, and RunOnHostData answers with the CPU
// reference rounded to the dtype. Linked only into test binaries.
#include <cmath>

#include "profiler/cuda/gpu_runner.h"
#include "profiler/cuda/reference_kernels.h"

namespace multiplex {
namespace cuda {
namespace {

class FakeRunner : public GpuRunner {
 public:
  explicit FakeRunner(DType dtype) : dtype_(dtype) {
    info_.name = "Fake GPU (roofline, no device)";
    info_.cc_major = 9;
    info_.sm_count = 132;
    info_.sm_clock_khz = 1980000;
    info_.memory_clock_khz = 2619000;
    info_.memory_bus_width = 5120;
    info_.memory_bytes = 80.0 * (1 << 30);
    info_.runtime_version = 13000;
    info_.driver_version = 13000;
    info_.cublas_library = "none";
  }

  const DeviceInfo& info() const override { return info_; }

  bool TimeOps(const std::vector<OpSpec>& ops, int warmup, int repeats,
               std::vector<double>* seq_ms,
               std::vector<std::vector<double>>* op_ms,
               std::string* error) override {
    (void)warmup;
    (void)error;
    std::vector<double> base;
    double total = 0;
    for (const OpSpec& op : ops) {
      base.push_back(1e3 *
                     (std::max(op.flops / 300e12, op.bytes / 2e12) + 5e-6));
      total += base.back();
    }
    seq_ms->clear();
    for (int i = 0; i < repeats; ++i) seq_ms->push_back(total * Jitter());
    if (op_ms != nullptr) {
      op_ms->assign(ops.size(), {});
      for (size_t j = 0; j < ops.size(); ++j) {
        for (int i = 0; i < repeats; ++i) {
          (*op_ms)[j].push_back(base[j] * Jitter());
        }
      }
    }
    return true;
  }

  bool RunOnHostData(const OpSpec& op,
                     const std::vector<std::vector<float>>& inputs,
                     std::vector<float>* output, std::string* error) override {
    (void)error;
    const std::vector<double> ref = ReferenceOp(op, inputs);
    output->resize(ref.size());
    for (size_t i = 0; i < ref.size(); ++i) {
      (*output)[i] = RoundToDType(static_cast<float>(ref[i]), dtype_);
    }
    return true;
  }

 private:
  double Jitter() {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return 0.98 + 0.04 * static_cast<double>(state_ >> 11) / 9007199254740992.0;
  }

  DType dtype_;
  DeviceInfo info_;
  unsigned long long state_ = 42;
};

}  // namespace

std::unique_ptr<GpuRunner> GpuRunner::Open(int device, DType dtype,
                                           std::string* error) {
  (void)device;
  (void)error;
  return std::make_unique<FakeRunner>(dtype);
}

bool BuiltWithCuda() { return false; }

}  // namespace cuda
}  // namespace multiplex
