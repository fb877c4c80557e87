// LLM trace readers, the synthetic writer and the `llm-trace` process
// (workloads/llm_trace.h): exact timestamps, FILE:LINE errors, the
// synthetic files' length statistics against the requested ones, windows,
// time scaling and dealing to N models.

#include "workloads/llm_trace.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/generator.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

std::string Tmp(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

struct Rows {
  std::vector<double> t;
  std::vector<int32_t> prompt, output;
  std::vector<std::string> model;
};

absl::StatusOr<Rows> ReadAll(const std::string& path, LlmTraceFormat f) {
  Rows r;
  absl::Status s = ReadLlmTrace(path, f, [&](const LlmTraceRow& row) {
    r.t.push_back(row.time_s);
    r.prompt.push_back(row.prompt_tokens);
    r.output.push_back(row.output_tokens);
    r.model.emplace_back(row.model);
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return r;
}

double Quantile(std::vector<int32_t> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}

TEST(LlmTraceTest, TimestampsAreExact) {
  int64_t s;
  double f;
  ASSERT_TRUE(ParseLlmTimestamp("2023-11-16 18:15:46.6805900", &s, &f));
  EXPECT_EQ(s, 1700158546);
  EXPECT_EQ(f, 0.68059);
  ASSERT_TRUE(ParseLlmTimestamp("2024-05-10 00:00:00.009553+00:00", &s, &f));
  EXPECT_EQ(s, 1715299200);
  EXPECT_EQ(f, 0.009553);
  ASSERT_TRUE(ParseLlmTimestamp("2024-05-10 01:00:00+01:00", &s, &f));
  EXPECT_EQ(s, 1715299200);
  EXPECT_EQ(f, 0);
  ASSERT_TRUE(ParseLlmTimestamp("2024-02-29T23:59:59Z", &s, &f));
  EXPECT_EQ(s, 1709251199);
  for (const char* bad :
       {"2023-13-01 00:00:00", "2023-11-16 24:00:00", "2023-11-16 18:15",
        "2023-11-16 18:15:46.", "2023-11-16 18:15:46+0100", "x"}) {
    EXPECT_FALSE(ParseLlmTimestamp(bad, &s, &f)) << bad;
  }
}

TEST(LlmTraceTest, ReadsBothFormatsRowByRow) {
  const std::string a = Tmp("a.csv");
  std::ofstream(a) << "TIMESTAMP,ContextTokens,GeneratedTokens\r\n"
                      "2023-11-16 18:15:46.6805900,4808,10\r\n"
                      "2023-11-16 18:15:50.9951690,3180,8\r\n"
                      "2023-11-17 00:00:00,1,0";  // no final newline
  ASSERT_EQ(*DetectLlmTraceFormat(a), LlmTraceFormat::kAzureLlm);
  absl::StatusOr<Rows> r = ReadAll(a, LlmTraceFormat::kAzureLlm);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->t.size(), 3u);
  EXPECT_DOUBLE_EQ(r->t[0], 0.68059);
  EXPECT_DOUBLE_EQ(r->t[1], 4.995169);
  EXPECT_EQ(r->t[2], 20654.0);
  EXPECT_EQ(r->prompt, std::vector<int32_t>({4808, 3180, 1}));
  EXPECT_EQ(r->output, std::vector<int32_t>({10, 8, 0}));
  const std::string b = Tmp("b.csv");
  std::ofstream(b) << std::string(kBurstGptHeader) << "\n"
                   << "5,ChatGPT,472,18,490,Conversation log\n"
                   << "45.5,GPT-4,1087,0,1087,API log\n";
  ASSERT_EQ(*DetectLlmTraceFormat(b), LlmTraceFormat::kBurstGpt);
  r = ReadAll(b, LlmTraceFormat::kBurstGpt);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->t, std::vector<double>({5, 45.5}));
  EXPECT_EQ(r->model, std::vector<std::string>({"ChatGPT", "GPT-4"}));
  EXPECT_EQ(r->output, std::vector<int32_t>({18, 0}));
}

std::string Error(const std::string& body, LlmTraceFormat f) {
  const std::string path = Tmp("bad.csv");
  std::ofstream(path) << (f == LlmTraceFormat::kAzureLlm
                              ? std::string(kAzureLlmHeader)
                              : std::string(kBurstGptHeader))
                      << "\n"
                      << body;
  absl::StatusOr<Rows> r = ReadAll(path, f);
  EXPECT_FALSE(r.ok()) << body;
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(LlmTraceTest, BadRowsNameFileAndLine) {
  const LlmTraceFormat az = LlmTraceFormat::kAzureLlm;
  const LlmTraceFormat bg = LlmTraceFormat::kBurstGpt;
  const std::string ok = "2023-11-16 18:15:46,1,1\n";
  EXPECT_THAT(Error(ok + "2023-11-16 18:15:47,-5,1\n", az),
              HasSubstr("bad.csv:3: ContextTokens '-5'"));
  EXPECT_THAT(Error(ok + "2023-11-16 18:15:47,5,99999999\n", az),
              HasSubstr("bad.csv:3: GeneratedTokens '99999999'"));
  EXPECT_THAT(Error(ok + "2023-11-16 18:15:47,5\n", az),
              HasSubstr("bad.csv:3: want 3 comma-separated fields"));
  EXPECT_THAT(Error(ok + "yesterday,5,5\n", az),
              HasSubstr("bad.csv:3: bad TIMESTAMP 'yesterday'"));
  EXPECT_THAT(Error("5,ChatGPT,472,18,491,Conversation log\n", bg),
              HasSubstr("bad.csv:2: Total tokens 491 is not Request tokens "
                        "472 + Response tokens 18"));
  EXPECT_THAT(Error("5,ChatGPT,472,18,490\n", bg),
              HasSubstr("bad.csv:2: want 6 comma-separated fields"));
  EXPECT_THAT(Error("5,ChatGPT,472,18,490,API log,extra\n", bg),
              HasSubstr("bad.csv:2: want 6 comma-separated fields"));
  EXPECT_THAT(Error("-1,ChatGPT,1,1,2,API log\n", bg),
              HasSubstr("bad.csv:2: Timestamp '-1'"));
  EXPECT_THAT(Error("nan,ChatGPT,1,1,2,API log\n", bg),
              HasSubstr("bad.csv:2: Timestamp 'nan'"));
  EXPECT_THAT(Error("1,ChatGPT,1.5,1,2,API log\n", bg),
              HasSubstr("bad.csv:2: Request tokens '1.5'"));
  const std::string other = Tmp("other.csv");
  std::ofstream(other) << "arrival_s\tmodel\tslo_s\n";
  EXPECT_THAT(DetectLlmTraceFormat(other).status().message(),
              HasSubstr("other.csv:1: not an LLM trace"));
}

// The synthetic writer's files read back with the requested statistics.
TEST(LlmTraceTest, SyntheticFilesHaveTheRequestedShape) {
  for (LlmTraceFormat f :
       {LlmTraceFormat::kAzureLlm, LlmTraceFormat::kBurstGpt}) {
    LlmSynthSpec spec;
    spec.format = f;
    spec.rows = 50000;
    spec.duration_s = 5000;
    spec.seed = 3;
    const std::string path = Tmp(absl::StrCat("s", static_cast<int>(f)));
    ASSERT_TRUE(WriteSyntheticLlmTrace(path, spec).ok());
    absl::StatusOr<Rows> r = ReadAll(path, f);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->t.size(), 50000u);
    EXPECT_TRUE(std::is_sorted(r->t.begin(), r->t.end()));
    EXPECT_NEAR(r->t.back(), 5000, 500);
    EXPECT_NEAR(Quantile(r->prompt, 0.5), 1020, 1020 * 0.04);
    EXPECT_NEAR(Quantile(r->prompt, 0.9), 4000, 4000 * 0.05);
    if (f == LlmTraceFormat::kAzureLlm) {
      EXPECT_NEAR(Quantile(r->output, 0.5), 129, 129 * 0.04);
      EXPECT_NEAR(Quantile(r->output, 0.9), 500, 500 * 0.05);
    }
    // Same seed, same bytes.
    const std::string again = path + "b";
    ASSERT_TRUE(WriteSyntheticLlmTrace(again, spec).ok());
    std::ifstream x(path), y(again);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(x), {}),
              std::string(std::istreambuf_iterator<char>(y), {}));
  }
}

