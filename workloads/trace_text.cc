// The text trace format of workloads/trace_io.h: a streaming parser fed
// whole lines, and the writer.

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/status_macros.h"
#include "workloads/trace_internal.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace trace_internal {
namespace {

absl::Status LineError(absl::string_view source, size_t line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", line, ": ", message));
}

// A column that is exactly a number: what absl::SimpleAtod accepts without
// surrounding blanks (so also a leading '+' and out-of-range values, which
// become +-infinity or a tiny number). std::from_chars takes the common
// forms fast and gives the same correctly rounded value; the rest go the
// slow way.
bool ParseDouble(const char* begin, const char* end, double* value) {
  const std::from_chars_result r = std::from_chars(begin, end, *value);
  if (r.ec == std::errc() && r.ptr == end) return true;
  const absl::string_view text(begin, end - begin);
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  return absl::SimpleAtod(text, value);
}

absl::string_view View(const char* begin, const char* end) {
  return absl::string_view(begin, static_cast<size_t>(end - begin));
}

}  // namespace

int32_t ModelTable::Add(absl::string_view name) {
  const int32_t index = static_cast<int32_t>(views_.size());
  names_.emplace_back(name);
  views_.push_back(names_.back());
  if (views_.size() > kLinearMax) {
    if (map_.empty()) {
      for (size_t i = 0; i < views_.size(); ++i) {
        map_.emplace(views_[i], static_cast<int32_t>(i));
      }
    } else {
      map_.emplace(views_.back(), index);
    }
  }
  return index;
}

absl::Status TextParser::Start(const std::vector<std::string>& known_models) {
  if (known_models.size() > static_cast<size_t>(kMaxModels)) {
    return absl::InvalidArgumentError(absl::StrCat(
        source_, ": ", known_models.size(), " model names, over the limit of ",
        kMaxModels, " (kMaxModels)"));
  }
  for (const std::string& name : known_models) {
    if (models_.Find(name) >= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(source_, ": model name '", name, "' given twice"));
    }
    models_.Add(name);
  }
  out_->model_names = known_models;
  accept_any_ = known_models.empty();
  previous_ = -std::numeric_limits<double>::infinity();
  return absl::OkStatus();
}

void TextParser::Reserve(size_t rows) {
  out_->arrival_s.reserve(rows);
  out_->model.reserve(rows);
  out_->slo_s.reserve(rows);
}

absl::Status TextParser::Feed(absl::string_view lines) {
  const char* p = lines.data();
  const char* const end = p + lines.size();
  while (p < end) {
    if (line_ > 0) {
      if (const char* next = FastRow(p, end)) {
        ++line_;
        p = next;
        continue;
      }
    }
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - p));
    const char* row_end = nl;
    if (row_end > p && row_end[-1] == '\r') --row_end;
    const char* row = p;
    p = nl + 1;
    ++line_;
    if (static_cast<size_t>(row_end - row) > kMaxTraceLineBytes) {
      return LineError(source_, line_,
                       absl::StrCat("line longer than ", kMaxTraceLineBytes,
                                    " bytes (kMaxTraceLineBytes)"));
    }
    if (line_ == 1) {
      if (View(row, row_end) != kTraceHeader) {
        return LineError(source_, line_,
                         absl::StrCat("expected the header '",
                                      "arrival_s<TAB>model<TAB>slo_s', got '",
                                      View(row, row_end), "'"));
      }
      continue;
    }
    RETURN_IF_ERROR(Row(row, row_end));
  }
  return absl::OkStatus();
}

const char* TextParser::FastRow(const char* row, const char* end) {
  // Lines end with '\n' (Feed's contract), so every scan below stops.
  double t;
  const std::from_chars_result time = std::from_chars(row, end, t);
  if (time.ec != std::errc() || *time.ptr != '\t' || !(t >= previous_) ||
      !std::isfinite(t)) {
    return nullptr;  // t >= previous_ >= -inf also rules out NaN
  }
  if (t < 0) return nullptr;
  const char* const name_begin = time.ptr + 1;
  const char* name_end = name_begin;
  while (*name_end != '\t' && *name_end != '\n' && *name_end != '\r') {
    ++name_end;
  }
  if (*name_end != '\t' || name_end == name_begin) return nullptr;
  const char* const slo_begin = name_end + 1;
  const char* nl = slo_begin;
  while (*nl != '\n') ++nl;
  if (static_cast<size_t>(nl - row) > kMaxTraceLineBytes) return nullptr;
  // SLOs repeat: reuse the value of the same text.
  const size_t slo_len = static_cast<size_t>(nl - slo_begin);
  double slo;
  if (slo_len != 0 && slo_len == slo_text_len_ &&
      SameShort(slo_begin, slo_text_, slo_len)) {
    slo = slo_value_;
  } else {
    const std::from_chars_result r = std::from_chars(slo_begin, nl, slo);
    if (r.ec != std::errc() || r.ptr != nl || !(slo >= 0)) return nullptr;
    if (slo_len <= sizeof(slo_text_)) {
      std::memcpy(slo_text_, slo_begin, slo_len);
      slo_text_len_ = slo_len;
      slo_value_ = slo;
    }
  }
  const absl::string_view name = View(name_begin, name_end);
  int32_t model = models_.Find(name);
  if (model < 0) {
    if (!accept_any_ || models_.size() >= static_cast<size_t>(kMaxModels)) {
      return nullptr;
    }
    model = models_.Add(name);
    out_->model_names.emplace_back(name);
  }
  previous_ = t;
  out_->arrival_s.push_back(t);
  out_->model.push_back(model);
  out_->slo_s.push_back(slo);
  return nl + 1;
}

