// Fuzz target of the placement reader (core/placement_io.h): any bytes give
// a placement or an error, never a crash, a hang or an overflow; what it
// accepts is within core/limits.h, passes VerifyGroups (every phase:
// VerifyScheduleGroups) and writes back to text that reads back the same.
// Corpus: testdata/placement_io_fuzzer/ (docs/fuzzing.md).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/limits.h"
#include "core/placement.h"
#include "core/placement_io.h"
#include "core/placement_schedule.h"
#include "core/testing/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace multiplex;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<PlacementFile> file = ParsePlacement(text, "fuzz");
  if (!file.ok()) {
    FUZZ_CHECK(!file.status().message().empty(), "an error without a message");
    return 0;
  }
  FUZZ_CHECK(file->models.size() <= static_cast<size_t>(kMaxModels),
             file->models.size(), " models");
  const std::vector<std::string> names = file->ModelNames();
  absl::Status groups = VerifyGroups(file->placement, names);
  FUZZ_CHECK(groups.ok(), groups.message());
  const int devices = file->placement.NumDevices();
  FUZZ_CHECK(devices >= 0 && devices <= kMaxDevices, devices, " devices");
  const PlacementSchedule schedule = file->Schedule();
  absl::Status phases = VerifyScheduleGroups(schedule, names);
  FUZZ_CHECK(phases.ok(), phases.message());
  if (file->has_cluster) {
    FUZZ_CHECK(file->cluster.num_devices >= 1 &&
                   file->cluster.num_devices <= kMaxDevices,
               "cluster of ", file->cluster.num_devices, " devices");
    FUZZ_CHECK(file->cluster.mem_budget_bytes > 0 &&
                   std::isfinite(file->cluster.mem_budget_bytes),
               "memory budget ", file->cluster.mem_budget_bytes, " bytes");
  }
  absl::StatusOr<std::string> written = FormatPlacement(*file);
  FUZZ_CHECK(written.ok(), written.status().message());
  absl::StatusOr<PlacementFile> again = ParsePlacement(*written, "written");
  FUZZ_CHECK(again.ok(), again.status().message(), "\n", *written);
  absl::StatusOr<std::string> rewritten = FormatPlacement(*again);
  FUZZ_CHECK(rewritten.ok() && *rewritten == *written, "not a fixed point:\n",
             *written, "---\n", rewritten.ok() ? *rewritten : "");
  FUZZ_CHECK(again->placement.ToString(again->models) ==
                 file->placement.ToString(file->models),
             "groups differ after a round trip");
  FUZZ_CHECK(again->later_phases.size() == file->later_phases.size(),
             "phase count differs after a round trip");
  for (size_t p = 0; p < file->later_phases.size(); ++p) {
    const PlacementPhase& a = again->later_phases[p];
    const PlacementPhase& b = file->later_phases[p];
    FUZZ_CHECK(a.start_s == b.start_s && a.placement.ToString(again->models) ==
                                             b.placement.ToString(file->models),
               "phase ", p + 1, " differs after a round trip");
  }
  return 0;
}
