// Statistical and contract tests of the arrival-process plugins, created
// through Registry<ArrivalProcess> as users do. Seeds are fixed, so every
// check is deterministic; tolerances are still a few standard errors wide.

#include "workloads/processes.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "core/arrival_process.h"
#include "core/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/stats.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<ArrivalProcess> MustCreate(const std::string& spec) {
  absl::StatusOr<std::unique_ptr<ArrivalProcess>> p =
      Registry<ArrivalProcess>::Global().Create(spec);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

std::string CreateError(const std::string& spec) {
  return std::string(
      Registry<ArrivalProcess>::Global().Create(spec).status().message());
}

void ExpectContract(const std::vector<double>& t, double start, double end) {
  for (size_t i = 0; i < t.size(); ++i) {
    ASSERT_GE(t[i], start) << i;
    ASSERT_LT(t[i], end) << i;
    if (i > 0) {
      ASSERT_LE(t[i - 1], t[i]) << i;
    }
  }
}

TEST(ProcessesTest, AllAreRegistered) {
  std::vector<std::string> names = Registry<ArrivalProcess>::Global().Names();
  for (const char* n :
       {"deterministic", "gamma", "poisson", "trace", "uniform-mmpp"}) {
    EXPECT_THAT(names, ::testing::Contains(n));
  }
}

// Over >= 10^6 arrivals: rate within 1%, CV within 3%. For cv = 8 the
// standard error of a rate measured over 10^6 arrivals is cv/sqrt(n) = 0.8%,
// too close to 1%, so that case uses 4 x 10^6 arrivals (0.4%).
class GammaStatsTest : public ::testing::TestWithParam<double> {};

TEST_P(GammaStatsTest, RateAndCvMatch) {
  const double cv = GetParam();
  const double rate = 2.5;
  const double arrivals = cv > 4 ? 4e6 : 1e6;
  const double duration = arrivals / rate;
  auto p = MustCreate("gamma:rate=2.5,cv=" + std::to_string(cv));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->Rate(), rate);
  EXPECT_EQ(p->Cv(), cv);
  std::vector<double> t = p->Generate(100, duration, /*seed=*/7);
  ExpectContract(t, 100, 100 + duration);
  ArrivalStats s = MeasureArrivals(t, duration);
  EXPECT_GE(s.count, 0.95 * arrivals);
  EXPECT_NEAR(s.rate / rate, 1.0, 0.01) << "cv " << cv;
  EXPECT_NEAR(s.cv / cv, 1.0, 0.03) << "cv " << cv;
}

INSTANTIATE_TEST_SUITE_P(Cvs, GammaStatsTest,
                         ::testing::Values(0.1, 1.0, 3.0, 8.0));

TEST(PoissonTest, RateAndCv) {
  auto p = MustCreate("poisson:rate=4");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->Cv(), 1.0);
  const double duration = 250000;  // 10^6 arrivals
  std::vector<double> t = p->Generate(0, duration, 3);
  ExpectContract(t, 0, duration);
  ArrivalStats s = MeasureArrivals(t, duration);
  EXPECT_NEAR(s.rate / 4.0, 1.0, 0.01);
  EXPECT_NEAR(s.cv, 1.0, 0.03);
}

TEST(DeterministicTest, EvenlySpaced) {
  auto p = MustCreate("deterministic:rate=4");
  ASSERT_NE(p, nullptr);
  std::vector<double> t = p->Generate(10, 2, /*seed=*/99);
  ASSERT_EQ(t.size(), 7u);  // 10.25, ..., 11.75 (12 is outside)
  EXPECT_DOUBLE_EQ(t[0], 10.25);
  EXPECT_DOUBLE_EQ(t[6], 11.75);
  EXPECT_EQ(p->Cv(), 0.0);
  EXPECT_EQ(t, p->Generate(10, 2, /*seed=*/1));
}

TEST(UniformMmppTest, MeanRateAndCv) {
  auto p = MustCreate("uniform-mmpp:durations=10/20,rates=1/5");
  ASSERT_NE(p, nullptr);
  const double mean = (10 * 1 + 20 * 5) / 30.0;
  EXPECT_NEAR(p->Rate(), mean, 1e-12);
  const double duration = 1e6 / mean;  // ~10^6 arrivals
  std::vector<double> t = p->Generate(0, duration, 11);
  ExpectContract(t, 0, duration);
  ArrivalStats s = MeasureArrivals(t, duration);
  EXPECT_NEAR(s.rate / mean, 1.0, 0.02);
  // The analytic stationary CV of the gaps.
  EXPECT_GT(p->Cv(), 1.0);
  EXPECT_NEAR(s.cv / p->Cv(), 1.0, 0.03) << p->Cv();
}

TEST(UniformMmppTest, ThreeStatesWithAnIdleOne) {
  auto p = MustCreate("uniform-mmpp:durations=5/5/10,rates=0/2/8");
  ASSERT_NE(p, nullptr);
  const double mean = (0 + 10 + 80) / 20.0;
  EXPECT_NEAR(p->Rate(), mean, 1e-12);
  const double duration = 1e6 / mean;
  ArrivalStats s = MeasureArrivals(p->Generate(0, duration, 5), duration);
  EXPECT_NEAR(s.rate / mean, 1.0, 0.02);
  EXPECT_NEAR(s.cv / p->Cv(), 1.0, 0.03) << p->Cv();
}

TEST(UniformMmppTest, OneStateIsPoisson) {
  auto p = MustCreate("uniform-mmpp:durations=3,rates=2");
  ASSERT_NE(p, nullptr);
  EXPECT_NEAR(p->Cv(), 1.0, 1e-12);
  EXPECT_NEAR(p->Rate(), 2.0, 1e-12);
}

