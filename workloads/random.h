#ifndef MULTIPLEX_WORKLOADS_RANDOM_H_
#define MULTIPLEX_WORKLOADS_RANDOM_H_

// Portable random variates for arrival processes.
//
// The engine is std::mt19937_64, whose output sequence the C++ standard fixes
// bit for bit. The distributions are implemented here rather than taken from
// <random> (std::gamma_distribution and friends are implementation-defined),
// so a seed gives the same arrival times with any standard library. The only
// platform dependence left is std::log/std::exp/std::sqrt, which glibc
// computes correctly rounded or within the same ulp on every x86-64/ARM64
// build of the same binary.

#include <cmath>
#include <cstdint>
#include <random>

namespace multiplex {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  uint64_t NextU64() { return engine_(); }

  // Uniform on the open interval (0, 1): (k + 0.5) / 2^52 for a 52-bit k, so
  // never 0 (log-safe) and never 1.
  double Uniform() {
    return (static_cast<double>(engine_() >> 12) + 0.5) * 0x1.0p-52;
  }

  // Uniform integer in [0, n) for n >= 1 (multiply-shift; the bias is below
  // 2^-40 for the small n used here).
  uint64_t UniformInt(uint64_t n) {
    return static_cast<uint64_t>(
        (static_cast<unsigned __int128>(engine_()) * n) >> 64);
  }

  // Exponential with mean 1.
  double Exponential() { return -std::log(Uniform()); }

  // Two independent uniforms on (0, 1) with 32-bit resolution from one
  // engine output (for acceptance tests, where 2^-32 granularity is
  // immaterial and an engine call is the dominant cost).
  void Uniform32Pair(double* a, double* b) {
    const uint64_t x = engine_();
    *a = (static_cast<double>(x >> 32) + 0.5) * 0x1.0p-32;
    *b = (static_cast<double>(x & 0xffffffffu) + 0.5) * 0x1.0p-32;
  }

  // Standard normal: the ziggurat method of Marsaglia & Tsang (2000) with 128
  // layers; one engine output per variate ~99% of the time (7 bits pick the
  // layer, 52 bits give the abscissa).
  double Normal();

 private:
  double NormalSlowPath(uint64_t layer, double u);
  std::mt19937_64 engine_;
};

namespace workload_internal {
// Ziggurat tables (computed once at static initialisation from the constants
// R = 3.442619855899, V = 9.91256303526217e-3).
struct ZigguratTables {
  double x[129];      // layer edges, x[1] = R, x[128] = 0
  double ratio[128];  // x[i + 1] / x[i]
};
extern const ZigguratTables& Ziggurat();
}  // namespace workload_internal

inline double Rng::Normal() {
  static const workload_internal::ZigguratTables& z =
      workload_internal::Ziggurat();
  const uint64_t bits = engine_();
  const uint64_t layer = bits & 127;
  const double u = (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-51 - 1.0;
  if (std::fabs(u) < z.ratio[layer]) return u * z.x[layer];
  return NormalSlowPath(layer, u);
}

// Gamma(shape, scale 1) by Marsaglia & Tsang (2000), "A simple method for
// generating gamma variables"; for shape < 1 it samples Gamma(shape + 1) and
// multiplies by U^(1/shape), computed as exp(log(U) / shape). Constants are
// precomputed once per shape.
class GammaSampler {
 public:
  explicit GammaSampler(double shape)
      : boost_(shape < 1.0),
        inv_shape_(1.0 / shape),
        d_((boost_ ? shape + 1.0 : shape) - 1.0 / 3.0),
        c_(1.0 / std::sqrt(9.0 * d_)) {}

  // One engine output for the normal, one for the pair (acceptance uniform,
  // boost uniform), 32 bits each, per accepted try.
  double operator()(Rng& rng) const {
    double value, u, boost_u;
    while (true) {
      double x, v;
      do {
        x = rng.Normal();
        v = 1.0 + c_ * x;
      } while (v <= 0.0);
      v = v * v * v;
      rng.Uniform32Pair(&u, &boost_u);
      const double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2) {
        value = d_ * v;
        break;
      }
      if (std::log(u) < 0.5 * x2 + d_ * (1.0 - v + std::log(v))) {
        value = d_ * v;
        break;
      }
    }
    if (boost_) value *= std::exp(std::log(boost_u) * inv_shape_);
    return value;
  }

 private:
  bool boost_;
  double inv_shape_;
  double d_;
  double c_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_RANDOM_H_
