#include "tools/cli/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"

namespace multiplex {
void Fail(absl::string_view program, const absl::Status& status) {
  Fail(program, status.message());
}

void Fail(absl::string_view program, absl::string_view message) {
  std::fprintf(stderr, "%s: %s\n", std::string(program).c_str(),
               std::string(message).c_str());
  std::exit(1);
}

std::vector<std::string> ParseFlagsOrFail(int argc, char** argv,
                                          absl::string_view program,
                                          absl::string_view usage,
                                          size_t positional) {
  absl::SetProgramUsageMessage(usage);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  // One rule for relative paths, in flags and in plugin specs alike: the
  // directory the user ran the command in, also under `bazel run` (which
  // starts binaries in their runfiles tree).
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (*dir != '\0' && chdir(dir) != 0) {
      Fail(program, absl::StrCat("cannot enter ", dir, ": ",
                                 std::strerror(errno)));
    }
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (rest.size() > positional) {
    Fail(program, absl::StrCat("unexpected argument '", rest[positional],
                               "' (flags are --name=value; see --help)"));
  }
  if (rest.size() < positional) {
    Fail(program,
         absl::StrCat("expected ", positional, " argument(s); see --help"));
  }
  return rest;
}

absl::Status MakeDirectories(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/') continue;
    const std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot create directory ", prefix, ": ", std::strerror(errno)));
    }
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " exists and is not a directory"));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
