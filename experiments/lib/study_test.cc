// The loader's tests: checks, defaults, sweeps and expansion, charts,
// multi-study files.

#include "experiments/lib/study.h"

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

TEST(LoadStudyTest, BaseIsValid) {
  absl::StatusOr<Study> s = Parse(Base());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->cases.size(), 2u * 3u * 2u);
}

TEST(LoadStudyTest, ParseErrorHasLineAndColumn) {
  std::vector<std::string> lines = Base();
  lines[6] = "  cv: ";  // line 7, then "duration_s" is not a number
  ExpectError(lines, "s.textproto:8:3: ", "xpected");
}

TEST(LoadStudyTest, UnknownField) {
  std::vector<std::string> lines = Base();
  lines[1] = "cluster { num_gpus: 4 }";
  ExpectError(lines, "s.textproto:2:", "no field named \"num_gpus\"");
}

TEST(LoadStudyTest, UnknownPolicy) {
  std::vector<std::string> lines = Base();
  lines[10] = "policies { label: \"MP\" spec: \"mp-greedyy\" }";
  ExpectError(lines, "s.textproto:11: policies[1].spec: ",
              "unknown placement_policy 'mp-greedyy'");
}

TEST(LoadStudyTest, UnknownProcessAndCostModel) {
  std::vector<std::string> lines = Base();
  lines[8] = "  process: \"gama\" }";
  ExpectError(lines, "s.textproto:9: workload.process: ",
              "unknown arrival_process 'gama'");
  lines = Base();
  lines.push_back("cost_model: \"databse:path=x\"");
  ExpectError(lines, "s.textproto:14: cost_model: ", "unknown cost_model");
}

TEST(LoadStudyTest, UnknownModelType) {
  std::vector<std::string> lines = Base();
  lines[3] = "models { type: \"bert-9b\" count: 2 }";
  ExpectError(lines, "s.textproto:4: models[1].type: ", "bert-9b");
}

TEST(LoadStudyTest, NonPositiveRates) {
  std::vector<std::string> lines = Base();
  lines[5] = "  total_rate: -1";
  ExpectError(lines, "s.textproto:6: workload.total_rate: ",
              "must be a finite number > 0, got -1");
  lines[5] = "  total_rate: 0";
  ExpectError(lines, "s.textproto:6: workload.total_rate: ", "got 0");
  lines = Base();
  lines[11] =
      "sweep { fields { field: \"workload.total_rate\" values: [2, 0] } }";
  ExpectError(lines, "s.textproto:12: sweep[0].fields[0].values[1]: ",
              "value 1 of 'workload.total_rate': must be a finite number > 0");
}

TEST(LoadStudyTest, EmptyModelList) {
  std::vector<std::string> lines = Base();
  lines[2] = lines[3] = "";
  ExpectError(lines, "s.textproto:1: models: ", "serves no models");
}

TEST(LoadStudyTest, SweepOverMissingField) {
  std::vector<std::string> lines = Base();
  lines[12] = "sweep { fields { field: \"workload.rate\" values: [1, 3] } }";
  ExpectError(lines, "s.textproto:13: sweep[1].fields[0].field: ",
              "WorkloadSpec has no field 'rate'");
  lines[12] = "sweep { fields { field: \"workload.process\" values: [1] } }";
  ExpectError(lines,
              "s.textproto:13: sweep[1].fields[0].field: ", "not a number");
  lines[12] = "sweep { fields { field: \"models[5].count\" values: [1] } }";
  ExpectError(lines, "s.textproto:13: sweep[1].fields[0].field: ",
              "the spec has 2 models entries");
}

TEST(LoadStudyTest, ZippedFieldsOfDifferentLengths) {
  std::vector<std::string> lines = Base();
  lines[12] =
      "sweep { fields { field: \"workload.cv\" values: [1, 3, 5] }"
      " fields { field: \"cluster.mem_budget_gib\" values: [10, 20] } }";
  ExpectError(lines, "s.textproto:13: sweep[1].fields[1].field: ",
              "'cluster.mem_budget_gib' has 2 values but 'workload.cv'");
}

TEST(LoadStudyTest, TraceWithProcessOrRate) {
  std::vector<std::string> lines = Base();
  lines[8] = "  trace: \"t.tsv\" }";
  ExpectError(
      lines, "s.textproto:6: workload.total_rate: ", "not with workload.trace");
}

TEST(LoadStudyTest, SloScaleWithSloS) {
  std::vector<std::string> lines = Base();
  lines[7] = "  slo_scale: 5";
  lines[8] = "  slo_s: 2 }";
  ExpectError(lines, "s.textproto:9: workload.slo_s: ",
              "either workload.slo_scale or workload.slo_s");
}

