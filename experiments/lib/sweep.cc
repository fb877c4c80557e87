#include "experiments/lib/sweep.h"

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

absl::StatusOr<std::unique_ptr<CostModel>> LoadCostModel(
    const std::string& path) {
  // Through the registry: the binary links the `database` plugin.
  PluginArgs args;
  args.Set("path", absl::string_view(path));
  return Registry<CostModel>::Global().Create("database", args);
}

}  // namespace multiplex