TEST(UniformMmppTest, RateParameterScalesTheStates) {
  auto p = MustCreate("uniform-mmpp:durations=10/20,rates=1/5,rate=11");
  ASSERT_NE(p, nullptr);
  EXPECT_NEAR(p->Rate(), 11, 1e-12);
  auto q = MustCreate("uniform-mmpp:durations=10/20,rates=1/5");
  EXPECT_NEAR(p->Cv(), q->Cv(), 1e-9 * q->Cv() + 0.05);
}

TEST(ProcessesTest, SeedsAreReproducibleAndDistinct) {
  for (const char* spec : {"gamma:rate=3,cv=2", "poisson:rate=3",
                           "uniform-mmpp:durations=1/2,rates=1/9"}) {
    auto p = MustCreate(spec);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->Generate(0, 500, 1), p->Generate(0, 500, 1)) << spec;
    EXPECT_NE(p->Generate(0, 500, 1), p->Generate(0, 500, 2)) << spec;
  }
}

TEST(ProcessesTest, NamesCarryParameters) {
  EXPECT_EQ(MustCreate("gamma:rate=2,cv=3")->Name(), "gamma(rate=2,cv=3)");
  EXPECT_EQ(MustCreate("poisson:rate=0.5")->Name(), "poisson(rate=0.5)");
  EXPECT_EQ(MustCreate("uniform-mmpp:durations=10/20,rates=1/5")->Name(),
            "uniform-mmpp(durations=10/20,rates=1/5)");
}

TEST(ProcessesTest, ZeroDurationIsEmpty) {
  EXPECT_TRUE(MustCreate("gamma:rate=3,cv=2")->Generate(5, 0, 1).empty());
}

// Parameter types and ranges are the registry's (see core/registry_test.cc);
// these are the messages of the declarations the processes make.
TEST(ProcessesTest, ReadableErrors) {
  EXPECT_EQ(CreateError("gamma:rate=-1,cv=3"),
            "arrival_process 'gamma': parameter rate=-1 is out of range: "
            "must be > 0");
  EXPECT_THAT(CreateError("gamma:rate=0"), HasSubstr("rate=0 is out of range"));
  EXPECT_THAT(CreateError("gamma:rate=1,cv=0"),
              HasSubstr("cv=0 is out of range: must be in (0, 100]"));
  EXPECT_EQ(CreateError("gamma:cv=2"),
            "arrival_process 'gamma': missing parameter 'rate': must be a "
            "finite double > 0");
  EXPECT_THAT(CreateError("gamma:rate=x"),
              HasSubstr("rate=x is not valid: must be a finite double > 0"));
  EXPECT_THAT(CreateError("poisson:rate=inf"),
              HasSubstr("rate=inf is not valid"));
  EXPECT_THAT(CreateError("deterministic:rate=-2"),
              HasSubstr("rate=-2 is out of range"));
  EXPECT_THAT(CreateError("trace:path=x.tsv,offset=nan"),
              HasSubstr("offset=nan is not valid: must be a finite double"));
  EXPECT_THAT(CreateError("poisson:rate=1,cv=2"),
              HasSubstr("has no parameter 'cv'"));
  EXPECT_THAT(CreateError("zipf:rate=1"), HasSubstr("unknown arrival_process"));
  EXPECT_THAT(CreateError("zipf:rate=1"), HasSubstr("gamma"));
  EXPECT_THAT(CreateError("uniform-mmpp:durations=1/2,rates=1"),
              HasSubstr("same number"));
  EXPECT_EQ(CreateError("uniform-mmpp:durations=1/0,rates=1/1"),
            "arrival_process 'uniform-mmpp': parameter durations=1/0 is out "
            "of range: each item must be >= 1e-06");
  EXPECT_THAT(CreateError("uniform-mmpp:durations=1/1,rates=1/-1"),
              HasSubstr("rates=1/-1 is out of range: each item must be >= 0"));
  EXPECT_THAT(CreateError("uniform-mmpp:durations=1/1,rates=1/1,rate=0"),
              HasSubstr("rate=0 is out of range: must be > 0"));
  EXPECT_THAT(CreateError("uniform-mmpp:durations=1/1,rates=0/0"),
              HasSubstr("at least one state rate"));
  EXPECT_THAT(CreateError("uniform-mmpp:durations=1;2,rates=1/1"),
              HasSubstr("durations=1;2 is not valid: must be a '/'-separated "
                        "list of finite doubles"));
  EXPECT_THAT(CreateError("trace:path=/nonexistent/x.tsv"),
              HasSubstr("cannot open '/nonexistent/x.tsv'"));
}

TEST(TraceProcessTest, ReplaysOneModelWithOffset) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/replay.tsv";
  Workload w;
  w.model_names = {"a", "b"};
  w.arrival_s = {0.5, 1.0, 1.5, 2.0, 3.0};
  w.model = {0, 1, 0, 0, 1};
  w.slo_s = {1, 1, 1, 1, 1};
  ASSERT_TRUE(WriteTrace(path, w).ok());
  auto all = MustCreate("trace:path=" + path);
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->Generate(0, 10, 0),
            (std::vector<double>{0.5, 1.0, 1.5, 2.0, 3.0}));
  auto a = MustCreate("trace:path=" + path + ",model=a,offset=10");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->Generate(11, 1, 0), (std::vector<double>{11.5}));
  EXPECT_EQ(a->Generate(0, 100, 0), (std::vector<double>{10.5, 11.5, 12.0}));
  EXPECT_NEAR(a->Rate(), 2 / 1.5, 1e-12);
  EXPECT_THAT(CreateError("trace:path=" + path + ",model=c"),
              HasSubstr("no model 'c'"));
}

}  // namespace
}  // namespace multiplex
