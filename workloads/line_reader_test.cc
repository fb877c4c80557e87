#include "workloads/line_reader.h"

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = std::string(getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

absl::StatusOr<std::vector<std::string>> ReadAll(const std::string& path,
                                                 size_t max_line_bytes) {
  absl::StatusOr<std::unique_ptr<LineReader>> r =
      LineReader::Open(path, max_line_bytes);
  if (!r.ok()) return r.status();
  std::vector<std::string> lines;
  absl::string_view line;
  while (true) {
    absl::StatusOr<bool> more = (*r)->Next(&line);
    if (!more.ok()) return more.status();
    if (!*more) return lines;
    lines.emplace_back(line);
  }
}

TEST(LineReader, LinesWithoutTheirEnds) {
  const std::string path = WriteTemp("a.txt", "one\r\ntwo\n\nlast");
  EXPECT_THAT(*ReadAll(path, 100), ElementsAre("one", "two", "", "last"));
}

TEST(LineReader, ATooLongLineIsAnErrorAtItsLine) {
  const std::string path =
      WriteTemp("b.txt", "ok\n" + std::string(11, 'x') + "\nok\n");
  absl::StatusOr<std::vector<std::string>> lines = ReadAll(path, 10);
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.status().message(), path + ":2: line longer than 10 bytes");
  EXPECT_THAT(*ReadAll(path, 11),
              ElementsAre("ok", std::string(11, 'x'), "ok"));
}

TEST(LineReader, ATooLongLastLineWithoutAnEndIsAnError) {
  const std::string path = WriteTemp("c.txt", std::string(5000000, 'y'));
  absl::StatusOr<std::vector<std::string>> lines = ReadAll(path, 1000);
  ASSERT_FALSE(lines.ok());
  EXPECT_THAT(std::string(lines.status().message()),
              HasSubstr(":1: line longer than 1000 bytes"));
}

// A FIFO would block the reader forever; every trace reader shares this.
TEST(LineReader, RefusesAFifoAndADirectory) {
  const std::string dir = std::string(getenv("TEST_TMPDIR"));
  const std::string fifo = dir + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(LineReader::Open(fifo).ok());
  EXPECT_FALSE(LineReader::Open(dir).ok());
  absl::StatusOr<std::unique_ptr<LineReader>> missing =
      LineReader::Open(dir + "/missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("missing"));
}

}  // namespace
}  // namespace multiplex
