#ifndef MULTIPLEX_TOOLS_CLI_PATHS_H_
#define MULTIPLEX_TOOLS_CLI_PATHS_H_

// Where relative paths given to multiplex binaries point. Under `bazel run`
// the process runs in its runfiles tree, so paths are taken from the
// directories Bazel names in the environment.

#include <string>

#include "absl/strings/string_view.h"

namespace multiplex {

// Resolves a user-given path: absolute paths stay; relative ones are taken
// from the directory the user ran `bazel run` in (BUILD_WORKING_DIRECTORY),
// or the current directory outside Bazel.
std::string ResolveUserPath(absl::string_view path);

// The workspace root under `bazel run` ($BUILD_WORKSPACE_DIRECTORY), else "".
std::string WorkspaceDirectory();

// Resolves a path inside the source tree (profiler/data/...): relative to
// BUILD_WORKSPACE_DIRECTORY under `bazel run`, else to the current directory
// (which is the workspace root or a runfiles tree that holds the file).
std::string ResolveWorkspacePath(absl::string_view path);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_PATHS_H_
