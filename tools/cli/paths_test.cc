#include "tools/cli/paths.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace multiplex {
namespace {

TEST(PathsTest, ResolveUserPath) {
  unsetenv("BUILD_WORKING_DIRECTORY");
  EXPECT_EQ(ResolveUserPath("a.tsv"), "a.tsv");
  setenv("BUILD_WORKING_DIRECTORY", "/home/u", 1);
  EXPECT_EQ(ResolveUserPath("a.tsv"), "/home/u/a.tsv");
  EXPECT_EQ(ResolveUserPath("/abs/a.tsv"), "/abs/a.tsv");
  unsetenv("BUILD_WORKING_DIRECTORY");
}

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
