// Over 800 lines on purpose for now: this file is the study loader (field
// paths and error locations, plugin creation, defaults, sweep expansion,
// chart planning). Its cut along those stages into files with a narrow input
// and output each is the next piece of the redesign;
// doing it while five other changes edited the loader would have broken each.

#include "experiments/lib/study.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/file_io.h"
#include "core/length_distribution.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/placement_policy.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "core/text_proto_errors.h"
#include "experiments/lib/charts.h"
#include "experiments/lib/sweep.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "workloads/generator.h"
#include "workloads/rate_split.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;
using study::ChartSpec;
using study::PolicySpec;
using study::StudySpec;
using study::SweepAxis;
using study::SweepField;

// What one spec may expand to (study_fuzzer found a linspace of a
// million points that expanded for minutes). A case is a simulation of
// seconds to minutes, so this is days of work; split a larger study.
constexpr int64_t kMaxStudyCases = 1 << 16;
// Model instances over all cases: each case holds its models' names.
constexpr int64_t kMaxStudyInstances = 1 << 22;

constexpr char kPolicySpecField[] = "policy.spec";

// ---------------------------------------------------------------------------
// Field paths ("policies[1].sweep[0].fields[0].values") and their lines.

struct Segment {
  std::string name;
  int index = -1;  // element of a repeated field; -1: singular (or all)
};

class FieldPath {
 public:
  FieldPath F(absl::string_view name, int index = -1) const {
    FieldPath p = *this;
    p.segments_.push_back({std::string(name), index});
    return p;
  }
  std::string ToString() const {
    std::string out;
    for (const Segment& s : segments_) {
      if (!out.empty()) out += ".";
      absl::StrAppend(&out, s.name);
      if (s.index >= 0) absl::StrAppend(&out, "[", s.index, "]");
    }
    return out;
  }
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  std::vector<Segment> segments_;
};

const FieldPath kRoot;

// Errors "<file>:<line>: <field>: <message>", the line being that of the
// field, or of its closest enclosing field the spec writes, or 1. For one of
// a file's `studies`, the field is looked up in the entry and in the file's
// top level (which it inherits from), whichever locates more of it (the
// entry on a tie), and named "studies[i].<field>" or "<field> (in
// studies[i])" accordingly.
class Locator {
 public:
  Locator(std::string file, const TextFormat::ParseInfoTree* tree)
      : file_(std::move(file)), tree_(tree) {}
  // `entry` is the tree of studies[index], written at `entry_line`.
  Locator(std::string file, const TextFormat::ParseInfoTree* tree,
          const TextFormat::ParseInfoTree* entry, int index, int entry_line)
      : file_(std::move(file)),
        tree_(tree),
        entry_(entry),
        index_(index),
        entry_line_(entry_line) {}

  absl::Status Error(const FieldPath& path, absl::string_view message) const {
    std::string field = path.ToString();
    int line = 0;
    const Located top = Locate(tree_, path);
    if (index_ < 0) {
      line = top.line;
    } else {
      const std::string entry = absl::StrCat("studies[", index_, "]");
      const Located own = Locate(entry_, path);
      if (own.line > 0 && own.depth >= top.depth) {
        line = own.line;
        field = field.empty() ? entry : absl::StrCat(entry, ".", field);
      } else if (top.line > 0) {
        line = top.line;
        field = absl::StrCat(field, " (in ", entry, ")");
      } else {
        line = entry_line_;
        field = field.empty() ? entry : absl::StrCat(entry, ".", field);
      }
    }
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ":", line > 0 ? line : 1, ": ", field,
                     field.empty() ? "" : ": ", message));
  }

 private:
  struct Located {
    int line = 0;   // 0: not written
    int depth = 0;  // how many segments of the path were found
  };

  static Located Locate(const TextFormat::ParseInfoTree* tree,
                        const FieldPath& path) {
    const Descriptor* d = StudySpec::descriptor();
    Located found;
    for (const Segment& s : path.segments()) {
      if (tree == nullptr || d == nullptr) break;
      const FieldDescriptor* f = d->FindFieldByName(s.name);
      if (f == nullptr) break;
      const int index = f->is_repeated() ? std::max(s.index, 0) : -1;
      TextFormat::ParseLocation loc = tree->GetLocation(f, index);
      if (loc.line < 0) break;
      found.line = loc.line + 1;
      ++found.depth;
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) break;
      tree = tree->GetTreeForNested(f, index);
      d = f->message_type();
    }
    return found;
  }

  std::string file_;
  const TextFormat::ParseInfoTree* tree_;
  const TextFormat::ParseInfoTree* entry_ = nullptr;
  int index_ = -1;
  int entry_line_ = 0;
};

// ---------------------------------------------------------------------------
// Numeric fields reachable by a sweep path.

// "cluster.num_devices", "models[1].count": the fields to walk into and the
// numeric leaf.
struct Target {
  std::vector<std::pair<const FieldDescriptor*, int>> chain;
  const FieldDescriptor* leaf = nullptr;
  std::string key;  // the path without indices: "models.count"
};

bool IsInteger(const FieldDescriptor* f) {
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return true;
    default:
      return false;
  }
}

bool IsNumeric(const FieldDescriptor* f) {
  return IsInteger(f) || f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE ||
         f->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT;
}

// Resolves a sweep path against StudySpec; with `base`, also checks that
// indices exist in it.
absl::StatusOr<Target> ResolveTarget(absl::string_view path,
                                     const StudySpec* base) {
  static const std::set<std::string>* roots = new std::set<std::string>{
      "cluster", "models", "workload", "training", "serving"};
  const std::vector<std::string> parts = absl::StrSplit(path, '.');
  if (parts.size() < 2 ||
      !roots->count(parts[0].substr(0, parts[0].find('[')))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no field '", path,
        "' to sweep: give a numeric field under cluster, models[i], "
        "workload, training or serving (e.g. workload.total_rate), or "
        "policy.spec"));
  }
  Target t;
  const Descriptor* d = StudySpec::descriptor();
  const Message* message = base;
  std::vector<std::string> key;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string name = parts[i];
    int index = -1;
    const size_t bracket = name.find('[');
    if (bracket != std::string::npos) {
      if (name.back() != ']' ||
          !absl::SimpleAtoi(name.substr(bracket + 1, name.size() - bracket - 2),
                            &index) ||
          index < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("bad index in '", path, "'"));
      }
      name = name.substr(0, bracket);
    }
    key.push_back(name);
    const FieldDescriptor* f = d->FindFieldByName(name);
    if (f == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no field '", path, "': ", d->name(), " has no field '", name, "'"));
    }
    const bool last = i + 1 == parts.size();
    if (f->is_repeated() != (index >= 0)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "no field '", path, "': '", name, "' ",
          f->is_repeated() ? "needs an index, e.g. " : "takes no index",
          f->is_repeated() ? absl::StrCat(name, "[0]") : ""));
    }
    if (last) {
      if (f->is_repeated() || !IsNumeric(f)) {
        return absl::InvalidArgumentError(
            absl::StrCat("field '", path,
                         "' is not a number; only numeric fields (and "
                         "policy.spec) can be swept"));
      }
      t.leaf = f;
      break;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return absl::InvalidArgumentError(
          absl::StrCat("no field '", path, "': '", name, "' is a value"));
    }
    if (message != nullptr) {
      const Reflection* r = message->GetReflection();
      if (index >= 0) {
        const int size = r->FieldSize(*message, f);
        if (index >= size) {
          return absl::InvalidArgumentError(
              absl::StrCat("no field '", path, "': the spec has ", size, " ",
                           name, " entr", size == 1 ? "y" : "ies"));
        }
        message = &r->GetRepeatedMessage(*message, f, index);
      } else {
        message = &r->GetMessage(*message, f);
      }
    }
    t.chain.push_back({f, index});
    d = f->message_type();
  }
  t.key = absl::StrJoin(key, ".");
  return t;
}

Message* MutableAt(Message* root, const Target& t) {
  Message* m = root;
  for (const auto& [f, index] : t.chain) {
    const Reflection* r = m->GetReflection();
    m = index >= 0 ? r->MutableRepeatedMessage(m, f, index)
                   : r->MutableMessage(m, f);
  }
  return m;
}

// Null when an indexed element does not exist.
const Message* ConstAt(const Message& root, const Target& t) {
  const Message* m = &root;
  for (const auto& [f, index] : t.chain) {
    const Reflection* r = m->GetReflection();
    if (index >= 0) {
      if (index >= r->FieldSize(*m, f)) return nullptr;
      m = &r->GetRepeatedMessage(*m, f, index);
    } else {
      m = &r->GetMessage(*m, f);
    }
  }
  return m;
}

void SetNumber(Message* m, const FieldDescriptor* f, double v) {
  const Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(m, f, v);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      r->SetFloat(m, f, static_cast<float>(v));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      r->SetInt32(m, f, static_cast<int32_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      r->SetInt64(m, f, static_cast<int64_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(m, f, static_cast<uint32_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(m, f, static_cast<uint64_t>(v));
      break;
    default:
      break;
  }
}

double GetNumber(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return r->GetDouble(m, f);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return r->GetFloat(m, f);
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(m, f);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(m, f);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(r->GetUInt64(m, f));
    default:
      return std::nan("");
  }
}

std::string FormatNumber(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(m, f));
    default:
      return FormatDoubleExact(GetNumber(m, f));
  }
}

