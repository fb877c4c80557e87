#ifndef MULTIPLEX_CORE_CLI_H_
#define MULTIPLEX_CORE_CLI_H_

// Small helpers shared by the command-line binaries (tools, figure
// targets, profilers): failing with a message, flag parsing, directories.
// Path resolution is in core/paths.h.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/paths.h"

namespace multiplex {

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

#endif  // MULTIPLEX_CORE_CLI_H_
