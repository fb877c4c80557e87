#include "core/plugin_args.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/number_format.h"

namespace multiplex {

void PluginArgs::Set(absl::string_view key, absl::string_view value) {
  values_[std::string(key)] = std::string(value);
}

void PluginArgs::Set(absl::string_view key, double value) {
  Set(key, FormatDoubleExact(value));
}

void PluginArgs::Set(absl::string_view key, int value) {
  Set(key, absl::StrCat(value));
}

void PluginArgs::Set(absl::string_view key, int64_t value) {
  Set(key, absl::StrCat(value));
}

bool PluginArgs::Has(absl::string_view key) const {
  return values_.count(std::string(key)) > 0;
}

std::string PluginArgs::ToString() const {
  return absl::StrJoin(values_, ",", absl::PairFormatter("="));
}

absl::StatusOr<PluginArgs> PluginArgs::Parse(absl::string_view text) {
  PluginArgs args;
  if (absl::StripAsciiWhitespace(text).empty()) return args;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    std::vector<absl::string_view> kv = absl::StrSplit(item, '=');
    if (kv.size() != 2 || absl::StripAsciiWhitespace(kv[0]).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad parameter '", item, "': expected key=value"));
    }
    args.Set(absl::StripAsciiWhitespace(kv[0]),
             absl::StripAsciiWhitespace(kv[1]));
  }
  return args;
}

}  // namespace multiplex
