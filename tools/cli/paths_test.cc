#include "tools/cli/paths.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

TEST(PathsTest, ResolveWorkspacePath) {
  unsetenv("BUILD_WORKSPACE_DIRECTORY");
  EXPECT_EQ(ResolveWorkspacePath("profiler/data"), "profiler/data");
  setenv("BUILD_WORKSPACE_DIRECTORY", "/src/multiplex", 1);
  EXPECT_EQ(ResolveWorkspacePath("profiler/data"),
            "/src/multiplex/profiler/data");
  EXPECT_EQ(ResolveWorkspacePath("/abs"), "/abs");
  unsetenv("BUILD_WORKSPACE_DIRECTORY");
}

}  // namespace
}  // namespace multiplex