absl::Status TextParser::Row(const char* row, const char* row_end) {
  const size_t len = static_cast<size_t>(row_end - row);
  const char* tab1 = static_cast<const char*>(std::memchr(row, '\t', len));
  const char* tab2 =
      tab1 == nullptr
          ? nullptr
          : static_cast<const char*>(std::memchr(
                tab1 + 1, '\t', static_cast<size_t>(row_end - tab1 - 1)));
  if (tab2 == nullptr ||
      std::memchr(tab2 + 1, '\t', static_cast<size_t>(row_end - tab2 - 1)) !=
          nullptr) {
    return LineError(source_, line_,
                     absl::StrCat("expected 3 tab-separated columns "
                                  "(arrival_s, model, slo_s), got '",
                                  View(row, row_end), "'"));
  }
  double t;
  if (!ParseDouble(row, tab1, &t) || std::isnan(t)) {
    return LineError(source_, line_,
                     absl::StrCat("bad arrival time '", View(row, tab1), "'"));
  }
  if (!std::isfinite(t) || t < 0) {
    return LineError(source_, line_,
                     absl::StrCat("arrival time ", View(row, tab1),
                                  " must be finite and >= 0"));
  }
  if (t < previous_) {
    return LineError(source_, line_,
                     absl::StrCat("arrival times are not sorted: ",
                                  View(row, tab1), " comes after ", previous_));
  }
  previous_ = t;
  const absl::string_view name = View(tab1 + 1, tab2);
  if (name.empty()) return LineError(source_, line_, "empty model name");
  // A row's own "\r\n" ending is gone; one inside the name would make a
  // name that FormatTrace cannot write back (found by trace_io_fuzzer).
  if (std::memchr(name.data(), '\r', name.size()) != nullptr) {
    return LineError(source_, line_,
                     absl::StrCat("model name '", absl::CEscape(name),
                                  "' has a carriage return"));
  }
  int32_t model = models_.Find(name);
  if (model < 0) {
    if (!accept_any_) {
      return LineError(source_, line_,
                       absl::StrCat("unknown model '", name, "'"));
    }
    if (models_.size() >= static_cast<size_t>(kMaxModels)) {
      return LineError(
          source_, line_,
          absl::StrCat("more than ", kMaxModels, " model names (kMaxModels)"));
    }
    model = models_.Add(name);
    out_->model_names.emplace_back(name);
  }
  double slo;
  if (!ParseDouble(tab2 + 1, row_end, &slo) || std::isnan(slo) || slo < 0) {
    return LineError(source_, line_,
                     absl::StrCat("bad slo_s '", View(tab2 + 1, row_end),
                                  "': want a number >= 0 or inf"));
  }
  out_->arrival_s.push_back(t);
  out_->model.push_back(model);
  out_->slo_s.push_back(slo);
  return absl::OkStatus();
}

absl::Status TextParser::Finish(absl::string_view rest) {
  if (rest.size() > kMaxTraceLineBytes) {
    return LineError(source_, line_ + 1,
                     absl::StrCat("line longer than ", kMaxTraceLineBytes,
                                  " bytes (kMaxTraceLineBytes)"));
  }
  if (!rest.empty()) {
    return LineError(source_, line_ + 1,
                     "truncated: the last line has no trailing newline");
  }
  if (line_ == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":1: empty file: expected the header"));
  }
  return absl::OkStatus();
}

absl::Status CheckWritable(const Workload& w) {
  const size_t n = w.arrival_s.size();
  if (w.model.size() != n || w.slo_s.size() != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inconsistent workload: ", n, " arrival times, ", w.model.size(),
        " model indices, ", w.slo_s.size(), " SLOs"));
  }
  for (const std::string& name : w.model_names) {
    if (name.empty() || name.find_first_of("\t\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "model name '", name,
          "' cannot be written to a trace (empty, or has a tab or newline)"));
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (w.model[i] < 0 || w.model[i] >= w.num_models()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request ", i, " has model index ", w.model[i],
                       " but there are ", w.num_models(), " models"));
    }
  }
  return absl::OkStatus();
}

}  // namespace trace_internal

absl::StatusOr<std::string> FormatTrace(const Workload& w) {
  RETURN_IF_ERROR(trace_internal::CheckWritable(w));
  const size_t n = w.arrival_s.size();
  std::string out;
  out.reserve(n * 32 + 32);
  out.append(kTraceHeader.data(), kTraceHeader.size());
  out.push_back('\n');
  for (size_t i = 0; i < n; ++i) {
    out.append(FormatDoubleExact(w.arrival_s[i]));
    out.push_back('\t');
    out.append(w.model_names[w.model[i]]);
    out.push_back('\t');
    out.append(FormatDoubleExact(w.slo_s[i]));
    out.push_back('\n');
  }
  return out;
}

}  // namespace multiplex