TEST(LoadStudyTest, DuplicatePolicyLabels) {
  std::vector<std::string> lines = Base();
  lines[10] = "policies { label: \"SR\" spec: \"mp-greedy-2\" }";
  ExpectError(lines, "s.textproto:11: policies[1].label: ",
              "'SR' is already the label of policies[0]");
}

TEST(LoadStudyTest, ChartXOrWhereNamingNoSweepField) {
  std::vector<std::string> lines = Base();
  lines.push_back("charts { metric: \"p99_latency_s\"");  // 14
  lines.push_back("  x: \"cluster.num_devices\"");        // 15
  lines.push_back("  where: \"workload.cv=3\" }");        // 16
  ExpectError(lines, "s.textproto:15: charts[0].x: ",
              "'cluster.num_devices' is not a sweep field");
  lines[14] = "  x: \"workload.total_rate\"";
  lines[15] = "  where: \"serving.warmup_s=3\" }";
  ExpectError(lines, "s.textproto:16: charts[0].where[0]: ",
              "'serving.warmup_s' is not a sweep field");
  lines[15] = "  where: \"workload.cv=4\" }";
  ExpectError(lines, "s.textproto:16: charts[0].where[0]: ",
              "no case has workload.cv = 4; its values: 1 3 5");
  // Without where, the cv axis is not pinned.
  lines[15] = "}";
  ExpectError(lines, "s.textproto:14: charts[0]: ",
              "also varies 'workload.cv': pin it with where");
}

TEST(LoadStudyTest, OtherChecks) {
  std::vector<std::string> lines = Base();
  lines.push_back("charts { metric: \"p42\" where: \"workload.cv=3\" }");
  ExpectError(lines,
              "s.textproto:14: charts[0].metric: ", "unknown metric 'p42'");
  lines.back() = "charts { kind: \"pie\" }";
  ExpectError(lines, "s.textproto:14: charts[0].kind: ", "unknown chart kind");
  lines.back() =
      "charts { where: \"workload.cv=3\" metric: \"slo_attainment\" "
      "threshold { y: 99 scan: \"up\" } }";
  ExpectError(lines, "s.textproto:14: charts[0].threshold.scan: ",
              "must be \"from_left\" or \"from_right\", got \"up\"");
  lines.back() =
      "charts { where: \"workload.cv=3\" metric: \"slo_attainment\" "
      "threshold { y: inf } }";
  ExpectError(lines, "s.textproto:14: charts[0].threshold.y: ",
              "must be a finite number");
  lines.back() = "training { seed: 1 trace: \"x.tsv\" }";
  ExpectError(lines, "s.textproto:14: training.trace: ",
              "one of same_as_serving, seed and trace");
  lines.pop_back();
  lines[8] = "  process: \"poisson\" }";
  ExpectError(lines,
              "s.textproto:7: workload.cv: ", "process 'poisson' takes no cv");
  lines[8] = "  process: \"gamma:cv=2\" }";
  ExpectError(lines, "s.textproto:9: workload.process: ", "leave out 'cv'");
  lines[8] = "  rate_split: \"1:2:3\" }";
  ExpectError(lines, "s.textproto:9: workload.rate_split: ", "");
  lines = Base();
  lines[12] = "sweep { fields { field: \"workload.total_rate\" values: [1] } }";
  ExpectError(lines,
              "s.textproto:13: sweep[1].fields[0].field: ", "swept twice");
}

TEST(LoadStudyTest, FillsDefaultsAndRoundTrips) {
  absl::StatusOr<Study> s = Parse(Base());
  ASSERT_TRUE(s.ok()) << s.status();
  const study::StudySpec& spec = s->spec;
  EXPECT_EQ(spec.cluster().mem_budget_gib(), 13);
  EXPECT_TRUE(spec.cluster().has_devices_per_node());
  EXPECT_EQ(spec.workload().process(), "gamma");
  EXPECT_TRUE(spec.workload().has_rate_split());
  EXPECT_TRUE(spec.workload().has_seed());
  EXPECT_TRUE(std::isinf(spec.workload().slo_scale()));
  EXPECT_TRUE(spec.training().same_as_serving());
  // Colours by family: replication orange, model parallelism blue.
  EXPECT_EQ(spec.policies(0).style().color(), 1);
  EXPECT_EQ(spec.policies(1).style().color(), 0);
  EXPECT_TRUE(spec.serving().has_warmup_s());
  EXPECT_EQ(spec.cost_model(), Options().default_cost_model);
  // The filled spec loads again to the same spec.
  absl::StatusOr<Study> again =
      ParseStudy(FormatFilledSpec(*s), "s.textproto", Options());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->spec.DebugString(), spec.DebugString());
}