TEST(LlmTraceTest, ProcessDealsWindowsAndScalesTime) {
  const std::string path = "workloads/testdata/llm/azure_conv.csv";
  absl::StatusOr<Rows> all = ReadAll(path, LlmTraceFormat::kAzureLlm);
  ASSERT_TRUE(all.ok()) << all.status();
  WorkloadSpec spec;
  spec.num_models = 3;
  spec.process = absl::StrCat("llm-trace:path=", path, ",start=100,end=2000");
  spec.duration = 1e6;
  absl::StatusOr<Workload> w = MakeWorkload(spec);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE(w->has_tokens);
  // Every window row once, in file order, dealt round-robin.
  std::vector<size_t> rows;
  for (size_t i = 0; i < all->t.size(); ++i) {
    if (all->t[i] >= 100 && all->t[i] < 2000) rows.push_back(i);
  }
  ASSERT_EQ(w->size(), rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    ASSERT_DOUBLE_EQ(w->arrival_s[k], all->t[rows[k]] - 100) << k;
    ASSERT_EQ(w->prompt_tokens[k], all->prompt[rows[k]]) << k;
    ASSERT_EQ(w->output_tokens[k], all->output[rows[k]]) << k;
    ASSERT_EQ(w->model[k], static_cast<int32_t>(k % 3)) << k;
  }
  // time_scale=2 plays the same requests twice as fast.
  spec.process += ",time_scale=2";
  absl::StatusOr<Workload> fast = MakeWorkload(spec);
  ASSERT_TRUE(fast.ok());
  ASSERT_EQ(fast->size(), w->size());
  for (size_t k = 0; k < w->size(); ++k) {
    ASSERT_DOUBLE_EQ(fast->arrival_s[k], w->arrival_s[k] / 2);
  }
  // Length distributions override the trace's own.
  spec.prompt_lengths = {"fixed:tokens=9"};
  spec.output_lengths = {"fixed:tokens=1"};
  absl::StatusOr<Workload> fixed = MakeWorkload(spec);
  ASSERT_TRUE(fixed.ok());
  EXPECT_EQ(fixed->prompt_tokens.front(), 9);
  // Random dealing keeps every request.
  spec.prompt_lengths.clear();
  spec.output_lengths.clear();
  spec.process = absl::StrCat("llm-trace:path=", path, ",deal=random");
  absl::StatusOr<Workload> r = MakeWorkload(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), all->t.size());
}

TEST(LlmTraceTest, BurstGptFilters) {
  const std::string path = "workloads/testdata/llm/burstgpt.csv";
  absl::StatusOr<Rows> all = ReadAll(path, LlmTraceFormat::kBurstGpt);
  ASSERT_TRUE(all.ok()) << all.status();
  const size_t gpt4 = std::count(all->model.begin(), all->model.end(), "GPT-4");
  ASSERT_GT(gpt4, 0u);
  absl::StatusOr<std::unique_ptr<ArrivalProcess>> p =
      Registry<ArrivalProcess>::Global().Create(
          absl::StrCat("llm-trace:path=", path, ",burst_model=GPT-4"));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->Generate(0, 1e9, 0).size(), gpt4);
  EXPECT_THAT(Registry<ArrivalProcess>::Global()
                  .Create("llm-trace:path=workloads/testdata/llm/"
                          "azure_conv.csv,burst_model=GPT-4")
                  .status()
                  .message(),
              HasSubstr("filter BurstGPT rows"));
}

}  // namespace
}  // namespace multiplex
