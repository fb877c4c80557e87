#include "core/file_io.h"

#include <dirent.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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

namespace multiplex {
namespace {

bool IsFifo(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
}

// `--out=/dev/full` as root left /dev/full a regular file: the temporary was
// renamed over the device. A target that is not a regular file is written
// through: a FIFO (standing in for a device) stays a FIFO and its reader
// gets the bytes.
TEST(FileIoSpecialTargetTest, WritesThroughAFifo) {
  const std::string dir = TempDir("fifo_out");
  const std::string fifo = dir + "/out";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::string got;
  std::thread reader([&] {
    std::FILE* f = std::fopen(fifo.c_str(), "r");
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) got.append(buf, n);
    std::fclose(f);
  });
  const std::string bytes(200000, 'q');  // more than a pipe holds
  absl::Status s = WriteFileAtomically(fifo, bytes);
  reader.join();
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(got, bytes);
  EXPECT_TRUE(IsFifo(fifo));
  EXPECT_THAT(List(dir), ElementsAre("out"));
}

long FullDevice(int, const void*, unsigned long) {
  errno = ENOSPC;
  return -1;
}

// A FIFO that behaves as /dev/full; regular files are written.
long FullFifo(int fd, const void* data, unsigned long size) {
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
    return FullDevice(fd, data, size);
  return ::write(fd, data, size);
}

// A full device (as /dev/full) is an error, exit 1 in the tools: the write
// fails with the system's reason and nothing is replaced.
TEST(FileIoSpecialTargetTest, ReportsENOSPCOfAWriteThrough) {
  const std::string dir = TempDir("fifo_full");
  const std::string fifo = dir + "/full";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  std::thread reader([&] {
    std::FILE* f = std::fopen(fifo.c_str(), "r");
    char buf[64];
    while (std::fread(buf, 1, sizeof(buf), f) > 0) {
    }
    std::fclose(f);
  });
  ASSERT_TRUE(WriteFileAtomically(dir + "/a.tsv", "old").ok());
  file_io_testing::SetWriteFunction(FullFifo);
  absl::Status s =
      WriteFilesTogether({{dir + "/a.tsv", "new"}, {fifo, "bytes"}});
  file_io_testing::SetWriteFunction(nullptr);
  reader.join();
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(),
            "cannot write '" + fifo + "': No space left on device");
  EXPECT_TRUE(IsFifo(fifo));
  EXPECT_EQ(*ReadFileToString(dir + "/a.tsv"), "old");
  EXPECT_THAT(List(dir), UnorderedElementsAre("a.tsv", "full"));
}

// ENOSPC or EFBIG while staging a regular file leaves the old file and no
// temporary.
TEST(FileIoSpecialTargetTest, AFullDiskLeavesTheOldFile) {
  const std::string dir = TempDir("disk_full");
  ASSERT_TRUE(WriteFileAtomically(dir + "/r.tsv", "old").ok());
  file_io_testing::SetWriteFunction(FullDevice);
  absl::Status s = WriteFileAtomically(dir + "/r.tsv", "new");
  file_io_testing::SetWriteFunction(nullptr);
  EXPECT_EQ(s.message(),
            "cannot write '" + dir + "/r.tsv': No space left on device");
  EXPECT_EQ(*ReadFileToString(dir + "/r.tsv"), "old");
  EXPECT_THAT(List(dir), ElementsAre("r.tsv"));
}

