#include "core/plugin_params.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/number_format.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

bool IsNumeric(ParamType type) {
  return type == ParamType::kInt || type == ParamType::kDouble ||
         type == ParamType::kDoubleList;
}

bool IsList(ParamType type) {
  return type == ParamType::kDoubleList || type == ParamType::kStringList;
}

bool InRange(const PluginParam& p, double v) {
  if (p.min && (p.min_exclusive ? !(v > *p.min) : !(v >= *p.min))) {
    return false;
  }
  if (p.max && (p.max_exclusive ? !(v < *p.max) : !(v <= *p.max))) {
    return false;
  }
  return true;
}

// The range without the "each " a list adds: "> 0", "in [1, 8]".
std::string NumberRange(const PluginParam& p) {
  if (p.min && p.max) {
    return absl::StrCat("in ", p.min_exclusive ? "(" : "[",
                        FormatDoubleExact(*p.min), ", ",
                        FormatDoubleExact(*p.max), p.max_exclusive ? ")" : "]");
  }
  if (p.min) {
    return absl::StrCat(p.min_exclusive ? "> " : ">= ",
                        FormatDoubleExact(*p.min));
  }
  if (p.max) {
    return absl::StrCat(p.max_exclusive ? "< " : "<= ",
                        FormatDoubleExact(*p.max));
  }
  return "";
}

// What a valid value looks like, for "must be ..." in messages.
std::string Expectation(const PluginParam& p) {
  const std::string range = ParamRange(p);
  const std::string sep(1, p.separator);
  std::string what;
  switch (p.type) {
    case ParamType::kString:
      return p.choices.empty() ? "a string" : range;
    case ParamType::kInt:
      what = "an int";
      break;
    case ParamType::kDouble:
      what = "a finite double";
      break;
    case ParamType::kDoubleList:
      what = absl::StrCat("a '", sep, "'-separated list of finite doubles");
      return range.empty() ? what : absl::StrCat(what, ", ", range);
    case ParamType::kStringList:
      return absl::StrCat("a '", sep, "'-separated list of non-empty strings");
  }
  return range.empty() ? what : absl::StrCat(what, " ", range);
}

absl::Status NotValid(const PluginParam& p, absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("parameter ", p.name, "=", text, " is not valid: must be ",
                   Expectation(p)));
}

absl::Status OutOfRange(const PluginParam& p, absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "parameter ", p.name, "=", text, " is out of range: ",
      p.type == ParamType::kDoubleList ? "each item must be " : "must be ",
      p.type == ParamType::kDoubleList ? NumberRange(p) : ParamRange(p)));
}

bool ParseFiniteDouble(absl::string_view text, double* value) {
  return absl::SimpleAtod(text, value) && std::isfinite(*value);
}

// One value against its declaration; the error names the parameter.
absl::StatusOr<PluginValues::Value> ParseParamValue(const PluginParam& p,
                                                    absl::string_view text) {
  switch (p.type) {
    case ParamType::kString:
      if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(),
                                          text) == p.choices.end()) {
        return OutOfRange(p, text);
      }
      return PluginValues::Value(std::string(text));
    case ParamType::kInt: {
      int value;
      if (!absl::SimpleAtoi(text, &value)) return NotValid(p, text);
      if (!InRange(p, value)) return OutOfRange(p, text);
      return PluginValues::Value(value);
    }
    case ParamType::kDouble: {
      double value;
      if (!ParseFiniteDouble(text, &value)) return NotValid(p, text);
      if (!InRange(p, value)) return OutOfRange(p, text);
      return PluginValues::Value(value);
    }
    case ParamType::kDoubleList: {
      std::vector<double> values;
      for (absl::string_view item : absl::StrSplit(text, p.separator)) {
        double value;
        if (!ParseFiniteDouble(item, &value)) return NotValid(p, text);
        values.push_back(value);
      }
      for (double value : values) {
        if (!InRange(p, value)) return OutOfRange(p, text);
      }
      return PluginValues::Value(std::move(values));
    }
    case ParamType::kStringList: {
      std::vector<std::string> values = absl::StrSplit(text, p.separator);
      for (const std::string& item : values) {
        if (item.empty()) return NotValid(p, text);
      }
      return PluginValues::Value(std::move(values));
    }
  }
  return NotValid(p, text);
}

}  // namespace

