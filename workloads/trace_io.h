#ifndef MULTIPLEX_WORKLOADS_TRACE_IO_H_
#define MULTIPLEX_WORKLOADS_TRACE_IO_H_

// Trace files, in two formats; every reader accepts both (a binary trace is
// recognized by its magic bytes, whatever the file's name).
//
// Text: tab-separated, one request per line after a header.
//
//   arrival_s<TAB>model<TAB>slo_s
//   0.12345678901234566<TAB>m0<TAB>inf
//   0.5<TAB>m3<TAB>1.5
//
// A trace of LLM requests has two more columns, integers from 0 to
// kMaxRequestTokens (core/limits.h), which the header announces:
//
//   arrival_s<TAB>model<TAB>slo_s<TAB>prompt_tokens<TAB>output_tokens
//   0.5<TAB>llama-7b<TAB>inf<TAB>812<TAB>97
//
// Times are seconds written in the shortest form that reads back to the same
// double (std::to_chars), so write -> read is exact. slo_s is a number >= 0 or
// "inf". Every line, the last included, ends with '\n'; "\r\n" is accepted.
// Readers reject, naming the file and line: a missing or different header, a
// line without exactly three columns or longer than kMaxTraceLineBytes, a
// time that is negative, NaN, infinite or earlier than the line before, a
// model name with a carriage return (which the writer could not write back),
// an unknown model name (when names are given) or more than kMaxModels names
// (core/limits.h), a bad SLO, and a last line without its newline (truncated
// file).
//
// Binary (FormatTraceBinary; //tools:workload writes it for an --out ending
// in ".bin"): the same columns, little-endian, about 9 bytes a request
// instead of ~25 of text, read without parsing.
//
//   offset  bytes  field
//   0       8      magic "MPXTRACE"
//   8       4      version: 1, or 2 (may have token columns)
//   12      1      width of a model index: 1, 2 or 4 bytes (the writer takes
//                  the smallest that holds every index)
//   13      1      SLO layout: 0 = one slo_s per request, 1 = one slo_s for
//                  all requests (the writer's choice when all are equal)
//   14      1      version 1: zero; version 2: flags, bit 0 = token columns
//   15      1      zero
//   16      8      N, the number of requests
//   24      4      M, the number of model names
//   28      4      zero
//   32             M names, each a 4-byte length (1 to kMaxTraceLineBytes)
//                  then its bytes (no tab, CR or LF; unique)
//                  arrival_s: N float64
//                  model: N unsigned indices into the names, of the width
//                  slo_s: N float64 (layout 0) or 1 float64 (layout 1)
//                  prompt_tokens: N uint32 (only with the token flag)
//                  output_tokens: N uint32 (only with the token flag)
//                  end of file
//
// The writer writes version 1 for a workload without tokens (byte-identical
// to what it wrote before token columns existed) and version 2 with them;
// readers take both (testdata/trace_v1.bin is a version-1 golden).
//
// Readers reject a binary trace, naming the file (and the request, 0-based):
// a bad version, width, layout or reserved byte, too many names (kMaxModels),
// a bad or repeated name, a size that differs from what the header implies
// (truncated, or bytes after the last column), a time that is negative, NaN,
// infinite or earlier than the one before, an index out of range or of an
// unknown model (when names are given), an SLO < 0 or NaN, unknown flags,
// and a token count over kMaxRequestTokens. The model
// names are the header's, in its order (with names given: those names).
// Text -> binary -> text is byte-exact; so is binary -> text -> binary when
// every name is used and listed in order of first use, as text gives them.
//
// ReadTrace streams a regular file in 1 MiB pieces: memory holds the
// columns (20 bytes a request) and one piece, whatever the file's size.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/workload.h"

namespace multiplex {

inline constexpr absl::string_view kTraceHeader = "arrival_s\tmodel\tslo_s";
// The header of a trace whose requests carry token counts.
inline constexpr absl::string_view kTokenTraceHeader =
    "arrival_s\tmodel\tslo_s\tprompt_tokens\toutput_tokens";

// The longest text line (without its newline) and model name readers take.
inline constexpr size_t kMaxTraceLineBytes = 1 << 16;

enum class TraceFormat { kText, kBinary };

// The file name ending that asks //tools:workload for the binary format.
inline constexpr absl::string_view kBinaryTraceExtension = ".bin";

// kBinary for a path ending in kBinaryTraceExtension, else kText.
TraceFormat TraceFormatForPath(absl::string_view path);

// Parses a trace, text or binary. `source` names it in errors (usually the
// path). With
// `known_models` non-empty, the workload's model_names are exactly those and
// every row must name one of them; with it empty, any name is accepted and
// model_names lists them in order of first appearance.
absl::StatusOr<Workload> ParseTrace(
    absl::string_view text, absl::string_view source,
    const std::vector<std::string>& known_models = {});

// Reads a trace file, text or binary, as ParseTrace.
absl::StatusOr<Workload> ReadTrace(
    const std::string& path, const std::vector<std::string>& known_models = {});

// The text WriteTrace writes. Fails on an inconsistent workload (column
// lengths, model index out of range, a name with a tab or newline).
absl::StatusOr<std::string> FormatTrace(const Workload& workload);

// The bytes of the binary format; fails as FormatTrace.
absl::StatusOr<std::string> FormatTraceBinary(const Workload& workload);

// Writes the trace atomically (core/file_io.h) in `format`.
absl::Status WriteTrace(const std::string& path, const Workload& workload,
                        TraceFormat format = TraceFormat::kText);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_TRACE_IO_H_
