#include "tools/cli/cost_model_flags.h"

namespace multiplex {

absl::StatusOr<std::unique_ptr<CostModel>> CostModelFromFlags(
    const std::string& spec, const std::string& db) {
  if (!spec.empty() && !db.empty()) {
    return absl::InvalidArgumentError(
        "give --cost_model=SPEC or --db=PATH (short for "
        "--cost_model=database:path=PATH), not both");
  }
  if (spec.empty() && db.empty()) {
    return absl::InvalidArgumentError(
        "a cost model is required: --db=PATH (a profiling database) or "
        "--cost_model=SPEC (any cost model of //tools:plugins, e.g. "
        "analytical)");
  }
  const Registry<CostModel>& registry = Registry<CostModel>::Global();
  if (!db.empty()) {
    // Through the arguments, so that any file name works (a spec's values
    // may not hold ',' or '=').
    PluginArgs args;
    args.Set("path", db);
    return registry.Create("database", args);
  }
  return registry.Create(spec, WorkspaceDefaults<CostModel>(spec));
}

std::vector<NamedPath> SpecPaths(absl::string_view flag,
                                 absl::string_view spec) {
  std::vector<NamedPath> paths;
  absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
  if (!parsed.ok()) return paths;
  for (const auto& [key, value] : parsed->args.values()) {
    if (value.find_first_of("/.") == std::string::npos) continue;
    paths.push_back({absl::StrCat(flag, " ", key, "="), value});
  }
  return paths;
}

}  // namespace multiplex