// The accepted values of a numeric field, by its key ("models.count"):
// "" when `v` is fine, else what is wrong.
std::string CheckNumber(const std::string& key, const FieldDescriptor* leaf,
                        double v) {
  struct Rule {
    double min;
    bool exclusive;
    bool allow_inf;
  };
  static const std::map<std::string, Rule>* rules =
      new std::map<std::string, Rule>{
          {"cluster.num_devices", {1, false, false}},
          {"cluster.devices_per_node", {1, false, false}},
          {"cluster.mem_budget_gib", {0, true, false}},
          {"models.count", {1, false, false}},
          {"workload.total_rate", {0, true, false}},
          {"workload.cv", {0, true, false}},
          {"workload.duration_s", {0, true, false}},
          {"workload.slo_scale", {0, true, true}},
          {"workload.slo_s", {0, true, true}},
          {"workload.min_scaled_duration_s", {0, false, false}},
          {"workload.seed", {0, false, false}},
          {"workload.rate_scale", {0, true, false}},
          {"workload.cv_scale", {0, true, false}},
          {"training.seed", {0, false, false}},
          {"training.duration_s", {0, true, false}},
          {"serving.fixed_overhead_s", {0, false, false}},
          {"serving.stage_slowdown", {0, false, false}},
          {"serving.warmup_s", {0, false, false}},
      };
  auto it = rules->find(key);
  const Rule rule =
      it != rules->end()
          ? it->second
          : Rule{-std::numeric_limits<double>::infinity(), false, false};
  const std::string bound =
      std::isfinite(rule.min)
          ? absl::StrCat(rule.exclusive ? " > " : " >= ", rule.min)
          : "";
  const std::string want =
      absl::StrCat(rule.allow_inf ? "a number" : "a finite number", bound,
                   rule.allow_inf ? " or inf" : "");
  if (std::isnan(v) || (std::isinf(v) && !(rule.allow_inf && v > 0)) ||
      (rule.exclusive ? !(v > rule.min) : !(v >= rule.min))) {
    return absl::StrCat("must be ", want, ", got ", FormatDoubleExact(v));
  }
  // Counts within core/limits.h, so that no sum overflows.
  const double max_count =
      key == "models.count" ? kMaxModels
      : key == "cluster.num_devices" || key == "cluster.devices_per_node"
          ? kMaxDevices
          : std::numeric_limits<double>::infinity();
  if (v > max_count) {
    return absl::StrCat("must be at most ", FormatDoubleExact(max_count),
                        " (core/limits.h), got ", FormatDoubleExact(v));
  }
  if (leaf != nullptr && IsInteger(leaf)) {
    double hi = 0;
    switch (leaf->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        hi = INT32_MAX;
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        hi = UINT32_MAX;
        break;
      default:
        hi = 9007199254740992.0;  // 2^53: exact in a double
        break;
    }
    if (v != std::floor(v) || v > hi) {
      return absl::StrCat("must be an integer", bound.empty() ? "" : bound,
                          " up to ", FormatDoubleExact(hi), ", got ",
                          FormatDoubleExact(v));
    }
  }
  return "";
}

// ---------------------------------------------------------------------------
// Paths inside plugin specs.

}  // namespace

bool IsPathParam(const std::string& key) {
  return key == "path" || key == "hardware" || key == "models_dir" ||
         absl::EndsWith(key, "_path") || absl::EndsWith(key, "_dir") ||
         absl::EndsWith(key, "_file");
}

namespace {

std::string JoinPath(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || dir.empty()) return path;
  return absl::StrCat(dir, "/", path);
}

// Makes the relative file parameters of a plugin spec absolute against dir.
absl::StatusOr<std::string> ResolvePluginPaths(const std::string& spec,
                                               const std::string& dir) {
  ASSIGN_OR_RETURN(PluginSpec parsed, ParsePluginSpec(spec));
  bool changed = false;
  PluginArgs args;
  for (const auto& [key, value] : parsed.args.values()) {
    std::string v = value;
    if (IsPathParam(key) && !v.empty() && v[0] != '/' &&
        v.find_first_of("/.") != std::string::npos) {
      v = JoinPath(dir, v);
      changed = true;
    }
    args.Set(key, v);
  }
  if (!changed) return spec;
  return absl::StrCat(parsed.name, ":", args.ToString());
}

std::string AbsoluteDirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
  if (slash == 0) dir = "/";
  if (!dir.empty() && dir[0] == '/') return dir;
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return dir;
  return dir.empty() ? std::string(cwd) : absl::StrCat(cwd, "/", dir);
}

std::string FileStem(const std::string& path) {
  const size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base.empty() ? "study" : base;
}

bool NumbersMatch(double a, double b) {
  return a == b || std::abs(a - b) <= 1e-6 * std::max(std::abs(a), std::abs(b));
}

// ---------------------------------------------------------------------------
// Sweeps.

struct ResolvedField {
  std::string field;  // as written
  FieldPath at;       // the SweepField message
  bool is_policy_spec = false;
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
// by family, model parallelism blue (0) and replication orange (1) for the
// family's first policy, else the lowest index no policy takes, from 2.
int FamilyColor(const StudySpec& spec, int p) {
  std::set<int> taken;
  for (int q = 0; q < spec.policies_size(); ++q) {
    const study::LineStyle& s = spec.policies(q).style();
    if (q != p && s.has_color()) taken.insert(s.color());
  }
  // Earlier policies' defaults were filled already (has_color above).
  // A policy whose spec is swept goes by its first value.
  std::string name = spec.policies(p).spec();
  for (const SweepAxis& axis : spec.policies(p).sweep()) {
    for (const study::SweepField& f : axis.fields()) {
      if (name.empty() && f.field() == "policy.spec" && f.labels_size() > 0) {
        name = f.labels(0);
      }
    }
  }
  const int family = absl::StartsWith(name, "mp-")   ? 0
                     : absl::StartsWith(name, "sr-") ? 1
                                                     : -1;
  if (family >= 0 && !taken.count(family)) {
    // Another policy of the family that comes later and has no colour
    // still yields to this one (the first takes the family colour).
    return family;
  }
  for (int c = 2; c < 10; ++c) {
    if (!taken.count(c)) return c;
  }
  return p % 10;
}

const char* const kLegendLocs[] = {
    "best",         "upper_left",  "upper_right",  "lower_left",
    "lower_right",  "center_left", "center_right", "lower_center",
    "upper_center", "center",      "above",        "none"};

std::string DefaultXLabel(const std::string& field) {
  static const std::map<std::string, std::string>* labels =
      new std::map<std::string, std::string>{
          {"workload.total_rate", "Total Rate (req/s)"},
          {"workload.cv", "Coefficient of Variation (CV)"},
          {"workload.slo_scale", "SLO Scale"},
          {"workload.slo_s", "SLO (s)"},
          {"workload.duration_s", "Duration (s)"},
          {"cluster.num_devices", "Number of GPUs"},
          {"cluster.mem_budget_gib", "Memory Budget (GiB)"},
          {"serving.stage_slowdown", "Stage Slowdown"},
          {"serving.fixed_overhead_s", "Fixed Overhead (s)"},
      };
  auto it = labels->find(field);
  return it != labels->end() ? it->second : field;
}

std::string DefaultYLabel(const std::string& metric, double y_scale) {
  static const std::map<std::string, std::string>* labels =
      new std::map<std::string, std::string>{
          {"slo_attainment", "SLO Attainment"},
          // Latencies are over the requests that met their SLO.
          {"mean_latency_s", "Mean Latency, SLO Met (s)"},
          {"p50_latency_s", "P50 Latency, SLO Met (s)"},
          {"p90_latency_s", "P90 Latency, SLO Met (s)"},
          {"p99_latency_s", "P99 Latency, SLO Met (s)"},
          // A request that missed its SLO counts at its deadline.
          {"p99_all_latency_s", "P99 Latency, All Requests (s)"},
          {"throughput_rps", "Throughput (req/s)"},
          {"requests", "Requests"},
          {"solver_s", "Solver Time (s)"},
      };
  auto it = labels->find(metric);
  std::string label = it != labels->end() ? it->second : metric;
  if (metric == "slo_attainment" && y_scale == 100) label += " (%)";
  return label;
}

// ---------------------------------------------------------------------------

class Loader {
 public:
  Loader(std::string path, const StudyOptions& options, Locator locator,
         int entry)
      : path_(std::move(path)),
        options_(options),
        locator_(std::move(locator)),
        entry_(entry) {}

  absl::StatusOr<Study> Load(StudySpec spec) {
    spec_ = std::move(spec);
    if (!(options_.duration_scale > 0) ||
        !std::isfinite(options_.duration_scale)) {
      return absl::InvalidArgumentError(
          absl::StrCat("duration scale must be a finite number > 0, got ",
                       options_.duration_scale));
    }
    dir_ = AbsoluteDirOf(path_);
    study_.path = path_;
    study_.entry = entry_;
    study_.options = options_;

    RETURN_IF_ERROR(CheckBasics());
    RETURN_IF_ERROR(CheckWorkload());
    RETURN_IF_ERROR(CheckTraining());
    RETURN_IF_ERROR(ResolveSweeps());
    RETURN_IF_ERROR(CheckPolicies());
    RETURN_IF_ERROR(CreateCostModels());
    RETURN_IF_ERROR(CreateSimulators());
    RETURN_IF_ERROR(CheckPlugins());
    FillDefaults();
    RETURN_IF_ERROR(Expand());
    RETURN_IF_ERROR(CheckCharts());
    study_.spec = spec_;
    return std::move(study_);
  }

 private:
  absl::Status Err(const FieldPath& path, absl::string_view message) const {
    return locator_.Error(path, message);
  }
  absl::Status CheckLineStyle(const study::LineStyle& style,
                              const FieldPath& at) const {
    if (style.has_color_name()) {
      absl::Status s = ParseColorName(style.color_name()).status();
      if (!s.ok()) return Err(at.F("color_name"), s.message());
    }
    if (style.has_dash()) {
      absl::Status s = ParseDash(style.dash()).status();
      if (!s.ok()) return Err(at.F("dash"), s.message());
    }
    if (style.has_marker()) {
      absl::Status s = ParseMarker(style.marker()).status();
      if (!s.ok()) return Err(at.F("marker"), s.message());
    }
    if (style.has_line_width() &&
        !(style.line_width() > 0 && style.line_width() <= 20)) {
      return Err(at.F("line_width"),
                 absl::StrCat("must be in (0, 20] points, got ",
                              FormatDoubleExact(style.line_width())));
    }
    return absl::OkStatus();
  }
  // The value of a numeric field of the spec against its rule.
  absl::Status CheckField(const FieldPath& path, const std::string& key,
                          const FieldDescriptor* leaf, double v) const {
    const std::string problem = CheckNumber(key, leaf, v);
    return problem.empty() ? absl::OkStatus() : Err(path, problem);
  }

