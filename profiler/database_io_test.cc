#include "profiler/database_io.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "core/limits.h"
#include "core/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "profiler/database_cost_model.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A valid two-config database; tests break one thing at a time.
// clang-format off
constexpr char kGood[] = R"db(
provenance { method: "measured" hardware: "test" sequence_length: 8 }
model {
  name: "tiny"
  config {
    op: 1 pp: 1
    stage_weight_bytes: 100
    batch { batch_size: 1 stage_latency_s: 0.5 stage_activation_bytes: 10 }
    batch { batch_size: 2 stage_latency_s: 0.8 stage_activation_bytes: 20 }
  }
  config {
    op: 1 pp: 2
    stage_weight_bytes: 60 stage_weight_bytes: 50
    batch { batch_size: 1 stage_latency_s: 0.3 stage_latency_s: 0.25
            stage_activation_bytes: 5 stage_activation_bytes: 5 }
  }
}
)db";
// clang-format on

std::string Error(const std::string& text) {
  absl::StatusOr<ProfilingDatabase> db = ParseDatabase(text, "db.textproto");
  EXPECT_FALSE(db.ok());
  return db.ok() ? "" : std::string(db.status().message());
}

std::string Replace(absl::string_view from, absl::string_view to) {
  std::string text = absl::StrReplaceAll(kGood, {{from, to}});
  EXPECT_NE(text, kGood) << "replacement did not apply: " << from;
  return text;
}

TEST(DatabaseIoTest, GoodDatabaseParses) {
  absl::StatusOr<ProfilingDatabase> db = ParseDatabase(kGood, "db.textproto");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(db->model(0).config(1).pp(), 2);
  EXPECT_EQ(db->model(0).config(1).dp(), 1);  // default
}

TEST(DatabaseIoTest, MissingLatencies) {
  EXPECT_EQ(Error(Replace("stage_latency_s: 0.8 ", "")),
            "db.textproto: model 'tiny' config (1,1,1) batch 2: 0 "
            "stage_latency_s for 1 stages");
}

TEST(DatabaseIoTest, NegativeLatency) {
  EXPECT_EQ(Error(Replace("stage_latency_s: 0.25", "stage_latency_s: -0.25")),
            "db.textproto: model 'tiny' config (1,1,2) batch 1: stage 1 "
            "stage_latency_s is -0.25, must be positive and finite");
}

TEST(DatabaseIoTest, NanLatency) {
  EXPECT_THAT(Error(Replace("stage_latency_s: 0.5", "stage_latency_s: nan")),
              HasSubstr("config (1,1,1) batch 1: stage 0 stage_latency_s is "
                        "nan, must be positive"));
}

TEST(DatabaseIoTest, StageCountMismatchWithPp) {
  EXPECT_EQ(Error(Replace("stage_latency_s: 0.3 stage_latency_s: 0.25",
                          "stage_latency_s: 0.3")),
            "db.textproto: model 'tiny' config (1,1,2) batch 1: 1 "
            "stage_latency_s for 2 stages");
  EXPECT_EQ(Error(Replace("stage_weight_bytes: 60 stage_weight_bytes: 50",
                          "stage_weight_bytes: 60")),
            "db.textproto: model 'tiny' config (1,1,2): 1 stage_weight_bytes "
            "for 2 stages");
}

TEST(DatabaseIoTest, NegativeMemory) {
  EXPECT_THAT(
      Error(Replace("stage_weight_bytes: 100", "stage_weight_bytes: -1")),
      HasSubstr("config (1,1,1): stage 0 stage_weight_bytes is -1"));
}

TEST(DatabaseIoTest, EmptyDatabase) {
  EXPECT_EQ(Error("provenance { method: \"x\" }"), "db.textproto: no models");
}

TEST(DatabaseIoTest, ModelWithoutConfigs) {
  EXPECT_EQ(Error("model { name: \"empty\" }"),
            "db.textproto: model 'empty': no parallel configs");
}

TEST(DatabaseIoTest, ModelWithoutName) {
  EXPECT_EQ(Error(Replace("name: \"tiny\"", "")),
            "db.textproto: a model has no name");
}

