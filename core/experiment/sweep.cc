#include "core/experiment/sweep.h"

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
  absl::StatusOr<std::unique_ptr<CostModel>> model =
      Registry<CostModel>::Global().Create("database", args);
  if (!model.ok()) return model.status();
  return model;
}

absl::StatusOr<std::vector<ServingStats>> RunServingSweep(
    const std::vector<ServingCase>& cases, const ParallelOptions& options) {
  std::vector<ServingStats> stats(cases.size());
  absl::Status s = RunCases(
      cases.size(),
      [&](size_t i) -> absl::Status {
        absl::StatusOr<ServingCaseResult> r = RunServingCase(cases[i]);
        if (!r.ok()) {
          return absl::Status(
              r.status().code(),
              absl::StrCat("case ", i, " (", cases[i].policy, ", ",
                           cases[i].model_type, "): ", r.status().message()));
        }
        stats[i] = std::move(r->stats);
        return absl::OkStatus();
      },
      options);
  if (!s.ok()) return s;
  return stats;
}

}  // namespace multiplex