  absl::Status CheckBasics() {
    if (!spec_.has_name()) spec_.set_name(FileStem(path_));
    if (spec_.repetitions() < 1 || spec_.repetitions() > 1000) {
      return Err(
          kRoot.F("repetitions"),
          absl::StrCat("must be in [1, 1000], got ", spec_.repetitions()));
    }
    if (spec_.models_size() == 0) {
      return Err(kRoot.F("models"),
                 "the spec serves no models: add at least one models { type: "
                 "\"bert-1.3b\" count: 4 }");
    }
    for (int i = 0; i < spec_.models_size(); ++i) {
      const study::ModelGroupSpec& g = spec_.models(i);
      if (g.type().empty()) {
        return Err(kRoot.F("models", i), "needs a type, e.g. \"bert-2.6b\"");
      }
      if (g.count() < 1) {
        return Err(kRoot.F("models", i).F("count"),
                   absl::StrCat("must be >= 1, got ", g.count()));
      }
    }
    int64_t instances = 0;  // int32 counts: their sum may not fit an int
    for (const study::ModelGroupSpec& g : spec_.models()) {
      instances += g.count();
    }
    if (instances > kMaxModels) {
      return Err(kRoot.F("models"),
                 absl::StrCat(instances, " model instances, over the limit of ",
                              kMaxModels, " (kMaxModels)"));
    }
    const study::ClusterSpec& c = spec_.cluster();
    const FieldPath cluster = kRoot.F("cluster");
    RETURN_IF_ERROR(CheckField(cluster.F("num_devices"), "cluster.num_devices",
                               nullptr, c.num_devices()));
    RETURN_IF_ERROR(CheckField(cluster.F("mem_budget_gib"),
                               "cluster.mem_budget_gib", nullptr,
                               c.mem_budget_gib()));
    RETURN_IF_ERROR(CheckField(cluster.F("devices_per_node"),
                               "cluster.devices_per_node", nullptr,
                               c.devices_per_node()));
    const study::ServingSpec& s = spec_.serving();
    const FieldPath serving = kRoot.F("serving");
    RETURN_IF_ERROR(CheckField(serving.F("fixed_overhead_s"),
                               "serving.fixed_overhead_s", nullptr,
                               s.fixed_overhead_s()));
    RETURN_IF_ERROR(CheckField(serving.F("stage_slowdown"),
                               "serving.stage_slowdown", nullptr,
                               s.stage_slowdown()));
    RETURN_IF_ERROR(CheckField(serving.F("warmup_s"), "serving.warmup_s",
                               nullptr, s.warmup_s()));
    return absl::OkStatus();
  }

  absl::Status CheckWorkload() {
    const study::WorkloadSpec& w = spec_.workload();
    const FieldPath at = kRoot.F("workload");
    modes_.trace = w.has_trace();
    if (modes_.trace) {
      const char* const generated[] = {"process", "total_rate", "rate_split",
                                       "cv",      "rate_scale", "cv_scale"};
      for (const char* name : generated) {
        const FieldDescriptor* f =
            study::WorkloadSpec::descriptor()->FindFieldByName(name);
        if (w.GetReflection()->HasField(w, f)) {
          return Err(at.F(name),
                     "not with workload.trace: the trace gives the arrivals");
        }
      }
      if (w.trace().empty()) return Err(at.F("trace"), "is empty");
    }
    if (w.has_slo_scale() && w.has_slo_s()) {
      return Err(at.F("slo_s"),
                 "give either workload.slo_scale or workload.slo_s, not both");
    }
    if (w.has_total_rate()) {
      RETURN_IF_ERROR(CheckField(at.F("total_rate"), "workload.total_rate",
                                 nullptr, w.total_rate()));
    }
    if (w.has_cv()) {
      RETURN_IF_ERROR(CheckField(at.F("cv"), "workload.cv", nullptr, w.cv()));
    }
    if (w.has_rate_scale()) {
      RETURN_IF_ERROR(CheckField(at.F("rate_scale"), "workload.rate_scale",
                                 nullptr, w.rate_scale()));
    }
    if (w.has_cv_scale()) {
      RETURN_IF_ERROR(CheckField(at.F("cv_scale"), "workload.cv_scale", nullptr,
                                 w.cv_scale()));
    }
    if (w.has_duration_s()) {
      RETURN_IF_ERROR(CheckField(at.F("duration_s"), "workload.duration_s",
                                 nullptr, w.duration_s()));
    }
    if (w.has_min_scaled_duration_s()) {
      RETURN_IF_ERROR(CheckField(at.F("min_scaled_duration_s"),
                                 "workload.min_scaled_duration_s", nullptr,
                                 w.min_scaled_duration_s()));
    }
    if (w.has_slo_scale()) {
      RETURN_IF_ERROR(CheckField(at.F("slo_scale"), "workload.slo_scale",
                                 nullptr, w.slo_scale()));
    }
    if (w.has_slo_s()) {
      RETURN_IF_ERROR(
          CheckField(at.F("slo_s"), "workload.slo_s", nullptr, w.slo_s()));
    }
    if (w.has_process() && w.process().empty()) {
      return Err(at.F("process"), "is empty");
    }
    if (w.prompt_lengths_size() != 0 || w.output_lengths_size() != 0) {
      if ((w.prompt_lengths_size() == 0) != (w.output_lengths_size() == 0)) {
        return Err(at.F("prompt_lengths"),
                   "give both prompt_lengths and output_lengths, or neither");
      }
      if (w.has_trace()) {
        return Err(at.F("prompt_lengths"),
                   "not with workload.trace: length distributions go with "
                   "generated arrivals");
      }
      for (const char* name : {"prompt_lengths", "output_lengths"}) {
        const auto& specs = std::string(name) == "prompt_lengths"
                                ? w.prompt_lengths()
                                : w.output_lengths();
        for (const std::string& length_spec : specs) {
          absl::StatusOr<std::unique_ptr<LengthDistribution>> d =
              Registry<LengthDistribution>::Global().Create(length_spec);
          if (!d.ok()) return Err(at.F(name), d.status().message());
        }
      }
    }
    modes_.slo_seconds = w.has_slo_s();
    modes_.slo_explicit = w.has_slo_scale() || w.has_slo_s();
    return absl::OkStatus();
  }

