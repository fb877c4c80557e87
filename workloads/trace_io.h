#ifndef MULTIPLEX_WORKLOADS_TRACE_IO_H_
#define MULTIPLEX_WORKLOADS_TRACE_IO_H_

// Trace files: tab-separated text, one request per line after a header.
//
//   arrival_s<TAB>model<TAB>slo_s
//   0.12345678901234566<TAB>m0<TAB>inf
//   0.5<TAB>m3<TAB>1.5
//
// Times are seconds written in the shortest form that reads back to the same
// double (std::to_chars), so write -> read is exact. slo_s is a number >= 0 or
// "inf". Every line, the last included, ends with '\n'; "\r\n" is accepted.
// Readers reject, naming the file and line: a missing or different header, a
// line without exactly three columns, a time that is negative, NaN, infinite
// or earlier than the line before, a model name with a carriage return
// (which the writer could not write back), an unknown model name (when names
// are given) or more than kMaxModels names (core/limits.h), a bad SLO, and a
// last line without its newline (truncated file). Rows are bounded by the
// file size ReadFileToString accepts (core/file_io.h) and indexed by size_t.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/workload.h"

namespace multiplex {

inline constexpr absl::string_view kTraceHeader = "arrival_s\tmodel\tslo_s";

// Parses trace text. `source` names it in errors (usually the path). With
// `known_models` non-empty, the workload's model_names are exactly those and
// every row must name one of them; with it empty, any name is accepted and
// model_names lists them in order of first appearance.
absl::StatusOr<Workload> ParseTrace(
    absl::string_view text, absl::string_view source,
    const std::vector<std::string>& known_models = {});

absl::StatusOr<Workload> ReadTrace(
    const std::string& path, const std::vector<std::string>& known_models = {});

// The text WriteTrace writes. Fails on an inconsistent workload (column
// lengths, model index out of range, a name with a tab or newline).
absl::StatusOr<std::string> FormatTrace(const Workload& workload);

absl::Status WriteTrace(const std::string& path, const Workload& workload);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_TRACE_IO_H_
