#include "workloads/azure_trace.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/charconv.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/status_macros.h"
#include "workloads/line_reader.h"

namespace multiplex {
namespace {

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                             1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Decimal text -> double, correctly rounded. Fast path (Clinger): plain
// "ddd.ddd" with a significand below 2^53 and at most 22 fraction digits is
// exactly significand / 10^k, one correctly rounded division of two exact
// doubles (the traces' timestamps and durations all take it); anything else
// goes to absl::from_chars.
bool ParseDouble(absl::string_view s, double* out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  {
    const char* p = s.data();
    uint64_t mant = 0;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) {
      mant = mant * 10 + (*p++ - '0');
    }
    const ptrdiff_t int_digits = p - s.data();
    ptrdiff_t frac = 0;
    if (p < end && *p == '.') {
      const char* f = ++p;
      while (p < end && static_cast<unsigned>(*p - '0') < 10) {
        mant = mant * 10 + (*p++ - '0');
      }
      frac = p - f;
    }
    // At most 19 digits: no overflow of mant.
    if (p == end && int_digits + frac > 0 && int_digits + frac <= 19 &&
        mant <= (uint64_t{1} << 53) && frac <= 22) {
      *out = static_cast<double>(mant) / kPow10[frac];
      return true;
    }
  }
  absl::from_chars_result r = absl::from_chars(s.data(), end, *out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(*out);
}

bool ParseCount(absl::string_view s, uint32_t* out) {
  if (s.empty() || s.size() > 9) {
    // Up to 9 digits always fit; longer only with leading zeros.
    uint64_t v = 0;
    if (s.empty()) return false;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
      if (v > UINT32_MAX) return false;
    }
    *out = static_cast<uint32_t>(v);
    return true;
  }
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

std::string Shorten(absl::string_view s) {
  if (s.size() <= 40) return std::string(s);
  return absl::StrCat(s.substr(0, 40), "...");
}

constexpr absl::string_view kMaf2Header = "app,func,end_timestamp,duration";

absl::Status CheckMaf1Header(const LineReader& r, absl::string_view line) {
  std::vector<absl::string_view> f = absl::StrSplit(line, ',');
  if (f.size() != 4 + kMaf1MinutesPerDay || f[0] != "HashOwner" ||
      f[1] != "HashApp" || f[2] != "HashFunction" || f[3] != "Trigger") {
    return r.Error(absl::StrCat(
        "not a MAF1 header (want HashOwner,HashApp,HashFunction,Trigger,1,...,",
        kMaf1MinutesPerDay, "), got '", Shorten(line), "'"));
  }
  for (int m = 1; m <= kMaf1MinutesPerDay; ++m) {
    if (f[3 + m] != absl::StrCat(m)) {
      return r.Error(absl::StrCat("MAF1 header: column ", 4 + m, " should be '",
                                  m, "', got '", Shorten(f[3 + m]), "'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

const char* AzureFormatName(AzureFormat format) {
  return format == AzureFormat::kMaf1 ? "maf1" : "maf2";
}

std::string Maf1DayFileName(int day) {
  return absl::StrFormat("invocations_per_function_md.anon.d%02d.csv", day + 1);
}

absl::Status ReadMaf2(const std::string& path,
                      absl::FunctionRef<absl::Status(const Maf2Row&)> fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r, LineReader::Open(path));
  absl::string_view line;
  ASSIGN_OR_RETURN(bool more, r->Next(&line));
  if (!more) return r->Error("empty file: want a MAF2 header");
  if (line != kMaf2Header) {
    return r->Error(absl::StrCat("not a MAF2 header (want '", kMaf2Header,
                                 "'), got '", Shorten(line), "'"));
  }
  Maf2Row row;
  while (true) {
    ASSIGN_OR_RETURN(more, r->Next(&line));
    if (!more) break;
    const char* p = line.data();
    const char* e = p + line.size();
    const char* c1 = static_cast<const char*>(std::memchr(p, ',', e - p));
    const char* c2 =
        c1 ? static_cast<const char*>(std::memchr(c1 + 1, ',', e - c1 - 1))
           : nullptr;
    const char* c3 =
        c2 ? static_cast<const char*>(std::memchr(c2 + 1, ',', e - c2 - 1))
           : nullptr;
    if (c3 == nullptr || std::memchr(c3 + 1, ',', e - c3 - 1) != nullptr) {
      return r->Error(absl::StrCat(
          "want 4 comma-separated fields (app,func,end_timestamp,duration), "
          "got '",
          Shorten(line), "'"));
    }
    row.app = absl::string_view(p, c1 - p);
    row.func = absl::string_view(c1 + 1, c2 - c1 - 1);
    row.key = absl::string_view(p, c2 - p);
    if (row.app.empty() || row.func.empty()) {
      return r->Error("empty app or func");
    }
    const absl::string_view end_text(c2 + 1, c3 - c2 - 1);
    const absl::string_view dur_text(c3 + 1, e - c3 - 1);
    if (!ParseDouble(end_text, &row.end_timestamp)) {
      return r->Error(absl::StrCat("end_timestamp: not a finite number: '",
                                   Shorten(end_text), "'"));
    }
    if (!ParseDouble(dur_text, &row.duration) || row.duration < 0) {
      return r->Error(absl::StrCat("duration: not a finite number >= 0: '",
                                   Shorten(dur_text), "'"));
    }
    row.line = r->line_no();
    RETURN_IF_ERROR(fn(row));
  }
  return absl::OkStatus();
}

absl::Status ReadMaf1(const std::string& path,
                      absl::FunctionRef<absl::Status(const Maf1Row&)> fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r, LineReader::Open(path));
  absl::string_view line;
  ASSIGN_OR_RETURN(bool more, r->Next(&line));
  if (!more) return r->Error("empty file: want a MAF1 header");
  RETURN_IF_ERROR(CheckMaf1Header(*r, line));
  std::vector<uint32_t> counts(kMaf1MinutesPerDay);
  Maf1Row row;
  row.per_minute = counts.data();
  while (true) {
    ASSIGN_OR_RETURN(more, r->Next(&line));
    if (!more) break;
    const char* p = line.data();
    const char* e = p + line.size();
    absl::string_view head[4];
    for (int i = 0; i < 4; ++i) {
      const char* c = static_cast<const char*>(std::memchr(p, ',', e - p));
      if (c == nullptr) {
        return r->Error(absl::StrCat("want ", 4 + kMaf1MinutesPerDay,
                                     " comma-separated fields, got ", i + 1));
      }
      head[i] = absl::string_view(p, c - p);
      p = c + 1;
    }
    row.owner = head[0];
    row.app = head[1];
    row.func = head[2];
    row.trigger = head[3];
    row.key = absl::string_view(line.data(),
                                head[2].data() + head[2].size() - line.data());
    if (row.owner.empty() || row.app.empty() || row.func.empty()) {
      return r->Error("empty HashOwner, HashApp or HashFunction");
    }
    for (int m = 0; m < kMaf1MinutesPerDay; ++m) {
      const char* c = static_cast<const char*>(std::memchr(p, ',', e - p));
      const bool last = m == kMaf1MinutesPerDay - 1;
      if ((c == nullptr) != last) {
        return r->Error(absl::StrCat("want ", 4 + kMaf1MinutesPerDay,
                                     " comma-separated fields, got ",
                                     last ? "more" : absl::StrCat(5 + m)));
      }
      const char* fe = last ? e : c;
      if (!ParseCount(absl::string_view(p, fe - p), &counts[m])) {
        return r->Error(
            absl::StrCat("minute ", m + 1, ": not a count (integer >= 0): '",
                         Shorten(absl::string_view(p, fe - p)), "'"));
      }
      p = fe + 1;
    }
    row.line = r->line_no();
    RETURN_IF_ERROR(fn(row));
  }
  return absl::OkStatus();
}

absl::StatusOr<AzureFormat> DetectAzureFormat(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return AzureFormat::kMaf1;
  }
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r, LineReader::Open(path));
  absl::string_view line;
  ASSIGN_OR_RETURN(bool more, r->Next(&line));
  if (more && line == kMaf2Header) return AzureFormat::kMaf2;
  if (more && absl::StartsWith(line, "HashOwner,")) return AzureFormat::kMaf1;
  return r->Error(absl::StrCat(
      "neither a MAF1 header (HashOwner,HashApp,HashFunction,Trigger,1,...) "
      "nor a MAF2 header (",
      kMaf2Header, "): '", Shorten(more ? line : ""), "'"));
}

absl::StatusOr<double> ParseTraceTime(absl::string_view text) {
  std::vector<absl::string_view> f = absl::StrSplit(text, '.');
  int v[3];
  bool ok = f.size() == 3;
  for (int i = 0; ok && i < 3; ++i) {
    ok = !f[i].empty() && f[i].size() <= 6 &&
         std::all_of(f[i].begin(), f[i].end(),
                     [](char c) { return c >= '0' && c <= '9'; }) &&
         absl::SimpleAtoi(f[i], &v[i]);
  }
  if (ok) ok = v[1] <= 24 && v[2] <= 60;
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "time '", text,
        "': want day.hour.minute, non-negative integers, hour <= 24, minute "
        "<= 60 (e.g. 0.1.0: one hour in)"));
  }
  return ((v[0] * 24.0 + v[1]) * 60.0 + v[2]) * 60.0;
}