  absl::Status CheckTraining() {
    const study::TrainingSpec& t = spec_.training();
    const FieldPath at = kRoot.F("training");
    int set = 0;
    if (t.has_same_as_serving() && t.same_as_serving()) ++set;
    if (t.has_seed()) {
      if (++set > 1) {
        return Err(at.F("seed"), "give one of same_as_serving, seed and trace");
      }
      modes_.training = Modes::kSeed;
      if (modes_.trace) {
        return Err(at.F("seed"),
                   "a fresh draw needs a generated serving workload; with "
                   "workload.trace use training.trace or same_as_serving");
      }
    }
    if (t.has_trace()) {
      if (++set > 1) {
        return Err(at.F("trace"),
                   "give one of same_as_serving, seed and trace");
      }
      modes_.training = Modes::kTrace;
      if (t.trace().empty()) return Err(at.F("trace"), "is empty");
    }
    if (t.has_process()) {
      // A fresh draw of another process: as `seed` (which it may go with).
      if (t.has_trace() || (t.has_same_as_serving() && t.same_as_serving())) {
        return Err(at.F("process"),
                   "not with training.trace or same_as_serving");
      }
      if (modes_.trace) {
        return Err(at.F("process"),
                   "a fresh draw needs a generated serving workload; with "
                   "workload.trace use training.trace or same_as_serving");
      }
      if (t.process().empty()) return Err(at.F("process"), "is empty");
      if (set == 0) ++set;
      modes_.training = Modes::kSeed;
    }
    // Pattern changes: a fresh draw, as `process`.
    const char* const changes[] = {"total_rate", "rate_split", "cv"};
    for (const char* name : changes) {
      const FieldDescriptor* f =
          study::TrainingSpec::descriptor()->FindFieldByName(name);
      if (!t.GetReflection()->HasField(t, f)) continue;
      if (t.has_trace() || (t.has_same_as_serving() && t.same_as_serving())) {
        return Err(at.F(name), "not with training.trace or same_as_serving");
      }
      if (modes_.trace) {
        return Err(at.F(name),
                   "a fresh draw needs a generated serving workload; with "
                   "workload.trace use training.trace or same_as_serving");
      }
      if (set == 0) ++set;
      modes_.training = Modes::kSeed;
    }
    if (t.has_total_rate()) {
      RETURN_IF_ERROR(CheckField(at.F("total_rate"), "workload.total_rate",
                                 nullptr, t.total_rate()));
    }
    if (t.has_cv()) {
      RETURN_IF_ERROR(CheckField(at.F("cv"), "workload.cv", nullptr, t.cv()));
    }
    if (t.has_same_as_serving() && !t.same_as_serving() && set == 0) {
      return Err(at.F("same_as_serving"),
                 "false needs training.seed or training.trace instead");
    }
    if (t.has_duration_s()) {
      if (modes_.training == Modes::kSame) {
        return Err(at.F("duration_s"),
                   "only with training.seed or training.trace (the serving "
                   "workload has its own duration)");
      }
      RETURN_IF_ERROR(CheckField(at.F("duration_s"), "training.duration_s",
                                 nullptr, t.duration_s()));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<ResolvedSweep> ResolveSweep(
      const google::protobuf::RepeatedPtrField<SweepAxis>& axes,
      const FieldPath& at) {
    ResolvedSweep sweep;
    std::set<std::string> seen;
    for (int a = 0; a < axes.size(); ++a) {
      const FieldPath axis_at = at.F("sweep", a);
      if (axes[a].fields_size() == 0) {
        return Err(axis_at, "an axis needs at least one fields { ... }");
      }
      ResolvedAxis axis;
      for (int k = 0; k < axes[a].fields_size(); ++k) {
        const SweepField& sf = axes[a].fields(k);
        const FieldPath field_at = axis_at.F("fields", k);
        ResolvedField r;
        r.field = sf.field();
        r.at = field_at;
        if (sf.field().empty()) {
          return Err(field_at, "needs a field, e.g. \"workload.total_rate\"");
        }
        if (!seen.insert(sf.field()).second) {
          return Err(field_at.F("field"),
                     absl::StrCat("'", sf.field(),
                                  "' is swept twice; each field may vary on "
                                  "one axis only"));
        }
        const int sources =
            (sf.values_size() > 0) + sf.has_linspace() + (sf.labels_size() > 0);
        if (sf.field() == kPolicySpecField) {
          r.is_policy_spec = true;
          if (sf.labels_size() == 0 || sources != 1) {
            return Err(field_at.F("field"),
                       "policy.spec takes its values as labels: "
                       "labels: [\"sr-greedy\", \"mp-search\"]");
          }
          if (sf.has_scale()) {
            return Err(field_at.F("scale"), "not with labels");
          }
          for (const std::string& label : sf.labels()) {
            r.labels.push_back(label);
          }
        } else {
          absl::StatusOr<Target> target = ResolveTarget(sf.field(), &spec_);
          if (!target.ok()) {
            return Err(field_at.F("field"), target.status().message());
          }
          r.target = *std::move(target);
          if (sources != 1 || sf.labels_size() > 0) {
            return Err(field_at,
                       absl::StrCat("'", sf.field(),
                                    "' needs exactly one of values: [...] "
                                    "and linspace { ... }"));
          }
          if (!std::isfinite(sf.scale()) || sf.scale() == 0) {
            return Err(field_at.F("scale"),
                       absl::StrCat("must be a finite non-zero number, got ",
                                    FormatDoubleExact(sf.scale())));
          }
          std::vector<double> raw;
          if (sf.has_linspace()) {
            const study::Linspace& l = sf.linspace();
            if (!std::isfinite(l.start()) || !std::isfinite(l.stop())) {
              return Err(field_at.F("linspace"),
                         "start and stop must be finite numbers");
            }
            if (l.num() < 2) {
              return Err(field_at.F("linspace").F("num"),
                         absl::StrCat("must be >= 2, got ", l.num()));
            }
            if (l.num() > kMaxStudyCases) {
              return Err(field_at.F("linspace").F("num"),
                         absl::StrCat("must be at most ", kMaxStudyCases,
                                      ", got ", l.num()));
            }
            raw = Linspace(l.start(), l.stop(), l.num());
          } else {
            raw.assign(sf.values().begin(), sf.values().end());
          }
          for (size_t i = 0; i < raw.size(); ++i) {
            const double v = raw[i] * sf.scale();
            const std::string problem =
                CheckNumber(r.target.key, r.target.leaf, v);
            if (!problem.empty()) {
              return Err(field_at.F(sf.has_linspace() ? "linspace" : "values",
                                    sf.has_linspace() ? -1 : int(i)),
                         absl::StrCat("value ", i, " of '", sf.field(),
                                      "': ", problem));
            }
            r.numbers.push_back(v);
          }
          RETURN_IF_ERROR(CheckSweepable(r));
        }
        if (k == 0) {
          axis.size = r.size();
        } else if (r.size() != axis.size) {
          return Err(
              field_at.F("field"),
              absl::StrCat("'", r.field, "' has ", r.size(), " values but '",
                           axis.fields[0].field,
                           "', swept with it on this axis, has ", axis.size,
                           "; fields of one axis go in "
                           "lockstep"));
        }
        axis.fields.push_back(std::move(r));
      }
      sweep.axes.push_back(std::move(axis));
    }
    return sweep;
  }

  // Whether sweeping the field makes sense for this spec.
  absl::Status CheckSweepable(const ResolvedField& r) {
    const std::string& key = r.target.key;
    const FieldPath at = r.at.F("field");
    const bool generated_only =
        key == "workload.total_rate" || key == "workload.cv" ||
        key == "workload.seed" || key == "workload.rate_scale" ||
        key == "workload.cv_scale";
    if (modes_.trace && generated_only) {
      return Err(
          at, absl::StrCat("'", key, "' does not apply to a workload.trace"));
    }
    if (key == "workload.slo_scale" && spec_.workload().has_slo_s()) {
      return Err(at,
                 "the spec sets workload.slo_s; sweep workload.slo_s or "
                 "remove it");
    }
    if (key == "workload.slo_s") {
      if (spec_.workload().has_slo_scale()) {
        return Err(at,
                   "the spec sets workload.slo_scale; sweep "
                   "workload.slo_scale or remove it");
      }
      modes_.slo_seconds = true;
      modes_.slo_explicit = true;
    }
    if (key == "workload.slo_scale") modes_.slo_explicit = true;
    if (key == "training.seed" && modes_.training != Modes::kSeed) {
      return Err(at, "training.seed only varies with training { seed: ... }");
    }
    if (key == "training.duration_s" && modes_.training == Modes::kSame) {
      return Err(at,
                 "training.duration_s only applies with training.seed "
                 "or training.trace");
    }
    if (key == "workload.cv") swept_cv_at_ = at;
    if (key == "workload.total_rate") swept_rate_at_ = at;
    if (key == "workload.rate_scale") swept_rate_scale_at_ = at;
    if (key == "workload.cv_scale") swept_cv_scale_at_ = at;
    return absl::OkStatus();
  }

  absl::Status ResolveSweeps() {
    ASSIGN_OR_RETURN(study_sweep_, ResolveSweep(spec_.sweep(), kRoot));
    for (int p = 0; p < spec_.policies_size(); ++p) {
      ASSIGN_OR_RETURN(ResolvedSweep s, ResolveSweep(spec_.policies(p).sweep(),
                                                     kRoot.F("policies", p)));
      policy_sweeps_.push_back(std::move(s));
    }
    return absl::OkStatus();
  }

  const ResolvedSweep& SweepOf(int p) const {
    return spec_.policies(p).sweep_size() > 0 ? policy_sweeps_[p]
                                              : study_sweep_;
  }

  absl::Status CheckPolicies() {
    if (spec_.policies_size() == 0) {
      return Err(kRoot.F("policies"),
                 "the spec compares no policies: add at least one policies { "
                 "spec: \"sr-greedy\" }");
    }
    std::map<std::string, int> labels;
    for (int p = 0; p < spec_.policies_size(); ++p) {
      PolicySpec* policy = spec_.mutable_policies(p);
      const FieldPath at = kRoot.F("policies", p);
      const ResolvedField* swept = SweepOf(p).Find(kPolicySpecField);
      if (!policy->has_spec() && swept == nullptr) {
        return Err(at,
                   "needs a spec, e.g. \"mp-search\" (or a sweep over "
                   "policy.spec)");
      }
      if (policy->has_spec()) {
        absl::StatusOr<std::unique_ptr<PlacementPolicy>> made =
            Registry<PlacementPolicy>::Global().Create(policy->spec());
        if (!made.ok()) return Err(at.F("spec"), made.status().message());
      }
      if (swept != nullptr) {
        for (size_t i = 0; i < swept->labels.size(); ++i) {
          absl::StatusOr<std::unique_ptr<PlacementPolicy>> made =
              Registry<PlacementPolicy>::Global().Create(swept->labels[i]);
          if (!made.ok()) {
            return Err(swept->at.F("labels", static_cast<int>(i)),
                       made.status().message());
          }
        }
      }
      if (!policy->has_label()) {
        if (!policy->has_spec()) {
          return Err(at, "needs a label when its spec comes from a sweep");
        }
        policy->set_label(policy->spec());
      }
      if (policy->label().empty() ||
          policy->label().find_first_of("\t\n") != std::string::npos) {
        return Err(at.F("label"),
                   "must be non-empty, without tabs or "
                   "newlines");
      }
      auto [it, inserted] = labels.emplace(policy->label(), p);
      if (!inserted) {
        return Err(
            at.F("label"),
            absl::StrCat("'", policy->label(),
                         "' is already the label of policies[", it->second,
                         "]; labels name the lines and rows, so they "
                         "must be unique"));
      }
      if (policy->style().has_color() && policy->style().color() < 0) {
        return Err(at.F("style").F("color"),
                   absl::StrCat("must be >= 0 (a tab10 index), got ",
                                policy->style().color()));
      }
      const double alpha = policy->style().alpha();
      if (!(alpha > 0 && alpha <= 1)) {
        return Err(
            at.F("style").F("alpha"),
            absl::StrCat("must be in (0, 1], got ", FormatDoubleExact(alpha)));
      }
      RETURN_IF_ERROR(CheckLineStyle(policy->style(), at.F("style")));
    }
    return absl::OkStatus();
  }

  // `wrap`: the study's cost model spec, which a wrapper (a plugin taking a
  // `base`) that leaves out its base wraps; empty for the study's own.
  absl::StatusOr<const CostModel*> CostModelFor(const std::string& spec,
                                                const FieldPath& at,
                                                bool from_spec,
                                                const std::string& wrap,
                                                std::string* resolved) {
    *resolved = spec;
    if (from_spec) {
      absl::StatusOr<std::string> r = ResolvePluginPaths(spec, dir_);
      if (!r.ok()) return Err(at, r.status().message());
      *resolved = *r;
    }
    absl::StatusOr<bool> open = LeavesOutBase(*resolved);
    if (!open.ok()) return Err(at, open.status().message());
    if (*open && wrap.empty()) {
      return Err(at,
                 "this cost model wraps another and names no base: give "
                 "it as a policy's cost_model (it then wraps the study's "
                 "cost model)");
    }
    PluginArgs args;
    std::string key = *resolved;
    if (*open) {
      args.Set("base", wrap);
      absl::StrAppend(&key, " wrapping ", wrap);
    }
    auto it = study_.cost_models.find(key);
    if (it != study_.cost_models.end()) return it->second.get();
    absl::StatusOr<std::unique_ptr<CostModel>> made =
        Registry<CostModel>::Global().Create(*resolved, args);
    if (!made.ok()) return Err(at, made.status().message());
    std::shared_ptr<const CostModel> model(std::move(*made));
    study_.cost_models.emplace(key, model);
    return model.get();
  }

  // Whether a cost model spec names a plugin that takes a `base` (a cost
  // model it wraps) and leaves it out. Unknown plugins: false (Create says
  // what is wrong).
  static absl::StatusOr<bool> LeavesOutBase(const std::string& spec) {
    ASSIGN_OR_RETURN(PluginSpec parsed, ParsePluginSpec(spec));
    for (const auto& [name, entry] : Registry<CostModel>::Global().entries()) {
      if (!MatchPluginName(entry.name, entry.pattern, parsed.name).ok()) {
        continue;
      }
      for (const PluginParam& p : entry.params) {
        if (p.name == "base") return !parsed.args.Has("base");
      }
      return false;
    }
    return false;
  }

  absl::StatusOr<const Simulator*> SimulatorFor(const std::string& spec,
                                                const FieldPath& at) {
    if (spec.empty()) return Err(at, "is empty");
    auto it = study_.simulators.find(spec);
    if (it != study_.simulators.end()) return it->second.get();
    absl::StatusOr<std::unique_ptr<Simulator>> made =
        Registry<Simulator>::Global().Create(spec);
    if (!made.ok()) return Err(at, made.status().message());
    std::shared_ptr<const Simulator> simulator(std::move(*made));
    study_.simulators.emplace(spec, simulator);
    return simulator.get();
  }

  // The study's simulator (fast unless named; the default is not filled)
  // and each policy's.
  absl::Status CreateSimulators() {
    ASSIGN_OR_RETURN(
        study_.simulator,
        SimulatorFor(spec_.has_simulator() ? spec_.simulator() : "fast",
                     kRoot.F("simulator")));
    for (int p = 0; p < spec_.policies_size(); ++p) {
      const PolicySpec& policy = spec_.policies(p);
      if (!policy.has_simulator()) {
        study_.policy_simulators.push_back(study_.simulator);
        continue;
      }
      ASSIGN_OR_RETURN(const Simulator* simulator,
                       SimulatorFor(policy.simulator(),
                                    kRoot.F("policies", p).F("simulator")));
      study_.policy_simulators.push_back(simulator);
    }
    return absl::OkStatus();
  }

  absl::Status CreateCostModels() {
    std::string resolved;
    if (spec_.has_cost_model()) {
      if (spec_.cost_model().empty()) {
        return Err(kRoot.F("cost_model"), "is empty");
      }
      ASSIGN_OR_RETURN(study_.cost_model,
                       CostModelFor(spec_.cost_model(), kRoot.F("cost_model"),
                                    true, "", &resolved));
    } else {
      if (options_.default_cost_model.empty()) {
        return Err(kRoot.F("cost_model"),
                   "no cost model given and no default known");
      }
      ASSIGN_OR_RETURN(
          study_.cost_model,
          CostModelFor(options_.default_cost_model, kRoot.F("cost_model"),
                       false, "", &resolved));
    }
    spec_.set_cost_model(resolved);
    for (int p = 0; p < spec_.policies_size(); ++p) {
      PolicySpec* policy = spec_.mutable_policies(p);
      if (!policy->has_cost_model()) {
        study_.policy_cost_models.push_back(study_.cost_model);
        continue;
      }
      const FieldPath at = kRoot.F("policies", p).F("cost_model");
      if (policy->cost_model().empty()) return Err(at, "is empty");
      ASSIGN_OR_RETURN(const CostModel* model,
                       CostModelFor(policy->cost_model(), at, true,
                                    spec_.cost_model(), &resolved));
      policy->set_cost_model(resolved);
      study_.policy_cost_models.push_back(model);
    }
    // The SLO unit of every model type: its single-GPU batch-1 latency.
    for (int i = 0; i < spec_.models_size(); ++i) {
      const std::string& type = spec_.models(i).type();
      if (study_.l1_s.count(type)) continue;
      absl::StatusOr<StageCosts> single =
          study_.cost_model->Stages(type, ParallelConfig{1, 1, 1}, 1);
      if (!single.ok()) {
        const std::vector<std::string> known = study_.cost_model->Models();
        return Err(
            kRoot.F("models", i).F("type"),
            absl::StrCat("cost model ", study_.cost_model->Name(),
                         " cannot serve '", type,
                         "' on one GPU at batch 1: ", single.status().message(),
                         " (it knows: ", absl::StrJoin(known, ", "), ")"));
      }
      study_.l1_s[type] = single->TotalLatency();
    }
    return absl::OkStatus();
  }

  int NumModels() const {
    int n = 0;
    for (const study::ModelGroupSpec& g : spec_.models()) n += g.count();
    return n;
  }

  std::vector<std::string> ModelNames() const {
    std::vector<std::string> names;
    for (int i = 0; i < NumModels(); ++i) names.push_back(absl::StrCat("m", i));
    return names;
  }

  absl::StatusOr<std::shared_ptr<const Workload>> ReadStudyTrace(
      const std::string& file, const FieldPath& at) {
    const std::string path = JoinPath(dir_, file);
    absl::StatusOr<Workload> trace = ReadTrace(path);
    if (!trace.ok()) return Err(at, trace.status().message());
    if (trace->empty()) return Err(at, absl::StrCat(path, " has no requests"));
    const std::vector<std::string> names = ModelNames();
    for (const std::string& name : trace->model_names) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        return Err(
            at, absl::StrCat(path, " has requests for model '", name,
                             "', which is not one of the study's ",
                             names.size(), " models m0..m", names.size() - 1));
      }
    }
    return std::make_shared<const Workload>(*std::move(trace));
  }

