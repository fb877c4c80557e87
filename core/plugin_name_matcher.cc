#include "core/plugin_name_matcher.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"

namespace multiplex {

absl::StatusOr<PluginSpec> ParsePluginSpec(absl::string_view spec) {
  spec = absl::StripAsciiWhitespace(spec);
  PluginSpec parsed;
  size_t colon = spec.find(':');
  parsed.name = std::string(absl::StripAsciiWhitespace(spec.substr(0, colon)));
  if (parsed.name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("empty plugin name in '", spec, "'"));
  }
  if (colon != absl::string_view::npos) {
    absl::StatusOr<PluginArgs> args = PluginArgs::Parse(spec.substr(colon + 1));
    if (!args.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("in '", spec, "': ", args.status().message()));
    }
    parsed.args = *args;
  }
  return parsed;
}

absl::StatusOr<std::vector<std::string>> MatchPluginName(
    absl::string_view name, absl::string_view pattern,
    absl::string_view requested) {
  // The plain name always matches; parameters then come from the args.
  if (requested == name) return std::vector<std::string>();
  if (pattern.empty()) return absl::NotFoundError("no match");
  RE2 re{re2::StringPiece(pattern.data(), pattern.size())};
  int groups = re.NumberOfCapturingGroups();
  std::vector<std::string> values(groups);
  std::vector<RE2::Arg> args(groups);
  std::vector<RE2::Arg*> arg_ptrs(groups);
  for (int i = 0; i < groups; ++i) {
    args[i] = RE2::Arg(&values[i]);
    arg_ptrs[i] = &args[i];
  }
  if (!RE2::FullMatchN(re2::StringPiece(requested.data(), requested.size()), re,
                       arg_ptrs.data(), groups)) {
    return absl::NotFoundError("no match");
  }
  return values;
}

absl::Status ValidatePluginPattern(absl::string_view pattern, int num_params) {
  if (pattern.empty()) return absl::OkStatus();
  RE2 re{re2::StringPiece(pattern.data(), pattern.size()), RE2::Quiet};
  if (!re.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad name pattern '", pattern, "': ", re.error()));
  }
  if (re.NumberOfCapturingGroups() > num_params) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name pattern '", pattern, "' has ", re.NumberOfCapturingGroups(),
        " capture groups but only ", num_params, " parameters"));
  }
  return absl::OkStatus();
}

size_t CountCaptureGroups(absl::string_view pattern) {
  if (pattern.empty()) return 0;
  RE2 re{re2::StringPiece(pattern.data(), pattern.size()), RE2::Quiet};
  return re.ok() ? re.NumberOfCapturingGroups() : 0;
}

}  // namespace multiplex
