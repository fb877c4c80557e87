// gamma:rate=R,cv=C — a Gamma renewal process (cv = 1 is Poisson in law).

#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "workloads/process_util.h"
#include "workloads/processes.h"
#include "workloads/random.h"

namespace multiplex {

absl::StatusOr<std::unique_ptr<GammaProcess>> GammaProcess::Create(double rate,
                                                                   double cv) {
  absl::Status ok = workload_internal::CheckPositiveRate("rate", rate);
  if (!ok.ok()) return ok;
  if (!std::isfinite(cv) || !(cv > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cv must be a finite number > 0 (for cv = 0 use 'deterministic'), "
        "got ",
        cv));
  }
  return std::unique_ptr<GammaProcess>(new GammaProcess(rate, cv));
}

std::string GammaProcess::Name() const {
  return absl::StrCat("gamma(rate=", rate_, ",cv=", cv_, ")");
}

std::vector<double> GammaProcess::Generate(double start, double duration,
                                           uint64_t seed) const {
  std::vector<double> out =
      workload_internal::ReserveArrivals(rate_ * duration);
  const double shape = 1.0 / (cv_ * cv_);
  const double scale = cv_ * cv_ / rate_;
  const GammaSampler gamma(shape);
  Rng rng(seed);
  const double end = start + duration;
  double t = start;
  const size_t cap = workload_internal::MaxArrivals(rate_, duration);
  while (out.size() < cap) {
    t += gamma(rng) * scale;
    if (!(t < end)) break;
    out.push_back(t);
  }
  return out;
}

namespace {

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"gamma",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Double("rate")
          .GreaterThan(0)
          .FedBy(Feed::kRate)
          .Help("mean arrivals per second"),
      PluginParam::Double("cv")
          .Default("1")
          .GreaterThan(0)
          .AtMost(100)
          .FedBy(Feed::kCv)
          .Help("coefficient of variation of the gaps (for 0 use "
                "'deterministic'; above 100 nearly every gap underflows "
                "to 0)")},
     /*help=*/"Gamma renewal process: gaps ~ Gamma(1/cv^2, cv^2/rate)",
     /*example=*/"gamma:rate=2,cv=3",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<ArrivalProcess>> {
       absl::StatusOr<std::unique_ptr<GammaProcess>> p =
           GammaProcess::Create(args.GetDouble("rate"), args.GetDouble("cv"));
       if (!p.ok()) return p.status();
       return std::unique_ptr<ArrivalProcess>(std::move(*p));
     }});

}  // namespace
}  // namespace multiplex
