#include "experiments/lib/spec_paths.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/limits.h"
#include "core/number_format.h"

namespace multiplex {
namespace study_internal {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using google::protobuf::TextFormat;
using study::StudySpec;

std::string FieldPath::ToString() const {
  std::string out;
  for (const Segment& s : segments_) {
    if (!out.empty()) out += ".";
    absl::StrAppend(&out, s.name);
    if (s.index >= 0) absl::StrAppend(&out, "[", s.index, "]");
  }
  return out;
}

absl::Status Locator::Error(const FieldPath& path,
                            absl::string_view message) const {
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

Locator::Located Locator::Locate(const TextFormat::ParseInfoTree* tree,
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
PluginParamPath ParsePluginParamPath(absl::string_view path) {
  static const struct {
    const char* prefix;
    PluginPlace place;
  } kPlaces[] = {{"workload.process.", PluginPlace::kProcess},
                 {"training.process.", PluginPlace::kTrainingProcess},
                 {"cost_model.", PluginPlace::kCostModel},
                 {"simulator.", PluginPlace::kSimulator},
                 {"policy.", PluginPlace::kPolicy}};
  PluginParamPath out;
  for (const auto& p : kPlaces) {
    if (!absl::StartsWith(path, p.prefix)) continue;
    const absl::string_view param = path.substr(strlen(p.prefix));
    if (param.empty() ||
        param.find_first_of(".[]") != absl::string_view::npos ||
        (p.place == PluginPlace::kPolicy && param == "spec")) {
      return out;
    }
    out.place = p.place;
    out.param = std::string(param);
    return out;
  }
  return out;
}

const char* PluginPlaceField(PluginPlace place) {
  switch (place) {
    case PluginPlace::kNone:
      return "";
    case PluginPlace::kProcess:
      return "workload.process";
    case PluginPlace::kTrainingProcess:
      return "training.process";
    case PluginPlace::kCostModel:
      return "cost_model";
    case PluginPlace::kSimulator:
      return "simulator";
    case PluginPlace::kPolicy:
      return "policy";
  }
  return "";
}

}  // namespace study_internal
}  // namespace multiplex
