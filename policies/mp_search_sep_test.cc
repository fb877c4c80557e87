// mp-search-sep (docs/study.md §5.6.1): its bucketing and GPU splits, and
// the policy against mp-search.

#include <memory>
#include <string>
#include <vector>

#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/evaluator.h"
#include "policies/latency_buckets.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing_util::AddBertLike;
using testing_util::GammaWorkload;

std::unique_ptr<PlacementPolicy> Make(const std::string& name) {
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> p =
      Registry<PlacementPolicy>::Global().Create(name);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

TEST(SingleGpuLatency, OneGpuConfigOrSmallestStandIn) {
  FakeCostModel cost;
  cost.SetUniform("a", {1, 1, 1}, 0.3, kGiB);
  cost.SetUniform("a", {1, 2, 1}, 0.2, kGiB);
  // No (1,1,1): (1,2,1) is the smallest; its latency times op.
  cost.SetUniform("b", {1, 2, 1}, 0.25, kGiB);
  cost.SetUniform("b", {1, 1, 4}, 0.1, kGiB);
  EXPECT_DOUBLE_EQ(*SingleGpuLatency(cost, "a"), 0.3);
  EXPECT_DOUBLE_EQ(*SingleGpuLatency(cost, "b"), 0.5);
  absl::StatusOr<double> none = SingleGpuLatency(cost, "c");
  ASSERT_FALSE(none.ok());
  EXPECT_THAT(std::string(none.status().message()), HasSubstr("type c"));
}

TEST(BucketByLatency, CutsWhereTheRatioToTheFastestIsExceeded) {
  //                 m0   m1   m2    m3   m4   m5   m6
  const std::vector<double> l = {0.4, 0.1, 0.25, 0.2, 1.0, 0.05, 0.8};
  // Sorted: m5 .05, m1 .1, m3 .2, m2 .25, m0 .4, m6 .8, m4 1.0.
  // ratio 2: {m5, m1} (.1 <= .1), {m3, m2, m0} (.4 <= .4), {m6, m4}.
  EXPECT_THAT(
      BucketByLatency(l, 2.0),
      ElementsAre(ElementsAre(1, 5), ElementsAre(0, 2, 3), ElementsAre(4, 6)));
  // ratio 4.9: {m5 .. m3} (.2 <= .245), {m2, m0, m6, m4} (1.0 <= 1.225).
  EXPECT_THAT(BucketByLatency(l, 4.9),
              ElementsAre(ElementsAre(1, 3, 5), ElementsAre(0, 2, 4, 6)));
  EXPECT_THAT(BucketByLatency(l, 20.0),
              ElementsAre(ElementsAre(0, 1, 2, 3, 4, 5, 6)));
  // ratio 1: equal latencies only; ties keep index order.
  EXPECT_THAT(BucketByLatency({0.2, 0.1, 0.2}, 1.0),
              ElementsAre(ElementsAre(1), ElementsAre(0, 2)));
}

TEST(MergeBuckets, MergesTheClosestNeighbours) {
  const std::vector<double> l = {0.4, 0.1, 0.25, 0.2, 1.0, 0.05, 0.8};
  std::vector<std::vector<int>> b = BucketByLatency(l, 2.0);
  // Merged ratios: {m5,m1}+{m3,m2,m0} = .4/.05 = 8, {m3,m2,m0}+{m6,m4} =
  // 1.0/.2 = 5: the second pair merges.
  MergeBuckets(l, 2, &b);
  EXPECT_THAT(b, ElementsAre(ElementsAre(1, 5), ElementsAre(0, 2, 3, 4, 6)));
  MergeBuckets(l, 0, &b);  // at least one bucket stays
  EXPECT_THAT(b, ElementsAre(ElementsAre(0, 1, 2, 3, 4, 5, 6)));
}

TEST(DeviceSplits, CompositionsInStepsInLexicographicOrder) {
  EXPECT_THAT(
      DeviceSplits(8, 2, 2),
      ElementsAre(ElementsAre(2, 6), ElementsAre(4, 4), ElementsAre(6, 2)));
  // 9 GPUs in steps of 2: the left-over GPU goes to the last bucket.
  EXPECT_THAT(DeviceSplits(9, 3, 2),
              ElementsAre(ElementsAre(2, 2, 5), ElementsAre(2, 4, 3),
                          ElementsAre(4, 2, 3)));
  EXPECT_THAT(DeviceSplits(3, 3, 1), ElementsAre(ElementsAre(1, 1, 1)));
  EXPECT_TRUE(DeviceSplits(3, 4, 1).empty());
  for (auto [d, k, s] : {std::tuple{8, 2, 2},
                         {9, 3, 2},
                         {32, 3, 4},
                         {64, 4, 8},
                         {20, 1, 3},
                         {3, 4, 1}}) {
    EXPECT_EQ(DeviceSplits(d, k, s).size(), CountDeviceSplits(d, k, s))
        << d << " " << k << " " << s;
    for (const std::vector<int>& split : DeviceSplits(d, k, s)) {
      int sum = 0;
      for (int x : split) sum += x;
      EXPECT_EQ(sum, d);
    }
  }
  EXPECT_EQ(CountDeviceSplits(64, 6, 1), 7028847);  // C(63, 5)
}

// Fast models (20 ms) and slow ones (200 ms, 10x) with SLOs of 5x their
// own latency: a fast request queued behind a slow one misses its SLO.
struct Mixed {
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  Workload workload;
  PlacementProblem problem;

  Mixed(int devices, double gib) {
    AddBertLike(&cost, "fast", 0.02, 1.0);
    AddBertLike(&cost, "slow", 0.2, 2.0);
    const std::vector<std::string> types = {"fast", "fast", "fast",
                                            "slow", "slow", "fast"};
    std::vector<double> rates;
    for (size_t i = 0; i < types.size(); ++i) {
      models.push_back({"m" + std::to_string(i), types[i]});
      rates.push_back(types[i] == "fast" ? 12.0 : 2.0);
    }
    workload = GammaWorkload(rates, 3, 3000, 17);
    for (size_t r = 0; r < workload.size(); ++r) {
      workload.slo_s[r] = 5 * (types[workload.model[r]] == "fast" ? 0.02 : 0.2);
    }
    problem = {&models, {devices, gib * kGiB, 8}, &cost, &workload, {}};
  }
};

TEST(MpSearchSep, SeparatingFastFromSlowModelsScoresHigher) {
  Mixed m(8, 13.0);  // every model fits on every GPU
  absl::StatusOr<Placement> sep = Make("mp-search-sep")->Place(m.problem);
  absl::StatusOr<Placement> one = Make("mp-search")->Place(m.problem);
  ASSERT_TRUE(sep.ok()) << sep.status();
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_TRUE(VerifyPlacement(*sep, m.models, m.problem.cluster, m.cost).ok());
  auto ev = PlacementEvaluator::Create(m.problem);
  ASSERT_TRUE(ev.ok());
  const double sep_score = *(*ev)->Score(*sep);
  const double one_score = *(*ev)->Score(*one);
  // 0.998 against 0.987: mp-search mixes both kinds on every GPU.
  EXPECT_GT(sep_score, one_score + 0.005) << sep->ToString(m.models) << "\nvs\n"
                                          << one->ToString(m.models);
  // No group mixes the buckets.
  for (const Group& g : sep->groups) {
    bool fast = false, slow = false;
    for (int i : g.models) {
      (m.models[i].type == "fast" ? fast : slow) = true;
    }
    EXPECT_FALSE(fast && slow) << sep->ToString(m.models);
  }
}

TEST(MpSearchSep, NeverBelowMpSearchOnTraining) {
  for (int devices : {2, 4, 6}) {
    Mixed m(devices, 4.0);
    absl::StatusOr<Placement> sep = Make("mp-search-sep")->Place(m.problem);
    absl::StatusOr<Placement> one = Make("mp-search")->Place(m.problem);
    ASSERT_TRUE(sep.ok() && one.ok()) << devices;
    auto ev = PlacementEvaluator::Create(m.problem);
    ASSERT_TRUE(ev.ok());
    EXPECT_GE(*(*ev)->Score(*sep), *(*ev)->Score(*one)) << devices;
  }
}

// One bucket (a single type, or a ratio covering every latency) is
// mp-search, placement for placement.
TEST(MpSearchSep, OneBucketIsMpSearch) {
  FakeCostModel cost;
  AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = testing_util::Models(6, "bert-2.6b");
  Workload w = GammaWorkload({1, 2, 3, 0.5, 1, 2}, 3, 3000, 9, 1.2);
  PlacementProblem problem{&models, {8, 13 * kGiB, 8}, &cost, &w, {}};
  Mixed mixed(8, 13.0);
  for (const PlacementProblem* p : {&problem, &mixed.problem}) {
    absl::StatusOr<Placement> a = Make("mp-search")->Place(*p);
    absl::StatusOr<Placement> b = Make("mp-search-sep:ratio=100")->Place(*p);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(a->ToString(*p->models), b->ToString(*p->models));
  }
  absl::StatusOr<Placement> a = Make("mp-search")->Place(problem);
  absl::StatusOr<Placement> b = Make("mp-search-sep")->Place(problem);
  EXPECT_EQ(a->ToString(models), b->ToString(models));
  // One GPU: the two buckets merge into one.
  Mixed tiny(1, 13.0);
  a = Make("mp-search")->Place(tiny.problem);
  b = Make("mp-search-sep")->Place(tiny.problem);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ToString(tiny.models), b->ToString(tiny.models));
}

