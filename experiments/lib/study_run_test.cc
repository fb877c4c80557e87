// Running studies: results.tsv and its formats, repetitions, simulators,
// schedules.

#include "experiments/lib/study_run.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "experiments/lib/study_run.h"
#include "experiments/lib/study_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tools/stamp/build_stamp.h"
namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing_util::Base;
using testing_util::ExpectError;
using testing_util::Options;
using testing_util::Parse;
using testing_util::Spec;

TEST(RunStudyTest, ResultsTsvColumnsAndDeterminism) {
  std::vector<std::string> lines = Base();
  lines[7] = "  duration_s: 120 slo_scale: 4";
  lines.push_back(
      "charts { metric: \"slo_attainment\" where: \"workload.cv=3\" }");
  lines.push_back(
      "charts { kind: \"utilization\" where: \"workload.cv=5\" where: "
      "\"workload.total_rate=4\" window_s: 10 }");
  lines.push_back(
      "charts { metric: \"p99_all_latency_s\" where: \"workload.cv=5\" }");
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ParallelOptions one{1, true, ""}, two{2, true, ""};
  absl::StatusOr<StudyResults> a = RunStudy(*s, one);
  absl::StatusOr<StudyResults> b = RunStudy(*s, two);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  const std::string tsv = testing_util::TsvWithoutSolverTime(*s, *a);
  EXPECT_EQ(tsv, testing_util::TsvWithoutSolverTime(*s, *b));
  std::vector<std::string> rows = absl::StrSplit(tsv, '\n', absl::SkipEmpty());
  // The header: study, the commit stamped at build time, the cost model and
  // its provenance, ...
  std::vector<std::string> comments;
  while (!rows.empty() && absl::StartsWith(rows[0], "#")) {
    comments.push_back(rows[0]);
    rows.erase(rows.begin());
  }
  ASSERT_EQ(rows.size(), 1u + 12u);
  EXPECT_EQ(comments[0], "# study: t");
  EXPECT_EQ(comments[1], absl::StrCat("# commit: ", BuildCommit()));
  EXPECT_THAT(comments[2], StartsWith("# cost_model: database(/"));
  EXPECT_THAT(comments[3], StartsWith("# cost_model provenance: "));
  rows.insert(rows.begin(), 5, "");  // the old positions below
  EXPECT_EQ(rows[5],
            "workload.total_rate\tworkload.cv\tpolicy\tpolicy_spec\tplacement"
            "\trequests\tslo_attainment\tmean_latency_s\tp50_latency_s\t"
            "p90_latency_s\tp99_latency_s\tp99_all_latency_s\tthroughput_rps\t"
            "solver_s");
  std::vector<std::string> first = absl::StrSplit(rows[6], '\t');
  ASSERT_EQ(first.size(), 14u);
  EXPECT_EQ(first[0], "2");
  EXPECT_EQ(first[1], "1");
  EXPECT_EQ(first[2], "SR");
  EXPECT_EQ(first[3], "sr-greedy");
  EXPECT_THAT(first[4], StartsWith("group 0 (1,1,1): "));
  // Charts draw from the results.
  for (int chart = 0; chart < 3; ++chart) {
    absl::StatusOr<render::Figure> fig = MakeChart(*s, *a, chart);
    ASSERT_TRUE(fig.ok()) << fig.status();
  }
  EXPECT_EQ(a->cases[11].utilization.count(1), 1u);
  // Where every request met its SLO, the p99 of all requests is the p99 of
  // those that met it; where some missed, a missed one counts at its SLO.
  int all_met = 0, some_missed = 0;
  for (const CaseResult& c : a->cases) {
    EXPECT_EQ(MetricValue(c, "p99_all_latency_s"), c.p99_all_latency_s);
    if (c.slo_attainment == 1) {
      EXPECT_EQ(c.p99_all_latency_s, c.p99_latency_s);
      ++all_met;
    } else {
      EXPECT_GT(c.p99_all_latency_s, 0);
      ++some_missed;
    }
  }
  EXPECT_GT(all_met + some_missed, 0);
  EXPECT_TRUE(a->cases[0].utilization.empty());
}

// Greedy fills with an infinite SLO order models arbitrarily: warned about.
TEST(RunStudyTest, WarnsOfFillsByUnservedRequestsWithoutAnSlo) {
  absl::StatusOr<Study> s = Parse(Base());  // slo_scale unset: infinite
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(std::isinf(s->spec.workload().slo_scale()));
  EXPECT_THAT(StudyWarnings(*s),
              ElementsAre(StartsWith("policy SR (sr-greedy) places by the "
                                     "requests it leaves unserved"),
                          StartsWith("policy MP (mp-greedy-2) places")));
  std::vector<std::string> lines = Base();
  lines.push_back(
      "sweep { fields { field: \"workload.slo_scale\" values: [2, 5] } }");
  absl::StatusOr<Study> finite = Parse(lines);
  ASSERT_TRUE(finite.ok()) << finite.status();
  EXPECT_THAT(StudyWarnings(*finite), ::testing::IsEmpty());
}