  // The default duration of a trace: the smallest whole second after its
  // last arrival.
  static double TraceEnd(const Workload& w) {
    return std::floor(w.arrival_s.back()) + 1;
  }

  absl::Status CheckPlugins() {
    study::WorkloadSpec* w = spec_.mutable_workload();
    const FieldPath at = kRoot.F("workload");
    if (modes_.trace) {
      ASSIGN_OR_RETURN(study_.serving_trace,
                       ReadStudyTrace(w->trace(), at.F("trace")));
      w->set_trace(JoinPath(dir_, w->trace()));
    } else {
      const std::string process = w->process();  // default "gamma"
      absl::StatusOr<std::string> resolved = ResolvePluginPaths(process, dir_);
      if (!resolved.ok())
        return Err(at.F("process"), resolved.status().message());
      if (w->has_process()) w->set_process(*resolved);
      absl::StatusOr<bool> takes_rate = ProcessAcceptsParam(*resolved, "rate");
      if (!takes_rate.ok()) {
        return Err(at.F("process"), takes_rate.status().message());
      }
      absl::StatusOr<bool> takes_cv = ProcessAcceptsParam(*resolved, "cv");
      if (!takes_cv.ok())
        return Err(at.F("process"), takes_cv.status().message());
      modes_.takes_rate = *takes_rate;
      modes_.takes_cv = *takes_cv;
      ASSIGN_OR_RETURN(PluginSpec parsed, ParsePluginSpec(*resolved));
      if (parsed.args.Has("rate")) {
        return Err(at.F("process"),
                   "leave out 'rate': each model's rate comes from "
                   "workload.total_rate and workload.rate_split");
      }
      // rate_scale and cv_scale: passed to the process, which must take
      // them and must not set them itself (so that they can be swept).
      const struct {
        const char* name;
        bool set;
        const FieldPath& swept_at;
      } scales[] = {{"rate_scale", w->has_rate_scale(), swept_rate_scale_at_},
                    {"cv_scale", w->has_cv_scale(), swept_cv_scale_at_}};
      for (const auto& scale : scales) {
        absl::StatusOr<bool> takes = ProcessAcceptsParam(*resolved, scale.name);
        if (!takes.ok()) return Err(at.F("process"), takes.status().message());
        const bool given = scale.set || !scale.swept_at.segments().empty();
        if (given && !*takes) {
          return Err(scale.set ? at.F(scale.name) : scale.swept_at,
                     absl::StrCat("process '", parsed.name, "' takes no ",
                                  scale.name));
        }
        if (given && parsed.args.Has(scale.name)) {
          return Err(at.F("process"),
                     absl::StrCat("leave out '", scale.name, "': set workload.",
                                  scale.name, " (so that it can be swept)"));
        }
      }
      if (parsed.args.Has("cv") && modes_.takes_cv) {
        return Err(at.F("process"),
                   "leave out 'cv': set workload.cv (so that it can be "
                   "swept)");
      }
      const study::TrainingSpec& training = spec_.training();
      const FieldPath t_at = kRoot.F("training");
      if (training.has_cv() && !modes_.takes_cv) {
        return Err(t_at.F("cv"),
                   absl::StrCat("process '", parsed.name, "' takes no cv"));
      }
      if (training.has_total_rate() && !modes_.takes_rate) {
        return Err(t_at.F("total_rate"),
                   absl::StrCat("process '", parsed.name, "' takes no rate"));
      }
      if (training.has_rate_split()) {
        if (!modes_.takes_rate) {
          return Err(t_at.F("rate_split"),
                     absl::StrCat("process '", parsed.name, "' takes no rate"));
        }
        absl::StatusOr<std::vector<double>> split =
            SplitRate(training.rate_split(), 1.0, NumModels());
        if (!split.ok()) {
          return Err(t_at.F("rate_split"), split.status().message());
        }
      }
      if (!modes_.takes_cv) {
        if (w->has_cv()) {
          return Err(at.F("cv"),
                     absl::StrCat("process '", parsed.name, "' takes no cv"));
        }
        if (!swept_cv_at_.segments().empty()) {
          return Err(swept_cv_at_,
                     absl::StrCat("process '", parsed.name, "' takes no cv"));
        }
      }
      if (modes_.takes_rate) {
        if (!w->has_total_rate() && swept_rate_at_.segments().empty()) {
          return Err(at, absl::StrCat("needs total_rate (requests/s over all "
                                      "models): process '",
                                      parsed.name, "' takes a rate"));
        }
        const double rate = w->has_total_rate() ? w->total_rate() : 1.0;
        absl::StatusOr<std::vector<double>> split =
            SplitRate(w->rate_split(), rate, NumModels());
        if (!split.ok())
          return Err(at.F("rate_split"), split.status().message());
      } else {
        if (w->has_total_rate()) {
          return Err(at.F("total_rate"),
                     absl::StrCat("process '", parsed.name, "' takes no rate"));
        }
        if (!swept_rate_at_.segments().empty()) {
          return Err(swept_rate_at_,
                     absl::StrCat("process '", parsed.name, "' takes no rate"));
        }
      }
      // The process's own parameters: create it once.
      WorkloadSpec probe;
      probe.num_models = NumModels();
      probe.total_rate = w->has_total_rate() ? w->total_rate() : 1.0;
      probe.rate_split = w->rate_split();
      probe.process = *resolved;
      if (modes_.takes_cv)
        probe.process_args.Set("cv", FormatDoubleExact(w->cv()));
      if (w->has_rate_scale()) {
        probe.process_args.Set("rate_scale",
                               FormatDoubleExact(w->rate_scale()));
      }
      if (w->has_cv_scale()) {
        probe.process_args.Set("cv_scale", FormatDoubleExact(w->cv_scale()));
      }
      absl::StatusOr<std::vector<ModelStream>> streams =
          MakeModelStreams(probe);
      if (!streams.ok())
        return Err(at.F("process"), streams.status().message());
      // training.process: the same, with its process.
      study::TrainingSpec* t = spec_.mutable_training();
      if (t->has_process()) {
        const FieldPath t_at = kRoot.F("training").F("process");
        absl::StatusOr<std::string> t_resolved =
            ResolvePluginPaths(t->process(), dir_);
        if (!t_resolved.ok()) return Err(t_at, t_resolved.status().message());
        t->set_process(*t_resolved);
        probe.process = *t_resolved;
        streams = MakeModelStreams(probe);
        if (!streams.ok()) return Err(t_at, streams.status().message());
      }
    }
    if (modes_.training == Modes::kTrace) {
      study::TrainingSpec* t = spec_.mutable_training();
      ASSIGN_OR_RETURN(
          study_.training_trace,
          ReadStudyTrace(t->trace(), kRoot.F("training").F("trace")));
      t->set_trace(JoinPath(dir_, t->trace()));
    }
    return absl::OkStatus();
  }

