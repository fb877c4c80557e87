#include "experiments/lib/sweep.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/registry.h"

namespace multiplex {

std::vector<double> Linspace(double lo, double hi, int n) {
  std::vector<double> values;
  if (n == 1) return {lo};
  for (int i = 0; i < n; ++i) {
    // numpy's formula: lo + i * step, with the last value exactly hi.
    values.push_back(i == n - 1 ? hi : lo + i * ((hi - lo) / (n - 1)));
  }
  return values;
}

std::string FormatValues(const std::vector<double>& values) {
  return absl::StrJoin(
      values, " ", [](std::string* out, double v) { absl::StrAppend(out, v); });
}

absl::StatusOr<std::unique_ptr<CostModel>> LoadCostModel(
    const std::string& path) {
  // Through the registry: the binary links the `database` plugin.
  PluginArgs args;
  args.Set("path", absl::string_view(path));
  return Registry<CostModel>::Global().Create("database", args);
}

absl::StatusOr<std::vector<ServingStats>> RunServingSweep(
    const std::vector<ServingCase>& cases, const ParallelOptions& options) {
  // Cases that draw the same requests (the policies compared at one x) form
  // a job: its requests are drawn once and dropped when the job ends.
  std::vector<std::vector<size_t>> jobs;
  for (size_t i = 0; i < cases.size(); ++i) {
    auto job = std::find_if(jobs.begin(), jobs.end(), [&](const auto& j) {
      return SameRequests(cases[j.front()], cases[i]);
    });
    if (job == jobs.end()) {
      jobs.push_back({i});
    } else {
      job->push_back(i);
    }
  }
  std::vector<ServingStats> stats(cases.size());
  auto failed = [&](size_t i, const absl::Status& s) {
    return absl::Status(s.code(),
                        absl::StrCat("case ", i, " (", cases[i].policy, ", ",
                                     cases[i].model_type, "): ", s.message()));
  };
  absl::Status s = RunCases(
      jobs.size(),
      [&](size_t j) -> absl::Status {
        const std::vector<size_t>& job = jobs[j];
        absl::StatusOr<ServingRequests> drawn =
            MakeServingRequests(cases[job.front()]);
        if (!drawn.ok()) return failed(job.front(), drawn.status());
        auto requests =
            std::make_shared<const ServingRequests>(*std::move(drawn));
        for (size_t i : job) {
          absl::StatusOr<ServingCaseResult> r =
              RunServingCase(cases[i], requests);
          if (!r.ok()) return failed(i, r.status());
          stats[i] = std::move(r->stats);
        }
        return absl::OkStatus();
      },
      options);
  if (!s.ok()) return s;
  return stats;
}

}  // namespace multiplex
