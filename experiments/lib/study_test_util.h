#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_TEST_UTIL_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_TEST_UTIL_H_

// Helpers of the study tests: options that find the shipped databases, and
// results.tsv without its one wall-clock column.

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"

namespace multiplex::testing_util {

// Tests run in the runfiles tree, which holds the shipped databases; an
// absolute path, as //tools:study passes it.
inline StudyOptions ShippedDatabaseOptions() {
  StudyOptions o;
  char cwd[4096];
  o.default_cost_model =
      absl::StrCat("database:path=", getcwd(cwd, sizeof(cwd)),
                   "/profiler/data/profiling_result.textproto");
  return o;
}

// results.tsv with solver_s zeroed (wall-clock time, different every run).
inline std::string TsvWithoutSolverTime(const Study& study,
                                        StudyResults results) {
  for (CaseResult& c : results.cases) c.solver_s = 0;
  return FormatResultsTsv(study, results);
}

}  // namespace multiplex::testing_util

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_TEST_UTIL_H_
