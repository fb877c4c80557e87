// The binary trace format and the streaming file reader of
// workloads/trace_io.h: exact round trips with text, corrupt and truncated
// files rejected with the file named, reads across chunk boundaries.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/generator.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string TmpPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() ||
          std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

Workload Small() {
  Workload w;
  w.model_names = {"m0", "m1"};
  w.arrival_s = {0.1, 0.1, 2.0, 7.0 / 3};
  w.model = {1, 0, 1, 1};
  w.slo_s = {std::numeric_limits<double>::infinity(), 1.5, 0.0, -0.0};
  return w;
}

std::string Binary(const Workload& w) {
  absl::StatusOr<std::string> b = FormatTraceBinary(w);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : "";
}

std::string BinaryError(const std::string& bytes,
                        const std::vector<std::string>& known = {}) {
  absl::StatusOr<Workload> w = ParseTrace(bytes, "t.bin", known);
  EXPECT_FALSE(w.ok());
  return std::string(w.status().message());
}

TEST(TraceBinaryTest, LayoutIsTheDocumentedOne) {
  const std::string b = Binary(Small());
  // Header 32, names 2 x (4 + 2), 4 times, 4 one-byte indices, 4 SLOs.
  ASSERT_EQ(b.size(), 32u + 12 + 32 + 4 + 32);
  EXPECT_EQ(b.substr(0, 8), "MPXTRACE");
  EXPECT_EQ(b[8], 1);   // version
  EXPECT_EQ(b[12], 1);  // index width
  EXPECT_EQ(b[13], 0);  // one SLO per request
  EXPECT_EQ(b[16], 4);  // requests
  EXPECT_EQ(b[24], 2);  // models
  EXPECT_EQ(b.substr(32, 6), std::string("\x02\0\0\0m0", 6));
  EXPECT_EQ(b.substr(76, 4), std::string("\x01\0\x01\x01", 4));
}

TEST(TraceBinaryTest, RoundTripsExactlyWithText) {
  auto w = MakeGammaWorkload(4, 10, "power_law", 3, 500, 5, /*slo_s=*/0.25);
  ASSERT_TRUE(w.ok());
  for (bool shared : {true, false}) {
    if (!shared) w->slo_s[3] = kNoSlo;
    absl::StatusOr<std::string> text = FormatTrace(*w);
    ASSERT_TRUE(text.ok());
    absl::StatusOr<Workload> from_text = ParseTrace(*text, "t.tsv");
    ASSERT_TRUE(from_text.ok());
    const std::string bin = Binary(*from_text);
    EXPECT_EQ(bin[13], shared ? 1 : 0);
    // One SLO instead of N when all are equal.
    EXPECT_EQ(bin.size(),
              32 + 4 * 6 + w->size() * (shared ? 9 : 17) + (shared ? 8 : 0));
    absl::StatusOr<Workload> from_bin = ParseTrace(bin, "t.bin");
    ASSERT_TRUE(from_bin.ok()) << from_bin.status();
    EXPECT_TRUE(SameBits(from_bin->arrival_s, from_text->arrival_s));
    EXPECT_TRUE(SameBits(from_bin->slo_s, from_text->slo_s));
    EXPECT_EQ(from_bin->model, from_text->model);
    EXPECT_EQ(from_bin->model_names, from_text->model_names);
    // text -> binary -> text is byte-exact; so is binary -> text -> binary.
    absl::StatusOr<std::string> text_again = FormatTrace(*from_bin);
    ASSERT_TRUE(text_again.ok());
    EXPECT_EQ(*text_again, *text);
    EXPECT_EQ(Binary(*ParseTrace(*text_again, "t.tsv")), bin);
  }
}

TEST(TraceBinaryTest, KeepsSignedZeroAndWideIndices) {
  Workload w = Small();
  absl::StatusOr<Workload> r = ParseTrace(Binary(w), "t.bin");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(SameBits(r->slo_s, w.slo_s));  // -0.0 stays -0.0
  // 300 models need two-byte indices.
  Workload many;
  for (int m = 0; m < 300; ++m) {
    many.model_names.push_back(absl::StrCat("n", m));
    many.arrival_s.push_back(m);
    many.model.push_back(299 - m);
    many.slo_s.push_back(1);
  }
  const std::string b = Binary(many);
  EXPECT_EQ(b[12], 2);
  r = ParseTrace(b, "t.bin");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->model, many.model);
  EXPECT_EQ(r->model_names, many.model_names);
}

