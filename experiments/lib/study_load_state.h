#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_LOAD_STATE_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_LOAD_STATE_H_

// What the stages of the study loader (study.cc's LoadOne) hand on: the spec
// as far as it is checked and filled, the Study being built, and what the
// sweeps resolved to. Each stage's header says which parts it reads and
// which it writes:
//
//   study_checks    spec -> spec (names, labels), modes
//   study_sweeps    spec -> study_sweep, policy_sweeps, modes, swept_*_at
//   study_plugins   spec -> study.cost_models, simulators, l1_s, traces;
//                   spec (paths made absolute)
//   study_plugin_sweeps  sweeps -> swept cost models and simulators
//   study_defaults  spec -> spec (every default written out)
//   study_expand    spec, sweeps -> study.columns, cases
//   study_chart_plan spec, sweeps, cases -> study.charts, spec.charts

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/number_format.h"
#include "experiments/lib/spec_paths.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study.pb.h"

namespace multiplex {
namespace study_internal {

// What one spec may expand to (study_fuzzer found a linspace of a
// million points that expanded for minutes). A case is a simulation of
// seconds to minutes, so this is days of work; split a larger study.
constexpr int64_t kMaxStudyCases = 1 << 16;
// Model instances over all cases: each case holds its models' names.
constexpr int64_t kMaxStudyInstances = 1 << 22;

constexpr char kPolicySpecField[] = "policy.spec";

// A sweep field resolved against the spec, with its values.
struct ResolvedField {
  std::string field;  // as written
  FieldPath at;       // the SweepField message
  bool is_policy_spec = false;
  // A plugin's parameter (place kNone: a numeric field of the spec, target).
  PluginParamPath plugin;
  Target target;
  std::vector<double> numbers;      // numeric fields, scaled
  std::vector<std::string> labels;  // policy.spec
  size_t size() const {
    return is_policy_spec ? labels.size() : numbers.size();
  }
  std::string Text(size_t i) const {
    return is_policy_spec ? labels[i] : FormatDoubleExact(numbers[i]);
  }
};

struct ResolvedAxis {
  std::vector<ResolvedField> fields;
  size_t size = 0;
};

struct ResolvedSweep {
  std::vector<ResolvedAxis> axes;
  const ResolvedField* Find(absl::string_view field) const {
    for (const ResolvedAxis& a : axes) {
      for (const ResolvedField& f : a.fields) {
        if (f.field == field) return &f;
      }
    }
    return nullptr;
  }
  int AxisOf(absl::string_view field) const {
    for (size_t i = 0; i < axes.size(); ++i) {
      for (const ResolvedField& f : axes[i].fields) {
        if (f.field == field) return static_cast<int>(i);
      }
    }
    return -1;
  }
  size_t NumPoints() const {
    size_t n = 1;
    for (const ResolvedAxis& a : axes) n *= a.size;
    return n;
  }
};

// What the workload and training sections allow, decided before defaults
// are filled.
struct Modes {
  bool trace = false;         // serving replays workload.trace
  bool takes_rate = false;    // the process takes `rate`
  bool takes_cv = false;      // the process takes `cv`
  bool slo_seconds = false;   // slo_s (set or swept) rather than slo_scale
  bool slo_explicit = false;  // slo_scale or slo_s set (trace: override)
  enum Training { kSame, kSeed, kTrace } training = kSame;
};

// The default palette index of policy p (study.proto's LineStyle.color):

struct LoadState {
  LoadState(std::string path_in, const StudyOptions& options_in,
            Locator locator_in, int entry_in)
      : path(std::move(path_in)),
        options(options_in),
        locator(std::move(locator_in)),
        entry(entry_in) {}

  absl::Status Err(const FieldPath& at, absl::string_view message) const {
    return locator.Error(at, message);
  }
  // The value of a numeric field of the spec against its rule.
  absl::Status CheckField(const FieldPath& at, const std::string& key,
                          const google::protobuf::FieldDescriptor* leaf,
                          double v) const;
  // The sweep policy p runs: its own, or the study's.
  const ResolvedSweep& SweepOf(int p) const {
    return spec.policies(p).sweep_size() > 0 ? policy_sweeps[p] : study_sweep;
  }
  int NumModels() const;
  std::vector<std::string> ModelNames() const;  // m0, m1, ...

  const std::string path;  // the spec file as given
  const StudyOptions options;
  const Locator locator;
  const int entry;
  std::string dir;  // the spec file's directory, absolute
  study::StudySpec spec;
  Study study;
  Modes modes;
  ResolvedSweep study_sweep;
  std::vector<ResolvedSweep> policy_sweeps;
  // Where the sweeps set these workload fields (empty: not swept).
  FieldPath swept_cv_at, swept_rate_at, swept_rate_scale_at, swept_cv_scale_at;
};

// `path` against `dir` unless absolute.
std::string JoinPath(const std::string& dir, const std::string& path);
// Makes the relative file parameters of a plugin spec absolute against dir.
absl::StatusOr<std::string> ResolvePluginPaths(const std::string& spec,
                                               const std::string& dir);
std::string AbsoluteDirOf(const std::string& path);
// The file name without directory and extension; "study" if empty.
std::string FileStem(const std::string& path);
// A plugin spec with one parameter set: ("gamma:cv=2", "spread", "3") ->
// "gamma:cv=2,spread=3". The spec must parse (the loader checked it).
std::string WithParam(const std::string& spec, const std::string& param,
                      const std::string& value);

// The value a swept plugin parameter (PluginParamPath) has in case c, from
// its sweep point; nullopt when the case does not sweep it.
std::optional<double> PluginValueOf(const StudyCase& c,
                                    absl::string_view field);

// Equal up to a relative 1e-6 (a where value against a swept number).
bool NumbersMatch(double a, double b);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_LOAD_STATE_H_
