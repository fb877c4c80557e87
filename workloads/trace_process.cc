// trace:path=FILE[,model=NAME][,offset=S] — replays recorded arrival times.

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "workloads/processes.h"
#include "workloads/stats.h"
#include "workloads/trace_io.h"

namespace multiplex {

TraceProcess::TraceProcess(std::vector<double> times, std::string label)
    : times_(std::move(times)), label_(std::move(label)) {
  ArrivalStats s = MeasureArrivals(times_, /*duration=*/0);
  rate_ = s.rate;
  cv_ = s.cv;
}

absl::StatusOr<std::unique_ptr<TraceProcess>> TraceProcess::Create(
    std::vector<double> times, std::string label) {
  for (size_t i = 0; i < times.size(); ++i) {
    if (!std::isfinite(times[i]) || (i > 0 && times[i] < times[i - 1])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "trace times must be finite and sorted (at index ", i, ")"));
    }
  }
  return std::unique_ptr<TraceProcess>(
      new TraceProcess(std::move(times), std::move(label)));
}

std::string TraceProcess::Name() const {
  return absl::StrCat("trace(", label_, ")");
}

std::vector<double> TraceProcess::Generate(double start, double duration,
                                           uint64_t /*seed*/) const {
  const double end = start + duration;
  std::vector<double> out;
  for (double t : times_) {
    if (t >= start && t < end) out.push_back(t);
  }
  return out;
}

namespace {

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"trace",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::String("path").Help(
          "trace file (TSV arrival_s, model, slo_s)"),
      PluginParam::String("model")
          .Optional()
          .FedBy(Feed::kTraceModel)
          .Help("replay only this model's rows; left out in a multi-model "
                "workload, each model replays its own: the trace's model of "
                "the same name, or its i-th model (by name, m2 before m10) "
                "when no name matches"),
      PluginParam::Double("offset").Default("0").Help(
          "seconds added to every recorded time")},
     /*help=*/"replays the arrival times of a trace file",
     /*example=*/"trace:path=workloads/testdata/small_trace.tsv,model=m1",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<ArrivalProcess>> {
       const std::string& path = args.GetString("path");
       const double offset = args.GetDouble("offset");
       absl::StatusOr<Workload> w = ReadTrace(path);
       if (!w.ok()) return w.status();
       std::string label = path;
       int32_t only = -1;
       if (args.Has("model")) {
         const std::string& model = args.GetString("model");
         auto it =
             std::find(w->model_names.begin(), w->model_names.end(), model);
         if (it == w->model_names.end()) {
           return absl::InvalidArgumentError(
               absl::StrCat("trace '", path, "' has no model '", model, "'"));
         }
         only = static_cast<int32_t>(it - w->model_names.begin());
         absl::StrAppend(&label, ",model=", model);
       }
       if (offset != 0) absl::StrAppend(&label, ",offset=", offset);
       std::vector<double> times;
       for (size_t i = 0; i < w->size(); ++i) {
         if (only < 0 || w->model[i] == only) {
           times.push_back(w->arrival_s[i] + offset);
         }
       }
       absl::StatusOr<std::unique_ptr<TraceProcess>> p =
           TraceProcess::Create(std::move(times), std::move(label));
       if (!p.ok()) return p.status();
       return std::unique_ptr<ArrivalProcess>(std::move(*p));
     }});

}  // namespace
}  // namespace multiplex
