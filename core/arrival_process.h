#ifndef MULTIPLEX_CORE_ARRIVAL_PROCESS_H_
#define MULTIPLEX_CORE_ARRIVAL_PROCESS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace multiplex {

// A stochastic (or replayed) stream of request arrivals for one model.
// Implementations register in Registry<ArrivalProcess> (gamma, poisson, ...).
//
// Contract: Generate() is a pure function of (start, duration, seed): the
// same arguments give the same times on any machine with the same binary.
// Times are seconds, sorted ascending, all in [start, start + duration).
//
// Thread safety: const methods may be called from many threads at once (a
// process holds no mutable state; each Generate() call owns its generator).
class ArrivalProcess {
 public:
  static constexpr const char* kPluginCategory = "arrival_process";

  virtual ~ArrivalProcess() = default;

  // Name with parameters, e.g. "gamma(rate=2,cv=3)"; stamped into outputs.
  virtual std::string Name() const = 0;
  virtual double Rate() const = 0;  // mean arrivals per second
  virtual double Cv() const = 0;    // coefficient of variation of the gaps
  virtual std::vector<double> Generate(double start, double duration,
                                       uint64_t seed) const = 0;

  // Processes that replay LLM traces also know each request's token counts.
  // With HasTokens(), GenerateWithTokens returns what Generate() returns for
  // the same arguments and fills *prompt and *output with one count per
  // time. The defaults: no tokens (the caller draws them from length
  // distributions, or the workload has none).
  virtual bool HasTokens() const { return false; }
  virtual std::vector<double> GenerateWithTokens(
      double start, double duration, uint64_t seed,
      std::vector<int32_t>* prompt, std::vector<int32_t>* output) const {
    (void)prompt;
    (void)output;
    return Generate(start, duration, seed);
  }
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_ARRIVAL_PROCESS_H_
