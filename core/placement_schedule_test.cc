#include "core/placement_schedule.h"

#include <limits>

#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

class PlacementScheduleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cost_.SetUniform("t", {1, 1, 1}, 0.1, 10 * kGiB);
    models_ = {{"m0", "t"}, {"m1", "t"}};
    cluster_ = {2, 14 * kGiB, 8};
    schedule_ =
        PlacementSchedule::Static({{{{1, 1, 1}, {0}}, {{1, 1, 1}, {1}}}});
    schedule_.phases.push_back({60, {{{{1, 1, 1}, {0}}, {{1, 1, 1}, {0}}}}});
    schedule_.phases.push_back({120, {{{{1, 1, 1}, {1}}}}});
  }
  FakeCostModel cost_;
  std::vector<ModelSpec> models_;
  Cluster cluster_;
  PlacementSchedule schedule_;
};

TEST_F(PlacementScheduleTest, ValidScheduleVerifies) {
  EXPECT_TRUE(VerifySchedule(schedule_, models_, cluster_, cost_).ok())
      << VerifySchedule(schedule_, models_, cluster_, cost_);
  EXPECT_FALSE(schedule_.IsStatic());
  EXPECT_TRUE(PlacementSchedule::Static({}).IsStatic());
}

TEST_F(PlacementScheduleTest, PhaseAtTakesTheLastStartedPhase) {
  EXPECT_EQ(schedule_.PhaseAt(-5), 0);
  EXPECT_EQ(schedule_.PhaseAt(0), 0);
  EXPECT_EQ(schedule_.PhaseAt(59.999), 0);
  EXPECT_EQ(schedule_.PhaseAt(60), 1);
  EXPECT_EQ(schedule_.PhaseAt(119), 1);
  EXPECT_EQ(schedule_.PhaseAt(120), 2);
  EXPECT_EQ(schedule_.PhaseAt(1e9), 2);
}

TEST_F(PlacementScheduleTest, ToStringIsTheFirstPhaseAndACount) {
  EXPECT_EQ(schedule_.ToString(models_),
            "group 0 (1,1,1): m0 | group 1 (1,1,1): m1 [+2 phases, 60 s to "
            "120 s]");
  PlacementSchedule two = schedule_;
  two.phases.pop_back();
  EXPECT_EQ(two.ToString(models_),
            "group 0 (1,1,1): m0 | group 1 (1,1,1): m1 [+1 phase at 60 s]");
  EXPECT_EQ(PlacementSchedule::Static(schedule_.phases[2].placement)
                .ToString(models_),
            "group 0 (1,1,1): m1");
}

TEST_F(PlacementScheduleTest, RejectsBadOrder) {
  PlacementSchedule s = schedule_;
  s.phases[2].start_s = 60;
  EXPECT_EQ(VerifySchedule(s, models_, cluster_, cost_).message(),
            "phase 2 starts at 60 s, not after phase 1's 60 s (start times "
            "must be finite and strictly increasing)");
  s.phases[2].start_s = 30;
  EXPECT_THAT(VerifySchedule(s, models_, cluster_, cost_).message(),
              HasSubstr("phase 2 starts at 30 s, not after phase 1's 60 s"));
  s.phases[2].start_s = std::numeric_limits<double>::infinity();
  EXPECT_THAT(VerifySchedule(s, models_, cluster_, cost_).message(),
              HasSubstr("phase 2 starts at inf s"));
  s = schedule_;
  s.phases[0].start_s = 5;
  EXPECT_EQ(VerifySchedule(s, models_, cluster_, cost_).message(),
            "phase 0 starts at 5 s; the first phase starts at 0");
  EXPECT_EQ(
      VerifySchedule(PlacementSchedule(), models_, cluster_, cost_).message(),
      "the placement schedule has no phase");
}

TEST_F(PlacementScheduleTest, ErrorsNameThePhase) {
  PlacementSchedule s = schedule_;
  s.phases[1].placement.groups[1].models = {0, 0};
  EXPECT_EQ(VerifySchedule(s, models_, cluster_, cost_).message(),
            "phase 1 (from 60 s): group 1 (1,1,1): hosts model m0 twice");
  s = schedule_;
  s.phases[2].placement.groups[0].models = {2};  // a model the list lacks
  EXPECT_EQ(VerifySchedule(s, models_, cluster_, cost_).message(),
            "phase 2 (from 120 s): group 0 (1,1,1): model index 2 out of "
            "range [0, 2)");
  s = schedule_;
  s.phases[1].placement.groups[0].models = {0, 1};  // 20 GiB > 14
  EXPECT_THAT(VerifySchedule(s, models_, cluster_, cost_).message(),
              HasSubstr("phase 1 (from 60 s): group 0 (1,1,1): needs 20.000 "
                        "GiB per device"));
  s = schedule_;
  s.phases[2].placement.groups.push_back({{1, 1, 2}, {}});  // 3 GPUs of 2
  EXPECT_THAT(VerifySchedule(s, models_, cluster_, cost_).message(),
              HasSubstr("phase 2 (from 120 s): placement uses 3 devices"));
}

// A static placement's errors read as VerifyPlacement's, with no phase.
TEST_F(PlacementScheduleTest, StaticErrorsAreThePlacements) {
  PlacementSchedule s = PlacementSchedule::Static({{{{1, 1, 1}, {1, 1}}}});
  EXPECT_EQ(VerifySchedule(s, models_, cluster_, cost_).message(),
            "group 0 (1,1,1): hosts model m1 twice");
}

}  // namespace
}  // namespace multiplex
