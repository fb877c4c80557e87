#include "tools/stamp/build_stamp.h"

#include <regex>
#include <string>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

// The stamp is a commit hash (with "-dirty" when the tree had changes) or
// "unknown"; which one depends on the checkout, so the form is checked.
TEST(BuildStampTest, IsACommitOrUnknown) {
  const std::string commit = BuildCommit();
  EXPECT_TRUE(
      std::regex_match(commit, std::regex("[0-9a-f]{40}(-dirty)?|unknown")))
      << commit;
}

}  // namespace
}  // namespace multiplex
