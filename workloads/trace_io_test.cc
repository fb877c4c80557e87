#include "workloads/trace_io.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "core/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/generator.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string TmpPath(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

std::string ParseError(const std::string& text,
                       const std::vector<std::string>& known = {}) {
  absl::StatusOr<Workload> w = ParseTrace(text, "t.tsv", known);
  EXPECT_FALSE(w.ok()) << text;
  return std::string(w.status().message());
}

TEST(TraceIoTest, WriteReadRoundTripsExactly) {
  auto w = MakeGammaWorkload(4, 10, "power_law", 3, 500, 5, /*slo_s=*/0.25);
  ASSERT_TRUE(w.ok());
  w->slo_s[0] = kNoSlo;
  const std::string path = TmpPath("rt.tsv");
  ASSERT_TRUE(WriteTrace(path, *w).ok());
  auto r = ReadTrace(path);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->arrival_s, w->arrival_s);  // bit-exact
  EXPECT_EQ(r->slo_s, w->slo_s);
  // Names in first-appearance order, so indices may be permuted; compare by
  // name.
  ASSERT_EQ(r->size(), w->size());
  for (size_t i = 0; i < w->size(); ++i) {
    ASSERT_EQ(r->model_names[r->model[i]], w->model_names[w->model[i]]);
  }
  // With the names given, indices are the writer's.
  auto k = ReadTrace(path, w->model_names);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->model, w->model);
  EXPECT_EQ(k->model_names, w->model_names);
}

TEST(TraceIoTest, FormatIsReadable) {
  Workload w;
  w.model_names = {"m0", "m1"};
  w.arrival_s = {0.1, 2.0, 1.0 / 3};
  w.model = {1, 0, 1};
  w.slo_s = {kNoSlo, 1.5, 0};
  auto text = FormatTrace(w);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "arrival_s\tmodel\tslo_s\n"
            "0.1\tm1\tinf\n"
            "2\tm0\t1.5\n"
            "0.3333333333333333\tm1\t0\n");
}

TEST(TraceIoTest, AcceptsHeaderOnlyCrlfAndTies) {
  auto empty = ParseTrace("arrival_s\tmodel\tslo_s\n", "x");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto crlf =
      ParseTrace("arrival_s\tmodel\tslo_s\r\n1\ta\tinf\r\n1\tb\t2\r\n", "x");
  ASSERT_TRUE(crlf.ok()) << crlf.status();
  EXPECT_THAT(crlf->model_names, ElementsAre("a", "b"));
  EXPECT_THAT(crlf->model, ElementsAre(0, 1));
  EXPECT_TRUE(std::isinf(crlf->slo_s[0]));
}

TEST(TraceIoTest, RejectsBadTracesWithLineNumbers) {
  const std::string h = "arrival_s\tmodel\tslo_s\n";
  EXPECT_THAT(ParseError(h + "2\ta\tinf\n1\ta\tinf\n"),
              HasSubstr("t.tsv:3: arrival times are not sorted"));
  EXPECT_THAT(ParseError(h + "-1\ta\tinf\n"),
              HasSubstr("t.tsv:2: arrival time -1 must be finite and >= 0"));
  EXPECT_THAT(ParseError(h + "nan\ta\tinf\n"),
              HasSubstr("t.tsv:2: bad arrival time 'nan'"));
  EXPECT_THAT(ParseError(h + "inf\ta\tinf\n"), HasSubstr("t.tsv:2:"));
  EXPECT_THAT(ParseError(h + "x\ta\tinf\n"),
              HasSubstr("t.tsv:2: bad arrival time 'x'"));
  EXPECT_THAT(ParseError(h + "1\tzz\tinf\n", {"a", "b"}),
              HasSubstr("t.tsv:2: unknown model 'zz'"));
  EXPECT_THAT(ParseError(h + "1\ta\n"),
              HasSubstr("t.tsv:2: expected 3 tab-separated columns"));
  EXPECT_THAT(ParseError(h + "1\ta\tinf\t7\n"),
              HasSubstr("t.tsv:2: expected 3 tab-separated columns"));
  EXPECT_THAT(ParseError(h + "1\ta\tinf\n2\ta\tinf"),
              HasSubstr("t.tsv:3: truncated"));
  EXPECT_THAT(ParseError(h + "1\ta\t-2\n"), HasSubstr("t.tsv:2: bad slo_s"));
  EXPECT_THAT(ParseError(h + "1\ta\tnan\n"), HasSubstr("t.tsv:2: bad slo_s"));
  EXPECT_THAT(ParseError(h + "1\t\tinf\n"),
              HasSubstr("t.tsv:2: empty model name"));
  EXPECT_THAT(ParseError("time\tmodel\tslo\n1\ta\tinf\n"),
              HasSubstr("t.tsv:1: expected the header"));
  EXPECT_THAT(ParseError(""), HasSubstr("t.tsv:1: empty file"));
  EXPECT_THAT(ParseError("arrival_s\tmodel\tslo_s"),
              HasSubstr("t.tsv:1: truncated"));
}