TEST(LoadStudyTest, SeedOverride) {
  StudyOptions o = Options();
  o.seed = 42;
  absl::StatusOr<Study> s = Parse(Base(), o);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->spec.workload().seed(), 42u);
  EXPECT_EQ(s->cases[0].spec.workload().seed(), 42u);
}

TEST(ExpandTest, CrossProductFirstAxisOutermostThenPolicies) {
  absl::StatusOr<Study> s = Parse(Base());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(s->columns, ElementsAre("workload.total_rate", "workload.cv"));
  std::vector<std::string> rows;
  for (const StudyCase& c : s->cases) {
    rows.push_back(absl::StrCat(CaseValue(c, "workload.total_rate"), "/",
                                CaseValue(c, "workload.cv"), "/",
                                c.policy_spec));
  }
  EXPECT_THAT(
      rows, ElementsAre("2/1/sr-greedy", "2/1/mp-greedy-2", "2/3/sr-greedy",
                        "2/3/mp-greedy-2", "2/5/sr-greedy", "2/5/mp-greedy-2",
                        "4/1/sr-greedy", "4/1/mp-greedy-2", "4/3/sr-greedy",
                        "4/3/mp-greedy-2", "4/5/sr-greedy", "4/5/mp-greedy-2"));
  // The two policies of a point share one workload; points do not.
  EXPECT_EQ(s->num_workload_groups, 6);
  EXPECT_EQ(s->cases[0].workload_group, s->cases[1].workload_group);
  EXPECT_NE(s->cases[1].workload_group, s->cases[2].workload_group);
  EXPECT_EQ(s->cases[0].models.size(), 4u);
  EXPECT_EQ(s->cases[3].models[2].type, "bert-2.6b");
}

TEST(ExpandTest, ZipLinspaceAndScale) {
  std::vector<std::string> lines = Base();
  lines[11] =
      "sweep { fields { field: \"workload.total_rate\" linspace { start: 1 "
      "stop: 2 num: 3 } scale: 8 } fields { field: \"cluster.mem_budget_gib\" "
      "values: [10, 20, 30] } }";
  lines[12] = "";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 6u);
  EXPECT_EQ(CaseValue(s->cases[2], "workload.total_rate"), "12");
  EXPECT_EQ(CaseValue(s->cases[2], "cluster.mem_budget_gib"), "20");
  EXPECT_EQ(CaseValue(s->cases[5], "workload.total_rate"), "16");
  EXPECT_EQ(CaseValue(s->cases[5], "cluster.mem_budget_gib"), "30");
  // The memory budget does not change the workload: one per rate.
  EXPECT_EQ(s->num_workload_groups, 3);
}

TEST(ExpandTest, PerPolicySweepReplacesTheStudys) {
  std::vector<std::string> lines = Base();
  lines[10] =
      "policies { label: \"MP\" sweep { fields { field: "
      "\"cluster.mem_budget_gib\" values: [7, 12] } fields { field: "
      "\"policy.spec\" labels: [\"mp-greedy-4\", \"mp-greedy-2\"] } } }";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  // SR: 6 points of the study's sweep; MP: its own 2.
  ASSERT_EQ(s->cases.size(), 8u);
  EXPECT_THAT(s->columns, ElementsAre("workload.total_rate", "workload.cv",
                                      "cluster.mem_budget_gib", "policy.spec"));
  EXPECT_EQ(s->cases[6].policy, 1);
  EXPECT_EQ(s->cases[6].policy_spec, "mp-greedy-4");
  EXPECT_EQ(CaseValue(s->cases[7], "cluster.mem_budget_gib"), "12");
  EXPECT_EQ(CaseValue(s->cases[7], "policy.spec"), "mp-greedy-2");
  // Unswept fields show the case's value.
  EXPECT_EQ(CaseValue(s->cases[7], "workload.total_rate"), "4");
  EXPECT_EQ(CaseValue(s->cases[0], "cluster.mem_budget_gib"), "13");
  EXPECT_EQ(s->spec.policies(1).label(), "MP");
}

