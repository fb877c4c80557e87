// Plugin parameters in studies: sweeps over a plugin's own parameter,
// resolved against its declaration, and the study quantities fed to the
// parameters that declare them; and a study small enough to work out by
// hand, its results.tsv numbers checked against the hand's.

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/arrival_process.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"
#include "experiments/lib/study_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/generator.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Study> Parse(const std::vector<std::string>& lines) {
  return ParseStudy(absl::StrJoin(lines, "\n") + "\n", "s.textproto",
                    testing_util::ShippedDatabaseOptions());
}

// One bert-1.3b on one GPU, one request a second for 10 s (arrivals at
// 1, 2, ..., 9 s: 9 requests, each alone on the GPU), no serving overheads,
// an SLO of 1.5 x L1 (the model's single-GPU batch-1 latency). The policy's
// cost model replaces the one-stage pipeline by a stage of alpha x L1.
std::vector<std::string> HandSized(const std::string& sweep) {
  return {
      "name: \"hand\"",
      "cluster { num_devices: 1 }",
      "models { type: \"bert-1.3b\" count: 1 }",
      "workload { process: \"deterministic\" total_rate: 1 duration_s: 10",
      "  slo_scale: 1.5 }",
      "serving { fixed_overhead_s: 0 stage_slowdown: 0 warmup_s: 0 }",
      "policies { label: \"SR\" spec: \"sr-greedy\"",
      "  cost_model: \"equal-stages:model=bert-1.3b,pp=1,alpha=1\" }",
      sweep,
  };
}

// results.tsv's data rows, split into cells; the header row first.
std::vector<std::vector<std::string>> Rows(const Study& study,
                                           const StudyResults& results) {
  std::vector<std::vector<std::string>> rows;
  for (absl::string_view line : absl::StrSplit(FormatResultsTsv(study, results),
                                               '\n', absl::SkipEmpty())) {
    if (absl::StartsWith(line, "#")) continue;
    rows.push_back(absl::StrSplit(line, '\t'));
  }
  return rows;
}

double Cell(const std::vector<std::vector<std::string>>& rows, size_t row,
            const std::string& column) {
  for (size_t c = 0; c < rows[0].size(); ++c) {
    if (rows[0][c] != column) continue;
    double v = 0;
    EXPECT_TRUE(absl::SimpleAtod(rows[row][c], &v)) << rows[row][c];
    return v;
  }
  ADD_FAILURE() << "no column " << column;
  return 0;
}

// Sweeping the cost model's own alpha: alpha = 1 serves every request in
// L1 (within its SLO of 1.5 x L1), alpha = 2 in 2 x L1 (none in time).
TEST(PluginParamSweepTest, CostModelAlphaByHand) {
  absl::StatusOr<Study> s = Parse(HandSized(
      "sweep { fields { field: \"cost_model.alpha\" values: [1, 2] } }"));
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 2u);
  EXPECT_NE(s->cases[0].cost_model, s->cases[1].cost_model);
  // The workload does not depend on the cost model: drawn once.
  EXPECT_EQ(s->cases[0].workload_group, s->cases[1].workload_group);
  const double l1 = s->l1_s.at("bert-1.3b");
  ASSERT_GT(l1, 0);
  absl::StatusOr<StudyResults> r = RunStudy(*s, ParallelOptions{1, true, ""});
  ASSERT_TRUE(r.ok()) << r.status();
  const auto rows = Rows(*s, *r);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "cost_model.alpha");
  EXPECT_EQ(rows[1][0], "1");
  EXPECT_EQ(rows[2][0], "2");
  EXPECT_EQ(Cell(rows, 1, "requests"), 9);
  EXPECT_EQ(Cell(rows, 1, "slo_attainment"), 1);
  EXPECT_NEAR(Cell(rows, 1, "mean_latency_s"), l1, 1e-9);
  EXPECT_NEAR(Cell(rows, 1, "p99_latency_s"), l1, 1e-9);
  // Good requests over the span of their arrivals: 9 / (9 s - 1 s).
  EXPECT_NEAR(Cell(rows, 1, "throughput_rps"), 9.0 / 8, 1e-9);
  EXPECT_EQ(Cell(rows, 2, "requests"), 9);
  EXPECT_EQ(Cell(rows, 2, "slo_attainment"), 0);
}

// The SLO scale by hand: below alpha x 1 every request is late, above it
// none is.
TEST(PluginParamSweepTest, SloScaleByHand) {
  absl::StatusOr<Study> s = Parse(HandSized(
      "sweep { fields { field: \"workload.slo_scale\" values: [0.9, 1.1] } "
      "}"));
  ASSERT_TRUE(s.ok()) << s.status();
  absl::StatusOr<StudyResults> r = RunStudy(*s, ParallelOptions{1, true, ""});
  ASSERT_TRUE(r.ok()) << r.status();
  const auto rows = Rows(*s, *r);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(Cell(rows, 1, "slo_attainment"), 0);
  EXPECT_EQ(Cell(rows, 2, "slo_attainment"), 1);
  EXPECT_NEAR(Cell(rows, 2, "mean_latency_s"), s->l1_s.at("bert-1.3b"), 1e-9);
}

