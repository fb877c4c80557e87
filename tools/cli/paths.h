#ifndef MULTIPLEX_TOOLS_CLI_PATHS_H_
#define MULTIPLEX_TOOLS_CLI_PATHS_H_

// Where relative paths given to multiplex binaries point. One rule:
//  - paths the user gives (flags, plugin specs) are taken from the directory
//    the user ran the command in; ParseFlagsOrFail (tools/cli/cli.h) changes
//    to it under `bazel run`, so they are used as given;
//  - defaults that point into the source tree (profiler/data/...,
//    profiler/models, out/motivation) go through ResolveWorkspacePath.

#include <string>

#include "absl/strings/string_view.h"

namespace multiplex {

// The workspace root under `bazel run` ($BUILD_WORKSPACE_DIRECTORY), else "".
std::string WorkspaceDirectory();

// Resolves a path inside the source tree (profiler/data/...): relative to
// BUILD_WORKSPACE_DIRECTORY under `bazel run`, else to the current directory
// (which is the workspace root or a runfiles tree that holds the file).
std::string ResolveWorkspacePath(absl::string_view path);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_PATHS_H_
