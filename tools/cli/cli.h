#ifndef MULTIPLEX_TOOLS_CLI_CLI_H_
#define MULTIPLEX_TOOLS_CLI_CLI_H_

// Small helpers shared by the command-line binaries (tools, figure
// targets, profilers): failing with a message, flag parsing, directories.
// Path resolution is in tools/cli/paths.h.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/cli/paths.h"

namespace multiplex {

// Prints "<program>: <message>" to stderr and exits with status 1.
[[noreturn]] void Fail(absl::string_view program, const absl::Status& status);
[[noreturn]] void Fail(absl::string_view program, absl::string_view message);

// Sets the --help text, parses the flags and fails (naming the first stray
// argument) unless exactly `positional` arguments follow the program name.
// Under `bazel run`, then changes to the directory the user ran it in, so
// relative paths anywhere (flags, plugin specs) mean what the user meant.
// Returns those arguments.
std::vector<std::string> ParseFlagsOrFail(int argc, char** argv,
                                          absl::string_view program,
                                          absl::string_view usage,
                                          size_t positional = 0);

// Creates a directory and its parents (like mkdir -p).
absl::Status MakeDirectories(const std::string& path);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_CLI_H_
