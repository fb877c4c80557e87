// Fits the `decoder` cost model's constants to Vidur's published layer
// profiles (decoder_calibration.h) and prints, per GPU, the shipped
// calibration's residual for every measurement, its root-mean-square log
// error, and the constants a fresh fit finds (to copy into
// profiler/decoder_calibration/<gpu>.textproto).
//   bazel run //profiler:decoder_calibrate

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "profiler/decoder_calibration.h"
#include "profiler/decoder_cost_model.h"
#include "profiler/descs.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, reference,
          "profiler/reference/vidur_llama2_layer_linear.tsv",
          "measured per-layer times (gpu, model, tp, num_tokens, layer_ms)");
ABSL_FLAG(std::string, allreduce_reference,
          "profiler/reference/vidur_allreduce.tsv",
          "measured all-reduces (gpu, workers, bytes, ms)");
ABSL_FLAG(std::string, models_dir, "profiler/decoder_models",
          "DecoderModelDesc text protos");

namespace multiplex {
namespace {

constexpr char kProgram[] = "decoder_calibrate";

struct Gpu {
  const char* key;
  const char* hardware;
  const char* calibration;
};

constexpr Gpu kGpus[] = {
    {"a100", "profiler/hardware/a100-sxm4-40gb.textproto",
     "profiler/decoder_calibration/a100.textproto"},
    {"h100", "profiler/hardware/h100-sxm5-80gb.textproto",
     "profiler/decoder_calibration/h100.textproto"},
};

template <typename T>
T OrFail(absl::StatusOr<T> v) {
  if (!v.ok()) Fail(kProgram, v.status());
  return *std::move(v);
}

int Main(int argc, char** argv) {
  ParseFlagsOrFail(argc, argv, kProgram,
                   "Fits the decoder cost model to Vidur's A100/H100 layer "
                   "profiles and prints the residuals.\n"
                   "Usage: bazel run //profiler:decoder_calibrate");
  const std::vector<LayerMeasurement> rows =
      OrFail(ReadLayerMeasurements(absl::GetFlag(FLAGS_reference)));
  std::vector<DecoderModelDesc> models;
  for (const char* name : {"llama-2-7b", "llama-2-70b"}) {
    models.push_back(OrFail(LoadDecoderModelDesc(absl::StrCat(
        absl::GetFlag(FLAGS_models_dir), "/", name, ".textproto"))));
  }
  const std::vector<AllReduceMeasurement> allreduces = OrFail(
      ReadAllReduceMeasurements(absl::GetFlag(FLAGS_allreduce_reference)));
  for (const Gpu& gpu : kGpus) {
    const HardwareDesc hw = OrFail(LoadHardwareDesc(gpu.hardware));
    const DecoderCalibration shipped =
        OrFail(LoadDecoderCalibration(gpu.calibration));
    const std::vector<LayerResidual> residuals =
        OrFail(LayerResiduals(rows, gpu.key, hw, shipped, models));
    std::printf("%s (%s), shipped calibration %s\n", gpu.key, hw.name().c_str(),
                shipped.source().c_str());
    std::printf("  %-12s %3s %7s %12s %12s %9s\n", "model", "tp", "tokens",
                "measured ms", "modelled ms", "residual");
    for (const LayerResidual& r : residuals) {
      std::printf("  %-12s %3d %7d %12.4f %12.4f %+8.1f%%\n",
                  r.measured.model.c_str(), r.measured.tp,
                  r.measured.num_tokens, r.measured.layer_s * 1e3,
                  r.modelled_s * 1e3, 100 * r.Relative());
    }
    std::printf("  rms log error: %.4f over %zu measurements\n",
                RmsLogError(residuals), residuals.size());
    const DecoderCalibration fit =
        OrFail(FitDecoderCalibration(rows, gpu.key, hw, models, shipped));
    const std::vector<LayerResidual> fitted =
        OrFail(LayerResiduals(rows, gpu.key, hw, fit, models));
    std::printf(
        "  fresh fit: memory_efficiency %.4g gemm_max_efficiency %.4g "
        "gemm_half_flops %.4g layer_overhead_s %.4g (rms log error %.4f)\n",
        fit.memory_efficiency(), fit.gemm_max_efficiency(),
        fit.gemm_half_flops(), fit.layer_overhead_s(), RmsLogError(fitted));
    const double lat = shipped.allreduce_latency_s();
    const double bw = shipped.allreduce_bus_bandwidth();
    std::printf(
        "  all-reduce, shipped latency %.3g s, bus bandwidth %.3g B/s\n", lat,
        bw);
    std::printf("  %7s %10s %12s %12s %9s\n", "workers", "bytes", "measured ms",
                "modelled ms", "residual");
    for (const AllReduceMeasurement& r : allreduces) {
      if (r.gpu != gpu.key) continue;
      const double m = AllReduceModelSeconds(lat, bw, r.bytes, r.workers);
      std::printf("  %7d %10.0f %12.4f %12.4f %+8.1f%%\n", r.workers, r.bytes,
                  r.seconds * 1e3, m * 1e3, 100 * (m / r.seconds - 1));
    }
    const std::pair<double, double> ar =
        OrFail(FitAllReduce(allreduces, gpu.key));
    std::printf(
        "  rms log error %.4f; fresh fit: allreduce_latency_s %.4g "
        "allreduce_bus_bandwidth %.4g (rms log error %.4f)\n\n",
        AllReduceRmsLogError(allreduces, gpu.key, lat, bw), ar.first, ar.second,
        AllReduceRmsLogError(allreduces, gpu.key, ar.first, ar.second));
  }
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) { return multiplex::Main(argc, argv); }
