// Fuzz target of the Azure Functions trace readers (workloads/azure_trace.h):
// any bytes, read as a MAF2 file and as a MAF1 day file, give a replay or an
// error, never a crash, a hang or an allocation beyond the request limit;
// what they accept keeps the readers' promises (per model, sorted arrival
// times inside the window, at most kMaxRequests of them; per-minute counts
// that sum to the arrivals), and the window estimates cover the window.
// Corpus: testdata/azure_trace_fuzzer/ (docs/fuzzing.md).

#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/limits.h"
#include "core/testing/fuzz_check.h"
#include "workloads/azure_trace.h"

namespace {

// One scratch file per process, rewritten for every input.
const std::string& ScratchPath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TEST_TMPDIR");
    return absl::StrCat(dir != nullptr ? dir : "/tmp", "/azure_fuzz_",
                        ::getpid(), ".txt");
  }();
  return path;
}

void CheckReplay(const multiplex::AzureReplay& r, double window_s,
                 int num_models) {
  using namespace multiplex;
  FUZZ_CHECK(r.window_s == window_s, "window ", r.window_s);
  FUZZ_CHECK(static_cast<int>(r.model_times.size()) == num_models,
             r.model_times.size(), " models");
  int64_t total = 0;
  for (const std::vector<double>& t : r.model_times) {
    for (size_t i = 0; i < t.size(); ++i) {
      FUZZ_CHECK(t[i] >= 0 && t[i] < window_s && (i == 0 || t[i] >= t[i - 1]),
                 "arrival ", i, " at ", t[i]);
    }
    total += static_cast<int64_t>(t.size());
  }
  FUZZ_CHECK(total <= kMaxRequests, total, " arrivals");
  if (r.format == AzureFormat::kMaf1) {
    for (int m = 0; m < num_models; ++m) {
      const std::vector<uint32_t>& c = r.model_minute_counts[m];
      FUZZ_CHECK(std::accumulate(c.begin(), c.end(), int64_t{0}) ==
                     static_cast<int64_t>(r.model_times[m].size()),
                 "model ", m, ": counts and arrivals differ");
      const std::vector<WindowEstimate> w = EstimateWindowsFromCounts(c, 600);
      double covered = 0;
      for (const WindowEstimate& e : w) {
        FUZZ_CHECK(std::isfinite(e.rate) && e.rate >= 0 && e.cv > 0,
                   "estimate rate ", e.rate, " cv ", e.cv);
        covered += e.length_s;
      }
      FUZZ_CHECK(covered == window_s, "estimates cover ", covered);
    }
  } else {
    for (int m = 0; m < num_models; ++m) {
      const std::vector<WindowEstimate> w =
          EstimateWindowsFromTimes(r.model_times[m], window_s, 600);
      for (const WindowEstimate& e : w) {
        FUZZ_CHECK(std::isfinite(e.rate) && e.rate >= 0 && std::isfinite(e.cv),
                   "estimate rate ", e.rate, " cv ", e.cv);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace multiplex;
  const std::string& path = ScratchPath();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  FUZZ_CHECK(f != nullptr, "cannot write ", path);
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  (void)DetectAzureFormat(path);  // an answer or an error
  // MAF2: the first hour for 3 models; MAF1: the day for 2.
  absl::StatusOr<AzureReplay> maf2 =
      BuildAzureReplay(path, AzureFormat::kMaf2, 0, 3600, "stripe", 3);
  if (maf2.ok()) CheckReplay(*maf2, 3600, 3);
  absl::StatusOr<AzureReplay> maf1 =
      BuildAzureReplay(path, AzureFormat::kMaf1, 0, 86400, "round_robin", 2);
  if (maf1.ok()) CheckReplay(*maf1, 86400, 2);
  for (const absl::Status& s : {maf1.status(), maf2.status()}) {
    FUZZ_CHECK(s.ok() || !s.message().empty(), "an error without a message");
  }
  ::unlink(path.c_str());
  return 0;
}
