#include "experiments/lib/study_bounds.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "experiments/lib/study_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Study Load(const std::string& text) {
  absl::StatusOr<Study> study = ParseStudy(
      text, "bounds.textproto", testing_util::ShippedDatabaseOptions());
  EXPECT_TRUE(study.ok()) << study.status();
  return study.ok() ? *std::move(study) : Study();
}

std::string Spec(int gpus, double rate, double duration_s) {
  return absl::StrCat("name: \"b\"\ncluster { num_devices: ", gpus,
                      " }\nmodels { type: \"bert-1.3b\" count: 16 }\n"
                      "workload { total_rate: ",
                      rate, " cv: 3 duration_s: ", duration_s,
                      " }\npolicies { spec: \"sr-greedy\" }\n");
}

// A study of 2e8 requests (under the request limit) grew past 4 GB; it is
// refused with the estimate and the bound before anything runs, and runs
// when the bound is raised.
TEST(StudyBoundsTest, MemoryIsEstimatedBeforeRunning) {
  const Study big = Load(Spec(8, 100000, 2000));
  absl::Status s = CheckStudyBounds(big, 1, StudyBounds());
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "b: the study would hold about 12.8 GB (200000000 requests in the "
            "1 largest cases running at once, about 64 bytes each), more than "
            "--max_memory_gb=8; shorten workload.duration_s, lower "
            "total_rate, pass --duration_scale or --threads, or raise "
            "--max_memory_gb");
  StudyBounds raised;
  raised.max_memory_gb = 16;
  EXPECT_TRUE(CheckStudyBounds(big, 1, raised).ok());
  EXPECT_TRUE(
      CheckStudyBounds(Load(Spec(8, 1000, 2000)), 2, StudyBounds()).ok());
}

// sr-greedy on 100,000 GPUs ran for minutes and more; refused with the
// estimated hours.
TEST(StudyBoundsTest, WorkIsEstimatedBeforeRunning) {
  const Study wide = Load(Spec(100000, 200, 600));
  absl::Status s = CheckStudyBounds(wide, 1, StudyBounds());
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(s.message()),
              StartsWith("b: case 0 (sr-greedy) would run for about 2.13 "
                         "hours on one core (120000 requests placed over 16 "
                         "models x 100000 GPUs), more than "
                         "--max_case_hours=1"));
  EXPECT_TRUE(
      CheckStudyBounds(Load(Spec(256, 200, 600)), 1, StudyBounds()).ok());
}

// A 200 KB spec of 20,000 nested blocks crashed the text-format parser
// (stack overflow); it is refused at the recursion limit.
TEST(StudyBoundsTest, DeepNestingIsRefused) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "studies { ";
  for (int i = 0; i < 20000; ++i) text += "} ";
  absl::StatusOr<std::vector<Study>> studies = ParseStudies(
      text, "deep.textproto", testing_util::ShippedDatabaseOptions());
  EXPECT_EQ(studies.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(studies.status().message()), HasSubstr("recursion limit of 64"));
}

// A case whose serving workload is empty measured nothing and exited 0; it
// is refused, naming the case.
TEST(StudyBoundsTest, AnEmptyWorkloadIsRefused) {
  const Study empty = Load(Spec(8, 1e-60, 60));
  ParallelOptions quiet;
  quiet.quiet = true;
  absl::StatusOr<StudyResults> results = RunStudy(empty, quiet);
  EXPECT_EQ(results.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(results.status().message()),
              HasSubstr("the serving workload has no requests over its 60 s"));
}

}  // namespace
}  // namespace multiplex
