#ifndef MULTIPLEX_TOOLS_CLI_CLI_H_
#define MULTIPLEX_TOOLS_CLI_CLI_H_

// Small helpers shared by the command-line binaries (tools, figure
// targets, profilers): failing with a message, flag parsing, --help,
// directories. Path resolution is in tools/cli/paths.h, progress on a
// terminal in tools/cli/progress.h.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/cli/paths.h"

namespace multiplex {

// Prints "<program>: <message>" to stderr and exits with status 1.
[[noreturn]] void Fail(absl::string_view program, const absl::Status& status);
[[noreturn]] void Fail(absl::string_view program, absl::string_view message);

// What every main() calls first:
//  - --help, -h, -help or --helpshort prints `usage` and the flags defined in
//    `main_file` (by default the file that calls this: the binary's own
//    flags, not Abseil's) to stdout and exits 0; --helpfull prints `usage`
//    and every flag linked in, by file, and exits 0;
//  - parses the flags (an unknown or malformed flag exits 1 with Abseil's
//    message);
//  - fails (exit 1, naming the first stray argument) unless exactly
//    `positional` arguments follow the program name;
//  - under `bazel run`, changes to the directory the user ran it in, so that
//    relative paths anywhere (flags, plugin specs) mean what the user meant
//    (defaults inside the source tree: ResolveWorkspacePath).
// Returns the positional arguments.
std::vector<std::string> ParseFlagsOrFail(
    int argc, char** argv, absl::string_view program, absl::string_view usage,
    size_t positional = 0, absl::string_view main_file = __builtin_FILE());

// The text --help prints: `usage`, then every flag defined in one of
// `files` (all flags when `files` is empty) with its help and default.
std::string FlagsHelp(absl::string_view usage,
                      const std::vector<std::string>& files);

// Whether the command line ParseFlagsOrFail parsed named --`name` (or its
// negation --no`name`), whatever the value: tells a flag given at its
// default from one left out. Flags from --flagfile or --fromenv do not count.
bool FlagGiven(absl::string_view name);

// Creates a directory and its parents (like mkdir -p).
absl::Status MakeDirectories(const std::string& path);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_CLI_H_