// Repetitions: consecutive cases with seeds + r, their own workloads; the
// summary's mean and interval; charts draw the mean with a band.
TEST(RunStudyTest, RepetitionsMeanAndConfidenceInterval) {
  std::vector<std::string> lines = Base();
  lines.push_back("repetitions: 3");
  lines.push_back(
      "charts { metric: \"mean_latency_s\" where: \"workload.cv=3\" }");
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size() % 3, 0u);
  const uint64_t seed = s->cases[0].spec.workload().seed();
  EXPECT_EQ(s->cases[1].repetition, 1);
  EXPECT_EQ(s->cases[2].spec.workload().seed(), seed + 2);
  EXPECT_NE(s->cases[0].workload_group, s->cases[1].workload_group);
  EXPECT_EQ(s->columns.back(), "repetition");
  ParallelOptions one{1, true, ""};
  absl::StatusOr<StudyResults> r = RunStudy(*s, one);
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string summary = FormatResultsSummaryTsv(*s, *r);
  std::vector<std::string> rows =
      absl::StrSplit(summary, '\n', absl::SkipEmpty());
  size_t data_rows = 0;
  for (const std::string& row : rows) data_rows += row[0] != '#';
  EXPECT_EQ(data_rows, 1 + s->cases.size() / 3);
  absl::StatusOr<render::Figure> fig = MakeChart(*s, *r, 0);
  ASSERT_TRUE(fig.ok()) << fig.status();
  int bands = 0;
  for (const auto& series : fig->axes().series) {
    if (const auto* a = std::get_if<render::Area>(&series)) {
      ++bands;
      ASSERT_EQ(a->y0.size(), a->y.size());
      for (size_t i = 0; i < a->y.size(); ++i) EXPECT_LE(a->y0[i], a->y[i]);
    }
  }
  EXPECT_EQ(bands, s->spec.policies_size());
}

TEST(ResultFormatsTest, CsvAndJson) {
  const std::string tsv =
      "# study: t\n# cost_model: x\npolicy\trate\tplacement\n"
      "SR, greedy\t2\tgroup 0 (1,1,1): m0\nMP\t4.5\t\"q\"\n";
  EXPECT_EQ(TsvToCsv(tsv),
            "# study: t\n# cost_model: x\npolicy,rate,placement\n"
            "\"SR, greedy\",2,\"group 0 (1,1,1): m0\"\nMP,4.5,\"\"\"q\"\"\"\n");
  EXPECT_EQ(TsvToJson(tsv),
            "{\n  \"header\": [\" study: t\", \" cost_model: x\"],\n"
            "  \"rows\": [\n"
            "    {\"policy\": \"SR, greedy\", \"rate\": 2, \"placement\": "
            "\"group 0 (1,1,1): m0\"},\n"
            "    {\"policy\": \"MP\", \"rate\": 4.5, \"placement\": "
            "\"\\\"q\\\"\"}\n  ]\n}\n");
}

TEST(MeanAndCi95Test, StudentT) {
  EXPECT_EQ(MeanAndCi95({2.0}), std::make_pair(2.0, 0.0));
  const auto [mean, ci] = MeanAndCi95({1.0, 2.0, 3.0});
  EXPECT_DOUBLE_EQ(mean, 2.0);
  EXPECT_NEAR(ci, 4.303 * 1.0 / std::sqrt(3.0), 1e-12);  // sd 1, t(2)
}

