// A new policy is one file plus one BUILD entry: testdata/first_fit_policy.cc
// is registered only in this test binary (through :testdata_first_fit) and is
// then created by name like the shipped ones.

#include <memory>
#include <string>
#include <vector>

#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;

TEST(NewPolicy, RegisteredBesideTheShippedOnes) {
  std::vector<std::string> names = Registry<PlacementPolicy>::Global().Names();
  EXPECT_THAT(names, Contains("first-fit"));
  EXPECT_THAT(names, Contains("mp-search"));
  EXPECT_THAT(names, Contains("mp-greedy-<G>"));
  EXPECT_THAT(names, Contains("mp-equal-<pp>-<op>"));
}

TEST(NewPolicy, CreatedByNameAndPlaces) {
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> policy =
      Registry<PlacementPolicy>::Global().Create("first-fit");
  ASSERT_TRUE(policy.ok()) << policy.status();
  FakeCostModel cost;
  testing_util::AddBertLike(&cost, "bert-2.6b", 0.238, 5.3);
  std::vector<ModelSpec> models = testing_util::Models(5, "bert-2.6b");
  PlacementProblem problem{&models, {3, 11 * kGiB, 8}, &cost, nullptr, {}};
  absl::StatusOr<Placement> p = (*policy)->Place(problem);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_THAT(p->groups[0].models, ElementsAre(0, 1));
  EXPECT_THAT(p->groups[1].models, ElementsAre(2, 3));
  EXPECT_THAT(p->groups[2].models, ElementsAre(4));
  EXPECT_TRUE(VerifyPlacement(*p, models, problem.cluster, cost).ok());
}

}  // namespace
}  // namespace multiplex
