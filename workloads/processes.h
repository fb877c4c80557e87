#ifndef MULTIPLEX_WORKLOADS_PROCESSES_H_
#define MULTIPLEX_WORKLOADS_PROCESSES_H_

// The concrete arrival processes. Each lives in its own .cc and registers
// itself in Registry<ArrivalProcess> (link //workloads:plugins; each
// process is an alwayslink plugin_library). Specs (list values are separated by '/', since ',' and '='
// belong to the registry's "k=v,k=v"):
//
//   gamma:rate=R,cv=C                   renewal, gaps ~ Gamma(1/C^2, C^2/R)
//   poisson:rate=R                      renewal, gaps ~ Exp(R)
//   deterministic:rate=R                arrivals at start + k/R, k = 1, 2, ...
//   uniform-mmpp:durations=D0/D1/..,rates=R0/R1/..[,rate=R]
//       Markov-modulated Poisson process: in state i arrivals are Poisson
//       with rate Ri; the state is held for an exponential time with mean Di
//       and then switches to one of the other states, chosen uniformly. The
//       first state is uniform. The mean rate is sum(Di Ri) / sum(Di); with
//       `rate`, all Ri are scaled so that the mean rate is R.
//   trace:path=FILE[,model=NAME][,offset=S]
//       replays the arrival times of a trace file (see trace_io.h), those of
//       model NAME only when given, shifted by S seconds; Generate() keeps
//       the times in [start, start + duration) and ignores the seed. A
//       relative path is taken from the current directory (the tools change
//       to the directory `bazel run` was started in).
//
// Renewal processes start at `start` (the first arrival is one gap after it)
// and draw from std::mt19937_64 seeded with the seed Generate() is given,
// through the portable samplers of random.h.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/arrival_process.h"

namespace multiplex {

class GammaProcess : public ArrivalProcess {
 public:
  // rate > 0 and cv > 0, both finite.
  static absl::StatusOr<std::unique_ptr<GammaProcess>> Create(double rate,
                                                              double cv);
  std::string Name() const override;
  double Rate() const override { return rate_; }
  double Cv() const override { return cv_; }
  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override;

 private:
  GammaProcess(double rate, double cv) : rate_(rate), cv_(cv) {}
  double rate_, cv_;
};

class PoissonProcess : public ArrivalProcess {
 public:
  static absl::StatusOr<std::unique_ptr<PoissonProcess>> Create(double rate);
  std::string Name() const override;
  double Rate() const override { return rate_; }
  double Cv() const override { return 1.0; }
  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override;

 private:
  explicit PoissonProcess(double rate) : rate_(rate) {}
  double rate_;
};

class DeterministicProcess : public ArrivalProcess {
 public:
  static absl::StatusOr<std::unique_ptr<DeterministicProcess>> Create(
      double rate);
  std::string Name() const override;
  double Rate() const override { return rate_; }
  double Cv() const override { return 0.0; }
  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override;

 private:
  explicit DeterministicProcess(double rate) : rate_(rate) {}
  double rate_;
};

class UniformMmppProcess : public ArrivalProcess {
 public:
  // Mean state durations > 0; state rates >= 0, not all 0; same length.
  static absl::StatusOr<std::unique_ptr<UniformMmppProcess>> Create(
      std::vector<double> durations, std::vector<double> rates);
  std::string Name() const override;
  double Rate() const override { return mean_rate_; }
  // The stationary CV of the gaps, exact for the MMPP (matrix-analytic).
  double Cv() const override { return cv_; }
  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override;
  const std::vector<double>& durations() const { return durations_; }
  const std::vector<double>& rates() const { return rates_; }

 private:
  UniformMmppProcess(std::vector<double> durations, std::vector<double> rates);
  std::vector<double> durations_, rates_;
  double mean_rate_ = 0, cv_ = 0;
};

class TraceProcess : public ArrivalProcess {
 public:
  // `times` sorted ascending; `label` goes into Name().
  static absl::StatusOr<std::unique_ptr<TraceProcess>> Create(
      std::vector<double> times, std::string label);
  std::string Name() const override;
  // 1 / mean gap of the recorded times (0 with fewer than two).
  double Rate() const override { return rate_; }
  double Cv() const override { return cv_; }
  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override;

 private:
  TraceProcess(std::vector<double> times, std::string label);
  std::vector<double> times_;
  std::string label_;
  double rate_ = 0, cv_ = 0;
};

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_PROCESSES_H_
