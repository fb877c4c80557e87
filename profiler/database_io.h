#ifndef MULTIPLEX_PROFILER_DATABASE_IO_H_
#define MULTIPLEX_PROFILER_DATABASE_IO_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "profiler/database.pb.h"

namespace multiplex {

// Reads a text-proto profiling database and validates it. Every error names
// the file and, where it applies, the line, model, config and batch size:
//   parse errors (unknown fields, truncated files) with line:column;
//   no models or more than kMaxModels; a model without a name, duplicated,
//   or without configs; a config that is invalid (CheckParallelConfig:
//   degrees < 1, pp over kMaxStages, dp x op x pp over kMaxDevices),
//   duplicated, without batches, or whose stage_weight_bytes count differs
//   from pp; a batch size < 1, over kMaxBatchSize or repeated;
//   a latency/activation count differing from pp; a latency that is not a
//   positive finite number; negative or non-finite memory.
absl::StatusOr<ProfilingDatabase> LoadDatabase(const std::string& path);

// The checks of LoadDatabase on an in-memory database; `source` names it in
// messages.
absl::Status ValidateDatabase(const ProfilingDatabase& db,
                              absl::string_view source);

// Parses text-proto content (for tests and tools that embed databases).
absl::StatusOr<ProfilingDatabase> ParseDatabase(absl::string_view text,
                                                absl::string_view source);

// Deterministic text form: a comment header, then the text proto with
// shortest round-trip doubles. Same database, same bytes.
std::string FormatDatabase(const ProfilingDatabase& db);

// Validates, then writes FormatDatabase(db) to `path` atomically (a
// temporary file renamed into place), so a failure leaves no partial file.
absl::Status WriteDatabase(const ProfilingDatabase& db,
                           const std::string& path);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DATABASE_IO_H_
