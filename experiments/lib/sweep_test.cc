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

TEST(LoadCostModelTest, NamesTheFile) {
  auto model = LoadCostModel("/nonexistent.textproto");
  EXPECT_THAT(model.status().message(),
              HasSubstr("cannot open '/nonexistent.textproto'"));
}

}  // namespace
}  // namespace multiplex
