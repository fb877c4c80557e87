#ifndef MULTIPLEX_CORE_LENGTH_DISTRIBUTION_H_
#define MULTIPLEX_CORE_LENGTH_DISTRIBUTION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace multiplex {

// A distribution of token counts (the prompt or the output of LLM
// requests). Implementations register in Registry<LengthDistribution>
// (fixed, uniform, lognormal, empirical; workloads/lengths.cc).
//
// Contract: Sample() is a pure function of (n, seed): the same arguments
// give the same counts on any machine with the same binary, each in
// [0, kMaxRequestTokens] (core/limits.h). Const methods are thread-safe.
class LengthDistribution {
 public:
  static constexpr const char* kPluginCategory = "length_distribution";

  virtual ~LengthDistribution() = default;

  // Name with parameters, e.g. "lognormal(median=512,p90=2048)".
  virtual std::string Name() const = 0;
  // The mean of the counts Sample() draws (after rounding and clamping).
  virtual double Mean() const = 0;
  virtual std::vector<int32_t> Sample(size_t n, uint64_t seed) const = 0;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_LENGTH_DISTRIBUTION_H_
