// Token columns of workloads/trace_io.h: text and binary round trips keep
// them exactly, version-1 binary files (no tokens) still read, bad counts
// are refused naming the file and line (or request).

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Workload WithTokens() {
  Workload w;
  w.model_names = {"llama-7b", "m1"};
  w.arrival_s = {0.1, 0.1, 2.0, 7.0 / 3};
  w.model = {1, 0, 1, 1};
  w.slo_s = {std::numeric_limits<double>::infinity(), 1.5, 1.5, 0.25};
  w.has_tokens = true;
  w.prompt_tokens = {812, 0, 1, kMaxRequestTokens};
  w.output_tokens = {97, 3, 0, 65535};
  return w;
}

void ExpectSame(const Workload& a, const Workload& b) {
  EXPECT_EQ(a.model_names, b.model_names);
  EXPECT_EQ(a.arrival_s, b.arrival_s);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.slo_s, b.slo_s);
  EXPECT_EQ(a.has_tokens, b.has_tokens);
  EXPECT_EQ(a.prompt_tokens, b.prompt_tokens);
  EXPECT_EQ(a.output_tokens, b.output_tokens);
}

TEST(TraceTokensTest, TextHasTheTokenHeaderAndColumns) {
  absl::StatusOr<std::string> text = FormatTrace(WithTokens());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text,
            "arrival_s\tmodel\tslo_s\tprompt_tokens\toutput_tokens\n"
            "0.1\tm1\tinf\t812\t97\n"
            "0.1\tllama-7b\t1.5\t0\t3\n"
            "2\tm1\t1.5\t1\t0\n"
            "2.3333333333333335\tm1\t0.25\t16777216\t65535\n");
  absl::StatusOr<Workload> back = ParseTrace(*text, "t.tsv");
  ASSERT_TRUE(back.ok()) << back.status();
  Workload want = WithTokens();
  want.model_names = {"m1", "llama-7b"};  // order of first appearance
  want.model = {0, 1, 0, 0};
  ExpectSame(*back, want);
}

TEST(TraceTokensTest, BinaryRoundTripsExactlyAndThroughText) {
  absl::StatusOr<std::string> bin = FormatTraceBinary(WithTokens());
  ASSERT_TRUE(bin.ok()) << bin.status();
  EXPECT_EQ((*bin)[8], 2);   // version 2
  EXPECT_EQ((*bin)[14], 1);  // token flag
  absl::StatusOr<Workload> back = ParseTrace(*bin, "t.bin");
  ASSERT_TRUE(back.ok()) << back.status();
  ExpectSame(*back, WithTokens());
  // text -> binary -> text is byte-exact.
  absl::StatusOr<std::string> text = FormatTrace(*back);
  ASSERT_TRUE(text.ok());
  absl::StatusOr<Workload> from_text = ParseTrace(*text, "t.tsv");
  ASSERT_TRUE(from_text.ok());
  absl::StatusOr<std::string> bin2 = FormatTraceBinary(*from_text);
  ASSERT_TRUE(bin2.ok());
  absl::StatusOr<Workload> again = ParseTrace(*bin2, "t.bin");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*FormatTrace(*again), *text);
}

TEST(TraceTokensTest, EmptyWorkloadKeepsItsTokenFormat) {
  Workload w;
  w.model_names = {"m0"};
  w.has_tokens = true;
  for (bool binary : {false, true}) {
    absl::StatusOr<std::string> bytes =
        binary ? FormatTraceBinary(w) : FormatTrace(w);
    ASSERT_TRUE(bytes.ok());
    absl::StatusOr<Workload> back = ParseTrace(*bytes, "t");
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_TRUE(back->has_tokens);
    EXPECT_TRUE(back->prompt_tokens.empty());
  }
}

TEST(TraceTokensTest, WithoutTokensTheFormatsAreUnchanged) {
  Workload w = WithTokens();
  w.has_tokens = false;
  w.prompt_tokens.clear();
  w.output_tokens.clear();
  absl::StatusOr<std::string> text = FormatTrace(w);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->substr(0, text->find('\n')), "arrival_s\tmodel\tslo_s");
  absl::StatusOr<std::string> bin = FormatTraceBinary(w);
  ASSERT_TRUE(bin.ok());
  EXPECT_EQ((*bin)[8], 1);  // version 1
  absl::StatusOr<Workload> back = ParseTrace(*bin, "t.bin");
  ASSERT_TRUE(back.ok());
  ExpectSame(*back, w);
}

// A version-1 file written before token columns existed (a golden: the
// bytes were laid out by hand from the format's table, not by the writer).
TEST(TraceTokensTest, ReadsTheVersionOneGolden) {
  const std::string path = "workloads/testdata/trace_v1.bin";
  absl::StatusOr<Workload> w = ReadTrace(path);
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(w->model_names, ElementsAre("m0", "m1"));
  EXPECT_THAT(w->arrival_s, ElementsAre(0.1, 0.1, 2.0, 7.0 / 3));
  EXPECT_THAT(w->model, ElementsAre(1, 0, 1, 1));
  EXPECT_EQ(w->slo_s[1], 1.5);
  EXPECT_FALSE(w->has_tokens);
  EXPECT_TRUE(w->prompt_tokens.empty());
  // The writer still writes those very bytes.
  std::ifstream in(path, std::ios::binary);
  const std::string golden((std::istreambuf_iterator<char>(in)),
                           std::istreambuf_iterator<char>());
  EXPECT_EQ(*FormatTraceBinary(*w), golden);
}

