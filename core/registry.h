#ifndef MULTIPLEX_CORE_REGISTRY_H_
#define MULTIPLEX_CORE_REGISTRY_H_

// The plugin registry: one per plugin kind, six of them: CostModel
// (core/cost_model.h), ArrivalProcess (core/arrival_process.h),
// LengthDistribution (core/length_distribution.h), PlacementPolicy
// (core/placement_policy.h), Simulator (core/simulator_interface.h) and the
// figure groups, Experiment (experiments/lib/experiment.h). A plugin
// announces itself from its own .cc file:
//
//   namespace {
//   const bool kRegistered = multiplex::RegisterPlugin<PlacementPolicy>({
//       /*name=*/"mp-greedy", /*pattern=*/R"(mp-greedy-(\d+))",
//       /*params=*/{PluginParam::Int("G").AtLeast(1).Help("stages per group")},
//       /*help=*/"groups of G-stage pipelines, filled greedily",
//       /*example=*/"mp-greedy-4",
//       /*factory=*/[](const PluginValues& v) -> ... { v.GetInt("G") ... }});
//   }  // namespace
//
// and its cc_library sets `alwayslink = 1` so that binaries keep the
// registration even though nothing references the symbol. Create("mp-greedy-8")
// matches the pattern, binds the capture groups to the first params in order
// (G=8), parses and checks every value against its declaration
// (core/plugin_params.h) and calls the factory with the typed values. A spec
// may add "key=value" parameters after a colon: "gamma:rate=2,cv=3".

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "core/plugin_args.h"
#include "core/plugin_name_matcher.h"
#include "core/plugin_params.h"

namespace multiplex {

template <typename T>
struct PluginEntry {
  using Factory =
      std::function<absl::StatusOr<std::unique_ptr<T>>(const PluginValues&)>;

  std::string name;     // unique key, e.g. "mp-greedy"
  std::string pattern;  // re2 full-match for parameterised names; "" = name
  std::vector<PluginParam> params;  // accepted parameters; the first ones
                                    // bind the pattern's capture groups
  std::string help;                 // one line for //tools:plugins
  // A spec that instantiates the plugin ("mp-greedy-4", "gamma:rate=2,cv=3");
  // //tools:plugins prints it and //tests:plugin_examples_test creates it.
  std::string example;
  Factory factory;
};

template <typename T>
class Registry {
 public:
  explicit Registry(std::string category) : category_(std::move(category)) {}

  // The process-wide registry plugins register into. Thread safety: it is
  // written only by static initialisers (before main) and read-only after,
  // so Create() and the listings may be called from any thread.
  static Registry& Global() {
    static Registry* registry = new Registry(T::kPluginCategory);
    return *registry;
  }

  const std::string& category() const { return category_; }

