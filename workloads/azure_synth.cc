#include "workloads/azure_synth.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"
#include "workloads/azure_trace.h"
#include "workloads/random.h"

namespace multiplex {
namespace {

constexpr double kPi = 3.14159265358979323846;

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Hash(uint64_t seed, uint64_t salt, uint64_t i) {
  std::string out;
  for (uint64_t k = 0; k < 4; ++k) {
    absl::StrAppendFormat(&out, "%016x", Mix(Mix(seed ^ salt) + i * 4 + k));
  }
  return out;
}

absl::Status CheckSpec(const AzureSynthSpec& s) {
  if (s.num_functions < 1 || s.num_apps < 0 || !(s.zipf >= 0) ||
      !(s.diurnal >= 0 && s.diurnal < 1) || !(s.mean_rate > 0) ||
      !(s.duration_s > 0) || s.days < 1 || s.days > 99) {
    return absl::InvalidArgumentError(
        "synthetic trace: want num_functions >= 1, num_apps >= 0, zipf >= 0, "
        "0 <= diurnal < 1, mean_rate > 0, duration_s > 0, 1 <= days <= 99");
  }
  return absl::OkStatus();
}

// The functions: ids and popularity.
struct Functions {
  std::vector<std::string> owner, app, func, trigger;
  std::vector<double> weight;  // sums to 1
  std::vector<double> cumulative;
  std::vector<double> log_median_duration;
};

Functions MakeFunctions(const AzureSynthSpec& s) {
  Functions f;
  const int n = s.num_functions;
  const int apps = s.num_apps > 0 ? s.num_apps : n / 3 + 1;
  Rng rng(Mix(s.seed ^ 0x5eed));
  std::vector<int> rank(n);
  std::iota(rank.begin(), rank.end(), 1);
  for (int i = n - 1; i > 0; --i) {
    std::swap(rank[i], rank[rng.UniformInt(i + 1)]);
  }
  static const char* kTriggers[] = {
      "http", "timer", "queue", "event", "storage", "orchestration", "others"};
  double total = 0;
  for (int i = 0; i < n; ++i) {
    const int a = static_cast<int>(rng.UniformInt(apps));
    f.owner.push_back(Hash(s.seed, 1, a / 2));
    f.app.push_back(Hash(s.seed, 2, a));
    f.func.push_back(Hash(s.seed, 3, i));
    f.trigger.push_back(kTriggers[rng.UniformInt(7)]);
    f.weight.push_back(1.0 / std::pow(rank[i], s.zipf));
    total += f.weight.back();
    f.log_median_duration.push_back(std::log(0.05) +
                                    rng.Uniform() * std::log(100.0));
  }
  double c = 0;
  for (double& w : f.weight) {
    w /= total;
    c += w;
    f.cumulative.push_back(c);
  }
  f.cumulative.back() = 1.0;
  return f;
}

double Diurnal(const AzureSynthSpec& s, double t) {
  return 1 + s.diurnal * std::sin(2 * kPi * (t / 86400.0 - 1.0 / 3));
}

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

absl::StatusOr<std::unique_ptr<FILE, FileCloser>> Create(
    const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("cannot write '", path, "'"));
  }
  return std::unique_ptr<FILE, FileCloser>(f);
}

absl::Status Close(std::unique_ptr<FILE, FileCloser> f,
                   const std::string& path) {
  const bool bad = std::ferror(f.get()) != 0;
  if (std::fclose(f.release()) != 0 || bad) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("cannot write '", path, "'"));
  }
  return absl::OkStatus();
}

uint32_t Poisson(Rng& rng, double mean) {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const double limit = std::exp(-mean);
    double p = rng.Uniform();
    uint32_t k = 0;
    while (p > limit) {
      p *= rng.Uniform();
      ++k;
    }
    return k;
  }
  return static_cast<uint32_t>(
      std::max(0.0, std::round(mean + std::sqrt(mean) * rng.Normal())));
}

}  // namespace

absl::Status WriteSyntheticMaf2(const AzureSynthSpec& s,
                                const std::string& path) {
  RETURN_IF_ERROR(CheckSpec(s));
  const Functions f = MakeFunctions(s);
  ASSIGN_OR_RETURN(auto out, Create(path));
  std::fputs("app,func,end_timestamp,duration\n", out.get());
  Rng rng(Mix(s.seed ^ 0x2021));
  const double max_rate = s.mean_rate * (1 + s.diurnal);
  double t = 0;
  int64_t rows = 0;
  char line[512];
  while (s.max_rows < 0 || rows < s.max_rows) {
    t += rng.Exponential() / max_rate;
    if (!(t < s.duration_s)) break;
    if (rng.Uniform() * (1 + s.diurnal) > Diurnal(s, t)) continue;
    const size_t i = std::lower_bound(f.cumulative.begin(), f.cumulative.end(),
                                      rng.Uniform()) -
                     f.cumulative.begin();
    // Durations in ms resolution, as end_timestamp - duration is the
    // arrival: both printed to 1e-6 s.
    const double duration =
        std::round(std::exp(f.log_median_duration[i] + 0.5 * rng.Normal()) *
                   1e3) /
        1e3;
    const int n =
        std::snprintf(line, sizeof(line), "%s,%s,%.6f,%.3f\n", f.app[i].c_str(),
                      f.func[i].c_str(), t + duration, duration);
    std::fwrite(line, 1, n, out.get());
    ++rows;
  }
  return Close(std::move(out), path);
}

absl::Status WriteSyntheticMaf1(const AzureSynthSpec& s,
                                const std::string& dir) {
  RETURN_IF_ERROR(CheckSpec(s));
  const Functions f = MakeFunctions(s);
  Rng rng(Mix(s.seed ^ 0x2019));
  for (int day = 0; day < s.days; ++day) {
    const std::string path = absl::StrCat(dir, "/", Maf1DayFileName(day));
    ASSIGN_OR_RETURN(auto out, Create(path));
    std::string header = "HashOwner,HashApp,HashFunction,Trigger";
    for (int m = 1; m <= kMaf1MinutesPerDay; ++m) {
      absl::StrAppend(&header, ",", m);
    }
    header += "\n";
    std::fputs(header.c_str(), out.get());
    std::string row;
    for (size_t i = 0; i < f.weight.size(); ++i) {
      row = absl::StrCat(f.owner[i], ",", f.app[i], ",", f.func[i], ",",
                         f.trigger[i]);
      for (int m = 0; m < kMaf1MinutesPerDay; ++m) {
        const double t = (day * kMaf1MinutesPerDay + m + 0.5) * 60;
        absl::StrAppend(
            &row, ",",
            Poisson(rng, s.mean_rate * f.weight[i] * Diurnal(s, t) * 60));
      }
      row += "\n";
      std::fwrite(row.data(), 1, row.size(), out.get());
    }
    RETURN_IF_ERROR(Close(std::move(out), path));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
