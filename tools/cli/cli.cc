#include "tools/cli/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace multiplex {
namespace {

// The flag names the command line gave (FlagGiven).
std::set<std::string>& GivenFlags() {
  static std::set<std::string>* given = new std::set<std::string>();
  return *given;
}

// Appends `text` to `out` in lines of at most `width` columns, each started
// by `indent`.
void AppendWrapped(absl::string_view text, absl::string_view indent,
                   size_t width, std::string* out) {
  for (absl::string_view paragraph : absl::StrSplit(text, '\n')) {
    std::string line(indent);
    bool empty = true;
    for (absl::string_view word :
         absl::StrSplit(paragraph, ' ', absl::SkipEmpty())) {
      if (!empty && line.size() + 1 + word.size() > width) {
        absl::StrAppend(out, line, "\n");
        line = std::string(indent);
        empty = true;
      }
      absl::StrAppend(&line, empty ? "" : " ", word);
      empty = false;
    }
    absl::StrAppend(out, line, "\n");
  }
}

void AppendFlag(const absl::CommandLineFlag& flag, std::string* out) {
  std::string head = absl::StrCat("  --", flag.Name());
  const std::string def = flag.DefaultValue();
  if (flag.IsOfType<std::string>()) {
    absl::StrAppend(&head, " (default: \"", def, "\")");
  } else if (!def.empty()) {
    absl::StrAppend(&head, " (default: ", def, ")");
  }
  absl::StrAppend(out, head, "\n");
  AppendWrapped(flag.Help(), "      ", 78, out);
}

bool IsHelpFlag(absl::string_view arg) {
  return arg == "--help" || arg == "-help" || arg == "-h" ||
         arg == "--helpshort" || arg == "-helpshort";
}

bool IsHelpFullFlag(absl::string_view arg) {
  return arg == "--helpfull" || arg == "-helpfull";
}

}  // namespace

void Fail(absl::string_view program, const absl::Status& status) {
  Fail(program, status.message());
}

void Fail(absl::string_view program, absl::string_view message) {
  std::fprintf(stderr, "%s: %s\n", std::string(program).c_str(),
               std::string(message).c_str());
  std::exit(1);
}

std::string FlagsHelp(absl::string_view usage,
                      const std::vector<std::string>& files) {
  // By file, then by name.
  std::map<std::string, std::map<std::string, const absl::CommandLineFlag*>>
      by_file;
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (flag->IsRetired()) continue;
    const std::string file = flag->Filename();
    if (!files.empty() &&
        std::find(files.begin(), files.end(), file) == files.end()) {
      continue;
    }
    by_file[file][std::string(name)] = flag;
  }
  std::string out(usage);
  if (!out.empty() && out.back() != '\n') out += "\n";
  if (by_file.empty()) return out;
  out += "\n";
  if (files.empty()) {
    for (const auto& [file, flags] : by_file) {
      absl::StrAppend(&out, "Flags from ", file, ":\n");
      for (const auto& [name, flag] : flags) AppendFlag(*flag, &out);
    }
    return out;
  }
  out += "Flags (--helpfull for every flag linked in):\n";
  std::map<std::string, const absl::CommandLineFlag*> merged;
  for (const auto& [file, flags] : by_file) {
    merged.insert(flags.begin(), flags.end());
  }
  for (const auto& [name, flag] : merged) AppendFlag(*flag, &out);
  return out;
}

std::vector<std::string> ParseFlagsOrFail(int argc, char** argv,
                                          absl::string_view program,
                                          absl::string_view usage,
                                          size_t positional,
                                          absl::string_view main_file) {
  absl::SetProgramUsageMessage(usage);
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (IsHelpFlag(arg) || IsHelpFullFlag(arg)) {
      const std::string help = FlagsHelp(
          usage, IsHelpFullFlag(arg)
                     ? std::vector<std::string>()
                     : std::vector<std::string>{std::string(main_file)});
      std::fwrite(help.data(), 1, help.size(), stdout);
      std::exit(0);
    }
    absl::string_view name = arg;
    if (name.size() < 2 || !absl::ConsumePrefix(&name, "-")) continue;
    absl::ConsumePrefix(&name, "-");
    const size_t eq = name.find('=');
    GivenFlags().insert(std::string(name.substr(0, eq)));
    if (eq == absl::string_view::npos && absl::ConsumePrefix(&name, "no")) {
      GivenFlags().insert(std::string(name));
    }
  }
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  // One rule for relative paths, in flags and in plugin specs alike: the
  // directory the user ran the command in, also under `bazel run` (which
  // starts binaries in their runfiles tree).
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY")) {
    if (*dir != '\0' && chdir(dir) != 0) {
      Fail(program,
           absl::StrCat("cannot enter ", dir, ": ", std::strerror(errno)));
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

bool FlagGiven(absl::string_view name) {
  return GivenFlags().count(std::string(name)) > 0;
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
