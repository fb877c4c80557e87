#ifndef MULTIPLEX_TOOLS_CLI_H_
#define MULTIPLEX_TOOLS_CLI_H_

// Small helpers shared by the command-line tools.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace multiplex {

// Resolves a user-given path: absolute paths stay; relative ones are taken
// from the directory the user ran `bazel run` in (BUILD_WORKING_DIRECTORY),
// or the current directory outside Bazel.
std::string ResolveUserPath(absl::string_view path);

// Resolves a path inside the source tree (profiler/data/...): relative to
// BUILD_WORKSPACE_DIRECTORY under `bazel run`, else to the current directory
// (which is the workspace root or a runfiles tree that holds the file).
std::string ResolveWorkspacePath(absl::string_view path);

// Prints "<program>: <message>" to stderr and exits with status 1.
[[noreturn]] void Fail(absl::string_view program, const absl::Status& status);
[[noreturn]] void Fail(absl::string_view program, absl::string_view message);

// Sets the --help text, parses the flags and fails (naming the first stray
// argument) unless exactly `positional` arguments follow the program name.
// Returns those arguments.
std::vector<std::string> ParseFlagsOrFail(int argc, char** argv,
                                          absl::string_view program,
                                          absl::string_view usage,
                                          size_t positional = 0);

// Creates a directory and its parents (like mkdir -p).
absl::Status MakeDirectories(const std::string& path);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_H_
