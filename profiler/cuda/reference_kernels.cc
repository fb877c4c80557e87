#include "profiler/cuda/reference_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>

namespace multiplex {
namespace cuda {

namespace {

float RoundToBf16(float x) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  if ((u & 0x7f800000u) == 0x7f800000u) return x;  // inf / nan
  u += 0x7fffu + ((u >> 16) & 1u);
  u &= 0xffff0000u;
  float r;
  std::memcpy(&r, &u, 4);
  return r;
}

float RoundToHalf(float x) {
  if (!std::isfinite(x)) return x;
  const float ax = std::fabs(x);
  if (ax >= 65520.0f) return std::copysign(INFINITY, x);
  int e;
  std::frexp(ax, &e);  // ax = m 2^e, m in [0.5, 1)
  // fp16: 11 significant bits for normals (e >= -13), fixed 2^-24 below.
  const int exp_unit = std::max(e - 11, -24);
  const double unit = std::ldexp(1.0, exp_unit);
  const double q = std::nearbyint(static_cast<double>(x) / unit);  // ties even
  return static_cast<float>(q * unit);
}

}  // namespace

float RoundToDType(float x, DType dtype) {
  return dtype == DType::kFp16 ? RoundToHalf(x) : RoundToBf16(x);
}

double RelativeTolerance(DType dtype) {
  // 4 ulps of the output format (fp16 2^-10, bf16 2^-7 relative spacing).
  return dtype == DType::kFp16 ? 4.0 / 1024 : 4.0 / 128;
}

std::vector<std::vector<float>> RandomInputs(const OpSpec& op, DType dtype,
                                             unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uni(-1.0f, 1.0f);
  const OperandSizes sz = SizesOf(op);
  std::vector<std::vector<float>> in(4);
  for (int i = 0; i < 4; ++i) {
    in[i].resize(sz.in[i]);
    const bool indices = op.kind == OpKind::kGather && i == 1;
    for (float& v : in[i]) {
      v = indices ? static_cast<float>(rng() % op.vocab)
                  : RoundToDType(uni(rng), dtype);
    }
  }
  return in;
}

std::vector<double> ReferenceOp(const OpSpec& op,
                                const std::vector<std::vector<float>>& in) {
  const OperandSizes sz = SizesOf(op);
  std::vector<double> out(sz.out, 0.0);
  switch (op.kind) {
    case OpKind::kGemm:
    case OpKind::kBatchedGemm:
      for (int64_t b = 0; b < op.batch; ++b) {
        const float* a = in[0].data() + b * op.m * op.k;
        const float* bm = in[1].data() + b * op.k * op.n;
        double* c = out.data() + b * op.m * op.n;
        for (int64_t i = 0; i < op.m; ++i) {
          for (int64_t j = 0; j < op.n; ++j) {
            double s = 0;
            for (int64_t p = 0; p < op.k; ++p) {
              const double bv =
                  op.trans_b ? bm[j * op.k + p] : bm[p * op.n + j];
              s += static_cast<double>(a[i * op.k + p]) * bv;
            }
            c[i * op.n + j] = s;
          }
        }
      }
      break;
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax: {
      const bool log = op.kind == OpKind::kLogSoftmax;
      const double scale = log ? 1.0 : op.scale;
      for (int64_t r = 0; r < op.rows; ++r) {
        const float* x = in[0].data() + r * op.cols;
        double m = -INFINITY;
        for (int64_t c = 0; c < op.cols; ++c) m = std::max(m, scale * x[c]);
        double s = 0;
        for (int64_t c = 0; c < op.cols; ++c) s += std::exp(scale * x[c] - m);
        for (int64_t c = 0; c < op.cols; ++c) {
          out[r * op.cols + c] = log ? scale * x[c] - m - std::log(s)
                                     : std::exp(scale * x[c] - m) / s;
        }
      }
      break;
    }
    case OpKind::kLayerNorm:
      for (int64_t r = 0; r < op.rows; ++r) {
        double mean = 0, var = 0;
        for (int64_t c = 0; c < op.cols; ++c) {
          mean += in[0][r * op.cols + c] +
                  static_cast<double>(in[1][r * op.cols + c]);
        }
        mean /= op.cols;
        for (int64_t c = 0; c < op.cols; ++c) {
          const double d = in[0][r * op.cols + c] +
                           static_cast<double>(in[1][r * op.cols + c]) - mean;
          var += d * d;
        }
        var /= op.cols;
        const double rstd = 1.0 / std::sqrt(var + 1e-5);
        for (int64_t c = 0; c < op.cols; ++c) {
          const double d = in[0][r * op.cols + c] +
                           static_cast<double>(in[1][r * op.cols + c]) - mean;
          out[r * op.cols + c] = d * rstd * in[2][c] + in[3][c];
        }
      }
      break;
    case OpKind::kGelu:
      for (int64_t i = 0; i < sz.out; ++i) {
        const double v = in[0][i];
        out[i] = 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
      }
      break;
    case OpKind::kGather:
      for (int64_t r = 0; r < op.rows; ++r) {
        const int64_t idx = static_cast<int64_t>(std::lround(in[1][r]));
        for (int64_t c = 0; c < op.cols; ++c) {
          out[r * op.cols + c] = in[0][idx * op.cols + c];
        }
      }
      break;
  }
  return out;
}

Comparison Compare(const std::vector<float>& got,
                   const std::vector<double>& ref, DType dtype) {
  Comparison c;
  if (got.size() != ref.size()) {
    c.violations = -1;
    return c;
  }
  for (double r : ref) c.max_ref = std::max(c.max_ref, std::fabs(r));
  const double rtol = RelativeTolerance(dtype);
  for (size_t i = 0; i < ref.size(); ++i) {
    const double err = std::fabs(static_cast<double>(got[i]) - ref[i]);
    if (!(err <= rtol * (std::fabs(ref[i]) + 0.05 * c.max_ref))) {
      ++c.violations;
    }
    if (!(err <= c.max_abs_error)) c.max_abs_error = err;  // NaN sticks
  }
  c.normalized_error = c.max_ref > 0 ? c.max_abs_error / c.max_ref : 0;
  c.ok = c.violations == 0 && std::isfinite(c.max_abs_error);
  return c;
}

std::string Comparison::Describe() const {
  char buf[200];
  std::snprintf(buf, sizeof(buf),
                "max |err| %.3g, max |ref| %.3g, normalized %.3g, "
                "%lld elements out of tolerance",
                max_abs_error, max_ref, normalized_error,
                static_cast<long long>(violations));
  return buf;
}

}  // namespace cuda
}  // namespace multiplex