TEST(DatabaseIoTest, DuplicateModel) {
  std::string text = std::string(kGood) + "model { name: \"tiny\" }";
  EXPECT_EQ(Error(text), "db.textproto: model 'tiny': listed twice");
}

TEST(DatabaseIoTest, DuplicateConfig) {
  EXPECT_EQ(Error(Replace("op: 1 pp: 2", "op: 1 pp: 1")),
            "db.textproto: model 'tiny' config (1,1,1): listed twice");
}

// Regression: without batch 1, place reported that no model fits the budget.
TEST(DatabaseIoTest, ConfigWithoutBatchOne) {
  EXPECT_EQ(Error(Replace("batch { batch_size: 1 stage_latency_s: 0.5",
                          "batch { batch_size: 4 stage_latency_s: 0.5")),
            "db.textproto: model 'tiny' config (1,1,1): no batch_size 1 "
            "(every config needs batch 1; it has 2, 4)");
}

TEST(DatabaseIoTest, DuplicateBatchSize) {
  EXPECT_EQ(Error(Replace("batch_size: 2", "batch_size: 1")),
            "db.textproto: model 'tiny' config (1,1,1) batch 1: batch size "
            "listed twice");
}

TEST(DatabaseIoTest, ConfigWithoutBatches) {
  std::string text = Replace(
      R"(batch { batch_size: 1 stage_latency_s: 0.3 stage_latency_s: 0.25
            stage_activation_bytes: 5 stage_activation_bytes: 5 })",
      "");
  EXPECT_EQ(Error(text),
            "db.textproto: model 'tiny' config (1,1,2): no batch sizes");
}

TEST(DatabaseIoTest, BadDegree) {
  EXPECT_EQ(Error(Replace("op: 1 pp: 2", "op: 0 pp: 2")),
            "db.textproto: model 'tiny' config (1,0,2): parallel degrees must "
            "be >= 1");
}

// Regression: dp x op x pp of (65536,65536,1) wrapped to 0 devices in an int.
TEST(DatabaseIoTest, RejectsDeviceCountOverflow) {
  EXPECT_EQ(Error(Replace("op: 1 pp: 1", "dp: 65536 op: 65536 pp: 1")),
            "db.textproto: model 'tiny' config (65536,65536,1): dp x op x pp "
            "= 4294967296 devices, over the limit of 1048576 devices per "
            "group (kMaxDevices)");
  EXPECT_EQ(Error(Replace("op: 1 pp: 1", "op: 2147483647 pp: 1")),
            "db.textproto: model 'tiny' config (1,2147483647,1): op "
            "2147483647 is over the limit of 1048576 devices per group "
            "(kMaxDevices)");
}

// A config's stage arrays hold pp values each: pp is bounded before anything
// is sized by it.
TEST(DatabaseIoTest, RejectsStageCountOverLimit) {
  EXPECT_EQ(Error(Replace("op: 1 pp: 2", "op: 1 pp: 2147483647")),
            "db.textproto: model 'tiny' config (1,1,2147483647): pp "
            "2147483647 is over the limit of 65536 pipeline stages "
            "(kMaxStages)");
}

TEST(DatabaseIoTest, RejectsBatchSizeOverLimit) {
  EXPECT_EQ(Error(Replace("batch_size: 2", "batch_size: 65537")),
            "db.textproto: model 'tiny' config (1,1,1) batch 65537: batch size "
            "is over the limit of 65536 (kMaxBatchSize)");
  EXPECT_TRUE(
      ParseDatabase(Replace("batch_size: 2", "batch_size: 65536"), "db").ok());
}

TEST(DatabaseIoTest, RejectsModelCountOverLimit) {
  // The count is checked before any model is looked at.
  ProfilingDatabase db;
  db.mutable_model()->Reserve(kMaxModels + 1);
  for (int i = 0; i <= kMaxModels; ++i) db.add_model();
  EXPECT_EQ(ValidateDatabase(db, "db").message(),
            "db: 1048577 models, over the limit of 1048576 (kMaxModels)");
}