TEST(ExpandTest, WherePicksTheCases) {
  std::vector<std::string> lines = Base();
  lines.push_back(
      "charts { metric: \"p99_latency_s\" where: \"workload.cv=3\" }");
  lines.push_back(
      "charts { kind: \"latency_cdf\" per_model: true where: "
      "\"workload.cv=5\" where: \"workload.total_rate=4\" }");
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->charts.size(), 2u);
  EXPECT_EQ(s->spec.charts(0).x(), "workload.total_rate");
  EXPECT_EQ(s->spec.charts(0).stem(), "p99_latency_s");
  EXPECT_EQ(s->spec.charts(0).ylabel(), "P99 Latency, SLO Met (s)");
  EXPECT_THAT(s->charts[0].cases[0], ElementsAre(2, 8));
  EXPECT_THAT(s->charts[0].cases[1], ElementsAre(3, 9));
  EXPECT_THAT(s->charts[0].x[1], ElementsAre(2, 4));
  EXPECT_THAT(s->charts[1].cases[0], ElementsAre(10));
  EXPECT_THAT(s->charts[1].cases[1], ElementsAre(11));
  EXPECT_TRUE(s->cases[10].keep_per_model);
  EXPECT_FALSE(s->cases[8].keep_latencies);
}

TEST(ExpandTest, RelativePathsFromTheSpecDirectory) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  ASSERT_TRUE(WriteFileAtomically(dir + "/trace.tsv",
                                  "arrival_s\tmodel\tslo_s\n0.5\tm0\tinf\n"
                                  "1.5\tm1\t2\n3.25\tm0\tinf\n")
                  .ok());
  const std::string spec = Spec({
      "models { type: \"bert-1.3b\" count: 2 }",
      "workload { trace: \"trace.tsv\" }",
      "policies { spec: \"sr-greedy\" }",
  });
  ASSERT_TRUE(WriteFileAtomically(dir + "/t.textproto", spec).ok());
  absl::StatusOr<Study> s = LoadStudy(dir + "/t.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->spec.workload().trace(), dir + "/trace.tsv");
  EXPECT_EQ(s->spec.workload().duration_s(), 4);  // whole trace
  EXPECT_FALSE(s->spec.workload().has_slo_scale());
  EXPECT_FALSE(s->spec.workload().has_process());
  EXPECT_EQ(s->spec.policies(0).label(), "sr-greedy");
  EXPECT_EQ(s->spec.name(), "t");
  // A trace naming a model the study does not have.
  ASSERT_TRUE(WriteFileAtomically(dir + "/bad.tsv",
                                  "arrival_s\tmodel\tslo_s\n0.5\tm7\tinf\n")
                  .ok());
  absl::StatusOr<Study> bad =
      ParseStudy(Spec({"models { type: \"bert-1.3b\" count: 2 }",
                       "workload { trace: \"bad.tsv\" }",
                       "policies { spec: \"sr-greedy\" }"}),
                 dir + "/b.textproto", Options());
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()),
              StartsWith(dir + "/b.textproto:2: workload.trace: "));
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("'m7'"));
}

// A file of several studies: each entry merges into the top level, its
// repeated fields replacing the top level's.
std::vector<std::string> TwoStudies() {
  return {
      "name: \"f\"",                                         // 1
      "cluster { num_devices: 4 }",                          // 2
      "models { type: \"bert-1.3b\" count: 4 }",             // 3
      "workload { total_rate: 4 cv: 2 duration_s: 200 }",    // 4
      "policies { label: \"SR\" spec: \"sr-greedy\" }",      // 5
      "studies {",                                           // 6
      "  workload { cv: 3 }",                                // 7
      "  charts { stem: \"a\" kind: \"latency_cdf\" }",      // 8
      "}",                                                   // 9
      "studies {",                                           // 10
      "  name: \"other\"",                                   // 11
      "  models { type: \"bert-2.6b\" count: 2 }",           // 12
      "  policies { label: \"MP\" spec: \"mp-greedy-2\" }",  // 13
      "  sweep { fields { field: \"workload.total_rate\" values: [2, 4] } }",
      "  charts { stem: \"b\" metric: \"mean_latency_s\" }",  // 15
      "}",                                                    // 16
  };
}

