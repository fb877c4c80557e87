#include "workloads/azure_trace.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workloads/azure_synth.h"
#include "workloads/generator.h"
#include "workloads/stats.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char kHand[] = "workloads/testdata/azure/maf2_hand.txt";

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir ? dir : "/tmp", "/", name);
}

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::unique_ptr<ArrivalProcess> MustCreate(const std::string& spec) {
  absl::StatusOr<std::unique_ptr<ArrivalProcess>> p =
      Registry<ArrivalProcess>::Global().Create(spec);
  EXPECT_TRUE(p.ok()) << spec << ": " << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

// --- MAF2 -------------------------------------------------------------------

TEST(Maf2Test, ReadsRowsExactly) {
  std::vector<std::string> keys;
  std::vector<double> ends, durations;
  std::vector<int64_t> lines;
  ASSERT_TRUE(ReadMaf2(kHand, [&](const Maf2Row& r) {
                keys.push_back(std::string(r.key));
                ends.push_back(r.end_timestamp);
                durations.push_back(r.duration);
                lines.push_back(r.line);
                EXPECT_EQ(absl::StrCat(r.app, ",", r.func), r.key);
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(keys, ElementsAre("a1,f1", "a1,f2", "a2,f3", "a3,f4", "a3,f4",
                                "a1,f1", "a3,f4", "a1,f1", "a2,f3", "a1,f1"));
  EXPECT_THAT(ends, ElementsAre(10.5, 20.25, 30, 40.5, 41.5, 61, 42.5, 3601.5,
                                3700, 86400));
  EXPECT_THAT(durations,
              ElementsAre(0.5, 0.25, 1, 0.5, 0.5, 1, 0.5, 0.5, 0, 0));
  EXPECT_THAT(lines, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
}

TEST(Maf2Test, WindowCountsAndTimes) {
  absl::StatusOr<AzureReplay> r = BuildAzureReplay(
      kHand, AzureFormat::kMaf2, 0, 3600, "stripe", /*num_models=*/1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows_read, 10);
  EXPECT_EQ(r->num_functions, 4);
  EXPECT_THAT(r->model_times[0], ElementsAre(10, 20, 29, 40, 41, 42, 60));
  // The second hour, relative to its start.
  r = BuildAzureReplay(kHand, AzureFormat::kMaf2, *ParseTraceTime("0.1.0"),
                       *ParseTraceTime("0.2.0"), "stripe", 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->model_times[0], ElementsAre(1, 100));
  // Day 1 starts at 86400 (end_timestamp 86400, duration 0).
  r = BuildAzureReplay(kHand, AzureFormat::kMaf2, *ParseTraceTime("1.0.0"),
                       *ParseTraceTime("1.0.1"), "stripe", 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->model_times[0], ElementsAre(0));
}

TEST(Maf2Test, NumbersParseAsStrtod) {
  const std::vector<std::string> texts = {"0.0503368377685546",
                                          "1209599.9876543",
                                          "0.1",
                                          "3.364714",
                                          "123456789012345678",
                                          "0.00000000000000000000001",
                                          "1e3",
                                          "2.5E-1",
                                          "7.",
                                          ".5",
                                          "1234567890.1234567890123"};
  std::string file = "app,func,end_timestamp,duration\n";
  for (const std::string& t : texts)
    absl::StrAppend(&file, "a,b,", t, ",", t, "\n");
  const std::string path = WriteFile("numbers.txt", file);
  std::vector<double> got;
  ASSERT_TRUE(ReadMaf2(path, [&](const Maf2Row& r) {
                got.push_back(r.end_timestamp);
                EXPECT_EQ(r.end_timestamp, r.duration);
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(got.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(got[i], std::strtod(texts[i].c_str(), nullptr)) << texts[i];
  }
}

TEST(Maf2Test, CrlfAndNoFinalNewline) {
  const std::string path = WriteFile(
      "crlf.txt", "app,func,end_timestamp,duration\r\na,b,2.5,0.5\r\nc,d,3,1");
  std::vector<double> t;
  ASSERT_TRUE(ReadMaf2(path, [&](const Maf2Row& r) {
                t.push_back(r.end_timestamp - r.duration);
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(t, ElementsAre(2, 2));
}

TEST(Maf2Test, MalformedRowsNameFileAndLine) {
  const std::string head = "app,func,end_timestamp,duration\n";
  const struct {
    std::string body;
    std::string error;
  } kCases[] = {
      {"a,b,1,0\na,b,x,0\n", ":3: end_timestamp: not a finite number: 'x'"},
      {"a,b,1,0\na,b,1\n", ":3: want 4 comma-separated fields"},
      {"a,b,1,0,9\n", ":2: want 4 comma-separated fields"},
      {"a,b,1,-1\n", ":2: duration: not a finite number >= 0"},
      {"a,b,1,nan\n", ":2: duration"},
      {",b,1,0\n", ":2: empty app or func"},
      {"a,b,1,0\n\n", ":3: want 4"},
  };
  for (const auto& c : kCases) {
    const std::string path = WriteFile("bad.txt", head + c.body);
    absl::Status s =
        ReadMaf2(path, [](const Maf2Row&) { return absl::OkStatus(); });
    EXPECT_THAT(std::string(s.message()), HasSubstr(path + c.error)) << c.body;
  }
  const std::string path = WriteFile("nohead.txt", "a,b,1,0\n");
  EXPECT_THAT(
      std::string(
          ReadMaf2(path, [](const Maf2Row&) { return absl::OkStatus(); })
              .message()),
      HasSubstr(path + ":1: not a MAF2 header"));
  EXPECT_THAT(
      std::string(ReadMaf2(TempPath("missing.txt"),
                           [](const Maf2Row&) { return absl::OkStatus(); })
                      .message()),
      HasSubstr("cannot open"));
}

// --- MAF1 -------------------------------------------------------------------

std::string Maf1Header() {
  std::string h = "HashOwner,HashApp,HashFunction,Trigger";
  for (int m = 1; m <= 1440; ++m) absl::StrAppend(&h, ",", m);
  return h + "\n";
}

// A row with the given (minute 1-based, count) entries, zero elsewhere.
std::string Maf1Row(const std::string& id,
                    std::vector<std::pair<int, int>> counts) {
  std::vector<int> c(1440, 0);
  for (auto [m, k] : counts) c[m - 1] = k;
  std::string row = id + ",http";
  for (int k : c) absl::StrAppend(&row, ",", k);
  return row + "\n";
}

TEST(Maf1Test, CountsAndEvenSpread) {
  const std::string path =
      WriteFile("d1.csv", Maf1Header() + Maf1Row("o1,a1,f1", {{1, 2}, {3, 1}}) +
                              Maf1Row("o1,a1,f2", {{2, 4}, {1440, 1}}) +
                              Maf1Row("o2,a2,f3", {}));
  std::vector<std::string> keys;
  std::vector<int64_t> totals;
  ASSERT_TRUE(ReadMaf1(path, [&](const struct Maf1Row& r) {
                keys.push_back(std::string(r.key));
                int64_t s = 0;
                for (int m = 0; m < 1440; ++m) s += r.per_minute[m];
                totals.push_back(s);
                EXPECT_EQ(r.trigger, "http");
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(keys, ElementsAre("o1,a1,f1", "o1,a1,f2", "o2,a2,f3"));
  EXPECT_THAT(totals, ElementsAre(3, 5, 0));

  ASSERT_EQ(*DetectAzureFormat(path), AzureFormat::kMaf1);
  absl::StatusOr<AzureReplay> r =
      BuildAzureReplay(path, AzureFormat::kMaf1, 0, 240, "stripe", 1);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->num_functions, 2);
  EXPECT_THAT(r->model_minute_counts[0], ElementsAre(2, 4, 1, 0));
  // Minute 0: 2 at 15, 45; minute 1: 4 at 67.5, 82.5, 97.5, 112.5; minute 2:
  // one at 150.
  EXPECT_THAT(r->model_times[0],
              ElementsAre(15, 45, 67.5, 82.5, 97.5, 112.5, 150));
  // Two models, stripe: f2 (5 invocations in the day) to model 0.
  r = BuildAzureReplay(path, AzureFormat::kMaf1, 0, 86400, "stripe", 2);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->model_times[1], ElementsAre(15, 45, 150));
  EXPECT_EQ(r->model_times[0].size(), 5u);
  EXPECT_EQ(r->model_times[0].back(), 1439 * 60 + 30);
  // A window past day 0 of a single file is refused.
  EXPECT_THAT(std::string(BuildAzureReplay(path, AzureFormat::kMaf1, 0, 86460,
                                           "stripe", 1)
                              .status()
                              .message()),
              HasSubstr("give the directory"));
}

TEST(Maf1Test, MalformedRowsNameFileAndLine) {
  const std::string good = Maf1Row("o,a,f", {{1, 1}});
  std::string bad_count = good;
  bad_count.replace(bad_count.find(",http,1,") + 6, 1, "-1");
  std::string short_row = good.substr(0, good.size() - 5) + "\n";
  const struct {
    std::string body;
    std::string error;
  } kCases[] = {
      {good + bad_count, ":3: minute 1: not a count"},
      {good + "o,a,f\n", ":3: want 1444 comma-separated fields"},
      {short_row, ":2: want 1444 comma-separated fields"},
      {good.substr(0, good.size() - 1) + ",7\n", ":2: want 1444"},
  };
  for (const auto& c : kCases) {
    const std::string path = WriteFile("bad1.csv", Maf1Header() + c.body);
    absl::Status s =
        ReadMaf1(path, [](const struct Maf1Row&) { return absl::OkStatus(); });
    EXPECT_THAT(std::string(s.message()), HasSubstr(path + c.error)) << c.error;
  }
  const std::string path = WriteFile("badhead.csv", "HashOwner,HashApp\n");
  EXPECT_THAT(
      std::string(
          ReadMaf1(path, [](const struct Maf1Row&) { return absl::OkStatus(); })
              .message()),
      HasSubstr(path + ":1: not a MAF1 header"));
}

// --- Time, mapping
// ------------------------------------------------------------

TEST(TraceTimeTest, Parses) {
  EXPECT_EQ(*ParseTraceTime("0.0.0"), 0);
  EXPECT_EQ(*ParseTraceTime("0.1.0"), 3600);
  EXPECT_EQ(*ParseTraceTime("1.2.3"), 86400 + 7200 + 180);
  EXPECT_EQ(*ParseTraceTime("13.23.60"), 14 * 86400);
  for (const char* bad :
       {"", "1.2", "1.2.3.4", "a.0.0", "0.25.0", "0.0.61", "-1.0.0", "0..0"}) {
    EXPECT_FALSE(ParseTraceTime(bad).ok()) << bad;
  }
}

TEST(MappingTest, StripeAndRoundRobin) {
  // Invocations per function in order of appearance; 0: not in the window.
  const std::vector<int64_t> inv = {2, 1, 1, 3, 0};
  EXPECT_THAT(*MapFunctionsToModels(inv, "stripe", 2),
              ElementsAre(1, 0, 1, 0, -1));
  EXPECT_THAT(*MapFunctionsToModels(inv, "round_robin", 2),
              ElementsAre(0, 1, 0, 1, -1));
  EXPECT_THAT(*MapFunctionsToModels(inv, "stripe", 3),
              ElementsAre(1, 2, 0, 0, -1));
  EXPECT_EQ(
      std::string(MapFunctionsToModels(inv, "random", 2).status().message()),
      "mapping 'random': want 'stripe' or 'round_robin'");
  EXPECT_EQ(
      std::string(MapFunctionsToModels(inv, "stripe", 0).status().message()),
      "num_models must be >= 1, got 0");
}

TEST(MappingTest, ReplayByModelIsDeterministic) {
  // Hand file, first hour: f1 {10, 60}, f2 {20}, f3 {29}, f4 {40, 41, 42}.
  absl::StatusOr<AzureReplay> s =
      BuildAzureReplay(kHand, AzureFormat::kMaf2, 0, 3600, "stripe", 2);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(s->model_times[0], ElementsAre(20, 40, 41, 42));  // f4, f2
  EXPECT_THAT(s->model_times[1], ElementsAre(10, 29, 60));      // f1, f3
  absl::StatusOr<AzureReplay> rr =
      BuildAzureReplay(kHand, AzureFormat::kMaf2, 0, 3600, "round_robin", 2);
  ASSERT_TRUE(rr.ok()) << rr.status();
  EXPECT_THAT(rr->model_times[0], ElementsAre(10, 29, 60));      // f1, f3
  EXPECT_THAT(rr->model_times[1], ElementsAre(20, 40, 41, 42));  // f2, f4

  AzureSynthSpec spec;
  spec.num_functions = 50;
  spec.duration_s = 600;
  spec.seed = 7;
  const std::string a = TempPath("syn_a.txt"), b = TempPath("syn_b.txt");
  ASSERT_TRUE(WriteSyntheticMaf2(spec, a).ok());
  ASSERT_TRUE(WriteSyntheticMaf2(spec, b).ok());
  absl::StatusOr<AzureReplay> ra =
      BuildAzureReplay(a, AzureFormat::kMaf2, 0, 600, "stripe", 4);
  absl::StatusOr<AzureReplay> rb =
      BuildAzureReplay(b, AzureFormat::kMaf2, 0, 600, "stripe", 4);
  ASSERT_TRUE(ra.ok() && rb.ok());
  EXPECT_EQ(ra->model_times, rb->model_times);
  // Stripe gives model 0 the busiest function.
  for (int m = 1; m < 4; ++m) {
    EXPECT_GT(ra->model_times[0].size(), ra->model_times[m].size());
  }
}

// --- Estimates and synthesis
// --------------------------------------------------

std::vector<double> GammaTimes(double rate, double cv, double duration,
                               uint64_t seed) {
  auto p = MustCreate(absl::StrCat("gamma:rate=", rate, ",cv=", cv));
  return p->Generate(0, duration, seed);
}

TEST(EstimateTest, GapsRecoverRateAndCv) {
  // 200000 arrivals; the rate's standard error is cv / sqrt(n) = 0.45%, the
  // CV's a few times that: bounds of 3% and 5% are many standard errors.
  const std::vector<double> t = GammaTimes(4, 2, 50000, 1);
  std::vector<WindowEstimate> w = EstimateWindowsFromTimes(t, 50000, 10000);
  ASSERT_EQ(w.size(), 5u);
  for (const WindowEstimate& e : w) {
    EXPECT_EQ(e.length_s, 10000);
    EXPECT_NEAR(e.rate, 4, 4 * 0.05);
    EXPECT_NEAR(e.cv, 2, 2 * 0.1);
  }
  w = EstimateWindowsFromTimes(t, 50000, 50000);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].count, static_cast<int64_t>(t.size()));
  EXPECT_NEAR(w[0].rate, 4, 4 * 0.03);
  EXPECT_NEAR(w[0].cv, 2, 2 * 0.05);
  // The last window is cut at the end; few arrivals: cv 1.
  w = EstimateWindowsFromTimes({1, 2}, 25, 10);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[2].length_s, 5);
  EXPECT_EQ(w[0].rate, 0.2);
  EXPECT_EQ(w[0].cv, 1);
}

TEST(EstimateTest, CountsRecoverRateAndCv) {
  const std::vector<double> t = GammaTimes(4, 2, 120000, 2);
  std::vector<uint32_t> per_minute(2000, 0);
  for (double x : t) ++per_minute[static_cast<size_t>(x / 60)];
  std::vector<WindowEstimate> w = EstimateWindowsFromCounts(per_minute, 120000);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NEAR(w[0].rate, 4, 4 * 0.03);
  EXPECT_NEAR(w[0].cv, 2, 2 * 0.1);
}

// A one-function MAF2 file whose arrivals are a Gamma process.
std::string GammaMaf2(double rate, double cv, double duration) {
  std::string text = "app,func,end_timestamp,duration\n";
  for (double x : GammaTimes(rate, cv, duration, 3)) {
    absl::StrAppend(&text, "a,f,", absl::StrFormat("%.17g", x), ",0\n");
  }
  return WriteFile(absl::StrCat("gamma_", rate, "_", cv, ".txt"), text);
}

TEST(AzureProcessTest, RateAndCvScaling) {
  const std::string path = GammaMaf2(5, 2, 7200);
  const std::string base = absl::StrCat("azure:path=", path,
                                        ",end=0.2.0,arrival=gamma,"
                                        "interval_s=7200");
  auto plain = MustCreate(base);
  auto scaled = MustCreate(base + ",rate_scale=2,cv_scale=1.5");
  ASSERT_TRUE(plain && scaled);
  EXPECT_NEAR(plain->Rate(), 5, 5 * 0.05);
  EXPECT_NEAR(plain->Cv(), 2, 2 * 0.1);
  EXPECT_DOUBLE_EQ(scaled->Rate(), 2 * plain->Rate());
  EXPECT_DOUBLE_EQ(scaled->Cv(), 1.5 * plain->Cv());
  // The draws follow the scaled estimates: ~72000 arrivals.
  const std::vector<double> t = scaled->Generate(0, 7200, 11);
  ArrivalStats s = MeasureArrivals(t, 7200);
  EXPECT_NEAR(s.rate, scaled->Rate(), scaled->Rate() * 0.05);
  EXPECT_NEAR(s.cv, scaled->Cv(), scaled->Cv() * 0.1);
  // Same seed, same draws; a sub-range draws the same arrivals.
  EXPECT_EQ(scaled->Generate(0, 7200, 11), t);
  std::vector<double> part = scaled->Generate(1000, 500, 11);
  std::vector<double> want;
  for (double x : t) {
    if (x >= 1000 && x < 1500) want.push_back(x);
  }
  EXPECT_EQ(part, want);
  // Poisson: rate scaled, CV 1.
  auto poisson = MustCreate(absl::StrCat("azure:path=", path,
                                         ",end=0.2.0,arrival=poisson,"
                                         "interval_s=600,rate_scale=3"));
  ArrivalStats ps = MeasureArrivals(poisson->Generate(0, 7200, 5), 7200);
  EXPECT_NEAR(ps.rate, 15, 15 * 0.05);
  EXPECT_NEAR(ps.cv, 1, 0.05);
}

// total_rate: one factor for all models, from their arrivals together.
TEST(AzureProcessTest, TotalRateNormalisesTheWindow) {
  const std::string path = GammaMaf2(5, 2, 7200);
  const std::string base = absl::StrCat("azure:path=", path,
                                        ",end=0.2.0,arrival=gamma,"
                                        "interval_s=7200");
  auto plain = MustCreate(base);
  auto normal = MustCreate(base + ",total_rate=20");
  auto scaled = MustCreate(base + ",total_rate=20,rate_scale=1.5");
  ASSERT_TRUE(plain && normal && scaled);
  EXPECT_NEAR(normal->Rate(), 20, 1e-9);
  EXPECT_NEAR(scaled->Rate(), 30, 1e-9);
  EXPECT_DOUBLE_EQ(normal->Cv(), plain->Cv());
  // Two models: each keeps its share, together 20 req/s.
  auto m0 = MustCreate(base + ",total_rate=20,num_models=2,model_index=0");
  auto m1 = MustCreate(base + ",total_rate=20,num_models=2,model_index=1");
  ASSERT_TRUE(m0 && m1);
  EXPECT_NEAR(m0->Rate() + m1->Rate(), 20, 1e-9);
  EXPECT_EQ(m1->Rate(), 0);  // one function: all of it goes to model 0
  absl::StatusOr<std::unique_ptr<ArrivalProcess>> bad =
      Registry<ArrivalProcess>::Global().Create(
          absl::StrCat("azure:path=", kHand, ",total_rate=2"));
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("vanilla replays the trace as it is"));
}

TEST(AzureProcessTest, VanillaAndTimeScale) {
  auto p = MustCreate(absl::StrCat("azure:path=", kHand, ",end=0.1.0"));
  auto fast =
      MustCreate(absl::StrCat("azure:path=", kHand, ",end=0.1.0,time_scale=2"));
  ASSERT_TRUE(p && fast);
  EXPECT_THAT(p->Generate(0, 3600, 0), ElementsAre(10, 20, 29, 40, 41, 42, 60));
  EXPECT_THAT(fast->Generate(0, 3600, 0),
              ElementsAre(5, 10, 14.5, 20, 20.5, 21, 30));
  EXPECT_THAT(p->Generate(20, 21, 0), ElementsAre(20, 29, 40));
  EXPECT_DOUBLE_EQ(p->Rate(), 7.0 / 3600);
  EXPECT_DOUBLE_EQ(fast->Rate(), 14.0 / 3600);
  absl::StatusOr<std::unique_ptr<ArrivalProcess>> bad =
      Registry<ArrivalProcess>::Global().Create(
          absl::StrCat("azure:path=", kHand, ",rate_scale=2"));
  EXPECT_THAT(std::string(bad.status().message()),
              HasSubstr("vanilla replays the trace as it is"));
}

TEST(AzureProcessTest, WorkloadDealsFunctionsToModels) {
  WorkloadSpec spec;
  spec.num_models = 2;
  spec.process = absl::StrCat("azure:path=", kHand, ",end=0.1.0");
  spec.duration = 3600;
  absl::StatusOr<Workload> w = MakeWorkload(spec);
  ASSERT_TRUE(w.ok()) << w.status();
  std::vector<double> m0, m1;
  for (size_t i = 0; i < w->size(); ++i) {
    (w->model[i] == 0 ? m0 : m1).push_back(w->arrival_s[i]);
  }
  EXPECT_THAT(m0, ElementsAre(20, 40, 41, 42));
  EXPECT_THAT(m1, ElementsAre(10, 29, 60));
  spec.process += ",model_index=1";
  EXPECT_THAT(std::string(MakeWorkload(spec).status().message()),
              HasSubstr("leave out 'model_index'"));
}

TEST(AzureSynthTest, Maf1FilesReadBack) {
  AzureSynthSpec spec;
  spec.num_functions = 20;
  spec.days = 2;
  spec.mean_rate = 2;
  const std::string dir = TempPath("");
  ASSERT_TRUE(WriteSyntheticMaf1(spec, dir).ok());
  absl::StatusOr<AzureReplay> r =
      BuildAzureReplay(dir, AzureFormat::kMaf1, *ParseTraceTime("0.23.0"),
                       *ParseTraceTime("1.1.0"), "stripe", 3);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->rows_read, 40);
  // Left out, `end` is the last day file's end: 2 days.
  auto p = MustCreate(absl::StrCat("azure:path=", dir, ",format=maf1"));
  ASSERT_TRUE(p);
  EXPECT_THAT(p->Name(), HasSubstr("0.0.0-1.23.60"));
  EXPECT_NEAR(p->Rate(), 2, 0.2);
  int64_t n = 0;
  for (const auto& t : r->model_times) n += t.size();
  // 2 h at ~2/s (the diurnal low is near 02:00: between 1 and 2 / s).
  EXPECT_GT(n, 7200);
  EXPECT_LT(n, 14400);
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// A FIFO given as a trace blocked the reader forever; it is refused at once
// by both readers and by the format detection.
TEST(AzureInputTest, RefusesAFifo) {
  const std::string fifo = TempPath("azure_fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  const std::string want =
      "cannot read '" + fifo + "': not a regular file (a FIFO)";
  EXPECT_EQ(
      ReadMaf2(fifo, [](const Maf2Row&) { return absl::OkStatus(); }).message(),
      want);
  EXPECT_EQ(
      ReadMaf1(fifo, [](const struct Maf1Row&) { return absl::OkStatus(); })
          .message(),
      want);
  EXPECT_EQ(DetectAzureFormat(fifo).status().message(), want);
  ::unlink(fifo.c_str());
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// Sizes a user can type are bounded before anything is allocated: each of
// these was accepted and then exhausted the machine.
TEST(AzureBoundsTest, AMaf1CountBeyondTheRequestLimitIsRefusedUpFront) {
  std::string row = Maf1Row("o,a,f", {{1, 1}});
  row.replace(row.find(",http,1,") + 6, 1, "4000000000");
  const std::string path = WriteFile("huge1.csv", Maf1Header() + row);
  absl::StatusOr<AzureReplay> r =
      BuildAzureReplay(path, AzureFormat::kMaf1, 0, 60, "stripe", 1);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(),
            "the window of '" + path +
                "' holds 4000000000 invocations, more than the limit of "
                "500000000 requests (replaying them would take about 30 GiB "
                "of arrival times); choose a shorter window");
}

TEST(AzureBoundsTest, PiecesAndCvAreBounded) {
  const std::string base =
      "azure:path=workloads/testdata/azure/maf2_small.txt,end=0.0.30,"
      "arrival=gamma";
  auto error = [](const std::string& spec) {
    absl::StatusOr<std::unique_ptr<ArrivalProcess>> p =
        Registry<ArrivalProcess>::Global().Create(spec);
    return p.ok() ? std::string("accepted") : std::string(p.status().message());
  };
  EXPECT_THAT(error(base + ",interval_s=1e-9"),
              HasSubstr("interval_s=1e-09 cuts the 1800 s window into "
                        "1.8e+12 pieces, more than the limit of "
                        "1048576"));
  EXPECT_EQ(error(base + ",interval_s=0.001718"), "accepted");  // 2^20 pieces
  EXPECT_THAT(error(base + ",interval_s=300,cv_scale=1e10"),
              HasSubstr(", more than 100 (larger CVs make the gaps vanish)"));
  EXPECT_EQ(error(base + ",interval_s=300,cv_scale=2"), "accepted");
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// A header-only file or a window past the end of the data gave a workload of
// zero requests and exit 0; refused with the reason.
TEST(AzureEmptyTest, EmptyWindowsAreRefusedWithTheReason) {
  auto error = [](const std::string& spec) {
    absl::StatusOr<std::unique_ptr<ArrivalProcess>> p =
        Registry<ArrivalProcess>::Global().Create(spec);
    return p.ok() ? std::string("accepted") : std::string(p.status().message());
  };
  const std::string header_only =
      WriteFile("maf2_header.txt", "app,func,end_timestamp,duration\n");
  EXPECT_THAT(error("azure:path=" + header_only + ",format=maf2,end=0.0.30"),
              HasSubstr("has no invocations (the file has no data rows, "
                        "only its header)"));
  const std::string maf1_header = WriteFile("maf1_header.csv", Maf1Header());
  EXPECT_THAT(error("azure:path=" + maf1_header + ",end=0.0.30"),
              HasSubstr("only its header"));
  EXPECT_THAT(error("azure:path=workloads/testdata/azure/maf2_small.txt,"
                    "start=5.0.0,end=5.1.0"),
              HasSubstr("data rows, none in the window: it may lie past the "
                        "end of the data"));
}

}  // namespace
}  // namespace multiplex
