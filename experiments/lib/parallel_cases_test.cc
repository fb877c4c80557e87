#include "experiments/lib/parallel_cases.h"

#include <atomic>
#include <vector>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

TEST(RunCasesTest, RunsEveryCaseOnceIntoItsSlot) {
  std::vector<int> out(1000, 0);
  std::atomic<int> calls{0};
  absl::Status s = RunCases(out.size(),
                            [&](size_t i) {
                              out[i] += static_cast<int>(i) * 2;
                              ++calls;
                              return absl::OkStatus();
                            },
                            {/*threads=*/4, /*quiet=*/true, ""});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(calls.load(), 1000);
  for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], 2 * int(i));
}

TEST(RunCasesTest, ReportsLowestFailingIndex) {
  absl::Status s =
      RunCases(10,
               [](size_t i) {
                 return i == 3 ? absl::InvalidArgumentError("case 3 broke")
                               : absl::OkStatus();
               },
               {/*threads=*/1, /*quiet=*/true, ""});
  EXPECT_EQ(s.message(), "case 3 broke");
}

TEST(RunCasesTest, ZeroCasesIsFine) {
  EXPECT_TRUE(
      RunCases(0, [](size_t) { return absl::OkStatus(); }, {0, true, ""}).ok());
}

TEST(FormatProgressTest, DrawsBar) {
  EXPECT_EQ(FormatProgress("fig5", 3, 12, 1.25, 8),
            "fig5 [##......] 3/12 cases  1.2 s");
  EXPECT_EQ(FormatProgress("", 0, 0, 0, 4), "[####] 0/0 cases  0.0 s");
}

}  // namespace
}  // namespace multiplex