TEST(StudiesTest, EntriesMergeIntoTheTopLevel) {
  absl::StatusOr<std::vector<Study>> s =
      ParseStudies(Spec(TwoStudies()), "s.textproto", Options());
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->size(), 2u);
  const Study& a = (*s)[0];
  const Study& b = (*s)[1];
  EXPECT_EQ(a.spec.name(), "f_1");
  EXPECT_EQ(a.entry, 0);
  EXPECT_EQ(a.spec.workload().cv(), 3);
  EXPECT_EQ(a.spec.workload().total_rate(), 4);  // inherited
  EXPECT_EQ(a.spec.cluster().num_devices(), 4);
  EXPECT_EQ(a.cases.size(), 1u);
  EXPECT_EQ(b.spec.name(), "other");
  ASSERT_EQ(b.spec.models_size(), 1);  // replaced, not appended
  EXPECT_EQ(b.spec.models(0).type(), "bert-2.6b");
  ASSERT_EQ(b.spec.policies_size(), 1);
  EXPECT_EQ(b.spec.policies(0).label(), "MP");
  EXPECT_EQ(b.spec.workload().cv(), 2);
  EXPECT_EQ(b.cases.size(), 2u);
  EXPECT_TRUE(b.spec.studies().empty());
  EXPECT_THAT(FormatFilledSpec(b), HasSubstr("s.textproto (studies[1])"));
  // One study per file for ParseStudy.
  absl::StatusOr<Study> one =
      ParseStudy(Spec(TwoStudies()), "s.textproto", Options());
  ASSERT_FALSE(one.ok());
  EXPECT_THAT(std::string(one.status().message()),
              HasSubstr("holds 2 studies"));
}

void ExpectStudiesError(const std::vector<std::string>& lines,
                        const std::string& where, const std::string& what) {
  absl::StatusOr<std::vector<Study>> s =
      ParseStudies(Spec(lines), "s.textproto", Options());
  ASSERT_FALSE(s.ok()) << "accepted:\n" << Spec(lines);
  EXPECT_THAT(std::string(s.status().message()), StartsWith(where));
  EXPECT_THAT(std::string(s.status().message()), HasSubstr(what));
}

TEST(StudiesTest, ErrorsNameTheEntry) {
  std::vector<std::string> lines = TwoStudies();
  lines[6] = "  workload { cv: -3 }";
  ExpectStudiesError(lines, "s.textproto:7: studies[0].workload.cv: ",
                     "must be a finite number > 0");
  lines = TwoStudies();
  lines[3] = "workload { total_rate: -4 cv: 2 duration_s: 200 }";
  ExpectStudiesError(lines,
                     "s.textproto:4: workload.total_rate (in studies[0]): ",
                     "must be a finite number > 0");
  lines = TwoStudies();
  lines[10] = "  name: \"f_1\"";
  ExpectStudiesError(
      lines, "s.textproto:11: studies[1].name: ", "also names studies[0]");
  lines = TwoStudies();
  lines[14] = "  charts { stem: \"a\" metric: \"mean_latency_s\" }";
  ExpectStudiesError(lines, "s.textproto:15: studies[1].charts[0].stem: ",
                     "studies[0] already writes 'a'");
  lines = TwoStudies();
  lines[6] = "  studies { }";
  ExpectStudiesError(lines,
                     "s.textproto:7: studies[0].studies: ", "do not nest");
  lines = TwoStudies();
  lines[4] = "";  // the first entry has no policy
  ExpectStudiesError(
      lines, "s.textproto:6: studies[0].policies: ", "compares no policies");
}

// A cost model that wraps another (equal-stages) wraps the study's.
TEST(LoadStudyTest, WrapperCostModelWrapsTheStudys) {
  std::vector<std::string> lines = Base();
  lines[10] =
      "policies { label: \"MP\" spec: \"mp-greedy-2\" cost_model: "
      "\"equal-stages:model=bert-2.6b,pp=2,alpha=1.5\" }";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->policy_cost_models.size(), 2u);
  EXPECT_EQ(s->policy_cost_models[0], s->cost_model);
  const std::string name = s->policy_cost_models[1]->Name();
  EXPECT_THAT(name, StartsWith(s->cost_model->Name()));
  EXPECT_THAT(name,
              HasSubstr("bert-2.6b (1,1,2) as equal stages of alpha=1.5"));
  // The filled spec keeps the wrapper as written.
  EXPECT_EQ(s->spec.policies(1).cost_model(),
            "equal-stages:model=bert-2.6b,pp=2,alpha=1.5");
  lines = Base();
  lines.insert(lines.begin() + 1,
               "cost_model: \"equal-stages:model=bert-2.6b,pp=2,alpha=1.5\"");
  ExpectError(lines,
              "s.textproto:2: cost_model: ", "wraps another and names no base");
}

TEST(LoadStudyTest, MinScaledDuration) {
  std::vector<std::string> lines = Base();
  lines[7] = "  duration_s: 500 min_scaled_duration_s: 50";
  StudyOptions o = Options();
  o.duration_scale = 0.01;
  absl::StatusOr<Study> s = Parse(lines, o);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->ScaledDuration(500, 50), 50);  // not 5
  EXPECT_EQ(s->ScaledDuration(20, 50), 20);   // never longer than given
  EXPECT_EQ(s->ScaledDuration(20000, 50), 200);
  o.duration_scale = 1;
  EXPECT_EQ(Parse(lines, o)->ScaledDuration(500, 50), 500);
  lines[7] = "  duration_s: 500 min_scaled_duration_s: -1";
  ExpectError(lines, "s.textproto:8: workload.min_scaled_duration_s: ",
              "must be a finite number >= 0");
}

