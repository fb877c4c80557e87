#ifndef MULTIPLEX_TOOLS_CLI_COST_MODEL_FLAGS_H_
#define MULTIPLEX_TOOLS_CLI_COST_MODEL_FLAGS_H_

// Plugins named on a command line: a tool's cost model from --cost_model=SPEC
// or its shorthand --db=PATH, and the workspace defaults of a plugin's path
// parameters.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/cost_model.h"
#include "core/file_io.h"
#include "core/plugin_args.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "tools/cli/paths.h"

namespace multiplex {

// The parameters a spec leaves out whose declared default is a relative
// path into the source tree (a string with a '/', e.g. the analytical cost
// model's hardware=profiler/hardware/v100-sxm2-16gb.textproto), set to that
// default resolved against the workspace (ResolveWorkspacePath). Pass them
// as Create's `args` so that the defaults work from any directory under
// `bazel run`; empty outside it, or when the spec names no plugin (Create
// reports that).
template <typename T>
PluginArgs WorkspaceDefaults(absl::string_view spec) {
  PluginArgs defaults;
  if (WorkspaceDirectory().empty()) return defaults;
  absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
  if (!parsed.ok()) return defaults;
  absl::StatusOr<const PluginEntry<T>*> entry =
      Registry<T>::Global().Find(spec);
  if (!entry.ok()) return defaults;
  for (const PluginParam& p : (*entry)->params) {
    if (p.type != ParamType::kString || !p.default_value.has_value() ||
        parsed->args.Has(p.name)) {
      continue;
    }
    const std::string& value = *p.default_value;
    if (value.empty() || value[0] == '/' ||
        value.find('/') == std::string::npos) {
      continue;
    }
    defaults.Set(p.name, ResolveWorkspacePath(value));
  }
  return defaults;
}

// The files a plugin spec names: the values of its string parameters that
// look like paths (contain a '/' or a '.'), each as "<flag> <param>=" for
// messages. For refusing to overwrite an input (core/file_io.h).
std::vector<NamedPath> SpecPaths(absl::string_view flag,
                                 absl::string_view spec);

// The cost model of a tool's flags: `spec` (--cost_model, any registered
// cost model) or `db` (--db=PATH, short for database:path=PATH); exactly one
// may be non-empty. Relative paths in either are the user's (the current
// directory after ParseFlagsOrFail).
absl::StatusOr<std::unique_ptr<CostModel>> CostModelFromFlags(
    const std::string& spec, const std::string& db);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_COST_MODEL_FLAGS_H_
