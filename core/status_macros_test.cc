#include "core/status_macros.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

absl::Status FailIf(bool fail) {
  return fail ? absl::InvalidArgumentError("bad") : absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<int>> MakeInt(bool fail, int value) {
  if (fail) return absl::NotFoundError("none");
  return std::make_unique<int>(value);
}

int steps = 0;

absl::Status TwoSteps(bool fail_first, bool fail_second) {
  steps = 0;
  RETURN_IF_ERROR(FailIf(fail_first));
  ++steps;
  RETURN_IF_ERROR(MakeInt(fail_second, 1));
  ++steps;
  return absl::OkStatus();
}

absl::StatusOr<int> Sum(bool fail_a, bool fail_b) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> a, MakeInt(fail_a, 2));
  ASSIGN_OR_RETURN(auto b, MakeInt(fail_b, 3));  // two on one scope
  int sum = 0;
  ASSIGN_OR_RETURN(sum, absl::StatusOr<int>(*a + *b));  // assigns
  return sum;
}

TEST(StatusMacrosTest, ReturnIfErrorStopsAtTheFirstError) {
  EXPECT_TRUE(TwoSteps(false, false).ok());
  EXPECT_EQ(steps, 2);
  absl::Status first = TwoSteps(true, false);
  EXPECT_EQ(first.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(steps, 0);
  absl::Status second = TwoSteps(false, true);
  EXPECT_EQ(second.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(steps, 1);
}

TEST(StatusMacrosTest, AssignOrReturnMovesValuesAndPropagates) {
  absl::StatusOr<int> ok = Sum(false, false);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 5);
  EXPECT_EQ(Sum(true, false).status().message(), "none");
  EXPECT_EQ(Sum(false, true).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace multiplex
