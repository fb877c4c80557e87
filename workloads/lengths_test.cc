// Length distributions (workloads/lengths.h) and their use by the workload
// generator: exact values where exact, statistical bounds where random,
// determinism from (seed, model), errors naming the file and line.

#include "workloads/lengths.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/length_distribution.h"
#include "core/limits.h"
#include "core/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/generator.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<LengthDistribution> Make(const std::string& spec) {
  absl::StatusOr<std::unique_ptr<LengthDistribution>> d =
      Registry<LengthDistribution>::Global().Create(spec);
  EXPECT_TRUE(d.ok()) << spec << ": " << d.status();
  return d.ok() ? std::move(*d) : nullptr;
}

std::string CreateError(const std::string& spec) {
  absl::StatusOr<std::unique_ptr<LengthDistribution>> d =
      Registry<LengthDistribution>::Global().Create(spec);
  EXPECT_FALSE(d.ok()) << spec;
  return d.ok() ? "" : std::string(d.status().message());
}

double Quantile(std::vector<int32_t> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * (v.size() - 1))];
}

double MeanOf(const std::vector<int32_t>& v) {
  double s = 0;
  for (int32_t x : v) s += x;
  return s / v.size();
}

TEST(LengthsTest, EveryRegisteredDistributionIsDeterministicAndInRange) {
  for (const auto& [name, entry] :
       Registry<LengthDistribution>::Global().entries()) {
    std::unique_ptr<LengthDistribution> d = Make(entry.example);
    ASSERT_NE(d, nullptr) << name;
    const std::vector<int32_t> a = d->Sample(5000, 7);
    EXPECT_EQ(a, d->Sample(5000, 7)) << name;
    for (int32_t v : a) {
      ASSERT_GE(v, 0) << name;
      ASSERT_LE(v, kMaxRequestTokens) << name;
    }
    // The sample mean is within 5 standard errors of Mean().
    double var = 0;
    const double mean = MeanOf(a);
    for (int32_t v : a) var += (v - mean) * (v - mean);
    const double se = std::sqrt(var / a.size() / a.size());
    EXPECT_NEAR(mean, d->Mean(), 5 * se + 1e-9) << name;
  }
}

TEST(LengthsTest, FixedAndUniformAreExact) {
  EXPECT_EQ(Make("fixed:tokens=42")->Sample(3, 1),
            std::vector<int32_t>({42, 42, 42}));
  const std::vector<int32_t> u = Make("uniform:min=3,max=5")->Sample(30000, 1);
  for (int v = 3; v <= 5; ++v) {
    const double share = std::count(u.begin(), u.end(), v) / 30000.0;
    EXPECT_NEAR(share, 1.0 / 3, 0.015) << v;  // > 5 sigma
  }
  EXPECT_EQ(*std::min_element(u.begin(), u.end()), 3);
  EXPECT_EQ(*std::max_element(u.begin(), u.end()), 5);
}

TEST(LengthsTest, LognormalMatchesItsMedianAndP90OrMean) {
  const std::vector<int32_t> a =
      Make("lognormal:median=512,p90=2048")->Sample(200000, 3);
  EXPECT_NEAR(Quantile(a, 0.5), 512, 512 * 0.02);
  EXPECT_NEAR(Quantile(a, 0.9), 2048, 2048 * 0.03);
  const std::vector<int32_t> b =
      Make("lognormal:mean=300,sigma=0.5")->Sample(200000, 3);
  EXPECT_NEAR(MeanOf(b), 300, 3);
  // Clamping.
  const std::vector<int32_t> c =
      Make("lognormal:median=100,p90=1000,min=50,max=200")->Sample(10000, 3);
  EXPECT_EQ(*std::min_element(c.begin(), c.end()), 50);
  EXPECT_EQ(*std::max_element(c.begin(), c.end()), 200);
}

TEST(LengthsTest, EmpiricalFollowsTheHistogramAndATrace) {
  std::unique_ptr<LengthDistribution> d =
      Make("empirical:path=workloads/testdata/lengths_hist.tsv");
  EXPECT_DOUBLE_EQ(d->Mean(), (16 + 3 * 128 + 4 * 512 + 2 * 2048) / 10.0);
  const std::vector<int32_t> s = d->Sample(100000, 9);
  EXPECT_NEAR(std::count(s.begin(), s.end(), 512) / 1e5, 0.4, 0.01);
  EXPECT_NEAR(std::count(s.begin(), s.end(), 16) / 1e5, 0.1, 0.006);
  // A token trace's own column.
  Workload w;
  w.model_names = {"m"};
  w.arrival_s = {0, 1, 2};
  w.model = {0, 0, 0};
  w.slo_s = {1, 1, 1};
  w.has_tokens = true;
  w.prompt_tokens = {5, 5, 9};
  w.output_tokens = {1, 2, 3};
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/t.tsv";
  ASSERT_TRUE(WriteTrace(path, w).ok());
  EXPECT_DOUBLE_EQ(Make("empirical:path=" + path)->Mean(), 19.0 / 3);
  EXPECT_DOUBLE_EQ(Make("empirical:path=" + path + ",column=output")->Mean(),
                   2.0);
}

