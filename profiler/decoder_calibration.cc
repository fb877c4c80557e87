#include "profiler/decoder_calibration.h"

#include <cmath>
#include <fstream>
#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/status_macros.h"
#include "profiler/decoder_cost_model.h"

namespace multiplex {

absl::StatusOr<std::vector<LayerMeasurement>> ReadLayerMeasurements(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::vector<LayerMeasurement> out;
  std::string line;
  int number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> f = absl::StrSplit(line, '\t');
    const auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", what));
    };
    if (!header) {
      if (line != "gpu\tmodel\ttp\tnum_tokens\tlayer_ms") {
        return error("want the header gpu, model, tp, num_tokens, layer_ms");
      }
      header = true;
      continue;
    }
    LayerMeasurement m;
    double ms;
    if (f.size() != 5 || !absl::SimpleAtoi(f[2], &m.tp) ||
        !absl::SimpleAtoi(f[3], &m.num_tokens) ||
        !absl::SimpleAtod(f[4], &ms) || m.tp < 1 || m.num_tokens < 1 ||
        !(ms > 0) || !std::isfinite(ms)) {
      return error(absl::StrCat("bad row '", line, "'"));
    }
    m.gpu = f[0];
    m.model = f[1];
    m.layer_s = ms * 1e-3;
    out.push_back(std::move(m));
  }
  if (out.empty()) return absl::InvalidArgumentError(path + ": no rows");
  return out;
}

absl::StatusOr<std::vector<LayerResidual>> LayerResiduals(
    const std::vector<LayerMeasurement>& rows, const std::string& gpu,
    const HardwareDesc& hw, const DecoderCalibration& cal,
    const std::vector<DecoderModelDesc>& models) {
  std::vector<LayerResidual> out;
  for (const LayerMeasurement& r : rows) {
    if (r.gpu != gpu) continue;
    const DecoderModelDesc* model = nullptr;
    for (const DecoderModelDesc& m : models) {
      if (m.name() == r.model) model = &m;
    }
    if (model == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("no description of measured model '", r.model, "'"));
    }
    out.push_back(
        {r, DecoderLayerLinearTime(*model, hw, cal, r.tp, r.num_tokens)});
  }
  return out;
}

double RmsLogError(const std::vector<LayerResidual>& residuals) {
  double sum = 0;
  for (const LayerResidual& r : residuals) {
    const double e = std::log(r.modelled_s / r.measured.layer_s);
    sum += e * e;
  }
  return residuals.empty() ? 0 : std::sqrt(sum / residuals.size());
}

absl::StatusOr<DecoderCalibration> FitDecoderCalibration(
    const std::vector<LayerMeasurement>& rows, const std::string& gpu,
    const HardwareDesc& hw, const std::vector<DecoderModelDesc>& models,
    const DecoderCalibration& start) {
  DecoderCalibration best = start;
  double best_error = std::numeric_limits<double>::infinity();
  const auto consider = [&](const DecoderCalibration& c) -> absl::Status {
    ASSIGN_OR_RETURN(const std::vector<LayerResidual> r,
                     LayerResiduals(rows, gpu, hw, c, models));
    if (r.empty()) {
      return absl::NotFoundError(absl::StrCat("no measurements of ", gpu));
    }
    const double e = RmsLogError(r);
    if (e < best_error) {
      best_error = e;
      best = c;
    }
    return absl::OkStatus();
  };
  // A coarse grid...
  for (double mem = 0.5; mem <= 1.6; mem += 0.1) {
    for (double gemm = 0.4; gemm <= 0.95; gemm += 0.05) {
      for (double half = 1e9; half <= 1e12; half *= std::sqrt(10.0)) {
        for (double overhead = 0; overhead <= 80e-6; overhead += 10e-6) {
          DecoderCalibration c = start;
          c.set_memory_efficiency(mem);
          c.set_gemm_max_efficiency(gemm);
          c.set_gemm_half_flops(half);
          c.set_layer_overhead_s(overhead);
          RETURN_IF_ERROR(consider(c));
        }
      }
    }
  }
  // ...then each constant in turn, in shrinking relative steps.
  for (double step = 0.05; step > 1e-4; step /= 2) {
    for (int round = 0; round < 4; ++round) {
      for (int k = 0; k < 4; ++k) {
        for (double sign : {-1.0, 1.0}) {
          DecoderCalibration c = best;
          const double f = 1 + sign * step;
          switch (k) {
            case 0:
              c.set_memory_efficiency(c.memory_efficiency() * f);
              break;
            case 1:
              c.set_gemm_max_efficiency(
                  std::min(1.0, c.gemm_max_efficiency() * f));
              break;
            case 2:
              c.set_gemm_half_flops(c.gemm_half_flops() * f);
              break;
            default:
              c.set_layer_overhead_s(
                  std::max(0.0, c.layer_overhead_s() + sign * step * 20e-6));
          }
          RETURN_IF_ERROR(consider(c));
        }
      }
    }
  }
  return best;
}

