#include "experiments/lib/study_load_state.h"

#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/plugin_args.h"
#include "core/plugin_name_matcher.h"
#include "core/status_macros.h"

namespace multiplex {
namespace study_internal {

absl::Status LoadState::CheckField(
    const FieldPath& at, const std::string& key,
    const google::protobuf::FieldDescriptor* leaf, double v) const {
  const std::string problem = CheckNumber(key, leaf, v);
  return problem.empty() ? absl::OkStatus() : Err(at, problem);
}

int LoadState::NumModels() const {
  int n = 0;
  for (const study::ModelGroupSpec& g : spec.models()) n += g.count();
  return n;
}

std::vector<std::string> LoadState::ModelNames() const {
  std::vector<std::string> names;
  for (int i = 0; i < NumModels(); ++i) names.push_back(absl::StrCat("m", i));
  return names;
}

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

std::string WithParam(const std::string& spec, const std::string& param,
                      const std::string& value) {
  absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
  if (!parsed.ok()) return spec;
  parsed->args.Set(param, value);
  return absl::StrCat(parsed->name, ":", parsed->args.ToString());
}

std::optional<double> PluginValueOf(const StudyCase& c,
                                    absl::string_view field) {
  for (const auto& [name, text] : c.point) {
    double v = 0;
    if (name == field && absl::SimpleAtod(text, &v)) return v;
  }
  return std::nullopt;
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

}  // namespace study_internal
}  // namespace multiplex