TEST(PluginParamSweepTest, SimulatorParameter) {
  std::vector<std::string> lines = HandSized(
      "sweep { fields { field: \"simulator.max_batch_size\" values: [1, 4] "
      "} }");
  lines.push_back("simulator: \"batching:max_batch_size=2\"");
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 2u);
  EXPECT_NE(s->cases[0].simulator, s->cases[1].simulator);
  EXPECT_EQ(CaseValue(s->cases[0], "simulator.max_batch_size"), "1");
  EXPECT_EQ(CaseValue(s->cases[1], "simulator.max_batch_size"), "4");
  // batching:max_batch_size=1 and =4, created once each.
  EXPECT_EQ(s->simulators.count("batching:max_batch_size=1"), 1u);
  EXPECT_EQ(s->simulators.count("batching:max_batch_size=4"), 1u);
}

TEST(PluginParamSweepTest, ProcessParameterFedByTheStudyIsRefused) {
  std::vector<std::string> lines = HandSized("");
  lines[3] =
      "workload { process: \"uniform-mmpp:durations=1/2,rates=1/4\" "
      "total_rate: 1 duration_s: 10";
  lines[8] =
      "sweep { fields { field: \"workload.process.rate\" values: [1] } }";
  // rate is fed by workload.total_rate: refused, naming the feed.
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "s.textproto:9: sweep[0].fields[0].field: parameter 'rate' of "
            "arrival_process 'uniform-mmpp' is fed by workload.total_rate; "
            "sweep that field instead");
}

// A process's own parameter: each case draws with its value (its own
// workload group), read back exactly in the case's column.
TEST(PluginParamSweepTest, ProcessParameter) {
  std::vector<std::string> lines = HandSized(
      "sweep { fields { field: \"workload.process.time_scale\" values: [1, "
      "2.5] } }");
  lines[3] =
      "workload { process: \"azure:path=workloads/testdata/azure/"
      "maf2_small.txt,end=0.0.30,arrival=gamma,interval_s=300\" "
      "duration_s: 10";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->cases.size(), 2u);
  EXPECT_NE(s->cases[0].workload_group, s->cases[1].workload_group);
  EXPECT_THAT(s->cases[0].spec.workload().process(),
              HasSubstr(",time_scale=1"));
  EXPECT_THAT(s->cases[1].spec.workload().process(),
              HasSubstr(",time_scale=2.5"));
  EXPECT_EQ(CaseValue(s->cases[1], "workload.process.time_scale"), "2.5");
  // Out of its declared range: the message names the value and the rule.
  lines[8] =
      "sweep { fields { field: \"workload.process.time_scale\" values: [0] "
      "} }";
  s = Parse(lines);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "s.textproto:9: sweep[0].fields[0].field: value 0 of "
            "'workload.process.time_scale' for arrival_process 'azure': "
            "parameter time_scale=0 is out of range: must be > 0");
}

TEST(PluginParamSweepTest, Errors) {
  auto error = [](const std::string& sweep) {
    absl::StatusOr<Study> s = Parse(HandSized(sweep));
    return s.ok() ? std::string("accepted") : std::string(s.status().message());
  };
  EXPECT_EQ(error("sweep { fields { field: \"cost_model.beta\" values: [1] "
                  "} }"),
            "s.textproto:9: sweep[0].fields[0].field: cost_model "
            "'equal-stages' has no parameter 'beta'; it has: base, model, "
            "pp, alpha");
  EXPECT_EQ(error("sweep { fields { field: \"cost_model.pp\" values: [1.5] "
                  "} }"),
            "s.textproto:9: sweep[0].fields[0].field: value 0 of "
            "'cost_model.pp' for cost_model 'equal-stages': parameter "
            "pp=1.5 is not valid: must be an int >= 1");
  EXPECT_EQ(error("sweep { fields { field: \"cost_model.alpha\" values: [1, "
                  "-1] } }"),
            "s.textproto:9: sweep[0].fields[0].field: value 1 of "
            "'cost_model.alpha' for cost_model 'equal-stages': parameter "
            "alpha=-1 is out of range: must be > 0");
  EXPECT_EQ(error("sweep { fields { field: \"cost_model.model\" values: [1] "
                  "} }"),
            "s.textproto:9: sweep[0].fields[0].field: parameter 'model' of "
            "cost_model 'equal-stages' is a string; only int and double "
            "parameters can be swept");
  EXPECT_EQ(error("sweep { fields { field: \"workload.process.cv\" values: "
                  "[1] } }"),
            "s.textproto:9: sweep[0].fields[0].field: arrival_process "
            "'deterministic' has no parameter 'cv'; it has: rate");
  EXPECT_EQ(error("sweep { fields { field: \"training.process.cv\" values: "
                  "[1] } }"),
            "s.textproto:9: sweep[0].fields[0].field: "
            "'training.process.cv' needs training { process: ... }");
}