TEST(DatabaseIoTest, UnknownFieldNamesLine) {
  EXPECT_THAT(Error(Replace("method: \"measured\"", "methd: \"measured\"")),
              HasSubstr("db.textproto:line 2:"));
  EXPECT_THAT(Error(Replace("method: \"measured\"", "methd: \"measured\"")),
              HasSubstr("no field named \"methd\""));
}

TEST(DatabaseIoTest, TruncatedFile) {
  std::string text(kGood);
  text.resize(text.size() / 2);
  EXPECT_THAT(Error(text), HasSubstr("db.textproto:line "));
}

TEST(DatabaseIoTest, MissingFile) {
  absl::StatusOr<ProfilingDatabase> db =
      LoadDatabase("/nonexistent/x.textproto");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().message(),
            "cannot open '/nonexistent/x.textproto': No such file or "
            "directory");
}

TEST(DatabaseIoTest, WriteThenLoadRoundTripsByteForByte) {
  ProfilingDatabase db = *ParseDatabase(kGood, "db");
  const std::string path = ::testing::TempDir() + "/round_trip.textproto";
  ASSERT_TRUE(WriteDatabase(db, path).ok());
  absl::StatusOr<ProfilingDatabase> loaded = LoadDatabase(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(FormatDatabase(*loaded), FormatDatabase(db));
  EXPECT_EQ(loaded->model(0).config(1).batch(0).stage_latency_s(1), 0.25);
}

TEST(DatabaseIoTest, WriteRefusesInvalidAndLeavesNoFile) {
  ProfilingDatabase db;
  const std::string path = ::testing::TempDir() + "/invalid.textproto";
  EXPECT_FALSE(WriteDatabase(db, path).ok());
  EXPECT_FALSE(std::ifstream(path).good());
}

TEST(DatabaseIoTest, WriteToMissingDirectoryFails) {
  ProfilingDatabase db = *ParseDatabase(kGood, "db");
  absl::Status s = WriteDatabase(db, "/nonexistent/dir/db.textproto");
  EXPECT_THAT(s.message(),
              HasSubstr("cannot write '/nonexistent/dir/db.textproto'"));
}

TEST(DatabaseCostModelTest, ServesStagesAndListsConfigs) {
  DatabaseCostModel cost(*ParseDatabase(kGood, "db"), "db.textproto");
  EXPECT_EQ(cost.Name(), "database(db.textproto)");
  EXPECT_THAT(cost.Models(), ElementsAre("tiny"));
  ASSERT_EQ(cost.Configs("tiny").size(), 2u);
  EXPECT_EQ(cost.Configs("tiny")[1], (ParallelConfig{1, 1, 2}));
  EXPECT_THAT(cost.BatchSizes("tiny", {1, 1, 1}), ElementsAre(1, 2));
  absl::StatusOr<StageCosts> s = cost.Stages("tiny", {1, 1, 2}, 1);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(s->latency_s, ElementsAre(0.3, 0.25));
  EXPECT_THAT(s->weight_bytes, ElementsAre(60, 50));
  EXPECT_EQ(cost.Stages("tiny", {1, 2, 1}, 1).status().message(),
            "db.textproto: no model 'tiny' with config (1,2,1)");
  EXPECT_EQ(cost.Stages("tiny", {1, 1, 2}, 4).status().message(),
            "db.textproto: model 'tiny' config (1,1,2) has no batch size 4");
  EXPECT_TRUE(cost.Configs("other").empty());
}

TEST(DatabaseCostModelTest, RegisteredAsPlugin) {
  const std::string path = ::testing::TempDir() + "/plugin.textproto";
  ASSERT_TRUE(WriteDatabase(*ParseDatabase(kGood, "db"), path).ok());
  auto cost = Registry<CostModel>::Global().Create("database:path=" + path);
  ASSERT_TRUE(cost.ok()) << cost.status();
  EXPECT_EQ((*cost)->Models().size(), 1u);
  auto missing = Registry<CostModel>::Global().Create("database");
  EXPECT_THAT(missing.status().message(),
              HasSubstr("missing parameter 'path'"));
}

}  // namespace
}  // namespace multiplex
