#include "workloads/random.h"

#include <cmath>

namespace multiplex {
namespace workload_internal {
namespace {

constexpr double kR = 3.442619855899;
constexpr double kV = 9.91256303526217e-3;

double Density(double x) { return std::exp(-0.5 * x * x); }

ZigguratTables MakeTables() {
  ZigguratTables t;
  t.x[0] = kV / Density(kR);
  t.x[1] = kR;
  for (int i = 2; i < 128; ++i) {
    t.x[i] = std::sqrt(-2.0 * std::log(kV / t.x[i - 1] + Density(t.x[i - 1])));
  }
  t.x[128] = 0.0;
  for (int i = 0; i < 128; ++i) t.ratio[i] = t.x[i + 1] / t.x[i];
  return t;
}

}  // namespace

const ZigguratTables& Ziggurat() {
  static const ZigguratTables tables = MakeTables();
  return tables;
}

}  // namespace workload_internal

double Rng::NormalSlowPath(uint64_t layer, double u) {
  const workload_internal::ZigguratTables& z = workload_internal::Ziggurat();
  while (true) {
    if (layer == 0) {
      // The tail beyond R (Marsaglia 1964).
      double x, y;
      do {
        x = std::log(Uniform()) / workload_internal::kR;
        y = std::log(Uniform());
      } while (-2.0 * y < x * x);
      return u < 0 ? x - workload_internal::kR : workload_internal::kR - x;
    }
    // The wedge between layers `layer` and `layer + 1`.
    const double x = u * z.x[layer];
    const double f0 = std::exp(-0.5 * (z.x[layer] * z.x[layer] - x * x));
    const double f1 =
        std::exp(-0.5 * (z.x[layer + 1] * z.x[layer + 1] - x * x));
    if (f1 + Uniform() * (f0 - f1) < 1.0) return x;
    // Rejected: a fresh try.
    const uint64_t bits = engine_();
    layer = bits & 127;
    u = (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-51 - 1.0;
    if (std::fabs(u) < z.ratio[layer]) return u * z.x[layer];
  }
}

}  // namespace multiplex
