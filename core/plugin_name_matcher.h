#ifndef MULTIPLEX_CORE_PLUGIN_NAME_MATCHER_H_
#define MULTIPLEX_CORE_PLUGIN_NAME_MATCHER_H_

// The non-template half of the registry: spec parsing and re2 matching.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/plugin_args.h"

namespace multiplex {

// "gamma:rate=2,cv=3" -> name "gamma", args {rate: 2, cv: 3}.
struct PluginSpec {
  std::string name;
  PluginArgs args;
};
absl::StatusOr<PluginSpec> ParsePluginSpec(absl::string_view spec);

// Whether `requested` names the plugin: equal to `name` when `pattern` is
// empty, else a full re2 match of `pattern`. Returns the capture groups.
absl::StatusOr<std::vector<std::string>> MatchPluginName(
    absl::string_view name, absl::string_view pattern,
    absl::string_view requested);

// OK when `pattern` is empty or compiles with at most `num_params` groups.
absl::Status ValidatePluginPattern(absl::string_view pattern, int num_params);

size_t CountCaptureGroups(absl::string_view pattern);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLUGIN_NAME_MATCHER_H_
