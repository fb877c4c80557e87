#include "experiments/lib/sweep.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(LinspaceTest, MatchesNumpy) {
  EXPECT_THAT(Linspace(1, 20, 20).front(), 1);
  EXPECT_THAT(Linspace(1, 20, 20).back(), 20);
  EXPECT_THAT(Linspace(0, 1, 5), ElementsAre(0, 0.25, 0.5, 0.75, 1));
  EXPECT_THAT(Linspace(3, 9, 1), ElementsAre(3));
  // numpy.linspace(0.1, 8, 20)[1] == 0.5157894736842106
  EXPECT_DOUBLE_EQ(Linspace(0.1, 8, 20)[1], 0.5157894736842106);
}

TEST(FormatValuesTest, Shortest) {
  EXPECT_EQ(FormatValues({0.1, 1, 2.5}), "0.1 1 2.5");
}

TEST(SameRequestsTest, OnlyPolicyClusterAndRecordingMayDiffer) {
  ServingCase a;
  a.model_type = "bert-2.6b";
  a.total_rate = 20;
  a.cv = 3;
  ServingCase b = a;
  b.policy = "sr-uniform";
  b.num_devices = 4;
  b.mem_budget_gib = 40;
  b.record_busy_intervals = true;
  EXPECT_TRUE(SameRequests(a, b));
  for (auto change : std::vector<void (*)(ServingCase*)>{
           [](ServingCase* c) { c->cv = 1; },
           [](ServingCase* c) { c->total_rate = 30; },
           [](ServingCase* c) { c->seed = 1; },
           [](ServingCase* c) { c->slo_scale = 5; },
           [](ServingCase* c) { c->duration_s = 1; },
           [](ServingCase* c) { c->rate_split = "power_law"; },
           [](ServingCase* c) { c->num_models = 2; },
           [](ServingCase* c) { c->model_type = "bert-1.3b"; }}) {
    ServingCase d = a;
    change(&d);
    EXPECT_FALSE(SameRequests(a, d));
  }
}

TEST(LoadCostModelTest, NamesTheFile) {
  auto model = LoadCostModel("/nonexistent.textproto");
  EXPECT_THAT(model.status().message(),
              HasSubstr("cannot open '/nonexistent.textproto'"));
}

}  // namespace
}  // namespace multiplex