  void FillDefaults() {
    if (spec_.repetitions() > 1) spec_.set_repetitions(spec_.repetitions());
    study::ClusterSpec* c = spec_.mutable_cluster();
    c->set_num_devices(c->num_devices());
    c->set_mem_budget_gib(c->mem_budget_gib());
    c->set_devices_per_node(c->devices_per_node());
    for (study::ModelGroupSpec& g : *spec_.mutable_models()) {
      g.set_count(g.count());
    }
    study::WorkloadSpec* w = spec_.mutable_workload();
    w->set_min_scaled_duration_s(w->min_scaled_duration_s());
    if (modes_.trace) {
      if (!w->has_duration_s()) {
        w->set_duration_s(TraceEnd(*study_.serving_trace));
      }
    } else {
      w->set_process(w->process());
      w->set_rate_split(w->rate_split());
      if (modes_.takes_cv) w->set_cv(w->cv());
      w->set_duration_s(w->duration_s());
      w->set_seed(options_.seed.has_value() ? *options_.seed : w->seed());
      if (!modes_.slo_seconds) w->set_slo_scale(w->slo_scale());
    }
    study::TrainingSpec* t = spec_.mutable_training();
    if (modes_.training == Modes::kSame) t->set_same_as_serving(true);
    if (modes_.training == Modes::kTrace && !t->has_duration_s()) {
      t->set_duration_s(TraceEnd(*study_.training_trace));
    }
    study::ServingSpec* s = spec_.mutable_serving();
    s->set_fixed_overhead_s(s->fixed_overhead_s());
    s->set_stage_slowdown(s->stage_slowdown());
    s->set_warmup_s(s->warmup_s());
    for (int p = 0; p < spec_.policies_size(); ++p) {
      PolicySpec* policy = spec_.mutable_policies(p);
      study::LineStyle* style = policy->mutable_style();
      if (!style->has_color()) {
        style->set_color(FamilyColor(spec_, p));
      }
      style->set_alpha(style->alpha());
      for (SweepAxis& axis : *policy->mutable_sweep()) FillSweepAxis(&axis);
    }
    for (SweepAxis& axis : *spec_.mutable_sweep()) FillSweepAxis(&axis);
  }

  static void FillSweepAxis(SweepAxis* axis) {
    for (SweepField& f : *axis->mutable_fields()) {
      if (f.labels_size() == 0) f.set_scale(f.scale());
    }
  }

  // At most kMaxStudyCases cases: sweep points x policies, counted in 64
  // bits, saturating (the points of many axes may not fit 64 bits).
  absl::Status CheckNumCases() const {
    auto points = [](const ResolvedSweep& sweep) {
      int64_t n = 1;
      for (const ResolvedAxis& a : sweep.axes) {
        n = std::min(n * static_cast<int64_t>(a.size), kMaxStudyCases + 1);
      }
      return n;
    };
    int64_t cases = 0;
    for (int p = 0; p < spec_.policies_size(); ++p) {
      cases += points(spec_.policies(p).sweep_size() > 0 ? policy_sweeps_[p]
                                                         : study_sweep_) *
               spec_.repetitions();
      if (cases > kMaxStudyCases) {
        return Err(
            spec_.sweep_size() > 0 ? kRoot.F("sweep") : kRoot.F("policies", p),
            absl::StrCat("the study expands to more than ", kMaxStudyCases,
                         " cases (sweep points x policies); split it"));
      }
    }
    return absl::OkStatus();
  }

  // The cases: for each point of the study's sweep, each policy that uses
  // it; then each policy with its own sweep, point by point.
  absl::Status Expand() {
    RETURN_IF_ERROR(CheckNumCases());
    // Columns: every sweep field, in order of first appearance.
    std::set<std::string> seen;
    auto add_columns = [&](const ResolvedSweep& sweep) {
      for (const ResolvedAxis& axis : sweep.axes) {
        for (const ResolvedField& f : axis.fields) {
          if (seen.insert(f.field).second) study_.columns.push_back(f.field);
        }
      }
    };
    bool study_sweep_used = false;
    for (int p = 0; p < spec_.policies_size(); ++p) {
      if (spec_.policies(p).sweep_size() == 0) study_sweep_used = true;
    }
    if (study_sweep_used) add_columns(study_sweep_);
    for (int p = 0; p < spec_.policies_size(); ++p) {
      if (spec_.policies(p).sweep_size() > 0) add_columns(policy_sweeps_[p]);
    }

    StudySpec base;
    *base.mutable_cluster() = spec_.cluster();
    *base.mutable_models() = spec_.models();
    *base.mutable_workload() = spec_.workload();
    *base.mutable_training() = spec_.training();
    *base.mutable_serving() = spec_.serving();

    std::map<std::string, int> groups;
    int64_t total_instances = 0;
    auto add_case = [&](int p, const ResolvedSweep& sweep,
                        size_t point) -> absl::Status {
      StudyCase c;
      c.policy = p;
      c.policy_spec = spec_.policies(p).spec();
      c.spec = base;
      // Axis indices of the point, first axis outermost.
      std::vector<size_t> index(sweep.axes.size());
      size_t rest = point;
      for (size_t a = sweep.axes.size(); a-- > 0;) {
        index[a] = rest % sweep.axes[a].size;
        rest /= sweep.axes[a].size;
      }
      for (size_t a = 0; a < sweep.axes.size(); ++a) {
        for (const ResolvedField& f : sweep.axes[a].fields) {
          c.point.push_back({f.field, f.Text(index[a])});
          if (f.is_policy_spec) {
            c.policy_spec = f.labels[index[a]];
          } else {
            SetNumber(MutableAt(&c.spec, f.target), f.target.leaf,
                      f.numbers[index[a]]);
          }
        }
      }
      int64_t instances = 0;  // swept counts are each within kMaxModels
      for (const study::ModelGroupSpec& g : c.spec.models()) {
        instances += g.count();
      }
      total_instances += instances;
      if (instances > kMaxModels || total_instances > kMaxStudyInstances) {
        return Err(kRoot.F("models"),
                   absl::StrCat("case ", study_.cases.size(), " serves ",
                                instances, " model instances, ",
                                total_instances, " with the cases before it; ",
                                "the limits are ", kMaxModels, " per case and ",
                                kMaxStudyInstances, " in all"));
      }
      int m = 0;
      for (const study::ModelGroupSpec& g : c.spec.models()) {
        for (int k = 0; k < g.count(); ++k, ++m) {
          c.models.push_back({absl::StrCat("m", m), g.type()});
        }
      }
      // What the workloads depend on: models, workload, training.
      StudySpec key;
      *key.mutable_models() = c.spec.models();
      *key.mutable_workload() = c.spec.workload();
      *key.mutable_training() = c.spec.training();
      std::string bytes;
      key.SerializeToString(&bytes);
      auto [it, inserted] =
          groups.emplace(std::move(bytes), static_cast<int>(groups.size()));
      c.workload_group = it->second;
      study_.cases.push_back(std::move(c));
      return absl::OkStatus();
    };
    if (study_sweep_used) {
      for (size_t k = 0; k < study_sweep_.NumPoints(); ++k) {
        for (int p = 0; p < spec_.policies_size(); ++p) {
          if (spec_.policies(p).sweep_size() > 0) continue;
          RETURN_IF_ERROR(add_case(p, study_sweep_, k));
        }
      }
    }
    for (int p = 0; p < spec_.policies_size(); ++p) {
      if (spec_.policies(p).sweep_size() == 0) continue;
      for (size_t k = 0; k < policy_sweeps_[p].NumPoints(); ++k) {
        RETURN_IF_ERROR(add_case(p, policy_sweeps_[p], k));
      }
    }
    study_.num_workload_groups = static_cast<int>(groups.size());
    const int reps = spec_.repetitions();
    if (reps > 1) {
      study_.columns.push_back("repetition");
      std::vector<StudyCase> repeated;
      repeated.reserve(study_.cases.size() * reps);
      for (const StudyCase& c : study_.cases) {
        for (int r = 0; r < reps; ++r) {
          StudyCase copy = c;
          copy.repetition = r;
          study::WorkloadSpec* w = copy.spec.mutable_workload();
          if (w->has_seed()) w->set_seed(w->seed() + r);
          study::TrainingSpec* t = copy.spec.mutable_training();
          if (t->has_seed()) t->set_seed(t->seed() + r);
          copy.workload_group = c.workload_group * reps + r;
          repeated.push_back(std::move(copy));
        }
      }
      study_.cases = std::move(repeated);
      study_.num_workload_groups *= reps;
    }
    return absl::OkStatus();
  }

  // Whether case c has value `value` for `field` (swept or not).
  bool CaseMatches(const StudyCase& c, const std::string& field,
                   const std::string& value, double number) const {
    if (field == kPolicySpecField) return c.policy_spec == value;
    absl::StatusOr<Target> target = ResolveTarget(field, nullptr);
    if (!target.ok()) return false;
    const Message* m = ConstAt(c.spec, *target);
    if (m == nullptr) return false;
    return NumbersMatch(GetNumber(*m, target->leaf), number);
  }