  // Fails on a duplicate name, a malformed pattern or declaration, or an
  // example that does not name the plugin with valid parameters.
  absl::Status Register(PluginEntry<T> entry) {
    if (entry.name.empty() || !entry.factory) {
      return absl::InvalidArgumentError(
          absl::StrCat(category_, ": a plugin needs a name and a factory"));
    }
    absl::Status ok = ValidatePluginPattern(
        entry.pattern, static_cast<int>(entry.params.size()));
    if (ok.ok()) ok = ValidatePluginParams(entry.params);
    if (ok.ok()) ok = CheckExample(entry);
    if (!ok.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          category_, " plugin '", entry.name, "': ", ok.message()));
    }
    if (entries_.count(entry.name)) {
      return absl::AlreadyExistsError(absl::StrCat(
          category_, " plugin '", entry.name, "' is registered twice"));
    }
    std::string name = entry.name;
    entries_.emplace(std::move(name), std::move(entry));
    return absl::OkStatus();
  }

  // The entry a spec names ("mp-greedy-8", "gamma:rate=2,cv=3"): the one
  // whose name or pattern matches the spec's name. Errors: a malformed spec
  // ("<category>: ..."), an unknown name ("unknown <category> '<name>';
  // known: ...").
  absl::StatusOr<const PluginEntry<T>*> Find(absl::string_view spec) const {
    absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(category_, ": ", parsed.status().message()));
    }
    return FindByName(parsed->name);
  }

  // Builds the plugin a spec names ("mp-greedy-8", "gamma:rate=2,cv=3").
  // `args` supplies further parameters; the spec's own take precedence.
  absl::StatusOr<std::unique_ptr<T>> Create(
      absl::string_view spec, const PluginArgs& args = PluginArgs()) const {
    absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(category_, ": ", parsed.status().message()));
    }
    absl::StatusOr<const PluginEntry<T>*> found = FindByName(parsed->name);
    if (!found.ok()) return found.status();
    const PluginEntry<T>& entry = **found;
    absl::StatusOr<std::vector<std::string>> bound =
        MatchPluginName(entry.name, entry.pattern, parsed->name);
    if (!bound.ok()) return bound.status();
    absl::StatusOr<PluginValues> values =
        BindValues(entry, *bound, parsed->args, args,
                   absl::StrCat(category_, " '", entry.name, "'"));
    if (!values.ok()) return values.status();
    absl::StatusOr<std::unique_ptr<T>> made = entry.factory(*values);
    if (!made.ok()) {
      return absl::Status(
          made.status().code(),
          absl::StrCat(category_, " '", spec, "': ", made.status().message()));
    }
    return made;
  }

  // Registered names in sorted order (patterns shown as "mp-greedy-<G>").
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [key, entry] : entries_) names.push_back(Usage(entry));
    return names;
  }

  const std::map<std::string, PluginEntry<T>>& entries() const {
    return entries_;
  }

  // "mp-greedy-<G>" for pattern plugins, else the plain name.
  static std::string Usage(const PluginEntry<T>& entry) {
    std::string usage = entry.name;
    if (!entry.pattern.empty()) {
      for (size_t i = 0; i < CountCaptureGroups(entry.pattern); ++i) {
        absl::StrAppend(&usage, "-<", entry.params[i].name, ">");
      }
    }
    return usage;
  }

 private:
  absl::StatusOr<const PluginEntry<T>*> FindByName(
      absl::string_view name) const {
    for (const auto& [key, entry] : entries_) {
      if (MatchPluginName(entry.name, entry.pattern, name).ok()) return &entry;
    }
    return absl::NotFoundError(
        absl::StrCat("unknown ", category_, " '", name,
                     "'; known: ", absl::StrJoin(Names(), ", ")));
  }

  // The values the factory gets: `args`, overridden by the spec's own and by
  // the name's capture groups, each checked against its declaration. Errors
  // start with `who` ("arrival_process 'gamma'").
  static absl::StatusOr<PluginValues> BindValues(
      const PluginEntry<T>& entry, const std::vector<std::string>& bound,
      const PluginArgs& spec_args, const PluginArgs& args,
      absl::string_view who) {
    PluginArgs merged = args;
    for (const auto& [k, v] : spec_args.values()) merged.Set(k, v);
    for (size_t i = 0; i < bound.size(); ++i) {
      // "mp-greedy-8:G=2" says G twice; neither may silently win.
      if (spec_args.Has(entry.params[i].name)) {
        return absl::InvalidArgumentError(
            absl::StrCat(who, ": parameter '", entry.params[i].name,
                         "' is given both in the name and after the colon"));
      }
      merged.Set(entry.params[i].name, bound[i]);
    }
    for (const auto& [k, v] : merged.values()) {
      if (!AcceptsParam(entry, k)) {
        return absl::InvalidArgumentError(
            absl::StrCat(who, " has no parameter '", k,
                         "'; it accepts: ", ParamList(entry)));
      }
    }
    absl::StatusOr<PluginValues> values =
        ParsePluginValues(entry.params, merged);
    if (!values.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(who, ": ", values.status().message()));
    }
    return values;
  }

  // The example must name this plugin with parameters that parse; whether
  // the factory accepts it (files exist, ...) is for the tests to show.
  static absl::Status CheckExample(const PluginEntry<T>& entry) {
    if (entry.example.empty()) return absl::InvalidArgumentError("no example");
    absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(entry.example);
    absl::StatusOr<std::vector<std::string>> bound =
        parsed.ok() ? MatchPluginName(entry.name, entry.pattern, parsed->name)
                    : parsed.status();
    if (!bound.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "example '", entry.example, "' does not name the plugin"));
    }
    return BindValues(entry, *bound, parsed->args, PluginArgs(),
                      absl::StrCat("example '", entry.example, "'"))
        .status();
  }

  static bool AcceptsParam(const PluginEntry<T>& entry, const std::string& k) {
    for (const PluginParam& p : entry.params) {
      if (p.name == k) return true;
    }
    return false;
  }
  static std::string ParamList(const PluginEntry<T>& entry) {
    if (entry.params.empty()) return "(none)";
    std::vector<std::string> names;
    for (const PluginParam& p : entry.params) names.push_back(p.name);
    return absl::StrJoin(names, ", ");
  }

  std::string category_;
  std::map<std::string, PluginEntry<T>> entries_;
};

// Registers into the global registry at static-initialisation time. A
// duplicate or malformed registration is a programming error: it prints the
// reason and aborts before main() runs.
template <typename T>
bool RegisterPlugin(PluginEntry<T> entry) {
  absl::Status status = Registry<T>::Global().Register(std::move(entry));
  if (!status.ok()) {
    std::fprintf(stderr, "multiplex: %s\n",
                 std::string(status.message()).c_str());
    std::abort();
  }
  return true;
}

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_REGISTRY_H_