// A MAF2 file (workloads/azure_trace.h): hour 0 all on one function, hour 1
// spread over four, 200 invocations each.
std::string WriteAzureTrace() {
  std::string text = "app,func,end_timestamp,duration\n";
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&text, "a,hot,", 10 + i * 17, ",0\n");
  }
  for (int i = 0; i < 200; ++i) {
    absl::StrAppend(&text, "a,f", i % 4, ",", 3600 + 10 + i * 17, ",0\n");
  }
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(dir ? dir : "/tmp", "/azure.txt");
  EXPECT_TRUE(WriteFileAtomically(path, text).ok());
  return path;
}

std::vector<std::string> AzureStudy(const std::string& path) {
  const std::string azure =
      absl::StrCat("azure:path=", path, ",arrival=gamma,interval_s=600");
  return {
      "name: \"t\"",                                         // 1
      "cluster { num_devices: 4 }",                          // 2
      "models { type: \"bert-1.3b\" count: 2 }",             // 3
      "workload {",                                          // 4
      "  process: \"" + azure + ",start=0.1.0,end=0.2.0\"",  // 5
      "  duration_s: 3600 slo_scale: 5",                     // 6
      "}",                                                   // 7
      "training {",                                          // 8
      "  process: \"" + azure + ",start=0.0.0,end=0.1.0\"",  // 9
      "}",                                                   // 10
      "policies { label: \"SR\" spec: \"sr-greedy\" }",      // 11
      "sweep { fields { field: \"workload.rate_scale\" values: [1, 2] } }",
  };
}

TEST(LoadStudyTest, TrainingProcessAndRateScale) {
  const std::string path = WriteAzureTrace();
  std::vector<std::string> lines = AzureStudy(path);
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 2u);
  absl::StatusOr<StudyResults> r = RunStudy(*s, ParallelOptions{1, true, ""});
  ASSERT_TRUE(r.ok()) << r.status();
  // Serving draws the second hour: ~200 and ~400 requests.
  EXPECT_NEAR(r->cases[0].requests, 200, 60);
  EXPECT_NEAR(r->cases[1].requests, 400, 90);

  // Hour 1 spreads over four functions: no model carries the traffic.
  EXPECT_THAT(FormatResultsTsv(*s, *r), Not(HasSubstr("nearly all")));

  // Hour 0 has one function: every request on m0, warned in the header of
  // results.tsv (and of its summary) with the count and the first case.
  lines = AzureStudy(path);
  lines[4] = "  process: \"azure:path=" + path +
             ",arrival=gamma,interval_s=600,start=0.0.0,end=0.1.0\"";
  s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  r = RunStudy(*s, ParallelOptions{1, true, ""});
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string warning =
      "# warning: 2 of 2 cases serve a workload with one model carrying "
      "nearly all requests; case 0 (SR, workload.rate_scale=1): model m0 "
      "carries ";
  EXPECT_THAT(FormatResultsTsv(*s, *r), HasSubstr(warning));
  EXPECT_THAT(FormatResultsSummaryTsv(*s, *r), HasSubstr(warning));
  EXPECT_THAT(r->cases[1].workload_warning,
              ::testing::MatchesRegex("model m0 carries [0-9]+ of the [0-9]+ "
                                      "requests \\(100%, over 99%\\); the "
                                      "other 1 models have 0: .*"));

  // Errors.
  lines = AzureStudy(path);
  lines[8] = "  process: \"azure:path=/no/such/file\"";
  ExpectError(lines, "s.textproto:9: training.process: ", "/no/such/file");
  lines = AzureStudy(path);
  lines[8] = "  process: \"\"";
  ExpectError(lines, "s.textproto:9: training.process: ", "is empty");
  lines = AzureStudy(path);
  lines[9] = "  same_as_serving: true }";
  ExpectError(lines, "s.textproto:9: training.process: ",
              "not with training.trace or same_as_serving");
  lines = AzureStudy(path);
  lines[5] = "  duration_s: 3600 slo_scale: 5 rate_scale: -1";
  ExpectError(lines, "s.textproto:6: workload.rate_scale: ",
              "must be a finite number > 0");
  lines = AzureStudy(path);
  lines[4] = "  process: \"" +
             absl::StrCat("azure:path=", path, ",arrival=gamma,rate_scale=2\"");
  ExpectError(lines,
              "s.textproto:5: workload.process: ", "leave out 'rate_scale'");
  lines = Base();
  lines[6] = "  cv: 2 rate_scale: 2";
  ExpectError(lines, "s.textproto:7: workload.rate_scale: ",
              "process 'gamma' takes no rate_scale");
}