absl::StatusOr<std::vector<AllReduceMeasurement>> ReadAllReduceMeasurements(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::vector<AllReduceMeasurement> out;
  std::string line;
  int number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const auto error = [&](absl::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": ", what));
    };
    if (!header) {
      if (line != "gpu\tworkers\tbytes\tms") {
        return error("want the header gpu, workers, bytes, ms");
      }
      header = true;
      continue;
    }
    const std::vector<std::string> f = absl::StrSplit(line, '\t');
    AllReduceMeasurement m;
    double ms;
    if (f.size() != 4 || !absl::SimpleAtoi(f[1], &m.workers) ||
        !absl::SimpleAtod(f[2], &m.bytes) || !absl::SimpleAtod(f[3], &ms) ||
        m.workers < 2 || !(m.bytes > 0) || !(ms > 0) || !std::isfinite(ms)) {
      return error(absl::StrCat("bad row '", line, "'"));
    }
    m.gpu = f[0];
    m.seconds = ms * 1e-3;
    out.push_back(std::move(m));
  }
  if (out.empty()) return absl::InvalidArgumentError(path + ": no rows");
  return out;
}

double AllReduceModelSeconds(double latency_s, double bus_bandwidth,
                             double bytes, int workers) {
  return latency_s + 2.0 * (workers - 1) / workers * bytes / bus_bandwidth;
}

double AllReduceRmsLogError(const std::vector<AllReduceMeasurement>& rows,
                            const std::string& gpu, double latency_s,
                            double bus_bandwidth) {
  double sum = 0;
  int n = 0;
  for (const AllReduceMeasurement& r : rows) {
    if (r.gpu != gpu) continue;
    const double e = std::log(
        AllReduceModelSeconds(latency_s, bus_bandwidth, r.bytes, r.workers) /
        r.seconds);
    sum += e * e;
    ++n;
  }
  return n == 0 ? 0 : std::sqrt(sum / n);
}

absl::StatusOr<std::pair<double, double>> FitAllReduce(
    const std::vector<AllReduceMeasurement>& rows, const std::string& gpu) {
  bool any = false;
  for (const AllReduceMeasurement& r : rows) any = any || r.gpu == gpu;
  if (!any) {
    return absl::NotFoundError(absl::StrCat("no all-reduces of ", gpu));
  }
  std::pair<double, double> best{0, 0};
  double best_error = std::numeric_limits<double>::infinity();
  for (double lat = 1e-6; lat <= 2e-4; lat *= 1.05) {
    for (double bw = 1e10; bw <= 2e12; bw *= 1.05) {
      const double e = AllReduceRmsLogError(rows, gpu, lat, bw);
      if (e < best_error) {
        best_error = e;
        best = {lat, bw};
      }
    }
  }
  return best;
}

}  // namespace multiplex