  absl::Status CheckCharts() {
    std::set<std::string> stems;
    for (int i = 0; i < spec_.charts_size(); ++i) {
      ChartSpec* chart = spec_.mutable_charts(i);
      const FieldPath at = kRoot.F("charts", i);
      const std::string kind = chart->kind();
      chart->set_kind(kind);
      const bool line = kind == "line";
      if (!line && kind != "latency_cdf" && kind != "utilization") {
        return Err(at.F("kind"),
                   absl::StrCat("unknown chart kind '", kind,
                                "'; known: line, latency_cdf, utilization"));
      }
      if (line) {
        if (!chart->has_metric()) {
          return Err(at, absl::StrCat("a line chart needs a metric: ",
                                      absl::StrJoin(StudyMetrics(), ", ")));
        }
        const std::vector<std::string>& metrics = StudyMetrics();
        if (std::find(metrics.begin(), metrics.end(), chart->metric()) ==
            metrics.end()) {
          return Err(at.F("metric"),
                     absl::StrCat("unknown metric '", chart->metric(),
                                  "'; known: ", absl::StrJoin(metrics, ", ")));
        }
      } else if (chart->has_metric() || chart->has_x() ||
                 chart->has_y_scale()) {
        return Err(at.F(chart->has_metric() ? "metric"
                        : chart->has_x()    ? "x"
                                            : "y_scale"),
                   absl::StrCat("only for line charts, not ", kind));
      }
      if (kind != "latency_cdf" && chart->has_per_model()) {
        return Err(at.F("per_model"), "only for latency_cdf charts");
      }
      if (kind != "utilization" &&
          (chart->has_window_s() || chart->has_step_s())) {
        return Err(at.F(chart->has_window_s() ? "window_s" : "step_s"),
                   "only for utilization charts");
      }
      if (!chart->has_stem()) {
        chart->set_stem(line ? chart->metric() : kind);
      }
      const std::string& stem = chart->stem();
      if (stem.empty() || stem.find('/') != std::string::npos || stem == "." ||
          stem == ".." || stem == "results" || stem == "study") {
        return Err(at.F("stem"),
                   absl::StrCat("'", stem,
                                "' cannot be a file stem in the output "
                                "directory (non-empty, no '/', not results "
                                "or study)"));
      }
      if (!stems.insert(stem).second) {
        return Err(at.F("stem"),
                   absl::StrCat("another chart already writes '", stem,
                                "'; give each chart its own stem"));
      }
      for (const char* size : {"width_in", "height_in"}) {
        const double v =
            size[0] == 'w' ? chart->width_in() : chart->height_in();
        if (!(v > 0) || !std::isfinite(v) || v > 100) {
          return Err(at.F(size),
                     absl::StrCat("must be in (0, 100] inches, got ",
                                  FormatDoubleExact(v)));
        }
      }
      chart->set_width_in(chart->width_in());
      chart->set_height_in(chart->height_in());
      for (const char* f : {"x_tick_step", "y_tick_step", "marker_size"}) {
        const double v = f[0] == 'x'   ? chart->x_tick_step()
                         : f[0] == 'y' ? chart->y_tick_step()
                                       : chart->marker_size();
        const bool set = f[0] == 'x'   ? chart->has_x_tick_step()
                         : f[0] == 'y' ? chart->has_y_tick_step()
                                       : chart->has_marker_size();
        if (set && (!(v > 0) || !std::isfinite(v) || v > 1e12)) {
          return Err(at.F(f), absl::StrCat("must be > 0 and finite, got ",
                                           FormatDoubleExact(v)));
        }
      }
      study::LegendSpec* legend = chart->mutable_legend();
      const std::string loc = legend->loc();
      if (std::find(std::begin(kLegendLocs), std::end(kLegendLocs), loc) ==
          std::end(kLegendLocs)) {
        return Err(at.F("legend").F("loc"),
                   absl::StrCat("unknown legend location '", loc, "'; known: ",
                                absl::StrJoin(kLegendLocs, ", ")));
      }
      legend->set_loc(loc);
      if (legend->ncols() < 1) {
        return Err(at.F("legend").F("ncols"),
                   absl::StrCat("must be >= 1, got ", legend->ncols()));
      }
      legend->set_ncols(legend->ncols());
      if (legend->has_font_size() &&
          !(legend->font_size() > 0 && legend->font_size() < 100)) {
        return Err(at.F("legend").F("font_size"),
                   absl::StrCat("must be in (0, 100) points, got ",
                                FormatDoubleExact(legend->font_size())));
      }
      for (int v = 0; v < chart->vlines_size(); ++v) {
        if (!std::isfinite(chart->vlines(v).x())) {
          return Err(at.F("vlines", v).F("x"), "must be a finite number");
        }
      }
      for (const char* f : {"y_min", "y_max"}) {
        const bool is_min = f[3] == 'i';
        const bool set = is_min ? chart->has_y_min() : chart->has_y_max();
        const double v = is_min ? chart->y_min() : chart->y_max();
        if (set && !std::isfinite(v)) {
          return Err(at.F(f), "must be a finite number");
        }
      }
      if (chart->has_y_min() && chart->has_y_max() &&
          !(chart->y_min() < chart->y_max())) {
        return Err(at.F("y_max"),
                   absl::StrCat("must be above y_min (",
                                FormatDoubleExact(chart->y_min()), "), got ",
                                FormatDoubleExact(chart->y_max())));
      }
      for (int h = 0; h < chart->hlines_size(); ++h) {
        if (!std::isfinite(chart->hlines(h).y())) {
          return Err(at.F("hlines", h).F("y"), "must be a finite number");
        }
      }
      if (chart->has_threshold()) {
        const study::ThresholdSpec& t = chart->threshold();
        if (!line) {
          return Err(at.F("threshold"), "is for kind \"line\" only");
        }
        if (!std::isfinite(t.y())) {
          return Err(at.F("threshold").F("y"), "must be a finite number");
        }
        if (t.scan() != "from_left" && t.scan() != "from_right") {
          return Err(at.F("threshold").F("scan"),
                     absl::StrCat("must be \"from_left\" or \"from_right\", "
                                  "got \"",
                                  t.scan(), "\""));
        }
      }
      if (line) {
        if (!std::isfinite(chart->y_scale()) || chart->y_scale() == 0) {
          return Err(at.F("y_scale"), "must be a finite non-zero number");
        }
        chart->set_y_scale(chart->y_scale());
      }
      if (kind == "utilization") {
        if (!(chart->window_s() > 0) || !std::isfinite(chart->window_s())) {
          return Err(at.F("window_s"), "must be a finite number > 0");
        }
        if (!(chart->step_s() > 0) || !(chart->step_s() <= chart->window_s())) {
          return Err(at.F("step_s"), "must be > 0 and at most window_s");
        }
        chart->set_window_s(chart->window_s());
        chart->set_step_s(chart->step_s());
      }
      if (kind == "latency_cdf") chart->set_per_model(chart->per_model());
      RETURN_IF_ERROR(PlanChart(i, chart, at));
      if (!chart->has_xlabel()) {
        chart->set_xlabel(line                    ? DefaultXLabel(chart->x())
                          : kind == "latency_cdf" ? "Latency (s)"
                                                  : "Time (s)");
      }
      if (!chart->has_ylabel()) {
        chart->set_ylabel(line
                              ? DefaultYLabel(chart->metric(), chart->y_scale())
                          : kind == "latency_cdf" ? "CDF"
                                                  : "Utilization (%)");
      }
    }
    return CheckFigures(stems);
  }

  // Panel figures: stems unique among figures and charts, panels naming
  // charts, a grid, sizes.
  absl::Status CheckFigures(std::set<std::string>& stems) {
    for (int i = 0; i < spec_.figures_size(); ++i) {
      study::PanelFigureSpec* f = spec_.mutable_figures(i);
      const FieldPath at = kRoot.F("figures", i);
      if (f->stem().empty() || f->stem().find('/') != std::string::npos ||
          f->stem() == "." || f->stem() == ".." || f->stem() == "results" ||
          f->stem() == "study" || f->stem() == "results_summary") {
        return Err(at.F("stem"), absl::StrCat("'", f->stem(),
                                              "' cannot be a file stem (non-"
                                              "empty, no '/', not results or "
                                              "study)"));
      }
      if (!stems.insert(f->stem()).second) {
        return Err(at.F("stem"), absl::StrCat("a chart or figure already "
                                              "writes '",
                                              f->stem(), "'"));
      }
      if (f->charts_size() == 0) {
        return Err(at.F("charts"), "needs at least one chart's stem");
      }
      for (int k = 0; k < f->charts_size(); ++k) {
        bool known = false;
        for (const ChartSpec& c : spec_.charts()) {
          known = known || c.stem() == f->charts(k);
        }
        if (!known) {
          return Err(at.F("charts", k), absl::StrCat("no chart has the stem '",
                                                     f->charts(k), "'"));
        }
      }
      if (f->cols() < 1 || f->cols() > 100) {
        return Err(at.F("cols"),
                   absl::StrCat("must be in [1, 100], got ", f->cols()));
      }
      f->set_cols(f->cols());
      for (const char* size : {"width_in", "height_in"}) {
        const bool w = size[0] == 'w';
        if (!(w ? f->has_width_in() : f->has_height_in())) continue;
        const double v = w ? f->width_in() : f->height_in();
        if (!(v > 0) || !std::isfinite(v) || v > 100) {
          return Err(at.F(size),
                     absl::StrCat("must be in (0, 100] inches, got ",
                                  FormatDoubleExact(v)));
        }
      }
    }
    return absl::OkStatus();
  }

