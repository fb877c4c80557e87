#ifndef MULTIPLEX_PROFILER_DATABASES_H_
#define MULTIPLEX_PROFILER_DATABASES_H_

// The three profiling databases of the study (docs/study.md §2.2), built
// from the analytical cost model on the V100 description.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "profiler/analytical_cost_model.h"
#include "profiler/database.pb.h"

namespace multiplex {

struct DatabaseSpec {
  std::string name;  // file stem in profiler/data/
  std::vector<std::string> models;
  AnalyticalOptions options;
};

// profiling_result, profiling_result_long_sequence_manual,
// profiling_result_long_sequence_dp.
std::vector<DatabaseSpec> StudyDatabaseSpecs();

inline constexpr char kBuildDatabasesVersion[] = "multiplex build_databases 1";
inline constexpr char kDefaultHardware[] =
    "profiler/hardware/v100-sxm2-16gb.textproto";

// Builds one database; model descriptions come from `models_dir`.
absl::StatusOr<ProfilingDatabase> BuildDatabase(const DatabaseSpec& spec,
                                                const HardwareDesc& hw,
                                                const std::string& models_dir);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DATABASES_H_