TEST(TraceBinaryTest, KnownNamesRemapIndices) {
  const std::string b = Binary(Small());
  absl::StatusOr<Workload> r = ParseTrace(b, "t.bin", {"m1", "x", "m0"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->model_names, ElementsAre("m1", "x", "m0"));
  EXPECT_THAT(r->model, ElementsAre(0, 2, 0, 0));
  EXPECT_EQ(BinaryError(b, {"m0"}), "t.bin: request 0: unknown model 'm1'");
}

TEST(TraceBinaryTest, RejectsEveryTruncationAndTrailingBytes) {
  const std::string b = Binary(Small());
  for (size_t len = 8; len < b.size(); ++len) {
    const std::string message = BinaryError(b.substr(0, len));
    EXPECT_THAT(message, StartsWith("t.bin: ")) << len;
    EXPECT_THAT(message, HasSubstr("truncated")) << len << ": " << message;
  }
  EXPECT_EQ(BinaryError(b + "x"),
            "t.bin: 1 bytes after the last column (4 requests)");
}

// Sets the little-endian value of `bytes` bytes at `offset`.
std::string Patched(std::string b, size_t offset, uint64_t value,
                    size_t bytes) {
  for (size_t k = 0; k < bytes; ++k) b[offset + k] = (value >> (8 * k)) & 255;
  return b;
}

TEST(TraceBinaryTest, RejectsCorruptHeadersAndValues) {
  const std::string b = Binary(Small());
  constexpr size_t kTimes = 44, kModels = 76, kSlos = 80;
  EXPECT_EQ(BinaryError(Patched(b, 8, 3, 4)),
            "t.bin: binary trace version 3; this reader knows versions 1 and 2");
  EXPECT_THAT(BinaryError(Patched(b, 12, 3, 1)),
              HasSubstr("bad model index width 3"));
  EXPECT_THAT(BinaryError(Patched(b, 13, 2, 1)), HasSubstr("bad slo layout"));
  EXPECT_THAT(BinaryError(Patched(b, 28, 1, 4)), HasSubstr("reserved"));
  EXPECT_THAT(BinaryError(Patched(b, 24, uint64_t{1} << 21, 4)),
              HasSubstr("over the limit of 1048576 (kMaxModels)"));
  // A huge count is refused from the size, before any allocation.
  EXPECT_THAT(BinaryError(Patched(b, 16, uint64_t{1} << 62, 8)),
              HasSubstr("truncated binary trace: the header says"));
  EXPECT_THAT(BinaryError(Patched(b, 32, 0, 4)),
              HasSubstr("model 0: name length 0"));
  EXPECT_THAT(BinaryError(Patched(b, 43, '0', 1)),
              HasSubstr("model name 'm0' given twice"));
  EXPECT_THAT(BinaryError(Patched(b, 37, '\t', 1)),
              HasSubstr("has a tab or newline"));
  double nan = std::nan("");
  uint64_t bits;
  std::memcpy(&bits, &nan, 8);
  EXPECT_EQ(BinaryError(Patched(b, kTimes + 8, bits, 8)),
            "t.bin: request 1: arrival time nan must be finite and >= 0");
  EXPECT_EQ(BinaryError(Patched(b, kTimes + 16, 0, 8)),
            "t.bin: request 2: arrival times are not sorted: 0 comes after "
            "0.1");
  EXPECT_EQ(BinaryError(Patched(b, kModels + 2, 2, 1)),
            "t.bin: request 2: model index 2 but there are 2 models");
  double minus_one = -1;
  std::memcpy(&bits, &minus_one, 8);
  EXPECT_EQ(BinaryError(Patched(b, kSlos + 8, bits, 8)),
            "t.bin: request 1: bad slo_s -1: want a number >= 0 or inf");
}

TEST(TraceBinaryTest, FilesOfEitherFormatReadTheSame) {
  auto w = MakeGammaWorkload(3, 50, "uniform", 2, 100, 9, /*slo_s=*/1);
  ASSERT_TRUE(w.ok());
  const std::string tsv = TmpPath("same.tsv"), bin = TmpPath("same.bin");
  ASSERT_TRUE(WriteTrace(tsv, *w).ok());
  ASSERT_TRUE(WriteTrace(bin, *w, TraceFormatForPath(bin)).ok());
  absl::StatusOr<Workload> a = ReadTrace(tsv, w->model_names);
  absl::StatusOr<Workload> b = ReadTrace(bin, w->model_names);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(SameBits(a->arrival_s, b->arrival_s));
  EXPECT_TRUE(SameBits(a->slo_s, b->slo_s));
  EXPECT_EQ(a->model, b->model);
  std::ifstream in(bin, std::ios::binary);
  std::string magic(8, ' ');
  in.read(&magic[0], 8);
  EXPECT_EQ(magic, "MPXTRACE");
  // The format follows the magic, not the name; errors name the file.
  const std::string odd = TmpPath("binary.tsv");
  WriteBytes(odd, Binary(Small()).substr(0, 50));
  EXPECT_THAT(std::string(ReadTrace(odd).status().message()),
              StartsWith(odd + ": truncated binary trace"));
}

// Text over several 1 MiB chunks: lines cut at chunk ends read as a whole.
TEST(TraceStreamTest, ReadsAcrossChunksAsParseTrace) {
  auto w = MakeGammaWorkload(5, 2000, "uniform", 1, 50, 3, /*slo_s=*/0.5);
  ASSERT_TRUE(w.ok());
  absl::StatusOr<std::string> text = FormatTrace(*w);
  ASSERT_TRUE(text.ok());
  ASSERT_GT(text->size(), 2u << 20);
  const std::string path = TmpPath("big.tsv");
  WriteBytes(path, *text);
  absl::StatusOr<Workload> streamed = ReadTrace(path);
  absl::StatusOr<Workload> whole = ParseTrace(*text, path);
  ASSERT_TRUE(streamed.ok() && whole.ok()) << streamed.status();
  EXPECT_TRUE(SameBits(streamed->arrival_s, whole->arrival_s));
  EXPECT_EQ(streamed->model, whole->model);
  EXPECT_EQ(streamed->model_names, whole->model_names);
  EXPECT_TRUE(SameBits(streamed->slo_s, w->slo_s));
  // Truncated and corrupt files report the right line.
  const size_t lines = w->size() + 1;
  WriteBytes(path, text->substr(0, text->size() - 1));
  EXPECT_EQ(ReadTrace(path).status().message(),
            absl::StrCat(path, ":", lines,
                         ": truncated: the last line has no trailing newline"));
  std::string bad = *text;
  bad[bad.size() - 2] = 'x';  // the last SLO
  WriteBytes(path, bad);
  EXPECT_THAT(std::string(ReadTrace(path).status().message()),
              StartsWith(absl::StrCat(path, ":", lines, ": bad slo_s")));
}

TEST(TraceStreamTest, RejectsOverlongLines) {
  const std::string name(kMaxTraceLineBytes, 'm');
  const std::string text = "arrival_s\tmodel\tslo_s\n0\t" + name + "\t1\n";
  absl::StatusOr<Workload> w = ParseTrace(text, "t.tsv");
  EXPECT_EQ(w.status().message(),
            "t.tsv:2: line longer than 65536 bytes (kMaxTraceLineBytes)");
  // A file with no newline in its first MiB stops there.
  const std::string path = TmpPath("long.tsv");
  WriteBytes(path, std::string(3 << 20, 'a'));
  EXPECT_EQ(ReadTrace(path).status().message(),
            path + ":1: line longer than 65536 bytes (kMaxTraceLineBytes)");
}

// The fast row path reads what the careful one read before (absl::SimpleAtod
// without surrounding blanks).
TEST(TraceStreamTest, NumbersReadAsBefore) {
  const std::string h = "arrival_s\tmodel\tslo_s\n";
  absl::StatusOr<Workload> w =
      ParseTrace(h + "+1\ta\t+2\n1e0\ta\t1e400\n2\ta\tINF\n", "t.tsv");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(w->arrival_s, ElementsAre(1, 1, 2));
  EXPECT_EQ(w->slo_s[0], 2);
  EXPECT_TRUE(std::isinf(w->slo_s[1]));
  EXPECT_TRUE(std::isinf(w->slo_s[2]));
  EXPECT_FALSE(ParseTrace(h + " 1\ta\t1\n", "t.tsv").ok());
  EXPECT_FALSE(ParseTrace(h + "1\ta\t1 \n", "t.tsv").ok());
  EXPECT_FALSE(ParseTrace(h + "1\ta\t\n", "t.tsv").ok());
  // A repeated SLO text reuses its value; a different one is parsed.
  w = ParseTrace(h + "1\ta\t0.5\n2\ta\t0.5\n3\ta\t0.25\n", "t.tsv");
  ASSERT_TRUE(w.ok());
  EXPECT_THAT(w->slo_s, ElementsAre(0.5, 0.5, 0.25));
}

}  // namespace
}  // namespace multiplex
