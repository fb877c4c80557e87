#ifndef MULTIPLEX_CORE_PLUGIN_PARAMS_H_
#define MULTIPLEX_CORE_PLUGIN_PARAMS_H_

// Typed plugin parameters, declared once with the plugin's registration:
//
//   PluginParam::Double("rate").GreaterThan(0).Help("arrivals per second")
//   PluginParam::Double("cv").Default("1").GreaterThan(0).Help("...")
//   PluginParam::Int("G").AtLeast(1).Help("pipeline stages per group")
//   PluginParam::String("partition").Default("dp").OneOf({"dp", "manual"})
//   PluginParam::DoubleList("durations").GreaterThan(0).Help("...")
//   PluginParam::String("model").Optional().Help("...")
//   PluginParam::Double("rate").GreaterThan(0).FedBy(Feed::kRate)
//
// The registry parses every value against its declaration, fills defaults and
// checks ranges before the factory runs, so factories read validated values
// from PluginValues and the rules are printed by //tools:plugins from the same
// declaration that enforces them.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/plugin_args.h"

namespace multiplex {

enum class ParamType {
  kString,
  kInt,
  kDouble,      // finite: nan and inf are rejected
  kDoubleList,  // items separated by `separator`; bounds apply to each item
  kStringList,  // non-empty items separated by `separator`
};

// A quantity the framework supplies to the parameter that declares it
// (PluginParam::FedBy), instead of matching parameter names: a study's
// workload fields and a model's place in the workload
// (workloads/generator.h's MakeModelStreams feeds them).
enum class Feed {
  kNone,
  kRate,        // the model's rate: workload.total_rate x its rate_split share
  kCv,          // workload.cv
  kRateScale,   // workload.rate_scale
  kCvScale,     // workload.cv_scale
  kModelIndex,  // the model's index in the workload, from 0
  kNumModels,   // the number of models in the workload
  kTraceModel,  // the trace stream the model replays (trace_replay.h)
};

// The spec field that feeds a parameter, for messages: "workload.total_rate",
// "workload.cv", ...; "the model's index", ... for the positional feeds.
const char* FeedSource(Feed feed);

struct PluginParam {
  std::string name;
  ParamType type = ParamType::kString;
  // The value when the spec leaves the parameter out, written as in a spec
  // ("1", "dp", "1/2"); absent = required (unless `optional`).
  std::optional<std::string> default_value;
  // Absent without a default: the plugin does without (PluginValues::Has).
  bool optional = false;
  // Numbers and list items: inclusive bounds unless the *_exclusive flag.
  std::optional<double> min, max;
  bool min_exclusive = false, max_exclusive = false;
  // Strings: the accepted values; empty = any.
  std::vector<std::string> choices;
  // Lists only. ',' and '=' belong to the spec's "k=v,k=v" syntax.
  char separator = '/';
  std::string help;
  // Which quantity the framework feeds it (a spec must then leave it out
  // where the framework feeds it); kNone: the spec's own.
  Feed fed_by = Feed::kNone;

  static PluginParam String(std::string name);
  static PluginParam Int(std::string name);
  static PluginParam Double(std::string name);
  static PluginParam DoubleList(std::string name, char separator = '/');
  static PluginParam StringList(std::string name, char separator);

  // Chainable on the temporary the factories above return.
  PluginParam Default(std::string text) &&;
  PluginParam Optional() &&;
  PluginParam AtLeast(double bound) &&;      // >= bound
  PluginParam GreaterThan(double bound) &&;  // > bound
  PluginParam AtMost(double bound) &&;       // <= bound
  PluginParam LessThan(double bound) &&;     // < bound
  PluginParam OneOf(std::vector<std::string> values) &&;
  PluginParam Help(std::string text) &&;
  PluginParam FedBy(Feed feed) &&;
};

// The parameter of `params` that `feed` feeds; null if none.
const PluginParam* ParamFedBy(const std::vector<PluginParam>& params,
                              Feed feed);

// "double", "int", "string", "double list ('/'-separated)", ...
std::string ParamTypeName(const PluginParam& param);
// The accepted values beyond the type: "> 0", "in (0, 1]", "one of dp,
// manual", "each >= 0"; "" when the type alone decides.
std::string ParamRange(const PluginParam& param);
// "required", "default 1" or "optional".
std::string ParamPresence(const PluginParam& param);
// One line for listings: "cv (double, default 1, > 0): <help>".
std::string DescribeParam(const PluginParam& param);

// A plugin's parameter values, parsed and checked against its declarations.
// Every declared parameter has a value except an absent optional one. A
// getter called for an undeclared name, an absent optional parameter or the
// wrong type is a programming error and aborts with the name.
class PluginValues {
 public:
  using Value = std::variant<std::string, int, double, std::vector<double>,
                             std::vector<std::string>>;

  bool Has(absl::string_view name) const;
  const std::string& GetString(absl::string_view name) const;
  int GetInt(absl::string_view name) const;
  double GetDouble(absl::string_view name) const;
  const std::vector<double>& GetDoubleList(absl::string_view name) const;
  const std::vector<std::string>& GetStringList(absl::string_view name) const;

  // "k1=v1,k2=v2" in name order, each value as given or as its default.
  std::string ToString() const;

 private:
  template <typename V>
  const V& Get(absl::string_view name, const char* type) const;

  friend absl::StatusOr<PluginValues> ParsePluginValues(
      const std::vector<PluginParam>& params, const PluginArgs& args);

  std::map<std::string, Value, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> text_;
};

// Parses `args` against `params`: each given value must have its declared
// type and range, a required parameter must be given, defaults fill the
// rest. Keys `params` does not declare are ignored (the registry rejects them
// first, listing the accepted ones). Errors name the parameter, the value and
// what is accepted:
//   "parameter cv=-1 is out of range: must be > 0"
//   "parameter rate=x is not valid: must be a finite double > 0"
//   "missing parameter 'rate': must be a finite double > 0"
absl::StatusOr<PluginValues> ParsePluginValues(
    const std::vector<PluginParam>& params, const PluginArgs& args);

// Checks declarations at registration: names unique and usable in a spec,
// bounds on numbers only, choices on strings only, a default that parses
// under its own declaration.
absl::Status ValidatePluginParams(const std::vector<PluginParam>& params);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLUGIN_PARAMS_H_
