#include "workloads/trace_replay.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace multiplex {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// a < b with digit runs compared as numbers (leading zeros ignored; equal
// numbers then by length), everything else byte by byte.
bool NaturalLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsDigit(a[i]) && IsDigit(b[j])) {
      size_t i_end = i, j_end = j;
      while (i_end < a.size() && IsDigit(a[i_end])) ++i_end;
      while (j_end < b.size() && IsDigit(b[j_end])) ++j_end;
      size_t i_start = i, j_start = j;
      while (i_start + 1 < i_end && a[i_start] == '0') ++i_start;
      while (j_start + 1 < j_end && b[j_start] == '0') ++j_start;
      const size_t i_len = i_end - i_start, j_len = j_end - j_start;
      if (i_len != j_len) return i_len < j_len;
      const int c = a.compare(i_start, i_len, b, j_start, j_len);
      if (c != 0) return c < 0;
      if (i_end - i != j_end - j) return i_end - i < j_end - j;
      i = i_end;
      j = j_end;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace

std::vector<int> NaturalOrder(const std::vector<std::string>& names) {
  std::vector<int> order(names.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&names](int a, int b) {
    return NaturalLess(names[a], names[b]);
  });
  return order;
}

std::vector<int> MatchTraceModels(const std::vector<std::string>& trace_names,
                                  const std::vector<std::string>& names) {
  std::vector<int> match(names.size(), -1);
  bool by_name = false;
  for (size_t i = 0; i < names.size(); ++i) {
    auto it = std::find(trace_names.begin(), trace_names.end(), names[i]);
    if (it != trace_names.end()) {
      match[i] = static_cast<int>(it - trace_names.begin());
      by_name = true;
    }
  }
  if (by_name) return match;
  const std::vector<int> order = NaturalOrder(trace_names);
  for (size_t i = 0; i < names.size() && i < order.size(); ++i) {
    match[i] = order[i];
  }
  return match;
}

absl::StatusOr<Workload> ReplayTrace(const Workload& trace,
                                     const std::vector<std::string>& names,
                                     double end_s,
                                     const std::vector<double>& slo_s,
                                     bool every_request) {
  if (!slo_s.empty() && slo_s.size() != names.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        slo_s.size(), " SLOs given for ", names.size(), " models"));
  }
  Workload w;
  w.model_names = names;
  const std::vector<int> match = MatchTraceModels(trace.model_names, names);
  std::vector<int32_t> to_model(trace.model_names.size(), -1);
  for (size_t i = 0; i < match.size(); ++i) {
    if (match[i] >= 0) to_model[match[i]] = static_cast<int32_t>(i);
  }
  for (size_t i = 0; i < trace.size() && trace.arrival_s[i] < end_s; ++i) {
    const int32_t m = to_model[trace.model[i]];
    if (m < 0) {
      if (!every_request) continue;
      return absl::InvalidArgumentError(absl::StrCat(
          "the trace has requests for model '",
          trace.model_names[trace.model[i]], "', which none of the ",
          names.size(), " models replays"));
    }
    w.arrival_s.push_back(trace.arrival_s[i]);
    w.model.push_back(m);
    w.slo_s.push_back(slo_s.empty() ? trace.slo_s[i] : slo_s[m]);
  }
  return w;
}

}  // namespace multiplex
