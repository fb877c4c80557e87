#ifndef MULTIPLEX_CORE_PLUGIN_ARGS_H_
#define MULTIPLEX_CORE_PLUGIN_ARGS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

// Plugin parameters as text, before the registry parses them against the
// plugin's declarations (core/plugin_params.h): those bound from the plugin
// name (mp-greedy-8 -> G=8), those after a colon in the spec
// (gamma:rate=2,cv=3) and those a tool sets from its flags.
class PluginArgs {
 public:
  PluginArgs() = default;

  void Set(absl::string_view key, absl::string_view value);
  void Set(absl::string_view key, double value);
  // Integers as digits: the shortest double form of 100000 is "1e+05",
  // which an int parameter refuses.
  void Set(absl::string_view key, int value);
  void Set(absl::string_view key, int64_t value);
  bool Has(absl::string_view key) const;
  const std::map<std::string, std::string>& values() const { return values_; }

  // "k1=v1,k2=v2" in key order; empty when there are none.
  std::string ToString() const;

  // Parses "k1=v1,k2=v2" (values may not contain ',' or '=').
  static absl::StatusOr<PluginArgs> Parse(absl::string_view text);

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLUGIN_ARGS_H_