TEST(LoadStudyTest, CvScale) {
  // Gaps of 5 and 29 s (CV 0.7) in both hours: WriteAzureTrace's second
  // hour has CV 0, which no cv_scale changes.
  std::string text = "app,func,end_timestamp,duration\n";
  for (int i = 0; i < 400; ++i) {  // each function: 29, 5, 29, ... s apart
    for (const char* f : {"f0", "f1"}) {
      absl::StrAppend(&text, "a,", f, ",", i * 17 + (i % 2) * 12, ",0\n");
    }
  }

  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(dir ? dir : "/tmp", "/azure_cv.txt");
  ASSERT_TRUE(WriteFileAtomically(path, text).ok());
  std::vector<std::string> lines = AzureStudy(path);
  lines[11] =
      "sweep { fields { field: \"workload.cv_scale\" values: [1, 4] } }";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 2u);
  absl::StatusOr<StudyResults> r = RunStudy(*s, ParallelOptions{1, true, ""});
  ASSERT_TRUE(r.ok()) << r.status();
  // The same rate (two functions, ~211 arrivals each in the hour), a
  // burstier draw: cv_scale reaches the process.
  EXPECT_NEAR(r->cases[0].requests, 420, 80);
  EXPECT_NEAR(r->cases[1].requests, 420, 200);
  EXPECT_NE(r->cases[0].requests, r->cases[1].requests);

  lines = AzureStudy(path);
  lines[5] = "  duration_s: 3600 slo_scale: 5 cv_scale: 0";
  ExpectError(lines, "s.textproto:6: workload.cv_scale: ",
              "must be a finite number > 0");
  lines = AzureStudy(path);
  lines[4] = "  process: \"" +
             absl::StrCat("azure:path=", path, ",arrival=gamma,cv_scale=2\"");
  lines[5] = "  duration_s: 3600 slo_scale: 5 cv_scale: 3";
  ExpectError(lines,
              "s.textproto:5: workload.process: ", "leave out 'cv_scale'");
  lines = Base();
  lines[6] = "  cv: 2 cv_scale: 2";
  ExpectError(lines, "s.textproto:7: workload.cv_scale: ",
              "process 'gamma' takes no cv_scale");
}

// training { total_rate rate_split cv }: the policies place on another
// traffic pattern. Trained on m3 taking nearly all of 20 req/s, sr-greedy
// gives m3 every GPU and another model one GPU; trained on the served
// uniform 4 req/s it gives every model at least two.
TEST(LoadStudyTest, TrainingOnAnotherPattern) {
  std::vector<std::string> lines = Base();
  lines[7] = "  duration_s: 200 slo_scale: 5";  // the greedy fill simulates
  lines[10] = "";
  lines[11] = "training { total_rate: 20 rate_split: \"1:1:1:40\" cv: 1 }";
  lines[12] = "";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<StudyResults> r = RunStudy(*s, ParallelOptions{1, true, ""});
  ASSERT_TRUE(r.ok()) << r.status();
  lines[11] = "";
  absl::StatusOr<Study> same = Parse(lines);
  ASSERT_TRUE(same.ok()) << same.status();
  absl::StatusOr<StudyResults> rs =
      RunStudy(*same, ParallelOptions{1, true, ""});
  ASSERT_TRUE(rs.ok()) << rs.status();
  auto copies = [](const std::string& placement, absl::string_view model) {
    int n = 0;
    for (absl::string_view g : absl::StrSplit(placement, " | ")) {
      n += absl::StrContains(absl::StrCat(g, " "), model);
    }
    return n;
  };
  EXPECT_EQ(copies(r->cases[0].placement, " m3 "), 4) << r->cases[0].placement;
  int fewest_skewed = 4, fewest_uniform = 4;
  for (const char* m : {" m0 ", " m1 ", " m2 ", " m3 "}) {
    fewest_skewed = std::min(fewest_skewed, copies(r->cases[0].placement, m));
    fewest_uniform =
        std::min(fewest_uniform, copies(rs->cases[0].placement, m));
  }
  EXPECT_EQ(fewest_skewed, 1) << r->cases[0].placement;
  EXPECT_GE(fewest_uniform, 2) << rs->cases[0].placement;
  // The served workload is the same: as many requests.
  EXPECT_EQ(r->cases[0].requests, rs->cases[0].requests);
  // A policy with train_on_serving places on the served workload whatever
  // training says.
  lines[9] =
      "policies { label: \"SR\" spec: \"sr-greedy\" "
      "train_on_serving: true }";
  lines[11] = "training { total_rate: 20 rate_split: \"1:1:1:40\" cv: 1 }";
  absl::StatusOr<Study> own = Parse(lines);
  ASSERT_TRUE(own.ok()) << own.status();
  absl::StatusOr<StudyResults> ro =
      RunStudy(*own, ParallelOptions{1, true, ""});
  ASSERT_TRUE(ro.ok()) << ro.status();
  EXPECT_EQ(ro->cases[0].placement, rs->cases[0].placement);

  lines = Base();
  lines[11] = "training { same_as_serving: true cv: 1 }";
  ExpectError(lines, "s.textproto:12: training.cv: ",
              "not with training.trace or same_as_serving");
  lines[11] = "training { rate_split: \"1:2\" }";
  ExpectError(lines, "s.textproto:12: training.rate_split: ", "");
  lines[11] = "training { total_rate: -1 }";
  ExpectError(lines, "s.textproto:12: training.total_rate: ",
              "must be a finite number > 0");
  lines = Base();
  lines[5] = "  process: \"poisson\" total_rate: 4";
  lines[6] = "";
  lines[12] = "training { cv: 2 }";
  ExpectError(lines,
              "s.textproto:13: training.cv: ", "process 'poisson' takes no cv");
}