// Found by trace_io_fuzzer: a '\r' inside a name was read, and FormatTrace
// then refused to write the workload back.
TEST(TraceIoTest, RejectsCarriageReturnInModelName) {
  EXPECT_EQ(ParseError("arrival_s\tmodel\tslo_s\r\n0\tm\r0\tinf\r\n"),
            "t.tsv:2: model name 'm\\r0' has a carriage return");
  // The line's own "\r\n" is still fine, even right after a name.
  absl::StatusOr<Workload> w =
      ParseTrace("arrival_s\tmodel\tslo_s\r\n0\tm0\tinf\r\n", "t.tsv");
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_THAT(w->model_names, ElementsAre("m0"));
}

// Model indices are int32; the names a trace may introduce are bounded.
TEST(TraceIoTest, RejectsModelCountOverLimit) {
  std::string text = "arrival_s\tmodel\tslo_s\n";
  for (int i = 0; i <= kMaxModels; ++i) {
    absl::StrAppend(&text, "0\t", i, "\tinf\n");
  }
  EXPECT_EQ(ParseError(text),
            "t.tsv:1048578: more than 1048576 model names "
            "(kMaxModels)");
  EXPECT_EQ(ParseError("", std::vector<std::string>(kMaxModels + 1, "m")),
            "t.tsv: 1048577 model names, over the limit of 1048576 "
            "(kMaxModels)");
}

TEST(TraceIoTest, FileErrorsNameThePath) {
  auto r = ReadTrace("/nonexistent/dir/t.tsv");
  EXPECT_THAT(r.status().message(),
              HasSubstr("cannot open '/nonexistent/dir/t.tsv': No such file"));
  Workload w;
  w.model_names = {"a"};
  absl::Status s = WriteTrace("/nonexistent/dir/t.tsv", w);
  EXPECT_THAT(s.message(), HasSubstr("cannot write '/nonexistent/dir/t.tsv'"));
  // Errors from a file carry its path and the line.
  const std::string path = TmpPath("bad.tsv");
  std::ofstream(path) << "arrival_s\tmodel\tslo_s\n1\ta\tinf\n0.5\ta\tinf\n";
  EXPECT_THAT(ReadTrace(path).status().message(),
              HasSubstr(path + ":3: arrival times are not sorted"));
}

TEST(TraceIoTest, RejectsUnwritableWorkloads) {
  Workload w;
  w.model_names = {"a\tb"};
  EXPECT_FALSE(FormatTrace(w).ok());
  w.model_names = {"a"};
  w.arrival_s = {1};
  w.model = {3};
  w.slo_s = {1};
  EXPECT_THAT(FormatTrace(w).status().message(), HasSubstr("model index 3"));
}

}  // namespace
}  // namespace multiplex
