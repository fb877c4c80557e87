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
  if (tokens_) {
    out_->prompt_tokens.reserve(rows);
    out_->output_tokens.reserve(rows);
  }
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
      const absl::string_view header = View(row, row_end);
      if (header == kTokenTraceHeader) {
        tokens_ = true;
        out_->has_tokens = true;
      } else if (header != kTraceHeader) {
        return LineError(
            source_, line_,
            absl::StrCat("expected the header "
                         "'arrival_s<TAB>model<TAB>slo_s' or "
                         "'arrival_s<TAB>model<TAB>slo_s<TAB>prompt_tokens"
                         "<TAB>output_tokens', got '",
                         header, "'"));
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
  const char* slo_end = slo_begin;
  if (tokens_) {
    while (*slo_end != '\t' && *slo_end != '\n') ++slo_end;
    if (*slo_end != '\t') return nullptr;
  } else {
    while (*slo_end != '\n') ++slo_end;
  }
  int32_t prompt = 0;
  int32_t output = 0;
  const char* nl = slo_end;
  if (tokens_) {
    const std::from_chars_result p = std::from_chars(slo_end + 1, end, prompt);
    if (p.ec != std::errc() || *p.ptr != '\t' || prompt < 0 ||
        prompt > kMaxRequestTokens) {
      return nullptr;
    }
    const std::from_chars_result o = std::from_chars(p.ptr + 1, end, output);
    if (o.ec != std::errc() || *o.ptr != '\n' || output < 0 ||
        output > kMaxRequestTokens) {
      return nullptr;
    }
    nl = o.ptr;
  }
  if (static_cast<size_t>(nl - row) > kMaxTraceLineBytes) return nullptr;
  // SLOs repeat: reuse the value of the same text.
  const size_t slo_len = static_cast<size_t>(slo_end - slo_begin);
  double slo;
  if (slo_len != 0 && slo_len == slo_text_len_ &&
      SameShort(slo_begin, slo_text_, slo_len)) {
    slo = slo_value_;
  } else {
    const std::from_chars_result r = std::from_chars(slo_begin, slo_end, slo);
    if (r.ec != std::errc() || r.ptr != slo_end || !(slo >= 0)) return nullptr;
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
  if (tokens_) {
    out_->prompt_tokens.push_back(prompt);
    out_->output_tokens.push_back(output);
  }
  return nl + 1;
}

absl::Status TextParser::Row(const char* row, const char* row_end) {
  // Column k spans [starts[k], ends[k]).
  const int want = tokens_ ? 5 : 3;
  const char* starts[5];
  const char* ends[5];
  int columns = 0;
  for (const char* p = row;; ++columns) {
    const char* tab = static_cast<const char*>(
        std::memchr(p, '\t', static_cast<size_t>(row_end - p)));
    if (columns < want) {
      starts[columns] = p;
      ends[columns] = tab == nullptr ? row_end : tab;
    }
    if (tab == nullptr) break;
    p = tab + 1;
  }
  if (columns + 1 != want) {
    return LineError(
        source_, line_,
        absl::StrCat("expected ", want, " tab-separated columns (",
                     tokens_ ? "arrival_s, model, slo_s, prompt_tokens, "
                               "output_tokens"
                             : "arrival_s, model, slo_s",
                     "), got '", View(row, row_end), "'"));
  }
  const char* const tab1 = ends[0];
  const char* const tab2 = ends[1];
  const char* const slo_end = ends[2];
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
  if (!ParseDouble(tab2 + 1, slo_end, &slo) || std::isnan(slo) || slo < 0) {
    return LineError(source_, line_,
                     absl::StrCat("bad slo_s '", View(tab2 + 1, slo_end),
                                  "': want a number >= 0 or inf"));
  }
  int32_t tokens[2] = {0, 0};
  if (tokens_) {
    static constexpr const char* kNames[2] = {"prompt_tokens", "output_tokens"};
    for (int k = 0; k < 2; ++k) {
      const char* b = starts[3 + k];
      const char* e = ends[3 + k];
      const std::from_chars_result r = std::from_chars(b, e, tokens[k]);
      if (b == e || r.ec != std::errc() || r.ptr != e || tokens[k] < 0 ||
          tokens[k] > kMaxRequestTokens) {
        return LineError(
            source_, line_,
            absl::StrCat("bad ", kNames[k], " '", View(b, e),
                         "': want an integer from 0 to ", kMaxRequestTokens,
                         " (kMaxRequestTokens)"));
      }
    }
  }
  out_->arrival_s.push_back(t);
  out_->model.push_back(model);
  out_->slo_s.push_back(slo);
  if (tokens_) {
    out_->prompt_tokens.push_back(tokens[0]);
    out_->output_tokens.push_back(tokens[1]);
  }
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
  const size_t want_tokens = w.has_tokens ? n : 0;
  if (w.prompt_tokens.size() != want_tokens ||
      w.output_tokens.size() != want_tokens) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inconsistent workload: ", n, " requests, ", w.prompt_tokens.size(),
        " prompt and ", w.output_tokens.size(), " output token counts",
        w.has_tokens ? "" : " (has_tokens is false)"));
  }
  for (size_t i = 0; i < want_tokens; ++i) {
    const int32_t p = w.prompt_tokens[i];
    const int32_t o = w.output_tokens[i];
    if (p < 0 || p > kMaxRequestTokens || o < 0 || o > kMaxRequestTokens) {
      return absl::InvalidArgumentError(absl::StrCat(
          "request ", i, " has ", p, " prompt and ", o,
          " output tokens; want 0 to ", kMaxRequestTokens, " each"));
    }
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
  const absl::string_view header =
      w.has_tokens ? kTokenTraceHeader : kTraceHeader;
  out.append(header.data(), header.size());
  out.push_back('\n');
  for (size_t i = 0; i < n; ++i) {
    out.append(FormatDoubleExact(w.arrival_s[i]));
    out.push_back('\t');
    out.append(w.model_names[w.model[i]]);
    out.push_back('\t');
    out.append(FormatDoubleExact(w.slo_s[i]));
    if (w.has_tokens) {
      out.push_back('\t');
      absl::StrAppend(&out, w.prompt_tokens[i], "\t", w.output_tokens[i]);
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace multiplex
