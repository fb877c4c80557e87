#include "workloads/llm_trace.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/charconv.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/limits.h"
#include "core/status_macros.h"
#include "workloads/lengths.h"
#include "workloads/line_reader.h"
#include "workloads/random.h"

namespace multiplex {
namespace {

// Token traces have short lines; a longer one is a malformed file.
constexpr size_t kMaxLineBytes = size_t{1} << 16;

std::string Shorten(absl::string_view s) {
  return s.size() <= 80 ? std::string(s) : absl::StrCat(s.substr(0, 77), "...");
}

// A token count: decimal digits only, 0..kMaxRequestTokens.
bool ParseTokens(absl::string_view s, int32_t* out) {
  if (s.empty() || s.size() > 9) return false;
  int64_t v = 0;
  for (char c : s) {
    const unsigned d = static_cast<unsigned>(c - '0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  if (v > kMaxRequestTokens) return false;
  *out = static_cast<int32_t>(v);
  return true;
}

constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// Decimal "ddd[.ddd]" -> double, correctly rounded (an exact significand
// below 2^53 divided by an exact power of ten); other forms go to
// absl::from_chars. Finite and >= 0 only.
bool ParseSeconds(absl::string_view s, double* out) {
  if (s.empty()) return false;
  const char* p = s.data();
  const char* const end = p + s.size();
  uint64_t mant = 0;
  int digits = 0;
  while (p < end && static_cast<unsigned>(*p - '0') < 10) {
    mant = mant * 10 + (*p++ - '0');
    ++digits;
  }
  int frac = 0;
  if (p < end && *p == '.') {
    ++p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10) {
      mant = mant * 10 + (*p++ - '0');
      ++frac;
    }
  }
  if (p == end && digits + frac > 0 && digits + frac <= 15) {
    *out = static_cast<double>(mant) / kPow10[frac];
    return true;
  }
  const absl::from_chars_result r = absl::from_chars(s.data(), end, *out);
  return r.ec == std::errc() && r.ptr == end && std::isfinite(*out) &&
         *out >= 0;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's
// days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// The inverse: days since 1970-01-01 -> y, m, d.
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(const char* p, int n, int* out) {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned>(p[i] - '0');
    if (d > 9) return false;
    v = v * 10 + static_cast<int>(d);
  }
  *out = v;
  return true;
}

const char* FieldEnd(const char* p, const char* e) {
  const char* c = static_cast<const char*>(std::memchr(p, ',', e - p));
  return c == nullptr ? e : c;
}

absl::Status ReadAzure(LineReader& r,
                       absl::FunctionRef<absl::Status(const LlmTraceRow&)> fn) {
  absl::string_view line;
  LlmTraceRow row;
  bool first = true;
  int64_t origin = 0;
  while (true) {
    ASSIGN_OR_RETURN(const bool more, r.Next(&line));
    if (!more) return absl::OkStatus();
    const char* p = line.data();
    const char* e = p + line.size();
    const char* c1 = FieldEnd(p, e);
    const char* c2 = c1 == e ? e : FieldEnd(c1 + 1, e);
    if (c2 == e || FieldEnd(c2 + 1, e) != e) {
      return r.Error(
          absl::StrCat("want 3 comma-separated fields (TIMESTAMP,ContextTokens,"
                       "GeneratedTokens), got '",
                       Shorten(line), "'"));
    }
    const absl::string_view ts(p, c1 - p);
    int64_t seconds;
    double fraction;
    if (!ParseLlmTimestamp(ts, &seconds, &fraction)) {
      return r.Error(absl::StrCat("bad TIMESTAMP '", Shorten(ts),
                                  "' (want YYYY-MM-DD HH:MM:SS[.fraction])"));
    }
    if (first) {
      origin = seconds;
      first = false;
    }
    row.time_s = static_cast<double>(seconds - origin) + fraction;
    if (!ParseTokens(absl::string_view(c1 + 1, c2 - c1 - 1),
                     &row.prompt_tokens)) {
      return r.Error(absl::StrCat(
          "ContextTokens '", Shorten(absl::string_view(c1 + 1, c2 - c1 - 1)),
          "': want an integer from 0 to ", kMaxRequestTokens));
    }
    if (!ParseTokens(absl::string_view(c2 + 1, e - c2 - 1),
                     &row.output_tokens)) {
      return r.Error(absl::StrCat(
          "GeneratedTokens '", Shorten(absl::string_view(c2 + 1, e - c2 - 1)),
          "': want an integer from 0 to ", kMaxRequestTokens));
    }
    row.line = r.line_no();
    RETURN_IF_ERROR(fn(row));
  }
}

absl::Status ReadBurstGpt(
    LineReader& r, absl::FunctionRef<absl::Status(const LlmTraceRow&)> fn) {
  absl::string_view line;
  LlmTraceRow row;
  while (true) {
    ASSIGN_OR_RETURN(const bool more, r.Next(&line));
    if (!more) return absl::OkStatus();
    const char* p = line.data();
    const char* const e = p + line.size();
    absl::string_view f[6];
    int n = 0;  // fields seen (7 means more than 6)
    while (true) {
      const char* c = FieldEnd(p, e);
      if (n < 6) f[n] = absl::string_view(p, c - p);
      ++n;
      if (c == e || n > 6) break;
      p = c + 1;
    }
    if (n != 6) {
      return r.Error(absl::StrCat(
          "want 6 comma-separated fields (Timestamp,Model,Request tokens,"
          "Response tokens,Total tokens,Log Type), got '",
          Shorten(line), "'"));
    }
    if (!ParseSeconds(f[0], &row.time_s)) {
      return r.Error(absl::StrCat("Timestamp '", Shorten(f[0]),
                                  "': want seconds, a finite number >= 0"));
    }
    if (f[1].empty()) return r.Error("empty Model");
    static constexpr const char* kNames[3] = {
        "Request tokens", "Response tokens", "Total tokens"};
    int32_t tokens[3];
    for (int k = 0; k < 3; ++k) {
      if (!ParseTokens(f[2 + k], &tokens[k])) {
        return r.Error(absl::StrCat(kNames[k], " '", Shorten(f[2 + k]),
                                    "': want an integer from 0 to ",
                                    kMaxRequestTokens));
      }
    }
    if (int64_t{tokens[0]} + tokens[1] != tokens[2]) {
      return r.Error(absl::StrCat("Total tokens ", tokens[2],
                                  " is not Request tokens ", tokens[0],
                                  " + Response tokens ", tokens[1]));
    }
    row.prompt_tokens = tokens[0];
    row.output_tokens = tokens[1];
    row.model = f[1];
    row.log_type = f[5];
    row.line = r.line_no();
    RETURN_IF_ERROR(fn(row));
  }
}

}  // namespace

const char* LlmTraceFormatName(LlmTraceFormat format) {
  return format == LlmTraceFormat::kAzureLlm ? "azure-llm" : "burstgpt";
}

bool ParseLlmTimestamp(absl::string_view t, int64_t* seconds,
                       double* fraction) {
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' ||
      (t[10] != ' ' && t[10] != 'T') || t[13] != ':' || t[16] != ':') {
    return false;
  }
  int y, mo, d, h, mi, s;
  const char* p = t.data();
  if (!Digits(p, 4, &y) || !Digits(p + 5, 2, &mo) || !Digits(p + 8, 2, &d) ||
      !Digits(p + 11, 2, &h) || !Digits(p + 14, 2, &mi) ||
      !Digits(p + 17, 2, &s)) {
    return false;
  }
  static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kMonthDays[mo - 1] || h > 23 ||
      mi > 59 || s > 60) {
    return false;
  }
  size_t i = 19;
  double frac = 0;
  if (i < t.size() && t[i] == '.') {
    ++i;
    uint64_t mant = 0;
    int n = 0;
    while (i < t.size() && static_cast<unsigned>(t[i] - '0') < 10) {
      if (n < 15) {
        mant = mant * 10 + static_cast<unsigned>(t[i] - '0');
        ++n;
      }
      ++i;
    }
    if (n == 0) return false;
    frac = static_cast<double>(mant) / kPow10[n];
  }
  int64_t offset = 0;
  if (i < t.size()) {
    if (t[i] == 'Z' && i + 1 == t.size()) {
      ++i;
    } else if ((t[i] == '+' || t[i] == '-') && i + 6 == t.size() &&
               t[i + 3] == ':') {
      int oh, om;
      if (!Digits(p + i + 1, 2, &oh) || !Digits(p + i + 4, 2, &om) || oh > 23 ||
          om > 59) {
        return false;
      }
      offset = (t[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
      i += 6;
    } else {
      return false;
    }
  }
  *seconds =
      DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) *
          86400 +
      h * 3600 + mi * 60 + s - offset;
  *fraction = frac;
  return true;
}

absl::StatusOr<LlmTraceFormat> DetectLlmTraceFormat(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r,
                   LineReader::Open(path, kMaxLineBytes));
  absl::string_view line;
  ASSIGN_OR_RETURN(const bool more, r->Next(&line));
  if (more && line == kAzureLlmHeader) return LlmTraceFormat::kAzureLlm;
  if (more && line == kBurstGptHeader) return LlmTraceFormat::kBurstGpt;
  return r->Error(absl::StrCat("not an LLM trace: want the header '",
                               kAzureLlmHeader, "' (Azure LLM inference) or '",
                               kBurstGptHeader, "' (BurstGPT), got '",
                               Shorten(more ? line : ""), "'"));
}

