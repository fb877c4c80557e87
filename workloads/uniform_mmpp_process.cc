// uniform-mmpp:durations=D0/D1/..,rates=R0/R1/..[,rate=R] — a Markov-modulated
// Poisson process whose state, after an exponential holding time with mean
// Di, switches to one of the other states chosen uniformly.

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "workloads/process_util.h"
#include "workloads/processes.h"
#include "workloads/random.h"

namespace multiplex {
namespace {

// Solves a x = b for a small dense a (Gaussian elimination, partial
// pivoting); a is taken by value.
std::vector<double> Solve(std::vector<std::vector<double>> a,
                          std::vector<double> b) {
  const size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::fabs(a[r][col]) > std::fabs(a[pivot][col])) pivot = r;
    }
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t r = col + 1; r < n; ++r) {
      const double f = a[r][col] / a[col][col];
      for (size_t c = col; c < n; ++c) a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(n);
  for (size_t i = n; i-- > 0;) {
    double s = b[i];
    for (size_t c = i + 1; c < n; ++c) s -= a[i][c] * x[c];
    x[i] = s / a[i][i];
  }
  return x;
}

}  // namespace

UniformMmppProcess::UniformMmppProcess(std::vector<double> durations,
                                       std::vector<double> rates)
    : durations_(std::move(durations)), rates_(std::move(rates)) {
  const size_t n = rates_.size();
  // The embedded jump chain is uniform over the other states, so every state
  // is entered equally often: the time fractions are Di / sum(D).
  double total_d = 0, weighted = 0;
  for (size_t i = 0; i < n; ++i) {
    total_d += durations_[i];
    weighted += durations_[i] * rates_[i];
  }
  mean_rate_ = weighted / total_d;
  // Gap moments of the stationary MMPP (generator Q, rates L): with
  // M = L - Q and alpha = pi L / (pi r) the state seen at an arrival,
  // E[T] = alpha M^-1 1 and E[T^2] = 2 alpha M^-2 1.
  std::vector<std::vector<double>> m(n, std::vector<double>(n, 0.0));
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      if (i == j) {
        m[i][j] = rates_[i] + (n > 1 ? 1.0 / durations_[i] : 0.0);
      } else {
        m[i][j] = -1.0 / (durations_[i] * (n - 1));
      }
    }
  }
  std::vector<double> x = Solve(m, std::vector<double>(n, 1.0));
  std::vector<double> y = Solve(m, x);
  double et = 0, et2 = 0;
  for (size_t i = 0; i < n; ++i) {
    const double alpha = durations_[i] * rates_[i] / weighted;
    et += alpha * x[i];
    et2 += 2.0 * alpha * y[i];
  }
  cv_ = std::sqrt(std::max(et2 - et * et, 0.0)) / et;
}

absl::StatusOr<std::unique_ptr<UniformMmppProcess>> UniformMmppProcess::Create(
    std::vector<double> durations, std::vector<double> rates) {
  if (durations.empty() || durations.size() != rates.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "durations and rates need the same number (>= 1) of states, got ",
        durations.size(), " and ", rates.size()));
  }
  double sum_rates = 0;
  for (size_t i = 0; i < durations.size(); ++i) {
    if (!std::isfinite(durations[i]) || !(durations[i] > 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "state durations must be finite and > 0, got ", durations[i]));
    }
    if (!std::isfinite(rates[i]) || rates[i] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("state rates must be finite and >= 0, got ", rates[i]));
    }
    sum_rates += rates[i];
  }
  if (!(sum_rates > 0)) {
    return absl::InvalidArgumentError("at least one state rate must be > 0");
  }
  return std::unique_ptr<UniformMmppProcess>(
      new UniformMmppProcess(std::move(durations), std::move(rates)));
}

std::string UniformMmppProcess::Name() const {
  return absl::StrCat("uniform-mmpp(durations=", absl::StrJoin(durations_, "/"),
                      ",rates=", absl::StrJoin(rates_, "/"), ")");
}

std::vector<double> UniformMmppProcess::Generate(double start, double duration,
                                                 uint64_t seed) const {
  std::vector<double> out =
      workload_internal::ReserveArrivals(mean_rate_ * duration);
  const uint64_t n = rates_.size();
  Rng rng(seed);
  uint64_t state = rng.UniformInt(n);
  const double end = start + duration;
  double t = start;
  // Arrivals and state changes together are capped: holding times that
  // underflow would otherwise switch states forever without advancing t.
  const size_t cap = workload_internal::MaxArrivals(mean_rate_, duration);
  size_t steps = 0;
  while (t < end && out.size() + steps < cap) {
    ++steps;
    const double state_end =
        std::min(t + durations_[state] * rng.Exponential(), end);
    if (rates_[state] > 0) {
      const double mean_gap = 1.0 / rates_[state];
      double a = t;
      while (out.size() + steps < cap) {
        a += rng.Exponential() * mean_gap;
        if (!(a < state_end)) break;
        out.push_back(a);
      }
    }
    t = state_end;
    if (n > 1) {
      const uint64_t k = rng.UniformInt(n - 1);
      state = k >= state ? k + 1 : k;
    }
  }
  return out;
}

namespace {

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"uniform-mmpp",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::DoubleList("durations")
          .AtLeast(1e-6)
          .Help("mean holding time of each state, seconds (at least a "
                "microsecond: shorter holding times stop time advancing)"),
      PluginParam::DoubleList("rates").AtLeast(0).Help(
          "arrival rate in each state (as many as durations, not all 0)"),
      PluginParam::Double("rate")
          .GreaterThan(0)
          .Optional()
          .FedBy(Feed::kRate)
          .Help("scale the state rates to this mean rate")},
     /*help=*/
     "Markov-modulated Poisson process; states switch uniformly to another "
     "state after an exponential holding time",
     /*example=*/"uniform-mmpp:durations=1/2,rates=1/4",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<ArrivalProcess>> {
       // The registry checked each item; the lengths and the all-zero case
       // are for Create.
       absl::StatusOr<std::unique_ptr<UniformMmppProcess>> p =
           UniformMmppProcess::Create(args.GetDoubleList("durations"),
                                      args.GetDoubleList("rates"));
       if (!p.ok()) return p.status();
       if (args.Has("rate")) {
         std::vector<double> scaled = (*p)->rates();
         const double f = args.GetDouble("rate") / (*p)->Rate();
         for (double& r : scaled) r *= f;
         p = UniformMmppProcess::Create((*p)->durations(), scaled);
         if (!p.ok()) return p.status();
       }
       return std::unique_ptr<ArrivalProcess>(std::move(*p));
     }});

}  // namespace
}  // namespace multiplex