std::string TextError(const std::string& text) {
  absl::StatusOr<Workload> w = ParseTrace(text, "t.tsv");
  EXPECT_FALSE(w.ok());
  return std::string(w.status().message());
}

TEST(TraceTokensTest, TextRejectsBadTokenCountsNamingTheLine) {
  const std::string h =
      "arrival_s\tmodel\tslo_s\tprompt_tokens\toutput_"
      "tokens\n0\tm\tinf\t1\t1\n";
  EXPECT_THAT(TextError(h + "1\tm\tinf\t-1\t1\n"),
              HasSubstr("t.tsv:3: bad prompt_tokens '-1'"));
  EXPECT_THAT(TextError(h + "1\tm\tinf\t1\t16777217\n"),
              HasSubstr("t.tsv:3: bad output_tokens '16777217'"));
  EXPECT_THAT(TextError(h + "1\tm\tinf\t1.5\t1\n"),
              HasSubstr("t.tsv:3: bad prompt_tokens '1.5'"));
  EXPECT_THAT(TextError(h + "1\tm\tinf\t\t1\n"),
              HasSubstr("t.tsv:3: bad prompt_tokens ''"));
  EXPECT_THAT(TextError(h + "1\tm\tinf\t99999999999\t1\n"),
              HasSubstr("t.tsv:3: bad prompt_tokens"));
  EXPECT_THAT(TextError(h + "1\tm\tinf\t1\n"),
              HasSubstr("t.tsv:3: expected 5 tab-separated columns"));
  EXPECT_THAT(TextError(h + "1\tm\tinf\t1\t2\t3\n"),
              HasSubstr("t.tsv:3: expected 5 tab-separated columns"));
  // A three-column trace takes no token columns.
  EXPECT_THAT(TextError("arrival_s\tmodel\tslo_s\n0\tm\tinf\t1\t1\n"),
              HasSubstr("t.tsv:2: expected 3 tab-separated columns"));
  EXPECT_THAT(TextError("arrival_s\tmodel\tslo_s\tprompt_tokens\n"),
              HasSubstr("t.tsv:1: expected the header"));
}

TEST(TraceTokensTest, BinaryRejectsBadTokensAndFlags) {
  Workload w = WithTokens();
  std::string bin = *FormatTraceBinary(w);
  // The last output count, made too large.
  std::string big = bin;
  const uint32_t v = kMaxRequestTokens + 1;
  big.replace(big.size() - 4, 4, reinterpret_cast<const char*>(&v), 4);
  absl::StatusOr<Workload> r = ParseTrace(big, "t.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(),
              HasSubstr("t.bin: request 3: output_tokens 16777217"));
  std::string flags = bin;
  flags[14] = 3;
  r = ParseTrace(flags, "t.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown flags 3"));
  // Version 1 with the flag byte set is refused (reserved there).
  std::string v1 = bin;
  v1[8] = 1;
  r = ParseTrace(v1, "t.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("reserved header bytes"));
  // Truncated token column.
  r = ParseTrace(bin.substr(0, bin.size() - 4), "t.bin");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("truncated"));
}

TEST(TraceTokensTest, WritersRejectInconsistentTokens) {
  Workload w = WithTokens();
  w.output_tokens.pop_back();
  EXPECT_FALSE(FormatTrace(w).ok());
  EXPECT_FALSE(FormatTraceBinary(w).ok());
  w = WithTokens();
  w.has_tokens = false;
  EXPECT_FALSE(FormatTrace(w).ok());
  w = WithTokens();
  w.prompt_tokens[0] = -2;
  EXPECT_THAT(FormatTrace(w).status().message(),
              HasSubstr("request 0 has -2 prompt"));
}

// Across the reader's 1 MiB chunks, from a file.
TEST(TraceTokensTest, ReadsALargeFileAcrossChunks) {
  constexpr int kRows = 200000;
  Workload w;
  w.model_names = {"a", "b", "c"};
  w.has_tokens = true;
  for (int i = 0; i < kRows; ++i) {
    w.arrival_s.push_back(i * 0.01);
    w.model.push_back(i % 3);
    w.slo_s.push_back(i % 2 ? 1.0 : std::numeric_limits<double>::infinity());
    w.prompt_tokens.push_back(static_cast<int32_t>((int64_t{i} * 7919) % 4096));
    w.output_tokens.push_back(
        static_cast<int32_t>((int64_t{i} * 104729) % 1000));
  }
  const std::string dir = std::getenv("TEST_TMPDIR");
  for (TraceFormat f : {TraceFormat::kText, TraceFormat::kBinary}) {
    const std::string path = absl::StrCat(dir, "/big", static_cast<int>(f));
    ASSERT_TRUE(WriteTrace(path, w, f).ok());
    absl::StatusOr<Workload> back = ReadTrace(path);
    ASSERT_TRUE(back.ok()) << back.status();
    ASSERT_EQ(back->size(), w.size());
    for (int i = 0; i < kRows; ++i) {
      ASSERT_EQ(back->prompt_tokens[i], w.prompt_tokens[i]) << i;
      ASSERT_EQ(back->output_tokens[i], w.output_tokens[i]) << i;
      ASSERT_EQ(back->arrival_s[i], w.arrival_s[i]) << i;
      ASSERT_EQ(back->model[i], w.model[i]) << i;
      ASSERT_EQ(back->slo_s[i], w.slo_s[i]) << i;
    }
  }
}

}  // namespace
}  // namespace multiplex
