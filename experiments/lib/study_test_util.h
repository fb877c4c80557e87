#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_TEST_UTIL_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_TEST_UTIL_H_

// Helpers of the study tests: options that find the shipped databases,
// results.tsv without its one wall-clock column, and a valid spec to break
// one line at a time.

#include <unistd.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

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

// The study tests' spec helpers (study_test.cc, study_run_test.cc).

inline StudyOptions Options() { return ShippedDatabaseOptions(); }

// One spec line per element: line i + 1 of the text is lines[i].
inline std::string Spec(const std::vector<std::string>& lines) {
  return absl::StrJoin(lines, "\n") + "\n";
}

inline absl::StatusOr<Study> Parse(const std::vector<std::string>& lines,
                                   const StudyOptions& options = Options()) {
  return ParseStudy(Spec(lines), "s.textproto", options);
}

// A valid spec to break one line at a time.
inline std::vector<std::string> Base() {
  return {
      "name: \"t\"",                                       // 1
      "cluster { num_devices: 4 }",                        // 2
      "models { type: \"bert-1.3b\" count: 2 }",           // 3
      "models { type: \"bert-2.6b\" count: 2 }",           // 4
      "workload {",                                        // 5
      "  total_rate: 4",                                   // 6
      "  cv: 2",                                           // 7
      "  duration_s: 200",                                 // 8
      "}",                                                 // 9
      "policies { label: \"SR\" spec: \"sr-greedy\" }",    // 10
      "policies { label: \"MP\" spec: \"mp-greedy-2\" }",  // 11
      "sweep { fields { field: \"workload.total_rate\" values: [2, 4] } }",
      "sweep { fields { field: \"workload.cv\" values: [1, 3, 5] } }",  // 13
  };
}

inline void ExpectError(const std::vector<std::string>& lines,
                        const std::string& where, const std::string& what) {
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_FALSE(s.ok()) << "accepted:\n" << Spec(lines);
  EXPECT_THAT(std::string(s.status().message()), ::testing::StartsWith(where));
  EXPECT_THAT(std::string(s.status().message()), ::testing::HasSubstr(what));
}

}  // namespace multiplex::testing_util

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_TEST_UTIL_H_
