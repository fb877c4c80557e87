#include "experiments/lib/case_result_codec.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The same bits, NaN payloads and signed zeros included.
bool SameBits(double a, double b) { return std::memcmp(&a, &b, 8) == 0; }

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameBits(a[i], b[i])) return false;
  }
  return true;
}

void ExpectSame(const CaseResult& a, const CaseResult& b) {
  EXPECT_EQ(a.placement, b.placement);
  EXPECT_EQ(a.workload_warning, b.workload_warning);
  EXPECT_EQ(a.requests, b.requests);
  EXPECT_TRUE(SameBits(a.slo_attainment, b.slo_attainment));
  EXPECT_TRUE(SameBits(a.mean_latency_s, b.mean_latency_s));
  EXPECT_TRUE(SameBits(a.p50_latency_s, b.p50_latency_s));
  EXPECT_TRUE(SameBits(a.p90_latency_s, b.p90_latency_s));
  EXPECT_TRUE(SameBits(a.p99_latency_s, b.p99_latency_s));
  EXPECT_TRUE(SameBits(a.p99_all_latency_s, b.p99_all_latency_s));
  EXPECT_TRUE(SameBits(a.throughput_rps, b.throughput_rps));
  EXPECT_TRUE(SameBits(a.solver_s, b.solver_s));
  EXPECT_TRUE(SameBits(a.good_latencies, b.good_latencies));
  ASSERT_EQ(a.model_latencies.size(), b.model_latencies.size());
  for (size_t m = 0; m < a.model_latencies.size(); ++m) {
    EXPECT_TRUE(SameBits(a.model_latencies[m], b.model_latencies[m]));
  }
  ASSERT_EQ(a.utilization.size(), b.utilization.size());
  for (const auto& [chart, u] : a.utilization) {
    ASSERT_EQ(b.utilization.count(chart), 1u);
    EXPECT_TRUE(SameBits(u.time_s, b.utilization.at(chart).time_s));
    EXPECT_TRUE(SameBits(u.busy, b.utilization.at(chart).busy));
  }
}

StudyResults Sample() {
  StudyResults r;
  r.cases.resize(4);
  CaseResult& a = r.cases[1];
  a.placement = "group 0 (1,1,2): m0 m1\tand a tab\nand a newline";
  a.workload_warning = "model m0 carries 2 of the 2 requests";
  a.requests = 123456789012;
  a.slo_attainment = 0.1 + 0.2;  // not a short decimal
  a.mean_latency_s = -0.0;
  a.p50_latency_s = std::numeric_limits<double>::denorm_min();
  a.p90_latency_s = std::numeric_limits<double>::infinity();
  a.p99_latency_s = std::numeric_limits<double>::quiet_NaN();
  a.p99_all_latency_s = 2.75;
  a.throughput_rps = 1e308;
  a.solver_s = 0.125;
  a.good_latencies = {0.5, 1.0 / 3, 2e-300};
  a.model_latencies = {{1, 2}, {}, {3}};
  a.utilization[2] = {{0, 10, 20}, {0.25, 1, 0}};
  a.utilization[5] = {{}, {}};
  CaseResult& b = r.cases[3];
  b.placement = "";
  b.requests = 7;
  b.p99_latency_s = 4.5;
  return r;
}

TEST(CaseResultCodecTest, RoundTripIsBitExact) {
  const StudyResults in = Sample();
  const std::string bytes = EncodeCaseResults(in, {1, 3});
  StudyResults out;
  out.cases.resize(4);
  out.cases[0].placement = "untouched";
  std::vector<size_t> decoded;
  ASSERT_TRUE(DecodeCaseResults(bytes, &out, &decoded).ok());
  EXPECT_THAT(decoded, ElementsAre(1, 3));
  ExpectSame(in.cases[1], out.cases[1]);
  ExpectSame(in.cases[3], out.cases[3]);
  EXPECT_EQ(out.cases[0].placement, "untouched");
  EXPECT_TRUE(std::isnan(out.cases[1].p99_latency_s));
}

TEST(CaseResultCodecTest, NoCases) {
  StudyResults out;
  out.cases.resize(2);
  std::vector<size_t> decoded;
  ASSERT_TRUE(
      DecodeCaseResults(EncodeCaseResults(Sample(), {}), &out, &decoded).ok());
  EXPECT_TRUE(decoded.empty());
}

TEST(CaseResultCodecTest, EveryTruncationIsAnError) {
  const std::string bytes = EncodeCaseResults(Sample(), {1, 3});
  for (size_t n = 0; n < bytes.size(); ++n) {
    StudyResults out;
    out.cases.resize(4);
    absl::Status s = DecodeCaseResults(bytes.substr(0, n), &out);
    ASSERT_FALSE(s.ok()) << "accepted the first " << n << " bytes";
    EXPECT_THAT(std::string(s.message()), HasSubstr("truncated")) << n;
  }
}

TEST(CaseResultCodecTest, RefusesOtherBytes) {
  const std::string bytes = EncodeCaseResults(Sample(), {1});
  StudyResults out;
  out.cases.resize(4);
  absl::Status s = DecodeCaseResults(bytes + "x", &out);
  EXPECT_THAT(std::string(s.message()), HasSubstr("bytes after the last case"));
  std::string other = bytes;
  other[0] ^= 1;
  s = DecodeCaseResults(other, &out);
  EXPECT_THAT(std::string(s.message()), HasSubstr("not version 3"));
  // A case index beyond the receiver's study.
  StudyResults small;
  small.cases.resize(1);
  s = DecodeCaseResults(bytes, &small);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("case 1 out of range: the study has 1"));
  // A huge count must not allocate before failing.
  std::string huge = bytes;
  const uint64_t count = uint64_t{1} << 62;
  std::memcpy(&huge[8], &count, 8);
  s = DecodeCaseResults(huge, &out);
  EXPECT_THAT(std::string(s.message()), HasSubstr("truncated"));
}

}  // namespace
}  // namespace multiplex