absl::StatusOr<std::vector<int>> MapFunctionsToModels(
    const std::vector<int64_t>& invocations, absl::string_view strategy,
    int num_models) {
  if (num_models < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_models must be >= 1, got ", num_models));
  }
  std::vector<int> order;
  for (size_t f = 0; f < invocations.size(); ++f) {
    if (invocations[f] > 0) order.push_back(static_cast<int>(f));
  }
  if (strategy == "stripe") {
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return invocations[a] > invocations[b];
    });
  } else if (strategy != "round_robin") {
    return absl::InvalidArgumentError(absl::StrCat(
        "mapping '", strategy, "': want 'stripe' or 'round_robin'"));
  }
  std::vector<int> model(invocations.size(), -1);
  for (size_t i = 0; i < order.size(); ++i) {
    model[order[i]] = static_cast<int>(i % num_models);
  }
  return model;
}

namespace {

// Function ids ("app,func" or "owner,app,func") to dense indices in order of
// first appearance.
class FunctionIndex {
 public:
  int Find(absl::string_view key) {
    auto it = index_.find(key);
    if (it != index_.end()) return it->second;
    const int id = static_cast<int>(index_.size());
    index_.emplace(std::string(key), id);
    return id;
  }
  size_t size() const { return index_.size(); }

 private:
  absl::flat_hash_map<std::string, int> index_;
};

}  // namespace

