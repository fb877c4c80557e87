#ifndef MULTIPLEX_POLICIES_TEST_UTIL_H_
#define MULTIPLEX_POLICIES_TEST_UTIL_H_

// Helpers for the policy tests and benchmark: a BERT-like fake cost model and
// Gamma-arrival training workloads (std::gamma_distribution; reproducible
// with one standard library, which is all a test needs).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/placement.h"
#include "core/stream_seed.h"
#include "core/testing/fake_cost_model.h"
#include "core/workload.h"

namespace multiplex {
namespace testing_util {

inline double kInf() { return std::numeric_limits<double>::infinity(); }

// `type` with batch-1 latency l1_s and weight_gib on one GPU, for every
// (1,op,pp) with op in {1,2,4,8} and pp in {1,2,4,8}: op costs 10% per
// doubling in communication, pp 2% per extra stage; weights split evenly.
inline void AddBertLike(FakeCostModel* cost, const std::string& type,
                        double l1_s, double weight_gib) {
  for (int op = 1; op <= 8; op *= 2) {
    for (int pp = 1; pp <= 8; pp *= 2) {
      const double latency =
          l1_s / op * (1 + 0.1 * std::log2(op)) * (1 + 0.02 * (pp - 1));
      cost->SetUniform(type, {1, op, pp}, latency, weight_gib * kGiB);
    }
  }
}

inline std::vector<ModelSpec> Models(int n, const std::string& type) {
  std::vector<ModelSpec> out;
  for (int i = 0; i < n; ++i) {
    ModelSpec m;
    m.name = "m" + std::to_string(i);
    m.type = type;
    out.push_back(m);
  }
  return out;
}

// Gamma renewal arrivals (rate_i, cv) over [0, duration) for models
// m0..m{n-1}, merged by time (ties: model index).
inline Workload GammaWorkload(const std::vector<double>& rates, double cv,
                              double duration, uint64_t seed,
                              double slo_s = kInf()) {
  std::vector<std::tuple<double, int32_t>> all;
  Workload w;
  for (size_t m = 0; m < rates.size(); ++m) {
    w.model_names.push_back("m" + std::to_string(m));
    std::mt19937_64 rng(StreamSeed(seed, m));
    const double shape = 1 / (cv * cv);
    std::gamma_distribution<double> gap(shape, cv * cv / rates[m]);
    for (double t = gap(rng); t < duration; t += gap(rng)) {
      all.emplace_back(t, static_cast<int32_t>(m));
    }
  }
  std::sort(all.begin(), all.end());
  w.arrival_s.reserve(all.size());
  for (const auto& [t, m] : all) {
    w.arrival_s.push_back(t);
    w.model.push_back(m);
    w.slo_s.push_back(slo_s);
  }
  return w;
}

}  // namespace testing_util
}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_TEST_UTIL_H_
