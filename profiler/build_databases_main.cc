// Writes the study's three profiling databases (profiler/data/*.textproto)
// from the analytical cost model on the V100 description.
//
//   bazel run //profiler:build_databases [-- --out_dir=DIR]
//
// Under `bazel run` the default output directory is
// $BUILD_WORKSPACE_DIRECTORY/profiler/data; otherwise profiler/data relative
// to the current directory.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "profiler/database_io.h"
#include "profiler/databases.h"
#include "profiler/descs.h"
#include "tools/cli/paths.h"

ABSL_FLAG(std::string, out_dir, "",
          "output directory (default: <workspace>/profiler/data)");
ABSL_FLAG(std::string, hardware, multiplex::kDefaultHardware,
          "hardware description (relative to the runfiles/workspace)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (out_dir.empty())
    out_dir = multiplex::ResolveWorkspacePath("profiler/data");
  absl::StatusOr<multiplex::HardwareDesc> hw =
      multiplex::LoadHardwareDesc(absl::GetFlag(FLAGS_hardware));
  if (!hw.ok()) {
    std::fprintf(stderr, "build_databases: %s\n",
                 std::string(hw.status().message()).c_str());
    return 1;
  }
  for (const multiplex::DatabaseSpec& spec : multiplex::StudyDatabaseSpecs()) {
    absl::StatusOr<multiplex::ProfilingDatabase> db =
        multiplex::BuildDatabase(spec, *hw, "profiler/models");
    absl::Status written =
        db.ok() ? multiplex::WriteDatabase(
                      *db, absl::StrCat(out_dir, "/", spec.name, ".textproto"))
                : db.status();
    if (!written.ok()) {
      std::fprintf(stderr, "build_databases: %s: %s\n", spec.name.c_str(),
                   std::string(written.message()).c_str());
      return 1;
    }
    std::printf("wrote %s/%s.textproto\n", out_dir.c_str(), spec.name.c_str());
  }
  return 0;
}
