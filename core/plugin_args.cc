#include "core/plugin_args.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace multiplex {

void PluginArgs::Set(absl::string_view key, absl::string_view value) {
  values_[std::string(key)] = std::string(value);
}

void PluginArgs::Set(absl::string_view key, double value) {
  // The shortest text that reads back exactly ("20", "0.1",
  // "6.666666666666667"); absl::StrCat would keep six digits only.
  char buf[64];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), value);
  Set(key, absl::string_view(buf, r.ptr - buf));
}

bool PluginArgs::Has(absl::string_view key) const {
  return values_.count(std::string(key)) > 0;
}

absl::StatusOr<std::string> PluginArgs::GetString(absl::string_view key) const {
  auto it = values_.find(std::string(key));
  if (it == values_.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing parameter '", key, "'"));
  }
  return it->second;
}

absl::StatusOr<double> PluginArgs::GetDouble(absl::string_view key) const {
  absl::StatusOr<std::string> text = GetString(key);
  if (!text.ok()) return text.status();
  double value;
  if (!absl::SimpleAtod(*text, &value) || std::isnan(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter '", key, "' must be a number, got '", *text, "'"));
  }
  return value;
}

absl::StatusOr<int> PluginArgs::GetInt(absl::string_view key) const {
  absl::StatusOr<std::string> text = GetString(key);
  if (!text.ok()) return text.status();
  int value;
  if (!absl::SimpleAtoi(*text, &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "parameter '", key, "' must be an integer, got '", *text, "'"));
  }
  return value;
}

absl::StatusOr<double> PluginArgs::GetDoubleOr(absl::string_view key,
                                               double fallback) const {
  return Has(key) ? GetDouble(key) : absl::StatusOr<double>(fallback);
}

absl::StatusOr<int> PluginArgs::GetIntOr(absl::string_view key,
                                         int fallback) const {
  return Has(key) ? GetInt(key) : absl::StatusOr<int>(fallback);
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