absl::Status ReadLlmTrace(
    const std::string& path, LlmTraceFormat format,
    absl::FunctionRef<absl::Status(const LlmTraceRow&)> fn) {
  ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r,
                   LineReader::Open(path, kMaxLineBytes));
  absl::string_view line;
  ASSIGN_OR_RETURN(const bool more, r->Next(&line));
  const absl::string_view want =
      format == LlmTraceFormat::kAzureLlm ? kAzureLlmHeader : kBurstGptHeader;
  if (!more || line != want) {
    return r->Error(absl::StrCat("not a ", LlmTraceFormatName(format),
                                 " header (want '", want, "'), got '",
                                 Shorten(more ? line : ""), "'"));
  }
  return format == LlmTraceFormat::kAzureLlm ? ReadAzure(*r, fn)
                                             : ReadBurstGpt(*r, fn);
}

absl::Status WriteSyntheticLlmTrace(const std::string& path,
                                    const LlmSynthSpec& spec) {
  if (spec.rows < 0 || !(spec.duration_s > 0) ||
      !(spec.prompt_p90 > spec.prompt_median && spec.prompt_median > 0) ||
      !(spec.output_p90 > spec.output_median && spec.output_median > 0)) {
    return absl::InvalidArgumentError(
        "synthetic LLM trace: want rows >= 0, duration > 0 and 0 < median < "
        "p90 for prompts and outputs");
  }
  const std::string tmp = path + ".tmp";
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot write '", tmp, "'"));
  }
  std::vector<char> buffer(size_t{1} << 20);
  std::setvbuf(f, buffer.data(), _IOFBF, buffer.size());
  const bool azure = spec.format == LlmTraceFormat::kAzureLlm;
  std::fprintf(f, "%s\n",
               std::string(azure ? kAzureLlmHeader : kBurstGptHeader).c_str());
  Rng rng(spec.seed);
  // Bursts: a two-state MMPP whose busy state has 8 times the quiet rate,
  // each state held ~60 s on average, scaled to `rows` over the duration.
  const double mean_rate = static_cast<double>(spec.rows) / spec.duration_s;
  const double quiet = mean_rate * 2 / 9, busy = quiet * 8;
  const double ps = std::log(spec.prompt_p90 / spec.prompt_median) / kNormalZ90;
  const double os = std::log(spec.output_p90 / spec.output_median) / kNormalZ90;
  const int64_t origin = 1700158546;  // 2023-11-16 18:15:46 UTC
  double t = 0;
  bool is_busy = false;
  double state_end = rng.Exponential() * 60;
  char line[160];
  for (int64_t k = 0; k < spec.rows; ++k) {
    while (true) {
      const double gap = rng.Exponential() / (is_busy ? busy : quiet);
      if (t + gap < state_end) {
        t += gap;
        break;
      }
      t = state_end;
      is_busy = !is_busy;
      state_end = t + rng.Exponential() * 60;
    }
    const auto draw = [&](double median, double sigma) {
      const double v = std::round(median * std::exp(sigma * rng.Normal()));
      return static_cast<int32_t>(std::min(std::max(v, 1.0), 32768.0));
    };
    const int32_t prompt = draw(spec.prompt_median, ps);
    int32_t output = draw(spec.output_median, os);
    int len;
    if (azure) {
      const int64_t whole = static_cast<int64_t>(std::floor(t));
      const int64_t ticks = std::min<int64_t>(
          static_cast<int64_t>((t - static_cast<double>(whole)) * 1e7),
          9999999);
      const int64_t s = origin + whole;
      int64_t y;
      unsigned m, d;
      CivilFromDays(s / 86400, &y, &m, &d);
      const int64_t sod = s % 86400;
      len = std::snprintf(
          line, sizeof(line),
          "%04lld-%02u-%02u %02lld:%02lld:%02lld.%07lld,%d,%d\n",
          static_cast<long long>(y), m, d, static_cast<long long>(sod / 3600),
          static_cast<long long>(sod / 60 % 60),
          static_cast<long long>(sod % 60), static_cast<long long>(ticks),
          prompt, output);
    } else {
      const bool gpt4 = rng.Uniform() < 0.2;
      if (rng.Uniform() < 0.01) output = 0;  // a failed request
      len = std::snprintf(line, sizeof(line), "%.0f,%s,%d,%d,%d,%s\n",
                          std::floor(t), gpt4 ? "GPT-4" : "ChatGPT", prompt,
                          output, prompt + output,
                          rng.Uniform() < 0.7 ? "Conversation log" : "API log");
    }
    std::fwrite(line, 1, static_cast<size_t>(len), f);
  }
  const bool failed = std::ferror(f) != 0;
  if (std::fclose(f) != 0 || failed) {
    std::remove(tmp.c_str());
    return absl::DataLossError(absl::StrCat("cannot write '", tmp, "'"));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("cannot rename to '", path, "'"));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