PluginParam PluginParam::String(std::string name) {
  PluginParam p;
  p.name = std::move(name);
  p.type = ParamType::kString;
  return p;
}

PluginParam PluginParam::Int(std::string name) {
  PluginParam p = String(std::move(name));
  p.type = ParamType::kInt;
  return p;
}

PluginParam PluginParam::Double(std::string name) {
  PluginParam p = String(std::move(name));
  p.type = ParamType::kDouble;
  return p;
}

PluginParam PluginParam::DoubleList(std::string name, char separator) {
  PluginParam p = String(std::move(name));
  p.type = ParamType::kDoubleList;
  p.separator = separator;
  return p;
}

PluginParam PluginParam::StringList(std::string name, char separator) {
  PluginParam p = String(std::move(name));
  p.type = ParamType::kStringList;
  p.separator = separator;
  return p;
}

PluginParam PluginParam::Default(std::string text) && {
  default_value = std::move(text);
  return std::move(*this);
}

PluginParam PluginParam::Optional() && {
  optional = true;
  return std::move(*this);
}

PluginParam PluginParam::AtLeast(double bound) && {
  min = bound;
  min_exclusive = false;
  return std::move(*this);
}

PluginParam PluginParam::GreaterThan(double bound) && {
  min = bound;
  min_exclusive = true;
  return std::move(*this);
}

PluginParam PluginParam::AtMost(double bound) && {
  max = bound;
  max_exclusive = false;
  return std::move(*this);
}

PluginParam PluginParam::LessThan(double bound) && {
  max = bound;
  max_exclusive = true;
  return std::move(*this);
}

PluginParam PluginParam::OneOf(std::vector<std::string> values) && {
  choices = std::move(values);
  return std::move(*this);
}

PluginParam PluginParam::Help(std::string text) && {
  help = std::move(text);
  return std::move(*this);
}

PluginParam PluginParam::FedBy(Feed feed) && {
  fed_by = feed;
  return std::move(*this);
}

const char* FeedSource(Feed feed) {
  switch (feed) {
    case Feed::kNone:
      return "the spec";
    case Feed::kRate:
      return "workload.total_rate";
    case Feed::kCv:
      return "workload.cv";
    case Feed::kRateScale:
      return "workload.rate_scale";
    case Feed::kCvScale:
      return "workload.cv_scale";
    case Feed::kModelIndex:
      return "the model's index";
    case Feed::kNumModels:
      return "the number of models";
    case Feed::kTraceModel:
      return "the trace stream of the model";
  }
  return "?";
}

const PluginParam* ParamFedBy(const std::vector<PluginParam>& params,
                              Feed feed) {
  if (feed == Feed::kNone) return nullptr;
  for (const PluginParam& p : params) {
    if (p.fed_by == feed) return &p;
  }
  return nullptr;
}

std::string ParamTypeName(const PluginParam& param) {
  const std::string sep(1, param.separator);
  switch (param.type) {
    case ParamType::kString:
      return "string";
    case ParamType::kInt:
      return "int";
    case ParamType::kDouble:
      return "double";
    case ParamType::kDoubleList:
      return absl::StrCat("double list ('", sep, "'-separated)");
    case ParamType::kStringList:
      return absl::StrCat("string list ('", sep, "'-separated)");
  }
  return "?";
}

std::string ParamRange(const PluginParam& param) {
  if (!param.choices.empty()) {
    return absl::StrCat("one of ", absl::StrJoin(param.choices, ", "));
  }
  const std::string range = NumberRange(param);
  if (range.empty() || !IsList(param.type)) return range;
  return absl::StrCat("each ", range);
}

std::string ParamPresence(const PluginParam& param) {
  if (param.default_value)
    return absl::StrCat("default ", *param.default_value);
  return param.optional ? "optional" : "required";
}

std::string DescribeParam(const PluginParam& param) {
  std::string text = absl::StrCat(param.name, " (", ParamTypeName(param), ", ",
                                  ParamPresence(param));
  const std::string range = ParamRange(param);
  if (!range.empty()) absl::StrAppend(&text, ", ", range);
  absl::StrAppend(&text, ")");
  if (!param.help.empty()) absl::StrAppend(&text, ": ", param.help);
  return text;
}