// The study's simulator (fast unless named, the default not filled) and a
// policy's own; both appear in results.tsv's header only when not fast.
TEST(RunStudyTest, Simulators) {
  std::vector<std::string> lines = Base();
  lines[7] = "  duration_s: 60 slo_scale: 4";
  lines[12] = "";  // one cv
  absl::StatusOr<Study> plain = Parse(lines);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->simulator->Name(), "fast");
  EXPECT_FALSE(plain->spec.has_simulator());
  lines[10] =
      "policies { label: \"MP\" spec: \"mp-greedy-2\" simulator: "
      "\"batching:max_batch_size=4\" }";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->policy_simulators.size(), 2u);
  EXPECT_EQ(s->policy_simulators[0]->Name(), "fast");
  EXPECT_EQ(s->policy_simulators[1]->Name(), "batching(max_batch_size=4)");
  ParallelOptions one{1, true, ""};
  absl::StatusOr<StudyResults> a = RunStudy(*s, one);
  ASSERT_TRUE(a.ok()) << a.status();
  const std::string tsv = FormatResultsTsv(*s, *a);
  EXPECT_THAT(tsv,
              HasSubstr("\n# simulator of MP: batching(max_batch_size=4)\n"));
  EXPECT_THAT(FormatResultsTsv(*plain, *a), Not(HasSubstr("simulator")));

  lines.push_back("simulator: \"batching:max_batch_size=32\"");
  ExpectError(lines, "s.textproto:14: simulator: ", "max_batch_size");
  lines.back() = "simulator: \"slow\"";
  ExpectError(lines, "s.textproto:14: simulator: ", "unknown simulator 'slow'");
}

// Clockwork++ in a study: sr-replace trains on the serving draw (the online
// setting) and serves a schedule; results.tsv shows its first phase and the
// count, the utilization chart covers every phase's groups, and the rows do
// not depend on the thread count.
TEST(RunStudyTest, ScheduleOfSrReplace) {
  std::vector<std::string> lines = Base();
  lines[6] = "  cv: 4 rate_split: \"power_law\"";
  lines[7] = "  duration_s: 300 slo_scale: 4";
  lines[10] = "policies { label: \"C++\" spec: \"sr-replace-30\" }";
  lines[12] = "";  // one cv
  lines.push_back(
      "charts { kind: \"utilization\" where: \"workload.total_rate=4\" "
      "window_s: 10 }");
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ParallelOptions one{1, true, ""}, two{2, true, ""};
  absl::StatusOr<StudyResults> a = RunStudy(*s, one);
  absl::StatusOr<StudyResults> b = RunStudy(*s, two);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  const std::string tsv = testing_util::TsvWithoutSolverTime(*s, *a);
  EXPECT_EQ(tsv, testing_util::TsvWithoutSolverTime(*s, *b));
  ASSERT_EQ(a->cases.size(), 4u);  // rates 2, 4 x SR, C++
  for (size_t i : {1, 3}) {
    SCOPED_TRACE(i);
    EXPECT_EQ(s->cases[i].policy_spec, "sr-replace-30");
    EXPECT_THAT(a->cases[i].placement, StartsWith("group 0 (1,1,1): "));
    EXPECT_THAT(a->cases[i].placement, HasSubstr(" phases, "));
    EXPECT_EQ(a->cases[i].requests, a->cases[i - 1].requests);
  }
  absl::StatusOr<render::Figure> fig = MakeChart(*s, *a, 0);
  ASSERT_TRUE(fig.ok()) << fig.status();
}

TEST(RunStudyTest, OneShotStudiesIgnoreTokenLengths) {
  std::vector<std::string> lines = Base();
  lines[7] = "  duration_s: 120 slo_scale: 4";
  absl::StatusOr<Study> plain = Parse(lines);
  lines[7] =
      "  duration_s: 120 slo_scale: 4 prompt_lengths: "
      "\"lognormal:median=512,p90=2048\" output_lengths: \"uniform:min=1,"
      "max=64\"";
  absl::StatusOr<Study> tokens = Parse(lines);
  ASSERT_TRUE(plain.ok() && tokens.ok());
  ParallelOptions one{1, true, ""};
  absl::StatusOr<StudyResults> a = RunStudy(*plain, one);
  absl::StatusOr<StudyResults> b = RunStudy(*tokens, one);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  const auto rows = [](const std::string& tsv) {
    std::vector<std::string> out;
    for (absl::string_view r : absl::StrSplit(tsv, '\n')) {
      if (!r.empty() && r[0] != '#') out.emplace_back(r);
    }
    return out;
  };
  EXPECT_EQ(rows(testing_util::TsvWithoutSolverTime(*plain, *a)),
            rows(testing_util::TsvWithoutSolverTime(*tokens, *b)));
  // Two distributions for four models: refused when the case is drawn.
  lines[7] =
      "  duration_s: 120 prompt_lengths: \"fixed:tokens=1\" prompt_lengths: "
      "\"fixed:tokens=2\" output_lengths: \"fixed:tokens=1\"";
  absl::StatusOr<Study> bad = Parse(lines);
  ASSERT_TRUE(bad.ok()) << bad.status();
  absl::StatusOr<StudyResults> c = RunStudy(*bad, one);
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("2 prompt length distributions given for 4 models"));
}

}  // namespace
}  // namespace multiplex
