// Writes the study's three profiling databases (profiler/data/*.textproto)
// from the analytical cost model on the V100 description.
//
//   bazel run //profiler:build_databases [-- --out_dir=DIR]
//
// The defaults (output directory profiler/data, the V100 description, the
// model descriptions in profiler/models) are in the workspace under `bazel
// run`, else relative to the current directory; a given --out_dir or
// --hardware is taken from the directory the command was run in.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "profiler/database_io.h"
#include "profiler/databases.h"
#include "profiler/descs.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, out_dir, "",
          "output directory (default: profiler/data in the workspace)");
ABSL_FLAG(std::string, hardware, multiplex::kDefaultHardware,
          "hardware description; the default is the workspace's");

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(
      argc, argv, "build_databases",
      "Writes the study's three profiling databases (profiler/data/) from the "
      "analytical\ncost model on a hardware description.\n"
      "Usage: bazel run //profiler:build_databases [-- --out_dir=DIR "
      "--hardware=FILE]");
  std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (out_dir.empty()) {
    out_dir = multiplex::ResolveWorkspacePath("profiler/data");
  }
  std::string hardware = absl::GetFlag(FLAGS_hardware);
  if (!multiplex::FlagGiven("hardware")) {
    hardware = multiplex::ResolveWorkspacePath(hardware);
  }
  absl::StatusOr<multiplex::HardwareDesc> hw =
      multiplex::LoadHardwareDesc(hardware);
  if (!hw.ok()) {
    std::fprintf(stderr, "build_databases: %s\n",
                 std::string(hw.status().message()).c_str());
    return 1;
  }
  // The three databases are written together: all new or, when any fails,
  // all as they were.
  std::vector<std::string> texts, paths;
  for (const multiplex::DatabaseSpec& spec : multiplex::StudyDatabaseSpecs()) {
    absl::StatusOr<multiplex::ProfilingDatabase> db = multiplex::BuildDatabase(
        spec, *hw, multiplex::ResolveWorkspacePath("profiler/models"));
    const std::string path =
        absl::StrCat(out_dir, "/", spec.name, ".textproto");
    absl::Status valid =
        db.ok() ? multiplex::ValidateDatabase(*db, path) : db.status();
    if (!valid.ok()) {
      std::fprintf(stderr, "build_databases: %s: %s\n", spec.name.c_str(),
                   std::string(valid.message()).c_str());
      return 1;
    }
    texts.push_back(multiplex::FormatDatabase(*db));
    paths.push_back(path);
  }
  std::vector<multiplex::FileContents> files;
  for (size_t i = 0; i < paths.size(); ++i)
    files.push_back({paths[i], texts[i]});
  absl::Status written = multiplex::WriteFilesTogether(files);
  if (!written.ok()) {
    std::fprintf(stderr, "build_databases: %s\n",
                 std::string(written.message()).c_str());
    return 1;
  }
  for (const std::string& path : paths) {
    std::printf("wrote %s\n", path.c_str());
  }
  return 0;
}
