// poisson:rate=R — exponential gaps (drawn directly, not through gamma).

#include <memory>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "workloads/process_util.h"
#include "workloads/processes.h"
#include "workloads/random.h"

namespace multiplex {

absl::StatusOr<std::unique_ptr<PoissonProcess>> PoissonProcess::Create(
    double rate) {
  absl::Status ok = workload_internal::CheckPositiveRate("rate", rate);
  if (!ok.ok()) return ok;
  return std::unique_ptr<PoissonProcess>(new PoissonProcess(rate));
}

std::string PoissonProcess::Name() const {
  return absl::StrCat("poisson(rate=", rate_, ")");
}

std::vector<double> PoissonProcess::Generate(double start, double duration,
                                             uint64_t seed) const {
  std::vector<double> out =
      workload_internal::ReserveArrivals(rate_ * duration);
  const double mean_gap = 1.0 / rate_;
  Rng rng(seed);
  const double end = start + duration;
  double t = start;
  const size_t cap = workload_internal::MaxArrivals(rate_, duration);
  while (out.size() < cap) {
    t += rng.Exponential() * mean_gap;
    if (!(t < end)) break;
    out.push_back(t);
  }
  return out;
}

namespace {

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"poisson",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Double("rate")
          .GreaterThan(0)
          .FedBy(Feed::kRate)
          .Help("mean arrivals per second")},
     /*help=*/"Poisson process: exponential gaps with mean 1/rate",
     /*example=*/"poisson:rate=2",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<ArrivalProcess>> {
       absl::StatusOr<std::unique_ptr<PoissonProcess>> p =
           PoissonProcess::Create(args.GetDouble("rate"));
       if (!p.ok()) return p.status();
       return std::unique_ptr<ArrivalProcess>(std::move(*p));
     }});

}  // namespace
}  // namespace multiplex
