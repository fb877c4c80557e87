#include "workloads/trace_io.h"

#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

absl::Status LineError(absl::string_view source, size_t line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", line, ": ", message));
}

bool ParseDouble(absl::string_view text, double* value) {
  // absl::SimpleAtod skips surrounding blanks; a column must be exactly a
  // number.
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  return absl::SimpleAtod(text, value);
}

}  // namespace

absl::StatusOr<Workload> ParseTrace(
    absl::string_view text, absl::string_view source,
    const std::vector<std::string>& known_models) {
  Workload w;
  if (known_models.size() > static_cast<size_t>(kMaxModels)) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": ", known_models.size(), " model names, over the limit of ",
        kMaxModels, " (kMaxModels)"));
  }
  absl::flat_hash_map<std::string, int32_t> index;
  for (const std::string& name : known_models) {
    if (!index.emplace(name, static_cast<int32_t>(index.size())).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": model name '", name, "' given twice"));
    }
  }
  w.model_names = known_models;
  const bool accept_any = known_models.empty();

  size_t pos = 0;
  size_t line = 0;
  double previous = -std::numeric_limits<double>::infinity();
  // Rough reservation: ~30 bytes per line.
  w.arrival_s.reserve(text.size() / 30 + 1);
  w.model.reserve(text.size() / 30 + 1);
  w.slo_s.reserve(text.size() / 30 + 1);
  while (pos < text.size()) {
    ++line;
    size_t end = text.find('\n', pos);
    if (end == absl::string_view::npos) {
      return LineError(source, line,
                       "truncated: the last line has no trailing newline");
    }
    absl::string_view row = text.substr(pos, end - pos);
    pos = end + 1;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (line == 1) {
      if (row != kTraceHeader) {
        return LineError(
            source, line,
            absl::StrCat("expected the header '",
                         "arrival_s<TAB>model<TAB>slo_s', got '", row, "'"));
      }
      continue;
    }
    size_t tab1 = row.find('\t');
    size_t tab2 =
        tab1 == absl::string_view::npos ? tab1 : row.find('\t', tab1 + 1);
    if (tab2 == absl::string_view::npos ||
        row.find('\t', tab2 + 1) != absl::string_view::npos) {
      return LineError(source, line,
                       absl::StrCat("expected 3 tab-separated columns "
                                    "(arrival_s, model, slo_s), got '",
                                    row, "'"));
    }
    absl::string_view time_text = row.substr(0, tab1);
    absl::string_view name = row.substr(tab1 + 1, tab2 - tab1 - 1);
    absl::string_view slo_text = row.substr(tab2 + 1);

    double t;
    if (!ParseDouble(time_text, &t) || std::isnan(t)) {
      return LineError(source, line,
                       absl::StrCat("bad arrival time '", time_text, "'"));
    }
    if (!std::isfinite(t) || t < 0) {
      return LineError(
          source, line,
          absl::StrCat("arrival time ", time_text, " must be finite and >= 0"));
    }
    if (t < previous) {
      return LineError(source, line,
                       absl::StrCat("arrival times are not sorted: ", time_text,
                                    " comes after ", previous));
    }
    previous = t;
    if (name.empty()) {
      return LineError(source, line, "empty model name");
    }
    // A row's own "\r\n" ending is gone; one inside the name would make a
    // name that FormatTrace cannot write back (found by trace_io_fuzzer).
    if (name.find('\r') != absl::string_view::npos) {
      return LineError(source, line,
                       absl::StrCat("model name '", absl::CEscape(name),
                                    "' has a carriage return"));
    }
    int32_t model;
    auto it = index.find(name);
    if (it != index.end()) {
      model = it->second;
    } else if (accept_any) {
      if (w.model_names.size() >= static_cast<size_t>(kMaxModels)) {
        return LineError(source, line,
                         absl::StrCat("more than ", kMaxModels,
                                      " model names (kMaxModels)"));
      }
      model = static_cast<int32_t>(w.model_names.size());
      w.model_names.emplace_back(name);
      index.emplace(std::string(name), model);
    } else {
      return LineError(source, line,
                       absl::StrCat("unknown model '", name, "'"));
    }
    double slo;
    if (!ParseDouble(slo_text, &slo) || std::isnan(slo) || slo < 0) {
      return LineError(source, line,
                       absl::StrCat("bad slo_s '", slo_text,
                                    "': want a number >= 0 or inf"));
    }
    w.arrival_s.push_back(t);
    w.model.push_back(model);
    w.slo_s.push_back(slo);
  }
  if (line == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":1: empty file: expected the header"));
  }
  return w;
}

absl::StatusOr<Workload> ReadTrace(
    const std::string& path, const std::vector<std::string>& known_models) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  return ParseTrace(text, path, known_models);
}

absl::StatusOr<std::string> FormatTrace(const Workload& w) {
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
  std::string out;
  out.reserve(n * 32 + 32);
  out.append(kTraceHeader.data(), kTraceHeader.size());
  out.push_back('\n');
  for (size_t i = 0; i < n; ++i) {
    if (w.model[i] < 0 || w.model[i] >= w.num_models()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request ", i, " has model index ", w.model[i],
                       " but there are ", w.num_models(), " models"));
    }
    out.append(FormatDoubleExact(w.arrival_s[i]));
    out.push_back('\t');
    out.append(w.model_names[w.model[i]]);
    out.push_back('\t');
    out.append(FormatDoubleExact(w.slo_s[i]));
    out.push_back('\n');
  }
  return out;
}

absl::Status WriteTrace(const std::string& path, const Workload& workload) {
  ASSIGN_OR_RETURN(const std::string text, FormatTrace(workload));
  return WriteFileAtomically(path, text);
}

}  // namespace multiplex
