#include "profiler/equal_stages_cost_model.h"

#include <memory>

#include "core/registry.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(EqualStagesCostModelTest, ReplacesOnlyTheChosenConfig) {
  FakeCostModel base;
  base.Set("m", {1, 1, 1}, {{0.8}, {0}, {100}});
  base.Set("m", {1, 1, 4},
           {{0.3, 0.2, 0.2, 0.3}, {0, 0, 0, 0}, {30, 25, 25, 30}});
  base.Set("m", {1, 1, 2}, {{0.5, 0.4}, {0, 0}, {50, 50}});
  EqualStagesCostModel model(&base, "m", {1, 1, 4}, 1.5);
  absl::StatusOr<StageCosts> s = model.Stages("m", {1, 1, 4}, 1);
  ASSERT_TRUE(s.ok());
  const double stage = 1.5 * 0.8 / 4;
  EXPECT_THAT(s->latency_s, ElementsAre(stage, stage, stage, stage));
  EXPECT_THAT(s->weight_bytes, ElementsAre(30, 25, 25, 30));
  EXPECT_THAT(model.Stages("m", {1, 1, 2}, 1)->latency_s,
              ElementsAre(0.5, 0.4));
  EXPECT_THAT(model.Stages("m", {1, 1, 1}, 1)->latency_s, ElementsAre(0.8));
  EXPECT_FALSE(model.Stages("m", {1, 2, 1}, 1).ok());
  EXPECT_EQ(model.Configs("m").size(), 3u);
}

// The plugin: its base through the registry (the analytical model of the
// shipped descriptions, the one base a spec's text can name).
TEST(EqualStagesPluginTest, WrapsItsBase) {
  const Registry<CostModel>& registry = Registry<CostModel>::Global();
  absl::StatusOr<std::unique_ptr<CostModel>> base =
      registry.Create("analytical");
  ASSERT_TRUE(base.ok()) << base.status();
  absl::StatusOr<std::unique_ptr<CostModel>> model = registry.Create(
      "equal-stages:base=analytical,model=bert-2.6b,pp=8,alpha=1.5");
  ASSERT_TRUE(model.ok()) << model.status();
  const double l1 = (*base)->Stages("bert-2.6b", {1, 1, 1}, 1)->TotalLatency();
  absl::StatusOr<StageCosts> s = (*model)->Stages("bert-2.6b", {1, 1, 8}, 1);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->latency_s.size(), 8u);
  for (double stage : s->latency_s) EXPECT_DOUBLE_EQ(stage, 1.5 * l1 / 8);
  EXPECT_EQ((*model)->Stages("bert-2.6b", {1, 1, 4}, 1)->latency_s,
            (*base)->Stages("bert-2.6b", {1, 1, 4}, 1)->latency_s);
  EXPECT_THAT((*model)->Name(),
              HasSubstr("with bert-2.6b (1,1,8) as equal stages of alpha=1.5"));
}

// A base with parameters comes in the args, as a study passes its own.
TEST(EqualStagesPluginTest, BaseInTheArgs) {
  PluginArgs args;
  args.Set("base", "analytical:partition=manual,seq=1024");
  absl::StatusOr<std::unique_ptr<CostModel>> model =
      Registry<CostModel>::Global().Create(
          "equal-stages:model=bert-1.3b,pp=2,alpha=1", args);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_THAT((*model)->Name(), HasSubstr("manual"));
}

TEST(EqualStagesPluginTest, Errors) {
  const Registry<CostModel>& registry = Registry<CostModel>::Global();
  auto error = [&](const std::string& spec) {
    absl::StatusOr<std::unique_ptr<CostModel>> made = registry.Create(spec);
    EXPECT_FALSE(made.ok()) << spec;
    return made.ok() ? std::string() : std::string(made.status().message());
  };
  EXPECT_THAT(error("equal-stages:model=bert-2.6b,pp=8,alpha=1"),
              HasSubstr("missing parameter 'base'"));
  EXPECT_THAT(error("equal-stages:base=analytical,model=gpt,pp=8,alpha=1"),
              HasSubstr("cannot serve model 'gpt'"));
  EXPECT_THAT(
      error("equal-stages:base=analytical,model=bert-2.6b,pp=3,alpha=1"),
      HasSubstr("has no config (1,1,3)"));
  EXPECT_THAT(
      error("equal-stages:base=analytical,model=bert-2.6b,pp=8,alpha=0"),
      HasSubstr("alpha=0 is out of range"));
  EXPECT_THAT(error("equal-stages:base=nothing,model=bert-2.6b,pp=8,alpha=1"),
              HasSubstr("unknown cost_model 'nothing'"));
}

}  // namespace
}  // namespace multiplex
