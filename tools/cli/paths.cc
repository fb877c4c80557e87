#include "tools/cli/paths.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace multiplex {
namespace {

std::string JoinIfRelative(const char* base, absl::string_view path) {
  if (path.empty() || path[0] == '/' || base == nullptr || *base == '\0') {
    return std::string(path);
  }
  return absl::StrCat(base, "/", path);
}

}  // namespace

std::string ResolveUserPath(absl::string_view path) {
  return JoinIfRelative(std::getenv("BUILD_WORKING_DIRECTORY"), path);
}

std::string WorkspaceDirectory() {
  const char* dir = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  return dir != nullptr ? dir : "";
}

std::string ResolveWorkspacePath(absl::string_view path) {
  return JoinIfRelative(std::getenv("BUILD_WORKSPACE_DIRECTORY"), path);
}

}  // namespace multiplex
