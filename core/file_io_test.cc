#include "core/file_io.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::string TempDir(const std::string& name) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  ::mkdir(dir.c_str(), 0755);
  return dir;
}

std::vector<std::string> List(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  while (dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  return names;
}

TEST(FileIoTest, WriteThenReadRoundTrips) {
  const std::string dir = TempDir("round_trip");
  const std::string path = dir + "/a.bin";
  const std::string bytes("one\0two\nthree", 13);
  ASSERT_TRUE(WriteFileAtomically(path, bytes).ok());
  absl::StatusOr<std::string> read = ReadFileToString(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
  // Replacing keeps no temporary behind.
  ASSERT_TRUE(WriteFileAtomically(path, "short").ok());
  EXPECT_EQ(*ReadFileToString(path), "short");
  EXPECT_THAT(List(dir), ElementsAre("a.bin"));
  ASSERT_TRUE(WriteFileAtomically(path, "").ok());
  EXPECT_EQ(*ReadFileToString(path), "");
}

TEST(FileIoTest, ExistingFileKeepsItsMode) {
  const std::string path = TempDir("mode") + "/f";
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "y").ok());
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(FileIoTest, ReadErrorsNameThePathAndTheReason) {
  absl::StatusOr<std::string> missing = ReadFileToString("/nonexistent/x");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "cannot open '/nonexistent/x': No such file or directory");
  const std::string dir = TempDir("a_dir");
  absl::StatusOr<std::string> d = ReadFileToString(dir);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(d.status().message(), "cannot read '" + dir + "': Is a directory");
}

TEST(FileIoTest, RefusesFilesAboveTheLimit) {
  const std::string path = TempDir("limit") + "/big";
  ASSERT_TRUE(WriteFileAtomically(path, std::string(100, 'x')).ok());
  EXPECT_TRUE(ReadFileToString(path, 100).ok());
  absl::StatusOr<std::string> big = ReadFileToString(path, 99);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(big.status().message(),
              HasSubstr("100 bytes, more than the limit of 99"));
}

TEST(FileIoTest, WriteErrorsLeaveNothingBehind) {
  absl::Status s = WriteFileAtomically("/nonexistent/dir/x", "x");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "cannot write '/nonexistent/dir/x': No such file or directory");
  // Renaming over a directory fails; the temporary is removed.
  const std::string dir = TempDir("over_dir");
  ::mkdir((dir + "/target").c_str(), 0755);
  s = WriteFileAtomically(dir + "/target", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(dir + "/target"));
  EXPECT_THAT(List(dir), ElementsAre("target"));
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// Regression: `simulate --out` equal to `--workload` replaced the input.
TEST(CheckNotAnInputTest, RefusesTheSameFileUnderAnyName) {
  const std::string dir = TempDir("same_file");
  ASSERT_TRUE(WriteFileAtomically(dir + "/in.tsv", "x").ok());
  ASSERT_EQ(::symlink((dir + "/in.tsv").c_str(), (dir + "/link.tsv").c_str()),
            0);
  const std::vector<NamedPath> inputs = {{"--db", dir + "/db.textproto"},
                                         {"--workload", dir + "/in.tsv"}};
  absl::Status same = CheckNotAnInput({"--out", dir + "/./in.tsv"}, inputs);
  EXPECT_EQ(same.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(same.message(),
              HasSubstr("is the same file as --workload " + dir + "/in.tsv"));
  EXPECT_FALSE(CheckNotAnInput({"--out", dir + "/link.tsv"}, inputs).ok());
  EXPECT_TRUE(CheckNotAnInput({"--out", dir + "/new.tsv"}, inputs).ok());
  ASSERT_TRUE(WriteFileAtomically(dir + "/other.tsv", "x").ok());
  EXPECT_TRUE(CheckNotAnInput({"--out", dir + "/other.tsv"}, inputs).ok());
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// A figure's PDF, TSV and PNG (or the three databases) are all new
// or all old: when one cannot be written, none is replaced.
TEST(WriteFilesTogetherTest, AFailedWriteLeavesEveryFileOld) {
  const std::string dir = TempDir("together");
  ASSERT_TRUE(WriteFileAtomically(dir + "/a.pdf", "old a").ok());
  ASSERT_TRUE(WriteFileAtomically(dir + "/a.tsv", "old t").ok());
  absl::Status s = WriteFilesTogether({{dir + "/a.pdf", "new a"},
                                       {dir + "/a.tsv", "new t"},
                                       {dir + "/missing/a.png", "new p"}});
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("missing/a.png"));
  EXPECT_EQ(*ReadFileToString(dir + "/a.pdf"), "old a");
  EXPECT_EQ(*ReadFileToString(dir + "/a.tsv"), "old t");
  EXPECT_THAT(List(dir), UnorderedElementsAre("a.pdf", "a.tsv"));  // no temps
  ASSERT_TRUE(
      WriteFilesTogether({{dir + "/a.pdf", "new a"}, {dir + "/a.tsv", "new t"}})
          .ok());
  EXPECT_EQ(*ReadFileToString(dir + "/a.pdf"), "new a");
  EXPECT_EQ(*ReadFileToString(dir + "/a.tsv"), "new t");
}

}  // namespace
}  // namespace multiplex