TEST(PluginParamSweepTest, PolicyParameterBoundByTheName) {
  std::vector<std::string> lines =
      HandSized("sweep { fields { field: \"policy.G\" values: [1] } }");
  lines[6] = "policies { label: \"MP\" spec: \"mp-greedy-1\"";
  absl::StatusOr<Study> s = Parse(lines);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(std::string(s.status().message()),
            "s.textproto:9: sweep[0].fields[0].field: 'mp-greedy-1' gives "
            "parameter 'G' in its name, which a sweep cannot vary; sweep "
            "policy.spec over the names instead");
}

// Every process in the registry: the parameters that take the study's
// quantities say so by declaration, and MakeModelStreams feeds them there.
TEST(FeedTest, EveryProcessDeclaresItsFeeds) {
  // The names the framework used to match; a process that takes one of them
  // but declares no feed would silently stop receiving it.
  const std::vector<std::pair<std::string, Feed>> legacy = {
      {"rate", Feed::kRate},
      {"cv", Feed::kCv},
      {"rate_scale", Feed::kRateScale},
      {"cv_scale", Feed::kCvScale},
      {"model_index", Feed::kModelIndex},
      {"num_models", Feed::kNumModels}};
  int processes = 0, fed = 0;
  for (const auto& [name, entry] :
       Registry<ArrivalProcess>::Global().entries()) {
    ++processes;
    for (const PluginParam& p : entry.params) {
      for (const auto& [legacy_name, feed] : legacy) {
        if (p.name == legacy_name) {
          EXPECT_EQ(p.fed_by, feed) << name << " " << p.name;
        }
      }
    }
    // The example without the parameters the workload feeds.
    absl::StatusOr<PluginSpec> example = ParsePluginSpec(entry.example);
    ASSERT_TRUE(example.ok()) << entry.example;
    PluginArgs own;
    for (const auto& [k, v] : example->args.values()) {
      const PluginParam* decl = nullptr;
      for (const PluginParam& p : entry.params) {
        if (p.name == k) decl = &p;
      }
      if (decl == nullptr || decl->fed_by == Feed::kNone) own.Set(k, v);
    }
    const std::string process =
        own.values().empty() ? example->name
                             : absl::StrCat(example->name, ":", own.ToString());
    WorkloadSpec base;
    base.num_models = 2;
    base.total_rate = 6;
    base.process = process;
    absl::StatusOr<std::vector<ModelStream>> streams = MakeModelStreams(base);
    ASSERT_TRUE(streams.ok()) << process << ": " << streams.status();
    for (const PluginParam& p : entry.params) {
      if (p.fed_by == Feed::kNone) continue;
      ++fed;
      SCOPED_TRACE(absl::StrCat(name, " ", p.name));
      switch (p.fed_by) {
        case Feed::kRate:
          // Each model's share of the total rate, 6 / 2.
          for (const ModelStream& s : *streams) {
            EXPECT_NEAR(s.process->Rate(), 3, 1e-9);
          }
          break;
        case Feed::kCv:
        case Feed::kRateScale:
        case Feed::kCvScale: {
          // An out-of-range value reaches the declared parameter.
          WorkloadSpec bad = base;
          bad.feeds[p.fed_by] = -1;
          absl::StatusOr<std::vector<ModelStream>> made = MakeModelStreams(bad);
          ASSERT_FALSE(made.ok());
          EXPECT_THAT(std::string(made.status().message()),
                      HasSubstr(absl::StrCat("parameter ", p.name,
                                             "=-1 is out of range")));
          break;
        }
        case Feed::kModelIndex:
        case Feed::kNumModels: {
          // The workload sets it for each model; the spec may not.
          WorkloadSpec bad = base;
          bad.process_args.Set(p.name, 0);
          absl::StatusOr<std::vector<ModelStream>> made = MakeModelStreams(bad);
          ASSERT_FALSE(made.ok());
          EXPECT_THAT(std::string(made.status().message()),
                      HasSubstr(absl::StrCat("leave out '", p.name, "'")));
          break;
        }
        case Feed::kTraceModel:
          // Each model replays its own stream: two different streams.
          ASSERT_EQ(streams->size(), 2u);
          EXPECT_NE(streams->at(0).process->Name(),
                    streams->at(1).process->Name());
          break;
        case Feed::kNone:
          break;
      }
    }
    // A feed the process does not declare is an error naming the feed.
    if (ParamFedBy(entry.params, Feed::kCvScale) == nullptr) {
      WorkloadSpec bad = base;
      bad.feeds[Feed::kCvScale] = 2;
      absl::StatusOr<std::vector<ModelStream>> made = MakeModelStreams(bad);
      ASSERT_FALSE(made.ok());
      EXPECT_THAT(std::string(made.status().message()),
                  HasSubstr("takes no workload.cv_scale"));
    }
  }
  EXPECT_GE(processes, 7);
  EXPECT_GE(fed, 10);
}

}  // namespace
}  // namespace multiplex