// A directory or socket target is refused before anything is written.
TEST(FileIoSpecialTargetTest, NeverReplacesADirectoryOrSocket) {
  const std::string dir = TempDir("dir_target");
  ASSERT_EQ(::mkdir((dir + "/d").c_str(), 0755), 0);
  absl::Status s = WriteFileAtomically(dir + "/d", "x");
  EXPECT_EQ(s.message(), "cannot write '" + dir + "/d': Is a directory");
  const std::string sock = dir + "/s";
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  // A relative name: the test directory's path is longer than sun_path.
  char cwd[4096];
  ASSERT_NE(::getcwd(cwd, sizeof(cwd)), nullptr);
  ASSERT_EQ(::chdir(dir.c_str()), 0);
  std::strcpy(addr.sun_path, "s");
  const int bound =
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ASSERT_EQ(::chdir(cwd), 0);
  ASSERT_EQ(bound, 0);
  s = WriteFileAtomically(sock, "x");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("cannot write '" + sock + "'"));
  struct stat st;
  ASSERT_EQ(::lstat(sock.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  ::close(fd);
  EXPECT_THAT(List(dir), UnorderedElementsAre("d", "s"));
}

// A link to a regular file stays a link; the file it names gets the bytes.
TEST(FileIoSpecialTargetTest, ALinkStaysALink) {
  const std::string dir = TempDir("link_target");
  ASSERT_TRUE(WriteFileAtomically(dir + "/real", "old").ok());
  ASSERT_EQ(::symlink("real", (dir + "/link").c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(dir + "/link", "new").ok());
  struct stat st;
  ASSERT_EQ(::lstat((dir + "/link").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(*ReadFileToString(dir + "/real"), "new");
  EXPECT_THAT(List(dir), UnorderedElementsAre("link", "real"));
}

// A FIFO as input blocked forever; it is refused at once.
TEST(FileIoSpecialTargetTest, RefusesAFifoAsInput) {
  const std::string fifo = TempDir("fifo_in") + "/in";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  absl::StatusOr<std::string> read = ReadFileToString(fifo);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(read.status().message(),
            "cannot read '" + fifo + "': not a regular file (a FIFO)");
}

// A run stopped by SIGTERM or SIGINT while its temporaries exist leaves
// none (a killed `simulate --out` left one as large as the output).
TEST(FileIoLitterTest, ASignalRemovesTheTemporaries) {
  for (int sig : {SIGTERM, SIGINT}) {
    const std::string dir = TempDir(absl::StrCat("signal_", sig));
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      StagedFiles staged;
      if (!staged.Stage(dir + "/a.tsv", "a").ok()) ::_exit(3);
      if (!staged.Stage(dir + "/b.tsv", "b").ok()) ::_exit(3);
      if (List(dir).size() != 2) ::_exit(4);  // both temporaries exist
      ::raise(sig);
      ::_exit(5);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status);
    EXPECT_EQ(WTERMSIG(status), sig);
    EXPECT_THAT(List(dir), ElementsAre());
  }
}

std::string Host() {
  char buf[256] = {};
  ::gethostname(buf, sizeof(buf) - 1);
  std::string h = buf;
  for (char& c : h) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != '-') {
      c = '_';
    }
  }
  return h.empty() ? "localhost" : h;
}

// A temporary whose writer died (SIGKILL) is removed by the next write into
// its directory; those of live writers and of other hosts stay.
TEST(FileIoLitterTest, TheNextWriteRemovesStaleTemporaries) {
  const std::string dir = TempDir("stale");
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
  const std::string stale =
      absl::StrCat("out.tsv.tmp-", dead, "-", Host(), "-a1B2c3");
  const std::string live =
      absl::StrCat("out.tsv.tmp-", ::getppid(), "-", Host(), "-a1B2c3");
  const std::string other_host =
      absl::StrCat("out.tsv.tmp-", dead, "-elsewhere-a1B2c3");
  for (const std::string& name : {stale, live, other_host}) {
    std::FILE* f = std::fopen((dir + "/" + name).c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  ASSERT_TRUE(WriteFileAtomically(dir + "/new.tsv", "x").ok());
  EXPECT_THAT(List(dir), UnorderedElementsAre(live, other_host, "new.tsv"));
}

// Every output is checked against every input, a directory input standing
// for its files.
TEST(CheckNoOutputIsAnInputTest, CoversEveryOutputAndDirectoryInputs) {
  const std::string dir = TempDir("outputs");
  ::mkdir((dir + "/days").c_str(), 0755);
  ASSERT_TRUE(WriteFileAtomically(dir + "/days/d01.csv", "x").ok());
  ASSERT_TRUE(WriteFileAtomically(dir + "/spec", "x").ok());
  const std::vector<NamedPath> inputs = {{"--spec", dir + "/spec"},
                                         {"trace", dir + "/days"}};
  EXPECT_TRUE(
      CheckNoOutputIsAnInput({{"results.tsv", dir + "/r.tsv"}}, inputs).ok());
  absl::Status s = CheckNoOutputIsAnInput(
      {{"results.tsv", dir + "/r.tsv"}, {"chart", dir + "/days/d01.csv"}},
      inputs);
  EXPECT_EQ(s.message(), "chart " + dir + "/days/d01.csv is the same file as " +
                             "trace " + dir + "/days/d01.csv" +
                             "; refusing to overwrite an input");
}

}  // namespace
}  // namespace multiplex