TEST(MpSearchSep, SameResultEveryTime) {
  Mixed m(8, 4.0);
  absl::StatusOr<Placement> a = Make("mp-search-sep")->Place(m.problem);
  absl::StatusOr<Placement> b = Make("mp-search-sep")->Place(m.problem);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->ToString(m.models), b->ToString(m.models));
}

TEST(MpSearchSep, Errors) {
  for (const char* bad : {"mp-search-sep:ratio=0.5", "mp-search-sep:ratio=x",
                          "mp-search-sep:split_steps=0"}) {
    auto made = Registry<PlacementPolicy>::Global().Create(bad);
    ASSERT_FALSE(made.ok()) << bad;
    EXPECT_EQ(made.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(made.status().message()),
                testing::AnyOf(HasSubstr("ratio"), HasSubstr("split_steps")))
        << made.status();
  }
  // Too many splits to enumerate: 64 GPUs one by one between 6 buckets.
  FakeCostModel cost;
  std::vector<ModelSpec> models;
  std::vector<double> rates;
  for (int i = 0; i < 6; ++i) {
    const std::string type = "t" + std::to_string(i);
    AddBertLike(&cost, type, 0.01 * (1 << (2 * i)), 1.0);
    models.push_back({"m" + std::to_string(i), type});
    rates.push_back(1);
  }
  Workload w = GammaWorkload(rates, 1, 100, 1);
  PlacementProblem problem{&models, {64, 13 * kGiB, 8}, &cost, &w, {}};
  absl::StatusOr<Placement> p =
      Make("mp-search-sep:split_steps=64")->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("7028847 splits, over 100000: lower split_steps"));
  // A model type the cost model does not know.
  models[0].type = "unknown";
  p = Make("mp-search-sep")->Place(problem);
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()),
              HasSubstr("mp-search-sep: cost model fake has no batch-1"));
}

}  // namespace
}  // namespace multiplex
