// deterministic:rate=R — one arrival every 1/R seconds.

#include <memory>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "workloads/process_util.h"
#include "workloads/processes.h"

namespace multiplex {

absl::StatusOr<std::unique_ptr<DeterministicProcess>>
DeterministicProcess::Create(double rate) {
  absl::Status ok = workload_internal::CheckPositiveRate("rate", rate);
  if (!ok.ok()) return ok;
  return std::unique_ptr<DeterministicProcess>(new DeterministicProcess(rate));
}

std::string DeterministicProcess::Name() const {
  return absl::StrCat("deterministic(rate=", rate_, ")");
}

std::vector<double> DeterministicProcess::Generate(double start,
                                                   double duration,
                                                   uint64_t /*seed*/) const {
  std::vector<double> out =
      workload_internal::ReserveArrivals(rate_ * duration);
  const double end = start + duration;
  // start + k / rate, computed afresh for each k (no accumulated rounding).
  for (double k = 1;; k += 1) {
    const double t = start + k / rate_;
    if (!(t < end)) break;
    out.push_back(t);
  }
  return out;
}

namespace {

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"deterministic",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Double("rate")
          .GreaterThan(0)
          .FedBy(Feed::kRate)
          .Help("arrivals per second")},
     /*help=*/"evenly spaced arrivals at start + k/rate, k = 1, 2, ...",
     /*example=*/"deterministic:rate=2",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<ArrivalProcess>> {
       absl::StatusOr<std::unique_ptr<DeterministicProcess>> p =
           DeterministicProcess::Create(args.GetDouble("rate"));
       if (!p.ok()) return p.status();
       return std::unique_ptr<ArrivalProcess>(std::move(*p));
     }});

}  // namespace
}  // namespace multiplex
