#ifndef MULTIPLEX_PROFILER_DECODER_CALIBRATION_H_
#define MULTIPLEX_PROFILER_DECODER_CALIBRATION_H_

// Fitting the `decoder` cost model's constants (DecoderCalibration) to
// published per-layer measurements: reference/vidur_llama2_layer_linear.tsv,
// Vidur's profiles of the Llama-2 layers' non-attention operators on A100
// and H100 (see the file's header). //profiler:decoder_calibrate prints the
// fit and its residuals.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "profiler/decoder_desc.pb.h"
#include "profiler/hardware_desc.pb.h"

namespace multiplex {

struct LayerMeasurement {
  std::string gpu;    // "a100", "h100"
  std::string model;  // "llama-2-7b", ...
  int tp = 1;
  int num_tokens = 1;
  double layer_s = 0;
};

// Reads the reference table (gpu, model, tp, num_tokens, layer_ms); errors
// name FILE:LINE.
absl::StatusOr<std::vector<LayerMeasurement>> ReadLayerMeasurements(
    const std::string& path);

struct LayerResidual {
  LayerMeasurement measured;
  double modelled_s = 0;
  double Relative() const { return modelled_s / measured.layer_s - 1; }
};

// The model's prediction for each measurement of `gpu` (models looked up
// by name in `models`; a measurement of another model is an error).
absl::StatusOr<std::vector<LayerResidual>> LayerResiduals(
    const std::vector<LayerMeasurement>& rows, const std::string& gpu,
    const HardwareDesc& hw, const DecoderCalibration& cal,
    const std::vector<DecoderModelDesc>& models);

// Root mean square of log(modelled / measured).
double RmsLogError(const std::vector<LayerResidual>& residuals);

// Least squares on log(modelled / measured) over memory_efficiency,
// gemm_max_efficiency, gemm_half_flops and layer_overhead_s (a grid, then
// coordinate refinement), starting from and keeping the rest of `start`.
absl::StatusOr<DecoderCalibration> FitDecoderCalibration(
    const std::vector<LayerMeasurement>& rows, const std::string& gpu,
    const HardwareDesc& hw, const std::vector<DecoderModelDesc>& models,
    const DecoderCalibration& start);

// Measured all-reduces (reference/vidur_allreduce.tsv: gpu, workers,
// bytes, ms) and the fit of latency + 2 (n-1)/n bytes / bus bandwidth.
struct AllReduceMeasurement {
  std::string gpu;
  int workers = 2;
  double bytes = 0;
  double seconds = 0;
};
absl::StatusOr<std::vector<AllReduceMeasurement>> ReadAllReduceMeasurements(
    const std::string& path);
double AllReduceModelSeconds(double latency_s, double bus_bandwidth,
                             double bytes, int workers);
// Root mean square of log(modelled / measured) over `gpu`'s rows.
double AllReduceRmsLogError(const std::vector<AllReduceMeasurement>& rows,
                            const std::string& gpu, double latency_s,
                            double bus_bandwidth);
// The (latency, bus bandwidth) minimising that error (a log-spaced grid,
// then refinement); NotFound without rows of `gpu`.
absl::StatusOr<std::pair<double, double>> FitAllReduce(
    const std::vector<AllReduceMeasurement>& rows, const std::string& gpu);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DECODER_CALIBRATION_H_
