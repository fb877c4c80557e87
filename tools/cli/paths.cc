#include "tools/cli/paths.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace multiplex {

std::string WorkspaceDirectory() {
  const char* dir = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  return dir != nullptr ? dir : "";
}

std::string ResolveWorkspacePath(absl::string_view path) {
  const std::string base = WorkspaceDirectory();
  if (path.empty() || path[0] == '/' || base.empty()) {
    return std::string(path);
  }
  return absl::StrCat(base, "/", path);
}

}  // namespace multiplex