absl::StatusOr<AzureReplay> BuildAzureReplay(const std::string& path,
                                             AzureFormat format, double start_s,
                                             double end_s,
                                             absl::string_view mapping,
                                             int num_models) {
  if (!(start_s >= 0) || !(end_s > start_s) || !std::isfinite(end_s)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "window [", start_s, ", ", end_s, ") s: want 0 <= start < end"));
  }
  if (num_models < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("num_models must be >= 1, got ", num_models));
  }
  AzureReplay out;
  out.format = format;
  out.window_s = end_s - start_s;
  out.num_models = num_models;
  FunctionIndex index;
  std::vector<int64_t> invocations;

  if (format == AzureFormat::kMaf2) {
    // Per function: arrival times in the window (relative to its start).
    std::vector<std::vector<double>> times;
    RETURN_IF_ERROR(ReadMaf2(path, [&](const Maf2Row& row) -> absl::Status {
      ++out.rows_read;
      const double t = row.end_timestamp - row.duration;
      if (!(t >= start_s && t < end_s)) return absl::OkStatus();
      const int f = index.Find(row.key);
      if (f == static_cast<int>(times.size())) times.emplace_back();
      times[f].push_back(t - start_s);
      return absl::OkStatus();
    }));
    for (const auto& t : times) invocations.push_back(t.size());
    ASSIGN_OR_RETURN(const std::vector<int> model,
                     MapFunctionsToModels(invocations, mapping, num_models));
    out.model_times.resize(num_models);
    for (size_t f = 0; f < times.size(); ++f) {
      std::vector<double>& dst = out.model_times[model[f]];
      dst.insert(dst.end(), times[f].begin(), times[f].end());
      std::vector<double>().swap(times[f]);
    }
    for (auto& t : out.model_times) std::sort(t.begin(), t.end());
    out.num_functions = static_cast<int64_t>(times.size());
    return out;
  }

  // MAF1: whole minutes only.
  const double start_min = start_s / 60, end_min = end_s / 60;
  if (start_min != std::floor(start_min) || end_min != std::floor(end_min)) {
    return absl::InvalidArgumentError(
        "a MAF1 window must start and end on whole minutes");
  }
  const int64_t m0 = static_cast<int64_t>(start_min);
  const int64_t m1 = static_cast<int64_t>(end_min);
  const int64_t minutes = m1 - m0;
  // Per function: (minute in window, count) for non-zero minutes.
  std::vector<std::vector<std::pair<int32_t, uint32_t>>> counts;
  struct stat st;
  const bool is_dir = stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  const int first_day = static_cast<int>(m0 / kMaf1MinutesPerDay);
  const int last_day = static_cast<int>((m1 - 1) / kMaf1MinutesPerDay);
  if (!is_dir && last_day > 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", path, "' is one MAF1 day file (day 0); the window reaches day ",
        last_day, ": give the directory of day files instead"));
  }
  for (int day = first_day; day <= last_day; ++day) {
    const std::string file =
        is_dir ? absl::StrCat(path, "/", Maf1DayFileName(day)) : path;
    const int64_t day_m0 = int64_t{day} * kMaf1MinutesPerDay;
    const int lo = static_cast<int>(std::max<int64_t>(m0 - day_m0, 0));
    const int hi =
        static_cast<int>(std::min<int64_t>(m1 - day_m0, kMaf1MinutesPerDay));
    RETURN_IF_ERROR(ReadMaf1(file, [&](const Maf1Row& row) -> absl::Status {
      ++out.rows_read;
      int64_t sum = 0;
      for (int m = lo; m < hi; ++m) sum += row.per_minute[m];
      if (sum == 0) return absl::OkStatus();
      const int f = index.Find(row.key);
      if (f == static_cast<int>(counts.size())) counts.emplace_back();
      for (int m = lo; m < hi; ++m) {
        if (row.per_minute[m] > 0) {
          counts[f].emplace_back(static_cast<int32_t>(day_m0 + m - m0),
                                 row.per_minute[m]);
        }
      }
      return absl::OkStatus();
    }));
  }
  int64_t total = 0;
  for (const auto& c : counts) {
    int64_t sum = 0;
    for (const auto& [m, k] : c) sum += k;
    invocations.push_back(sum);
    total += sum;
  }
  // Every invocation becomes an arrival time: bounded before they are
  // allocated (a count of 4e9 in one minute would take 32 GB). The bound
  // also keeps each minute's sum over functions within uint32_t.
  if (total > kMaxRequests) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the window of '", path, "' holds ", total,
                     " invocations, more than the limit of ", kMaxRequests,
                     " requests (replaying them would take about ",
                     FormatDoubleExact(std::ceil(total * 8.0 / (1 << 30))),
                     " GiB of arrival times); choose a shorter window"));
  }
  ASSIGN_OR_RETURN(const std::vector<int> model,
                   MapFunctionsToModels(invocations, mapping, num_models));
  out.model_minute_counts.assign(num_models, std::vector<uint32_t>(minutes, 0));
  for (size_t f = 0; f < counts.size(); ++f) {
    std::vector<uint32_t>& dst = out.model_minute_counts[model[f]];
    for (const auto& [m, k] : counts[f]) dst[m] += k;
  }
  out.model_times.resize(num_models);
  for (int i = 0; i < num_models; ++i) {
    const std::vector<uint32_t>& c = out.model_minute_counts[i];
    std::vector<double>& t = out.model_times[i];
    t.reserve(std::accumulate(c.begin(), c.end(), int64_t{0}));
    for (int64_t m = 0; m < minutes; ++m) {
      const uint32_t k = c[m];
      for (uint32_t j = 0; j < k; ++j) {
        t.push_back(m * 60.0 + (j + 0.5) * 60.0 / k);
      }
    }
  }
  out.num_functions = static_cast<int64_t>(counts.size());
  return out;
}