TEST(LengthsTest, BadParametersAndFilesAreRefused) {
  EXPECT_THAT(CreateError("lognormal:median=5"),
              HasSubstr("either mean and sigma, or median and p90"));
  EXPECT_THAT(CreateError("lognormal:mean=5,sigma=1,median=3,p90=9"),
              HasSubstr("either mean and sigma"));
  EXPECT_THAT(CreateError("lognormal:median=5,p90=4"),
              HasSubstr("must exceed the median"));
  EXPECT_THAT(CreateError("uniform:min=9,max=3"), HasSubstr("min 9 > max 3"));
  EXPECT_THAT(CreateError("fixed:tokens=-1"), HasSubstr("tokens=-1"));
  EXPECT_THAT(CreateError("fixed:tokens=99999999"), HasSubstr("tokens"));
  const std::string dir = std::getenv("TEST_TMPDIR");
  const std::string bad = dir + "/bad.tsv";
  std::ofstream(bad) << "tokens\tcount\n5\t1\n-3\t2\n";
  EXPECT_THAT(CreateError("empirical:path=" + bad),
              HasSubstr("bad.tsv:3: token count -3 out of range"));
  std::ofstream(bad) << "tokens\tcount\n5\t1\n6 2\n";
  EXPECT_THAT(CreateError("empirical:path=" + bad),
              HasSubstr("bad.tsv:3: expected 'tokens<TAB>count'"));
  std::ofstream(bad) << "tokens\tcount\n5\t0\n";
  EXPECT_THAT(CreateError("empirical:path=" + bad),
              HasSubstr("no positive count"));
  EXPECT_THAT(CreateError("empirical:path=workloads/testdata/small_trace.tsv"),
              HasSubstr("neither a histogram"));
}

WorkloadSpec LlmSpec() {
  WorkloadSpec spec;
  spec.num_models = 3;
  spec.total_rate = 30;
  spec.process = "poisson";
  spec.duration = 2000;
  spec.seed = 5;
  spec.prompt_lengths = {"lognormal:median=512,p90=2048"};
  spec.output_lengths = {"uniform:min=1,max=255", "fixed:tokens=7",
                         "lognormal:mean=100,sigma=1"};
  return spec;
}

// A replayed synthetic workload's statistics against the ones requested.
TEST(LengthsTest, GeneratedWorkloadsCarryTheRequestedLengthsPerModel) {
  absl::StatusOr<Workload> w = MakeWorkload(LlmSpec());
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE(w->has_tokens);
  std::vector<std::vector<int32_t>> prompt(3), output(3);
  for (size_t r = 0; r < w->size(); ++r) {
    prompt[w->model[r]].push_back(w->prompt_tokens[r]);
    output[w->model[r]].push_back(w->output_tokens[r]);
  }
  for (int m = 0; m < 3; ++m) {
    EXPECT_NEAR(Quantile(prompt[m], 0.5), 512, 512 * 0.06) << m;
    EXPECT_NEAR(Quantile(prompt[m], 0.9), 2048, 2048 * 0.1) << m;
  }
  EXPECT_NEAR(MeanOf(output[0]), 128, 3);
  EXPECT_EQ(MeanOf(output[1]), 7);
  EXPECT_NEAR(MeanOf(output[2]), 100, 10);
  // Same spec, same bytes; the arrivals do not depend on the lengths.
  absl::StatusOr<Workload> again = MakeWorkload(LlmSpec());
  EXPECT_EQ(*FormatTraceBinary(*again), *FormatTraceBinary(*w));
  WorkloadSpec plain = LlmSpec();
  plain.prompt_lengths.clear();
  plain.output_lengths.clear();
  absl::StatusOr<Workload> no_tokens = MakeWorkload(plain);
  ASSERT_TRUE(no_tokens.ok());
  EXPECT_FALSE(no_tokens->has_tokens);
  EXPECT_EQ(no_tokens->arrival_s, w->arrival_s);
  // Model 1's prompts do not change when model 0's distribution does.
  WorkloadSpec other = LlmSpec();
  other.prompt_lengths = {"fixed:tokens=1", "lognormal:median=512,p90=2048",
                          "lognormal:median=512,p90=2048"};
  absl::StatusOr<Workload> o = MakeWorkload(other);
  ASSERT_TRUE(o.ok());
  for (size_t r = 0; r < w->size(); ++r) {
    if (w->model[r] == 1) {
      ASSERT_EQ(o->prompt_tokens[r], w->prompt_tokens[r]);
    }
  }
}

TEST(LengthsTest, GeneratorRefusesHalfGivenLengths) {
  WorkloadSpec spec = LlmSpec();
  spec.output_lengths.clear();
  EXPECT_THAT(MakeWorkload(spec).status().message(),
              HasSubstr("both prompt and output"));
  spec = LlmSpec();
  spec.output_lengths = {"fixed:tokens=1", "fixed:tokens=2"};
  EXPECT_THAT(MakeWorkload(spec).status().message(),
              HasSubstr("2 output length distributions given for 3 models"));
}

}  // namespace
}  // namespace multiplex
