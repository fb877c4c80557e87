#ifndef MULTIPLEX_WORKLOADS_LENGTHS_H_
#define MULTIPLEX_WORKLOADS_LENGTHS_H_

// Token-length distributions, registered in Registry<LengthDistribution>
// (core/length_distribution.h). Specs:
//
//   fixed:tokens=N                      always N
//   uniform:min=A,max=B                 integers A..B, equally likely
//   lognormal:mean=M,sigma=S            exp(Normal(mu, S)), mu = ln M - S^2/2
//   lognormal:median=M,p90=P            exp(Normal(ln M, ln(P/M) / 1.2816))
//       (either pair; rounded to the nearest integer and clamped to
//       [min, max], default [1, kMaxRequestTokens])
//   empirical:path=FILE[,column=prompt|output]
//       the counts of a histogram file (header "tokens<TAB>count", then one
//       "N<TAB>COUNT" line per length) or of a token trace's column
//       (trace_io.h), drawn by inverse CDF
//
// Sample(n, seed) draws from std::mt19937_64 seeded with `seed` through the
// portable samplers of random.h. The generator (generator.h) seeds model
// i's prompt and output draws with StreamSeed(StreamSeed(seed, i), 1) and
// (..., 2): independent of its arrivals and of the other models.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace multiplex {

// (tokens, count) pairs of a histogram or token-trace file, sorted by
// tokens, counts > 0. Errors name FILE:LINE (text) or the file.
absl::StatusOr<std::vector<std::pair<int32_t, int64_t>>> ReadLengthHistogram(
    const std::string& path, bool output_column);

// The z-score of the 90th percentile of the standard normal distribution.
inline constexpr double kNormalZ90 = 1.2815515655446004;

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_LENGTHS_H_