// Regression, found by study_fuzzer: a linspace of 1111110 points (x 2 budgets
// x 3 policies) expanded into millions of cases and ran out of time.
TEST(LoadStudyTest, RejectsCaseCountOverLimit) {
  std::vector<std::string> lines = Base();
  lines[11] =
      "sweep { fields { field: \"workload.total_rate\" linspace { start: 1 "
      "stop: 2 num: 1111110 } } }";
  ExpectError(lines, "s.textproto:12: sweep[0].fields[0].linspace.num: ",
              "must be at most 65536, got 1111110");
  // Each axis is within the limit, the cases (300 x 300 x 2) are not.
  lines[11] =
      "sweep { fields { field: \"workload.total_rate\" linspace { start: 1 "
      "stop: 2 num: 300 } } }";
  lines[12] =
      "sweep { fields { field: \"workload.cv\" linspace { start: 1 stop: 2 "
      "num: 300 } } }";
  ExpectError(lines, "s.textproto:12: sweep: ",
              "the study expands to more than 65536 cases");
}

// Regression: int32 counts were summed in an int (2147483647 + 2 wrapped) and
// a case built one model name per instance.
TEST(LoadStudyTest, RejectsModelCountOverflow) {
  std::vector<std::string> lines = Base();
  lines[2] = "models { type: \"bert-1.3b\" count: 2147483647 }";
  ExpectError(lines, "s.textproto:3: models: ",
              "2147483649 model instances, over the limit of 1048576 "
              "(kMaxModels)");
  lines = Base();
  lines.push_back(
      "sweep { fields { field: \"models[0].count\" values: [1048577] } }");
  ExpectError(lines, "s.textproto:14: ",
              "must be at most 1048576 (core/limits.h), got 1048577");
}

TEST(LoadStudyTest, RejectsDeviceCountOverLimit) {
  std::vector<std::string> lines = Base();
  lines[1] = "cluster { num_devices: 2000000 }";
  ExpectError(lines, "s.textproto:2: cluster.num_devices: ",
              "must be at most 1048576 (core/limits.h), got 2e+06");
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// Token-length distributions in a study: checked when parsed, drawn per
// model, and ignored by one-shot cost models and simulators (the same
// results with and without them).
TEST(LoadStudyTest, TokenLengths) {
  std::vector<std::string> lines = Base();
  lines[7] = "  duration_s: 200 prompt_lengths: \"fixed:tokens=5\"";
  ExpectError(lines, "s.textproto:8: workload.prompt_lengths: ",
              "both prompt_lengths and output_lengths");
  lines[7] =
      "  duration_s: 200 prompt_lengths: \"fixed:tokens=5\" output_lengths: "
      "\"lognormal:median=5\"";
  ExpectError(lines, "s.textproto:8: workload.output_lengths: ",
              "either mean and sigma, or median and p90");
  lines[7] =
      "  duration_s: 200 prompt_lengths: \"fixed:tokens=5\" output_lengths: "
      "\"fixed:tokens=1\"";
  EXPECT_TRUE(Parse(lines).ok());
}

}  // namespace
}  // namespace multiplex