  // Which cases a chart draws; checks x and where against the sweeps.
  absl::Status PlanChart(int index, ChartSpec* chart, const FieldPath& at) {
    const bool line = chart->kind() == "line";
    const int num_policies = spec_.policies_size();
    if (line && !chart->has_x()) {
      const ResolvedSweep* first = nullptr;
      for (int p = 0; p < num_policies && first == nullptr; ++p) {
        if (!SweepOf(p).axes.empty()) first = &SweepOf(p);
      }
      if (first == nullptr) {
        return Err(at,
                   "a line chart needs a sweep (its x axis); the study "
                   "sweeps nothing");
      }
      chart->set_x(first->axes[0].fields[0].field);
    }
    if (line) {
      if (chart->x() == kPolicySpecField) {
        return Err(at.F("x"),
                   "must be a numeric sweep field, not "
                   "policy.spec");
      }
      bool anywhere = false;
      for (int p = 0; p < num_policies; ++p) {
        anywhere = anywhere || SweepOf(p).Find(chart->x()) != nullptr;
      }
      if (!anywhere) {
        return Err(at.F("x"), absl::StrCat("'", chart->x(),
                                           "' is not a sweep field; swept: ",
                                           SweptFields()));
      }
      for (int p = 0; p < num_policies; ++p) {
        if (SweepOf(p).Find(chart->x()) == nullptr) {
          return Err(at.F("x"),
                     absl::StrCat("policy '", spec_.policies(p).label(),
                                  "' does not sweep '", chart->x(), "'"));
        }
      }
    }
    // where: field=value pairs.
    struct Condition {
      std::string field, value;
      double number = 0;
    };
    std::vector<Condition> conditions;
    for (int w = 0; w < chart->where_size(); ++w) {
      const FieldPath where_at = at.F("where", w);
      const std::string& text = chart->where(w);
      const size_t eq = text.find('=');
      if (eq == std::string::npos) {
        return Err(where_at, absl::StrCat("'", text,
                                          "' is not field=value, e.g. "
                                          "\"workload.cv=3\""));
      }
      Condition c;
      c.field = std::string(absl::StripAsciiWhitespace(text.substr(0, eq)));
      c.value = std::string(absl::StripAsciiWhitespace(text.substr(eq + 1)));
      std::vector<const ResolvedField*> sweeps;
      for (int p = 0; p < num_policies; ++p) {
        if (const ResolvedField* f = SweepOf(p).Find(c.field)) {
          sweeps.push_back(f);
        }
      }
      if (sweeps.empty()) {
        return Err(where_at,
                   absl::StrCat("'", c.field, "' is not a sweep field; swept: ",
                                SweptFields()));
      }
      if (line && c.field == chart->x()) {
        return Err(where_at, "names the chart's x field");
      }
      bool found = false;
      std::vector<std::string> values;
      if (c.field != kPolicySpecField &&
          !absl::SimpleAtod(c.value, &c.number)) {
        return Err(where_at, absl::StrCat("'", c.value, "' is not a number"));
      }
      for (const ResolvedField* f : sweeps) {
        for (size_t k = 0; k < f->size(); ++k) {
          values.push_back(f->Text(k));
          found = found ||
                  (f->is_policy_spec ? f->labels[k] == c.value
                                     : NumbersMatch(f->numbers[k], c.number));
        }
      }
      if (!found) {
        return Err(where_at,
                   absl::StrCat("no case has ", c.field, " = ", c.value,
                                "; its values: ", absl::StrJoin(values, " ")));
      }
      conditions.push_back(std::move(c));
    }
    // Every axis other than x's must be pinned by a condition.
    for (int p = 0; p < num_policies; ++p) {
      const ResolvedSweep& sweep = SweepOf(p);
      const int x_axis = line ? sweep.AxisOf(chart->x()) : -1;
      for (size_t a = 0; a < sweep.axes.size(); ++a) {
        if (static_cast<int>(a) == x_axis || sweep.axes[a].size == 1) continue;
        bool pinned = false;
        for (const Condition& c : conditions) {
          pinned = pinned || sweep.AxisOf(c.field) == static_cast<int>(a);
        }
        if (!pinned) {
          return Err(
              at, absl::StrCat("policy '", spec_.policies(p).label(),
                               "' also varies '", sweep.axes[a].fields[0].field,
                               "': pin it with where: \"",
                               sweep.axes[a].fields[0].field, "=",
                               sweep.axes[a].fields[0].Text(0), "\"",
                               line ? ""
                                    : " (this chart draws one case per "
                                      "policy)"));
        }
      }
    }
    ChartPlan plan;
    plan.cases.resize(num_policies);
    plan.x.resize(num_policies);
    for (size_t i = 0; i < study_.cases.size(); ++i) {
      StudyCase& c = study_.cases[i];
      if (c.repetition != 0) continue;  // case i + r: repetition r
      bool match = true;
      for (const Condition& cond : conditions) {
        match = match && CaseMatches(c, cond.field, cond.value, cond.number);
      }
      if (!match) continue;
      plan.cases[c.policy].push_back(i);
      if (line) {
        const ResolvedField* x = SweepOf(c.policy).Find(chart->x());
        const Target& t = x->target;
        plan.x[c.policy].push_back(GetNumber(*ConstAt(c.spec, t), t.leaf));
      }
    }
    for (int p = 0; p < num_policies; ++p) {
      if (plan.cases[p].empty()) {
        return Err(
            at, absl::StrCat("no case of policy '", spec_.policies(p).label(),
                             "' matches the chart's where"));
      }
      if (!line && plan.cases[p].size() != 1) {
        return Err(at, absl::StrCat("policy '", spec_.policies(p).label(),
                                    "' has ", plan.cases[p].size(),
                                    " matching cases; where must pick one"));
      }
      if (!line) {
        StudyCase& c = study_.cases[plan.cases[p][0]];
        if (chart->kind() == "latency_cdf") {
          c.keep_latencies = true;
          c.keep_per_model = c.keep_per_model || chart->per_model();
        } else {
          c.utilization_charts.push_back(index);
        }
      }
    }
    study_.charts.push_back(std::move(plan));
    return absl::OkStatus();
  }

  std::string SweptFields() const {
    return study_.columns.empty() ? "(none)"
                                  : absl::StrJoin(study_.columns, ", ");
  }

  std::string path_;
  StudyOptions options_;
  Locator locator_;
  int entry_;
  std::string dir_;
  StudySpec spec_;
  Study study_;
  Modes modes_;
  ResolvedSweep study_sweep_;
  std::vector<ResolvedSweep> policy_sweeps_;
  FieldPath swept_cv_at_, swept_rate_at_, swept_rate_scale_at_,
      swept_cv_scale_at_;
};

}  // namespace

const std::vector<std::string>& StudyMetrics() {
  static const std::vector<std::string>* metrics = new std::vector<std::string>{
      "slo_attainment", "mean_latency_s", "p50_latency_s",
      "p90_latency_s",  "p99_latency_s",  "p99_all_latency_s",
      "throughput_rps", "requests",       "solver_s"};
  return *metrics;
}

absl::StatusOr<std::vector<Study>> ParseStudies(absl::string_view text,
                                                const std::string& path,
                                                const StudyOptions& options) {
  StudySpec file;
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.SetRecursionLimit(kMaxTextProtoDepth);
  FirstTextProtoError errors;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), &file)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", errors.first().empty() ? " parse error" : errors.first(),
        " (a multiplex.study.StudySpec text proto, see "
        "experiments/lib/study.proto)"));
  }
  std::vector<Study> studies;
  if (file.studies_size() == 0) {
    ASSIGN_OR_RETURN(
        Study study,
        Loader(path, options, Locator(path, &tree), -1).Load(std::move(file)));
    studies.push_back(std::move(study));
    return studies;
  }
  const FieldDescriptor* studies_field =
      StudySpec::descriptor()->FindFieldByName("studies");
  StudySpec top = file;
  top.clear_studies();
  const std::string top_name = top.has_name() ? top.name() : FileStem(path);
  std::map<std::string, int> names, stems;
  for (int i = 0; i < file.studies_size(); ++i) {
    const StudySpec& entry = file.studies(i);
    const Locator locator(path, &tree, tree.GetTreeForNested(studies_field, i),
                          i, tree.GetLocation(studies_field, i).line + 1);
    const FieldPath at;
    if (entry.studies_size() > 0) {
      return locator.Error(at.F("studies"),
                           "studies do not nest: give every study of the "
                           "file at its top level");
    }
    // Proto merging, except that a repeated field the entry sets replaces
    // the top level's instead of adding to it.
    StudySpec merged = top;
    std::vector<const FieldDescriptor*> fields;
    entry.GetReflection()->ListFields(entry, &fields);
    for (const FieldDescriptor* f : fields) {
      if (f->is_repeated()) merged.GetReflection()->ClearField(&merged, f);
    }
    merged.MergeFrom(entry);
    if (!entry.has_name()) merged.set_name(absl::StrCat(top_name, "_", i + 1));
    const std::string& name = merged.name();
    if (name.empty() || name == "." || name == ".." ||
        name.find_first_of("/\t\n") != std::string::npos) {
      return locator.Error(at.F("name"),
                           absl::StrCat("'", name,
                                        "' cannot name a study of a file "
                                        "(a directory name: non-empty, no "
                                        "'/')"));
    }
    if (auto [it, inserted] = names.emplace(name, i); !inserted) {
      return locator.Error(at.F("name"),
                           absl::StrCat("'", name, "' also names studies[",
                                        it->second, "]; names must be unique"));
    }
    ASSIGN_OR_RETURN(Study study,
                     Loader(path, options, locator, i).Load(std::move(merged)));
    for (int c = 0; c < study.spec.charts_size(); ++c) {
      const std::string& stem = study.spec.charts(c).stem();
      if (auto [it, inserted] = stems.emplace(stem, i); !inserted) {
        return locator.Error(
            at.F("charts", c).F("stem"),
            absl::StrCat("studies[", it->second, "] already writes '", stem,
                         "'; chart stems must be unique in the file"));
      }
    }
    studies.push_back(std::move(study));
  }
  return studies;
}

absl::StatusOr<std::vector<Study>> LoadStudies(const std::string& path,
                                               const StudyOptions& options) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseStudies(text, path, options);
}

absl::StatusOr<Study> ParseStudy(absl::string_view text,
                                 const std::string& path,
                                 const StudyOptions& options) {
  ASSIGN_OR_RETURN(std::vector<Study> studies,
                   ParseStudies(text, path, options));
  if (studies.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds ", studies.size(),
                     " studies (studies { ... }): load it with LoadStudies"));
  }
  return std::move(studies.front());
}

absl::StatusOr<Study> LoadStudy(const std::string& path,
                                const StudyOptions& options) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseStudy(text, path, options);
}

std::string CaseValue(const StudyCase& c, absl::string_view field) {
  if (field == kPolicySpecField) return c.policy_spec;
  if (field == "repetition") return absl::StrCat(c.repetition);
  absl::StatusOr<Target> target = ResolveTarget(field, nullptr);
  if (!target.ok()) return "";
  const Message* m = ConstAt(c.spec, *target);
  if (m == nullptr) return "";
  if (!m->GetReflection()->HasField(*m, target->leaf)) return "";
  return FormatNumber(*m, target->leaf);
}

std::string FormatFilledSpec(const Study& study) {
  std::string text;
  TextFormat::Printer printer;
  printer.PrintToString(study.spec, &text);
  std::string header = absl::StrCat(
      "# The study of ", study.path,
      study.entry >= 0 ? absl::StrCat(" (studies[", study.entry, "])") : "",
      " with every default filled in and every\n"
      "# relative path made absolute, as //tools:study ran it. Run it again "
      "with\n"
      "#   bazel run //tools:study -- --spec=<this file> --out_dir=DIR\n");
  if (study.options.duration_scale != 1) {
    absl::StrAppend(&header, "# and --duration_scale=",
                    FormatDoubleExact(study.options.duration_scale),
                    " (durations below are unscaled).\n");
  }
  return absl::StrCat(header, text);
}

}  // namespace multiplex