bool PluginValues::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

template <typename V>
const V& PluginValues::Get(absl::string_view name, const char* type) const {
  auto it = values_.find(name);
  if (it == values_.end() || !std::holds_alternative<V>(it->second)) {
    // A factory reading what its declaration does not promise: a bug in
    // the plugin, not a user error.
    std::fprintf(
        stderr, "multiplex: plugin parameter '%s' read as %s but it is %s\n",
        std::string(name).c_str(), type,
        it == values_.end() ? "absent or undeclared" : "of another type");
    std::abort();
  }
  return std::get<V>(it->second);
}

const std::string& PluginValues::GetString(absl::string_view name) const {
  return Get<std::string>(name, "string");
}

int PluginValues::GetInt(absl::string_view name) const {
  return Get<int>(name, "int");
}

double PluginValues::GetDouble(absl::string_view name) const {
  return Get<double>(name, "double");
}

const std::vector<double>& PluginValues::GetDoubleList(
    absl::string_view name) const {
  return Get<std::vector<double>>(name, "double list");
}

const std::vector<std::string>& PluginValues::GetStringList(
    absl::string_view name) const {
  return Get<std::vector<std::string>>(name, "string list");
}

std::string PluginValues::ToString() const {
  return absl::StrJoin(text_, ",", absl::PairFormatter("="));
}

absl::StatusOr<PluginValues> ParsePluginValues(
    const std::vector<PluginParam>& params, const PluginArgs& args) {
  PluginValues out;
  for (const PluginParam& p : params) {
    std::string text;
    auto given = args.values().find(p.name);
    if (given != args.values().end()) {
      text = given->second;
    } else if (p.default_value) {
      text = *p.default_value;
    } else if (p.optional) {
      continue;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "missing parameter '", p.name, "': must be ", Expectation(p)));
    }
    ASSIGN_OR_RETURN(PluginValues::Value value, ParseParamValue(p, text));
    out.values_.emplace(p.name, std::move(value));
    out.text_.emplace(p.name, std::move(text));
  }
  return out;
}

absl::Status ValidatePluginParams(const std::vector<PluginParam>& params) {
  std::set<std::string> seen;
  for (const PluginParam& p : params) {
    auto bad = [&p](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("parameter '", p.name, "': ", why));
    };
    if (p.name.empty() || p.name.find_first_of(",=: \t") != std::string::npos) {
      return bad("a name needs characters other than ',', '=', ':' or space");
    }
    if (!seen.insert(p.name).second) return bad("declared twice");
    if (p.fed_by != Feed::kNone) {
      if (ParamFedBy(params, p.fed_by) != &p) {
        return bad(absl::StrCat("another parameter is fed by ",
                                FeedSource(p.fed_by), " already"));
      }
      const ParamType want =
          p.fed_by == Feed::kModelIndex || p.fed_by == Feed::kNumModels
              ? ParamType::kInt
          : p.fed_by == Feed::kTraceModel ? ParamType::kString
                                          : ParamType::kDouble;
      if (p.type != want) {
        return bad(absl::StrCat("fed by ", FeedSource(p.fed_by),
                                ", so its type must be ",
                                ParamTypeName(PluginParam{"", want})));
      }
    }
    if ((p.min || p.max) && !IsNumeric(p.type)) {
      return bad("bounds apply to numbers only");
    }
    if (p.min && p.max &&
        (*p.min > *p.max ||
         (*p.min == *p.max && (p.min_exclusive || p.max_exclusive)))) {
      return bad("its range is empty");
    }
    if (!p.choices.empty() && p.type != ParamType::kString) {
      return bad("choices apply to strings only");
    }
    if (IsList(p.type) && (p.separator == ',' || p.separator == '=')) {
      return bad("',' and '=' separate parameters, not list items");
    }
    if (p.default_value && p.optional) {
      return bad("has a default, so it cannot also be optional");
    }
    if (p.default_value) {
      absl::StatusOr<PluginValues::Value> value =
          ParseParamValue(p, *p.default_value);
      if (!value.ok()) {
        return bad(absl::StrCat("bad default: ", value.status().message()));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace multiplex
