#ifndef MULTIPLEX_CORE_WORKLOAD_RANDOM_H_
#define MULTIPLEX_CORE_WORKLOAD_RANDOM_H_

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

  // Standard normal (Marsaglia's polar method; the second variate of each
  // pair is kept for the next call).
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = 2.0 * Uniform() - 1.0;
      v = 2.0 * Uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * f;
    has_spare_ = true;
    return u * f;
  }

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// Gamma(shape, scale 1) by Marsaglia & Tsang (2000), "A simple method for
// generating gamma variables"; for shape < 1 it samples Gamma(shape + 1) and
// multiplies by U^(1/shape). Constants are precomputed once per shape.
class GammaSampler {
 public:
  explicit GammaSampler(double shape)
      : boost_(shape < 1.0),
        inv_shape_(1.0 / shape),
        d_((boost_ ? shape + 1.0 : shape) - 1.0 / 3.0),
        c_(1.0 / std::sqrt(9.0 * d_)) {}

  double operator()(Rng& rng) const {
    double value;
    while (true) {
      double x, v;
      do {
        x = rng.Normal();
        v = 1.0 + c_ * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = rng.Uniform();
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
    if (boost_) value *= std::exp(std::log(rng.Uniform()) * inv_shape_);
    return value;
  }

 private:
  bool boost_;
  double inv_shape_;
  double d_;
  double c_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_WORKLOAD_RANDOM_H_