std::vector<WindowEstimate> EstimateWindowsFromTimes(
    const std::vector<double>& times, double total_s, double interval_s) {
  std::vector<WindowEstimate> out;
  size_t i = 0;
  for (double ws = 0; ws < total_s; ws += interval_s) {
    WindowEstimate w;
    w.start_s = ws;
    w.length_s = std::min(interval_s, total_s - ws);
    const double we = ws + w.length_s;
    while (i < times.size() && times[i] < ws) ++i;
    const size_t first = i;
    while (i < times.size() && times[i] < we) ++i;
    w.count = static_cast<int64_t>(i - first);
    w.rate = w.count / w.length_s;
    if (w.count >= 3) {
      const size_t gaps = w.count - 1;
      double sum = 0, sum2 = 0;
      for (size_t k = first + 1; k < i; ++k) {
        const double g = times[k] - times[k - 1];
        sum += g;
        sum2 += g * g;
      }
      const double mean = sum / gaps;
      const double var = std::max(0.0, sum2 / gaps - mean * mean);
      w.cv = mean > 0 ? std::sqrt(var) / mean : 1.0;
      if (!(w.cv > 0)) w.cv = kMinCountCv;
    }
    out.push_back(w);
  }
  return out;
}

std::vector<WindowEstimate> EstimateWindowsFromCounts(
    const std::vector<uint32_t>& per_minute, double interval_s) {
  std::vector<WindowEstimate> out;
  const int64_t per = std::max<int64_t>(1, std::llround(interval_s / 60));
  const int64_t n = static_cast<int64_t>(per_minute.size());
  for (int64_t m = 0; m < n; m += per) {
    const int64_t e = std::min(n, m + per);
    WindowEstimate w;
    w.start_s = m * 60.0;
    w.length_s = (e - m) * 60.0;
    double sum = 0, sum2 = 0;
    for (int64_t k = m; k < e; ++k) {
      sum += per_minute[k];
      sum2 += static_cast<double>(per_minute[k]) * per_minute[k];
    }
    w.count = static_cast<int64_t>(sum);
    w.rate = sum / w.length_s;
    const double mean = sum / (e - m);
    const double var = std::max(0.0, sum2 / (e - m) - mean * mean);
    w.cv = mean > 0 ? std::max(kMinCountCv, std::sqrt(var / mean)) : 1.0;
    out.push_back(w);
  }
  return out;
}

}  // namespace multiplex
