// With one rank (no MPI launcher: how bazel test runs this) RunStudyOnRanks
// is RunStudy; tools/study_mpi_test.sh runs several ranks under mpirun.

#include "experiments/lib/distributed_study.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "experiments/lib/case_result_codec.h"
#include "experiments/lib/study_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

StudyOptions Options() { return testing_util::ShippedDatabaseOptions(); }

constexpr char kSpec[] = R"(
  name: "t"
  cluster { num_devices: 4 }
  models { type: "bert-1.3b" count: 2 }
  models { type: "bert-2.6b" count: 2 }
  workload { total_rate: 4 cv: 2 duration_s: 120 slo_scale: 4 }
  policies { label: "SR" spec: "sr-greedy" }
  policies { label: "MP" spec: "mp-greedy-2" }
  sweep { fields { field: "workload.total_rate" values: [2, 4] } }
  charts { kind: "latency_cdf" per_model: true where: "workload.total_rate=4" }
  charts { kind: "utilization" where: "workload.total_rate=2" window_s: 10 }
)";

std::string Tsv(const Study& study, const StudyResults& r) {
  return testing_util::TsvWithoutSolverTime(study, r);
}

TEST(DistributedStudyTest, OneRankIsRunStudy) {
  absl::StatusOr<std::unique_ptr<Ranks>> ranks = Ranks::Start();
  ASSERT_TRUE(ranks.ok()) << ranks.status();
  ASSERT_EQ((*ranks)->size(), 1);
  absl::StatusOr<Study> s = ParseStudy(kSpec, "s.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  ParallelOptions parallel{2, true, ""};
  RankStats stats;
  absl::StatusOr<StudyResults> a =
      RunStudyOnRanks(*s, parallel, ranks->get(), &stats);
  absl::StatusOr<StudyResults> b = RunStudy(*s, parallel);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(Tsv(*s, *a), Tsv(*s, *b));
  EXPECT_EQ(stats.cases, 4u);
  EXPECT_GT(stats.cost, 0);
  // The latencies and utilization the charts need, as the codec sends
  // them.
  for (size_t i = 0; i < 4; ++i) {
    a->cases[i].solver_s = b->cases[i].solver_s = 0;
    EXPECT_EQ(EncodeCaseResults(*a, {i}), EncodeCaseResults(*b, {i})) << i;
  }
  EXPECT_FALSE(a->cases[2].good_latencies.empty());
  EXPECT_EQ(a->cases[0].utilization.count(1), 1u);
  EXPECT_EQ((*ranks)->traffic().messages_sent, 0);
}

TEST(DistributedStudyTest, SubsetsAddUpToTheWhole) {
  absl::StatusOr<Study> s = ParseStudy(kSpec, "s.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  ParallelOptions parallel{1, true, ""};
  absl::StatusOr<StudyResults> whole = RunStudy(*s, parallel);
  absl::StatusOr<StudyResults> odd = RunStudyCases(*s, {3, 1}, parallel);
  absl::StatusOr<StudyResults> even = RunStudyCases(*s, {0, 2}, parallel);
  ASSERT_TRUE(whole.ok() && odd.ok() && even.ok());
  ASSERT_EQ(odd->cases.size(), 4u);
  EXPECT_TRUE(odd->cases[0].placement.empty());  // not run
  StudyResults merged = *odd;
  merged.cases[0] = even->cases[0];
  merged.cases[2] = even->cases[2];
  EXPECT_EQ(Tsv(*s, merged), Tsv(*s, *whole));
  absl::StatusOr<StudyResults> bad = RunStudyCases(*s, {4}, parallel);
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("case 4 out of range"));
}

TEST(DistributedStudyTest, OneRankErrorsAsRunStudy) {
  const std::string spec = R"(
    name: "t"
    cluster { num_devices: 4 }
    models { type: "bert-1.3b" count: 2 }
    workload { total_rate: 4 duration_s: 60 }
    policies { label: "SR" spec: "sr-greedy" }
    policies { label: "MP" spec: "mp-greedy-2" }
    sweep { fields { field: "workload.total_rate" values: [2] } }
    sweep { fields { field: "cluster.mem_budget_gib" values: [13, 1] } }
  )";
  absl::StatusOr<Study> s = ParseStudy(spec, "s.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<std::unique_ptr<Ranks>> ranks = Ranks::Start();
  ASSERT_TRUE(ranks.ok());
  RankStats stats;
  absl::StatusOr<StudyResults> r =
      RunStudyOnRanks(*s, {1, true, ""}, ranks->get(), &stats);
  ASSERT_FALSE(r.ok());
  // No rank prefix with one rank.
  EXPECT_THAT(std::string(r.status().message()),
              StartsWith("case 2 (SR, workload.total_rate=2, "
                         "cluster.mem_budget_gib=1): sr-greedy: "));
  const absl::Status mine = absl::NotFoundError("x");
  EXPECT_EQ(AgreeOnStatus(ranks->get(), mine), mine);
}

}  // namespace
}  // namespace multiplex
