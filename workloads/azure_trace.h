#ifndef MULTIPLEX_WORKLOADS_AZURE_TRACE_H_
#define MULTIPLEX_WORKLOADS_AZURE_TRACE_H_

// Microsoft's public Azure Functions traces (github.com/Azure/
// AzurePublicDataset), replayed for a set of models as AlpaServe's
// end-to-end evaluation does (the `azure` arrival process,
// workloads/azure_process.cc, is built on this file).
//
// Formats, as published:
//
//   MAF1 (AzureFunctionsDataset2019): one CSV per day,
//     invocations_per_function_md.anon.d01.csv ... d14.csv, header
//     HashOwner,HashApp,HashFunction,Trigger,1,2,...,1440
//     one row per function: the invocations it started in each minute of
//     the day.
//   MAF2 (AzureFunctionsInvocationTrace2021): one file,
//     AzureFunctionsInvocationTraceForTwoWeeksJan2021.txt, header
//     app,func,end_timestamp,duration
//     one row per invocation: seconds from the trace's start at which it
//     ended, and how long it ran. The invocation arrived at
//     end_timestamp - duration.
//
// A function is identified by its hashes (MAF1: owner, app, function; MAF2:
// app, function). The readers stream: a file is read in fixed-size chunks
// and each row handed to a callback, so reading takes memory independent of
// the file's length. Malformed rows are refused with "FILE:LINE: reason".
//
// Time windows are written as AlpaServe writes them, "day.hour.minute",
// the first day 0: "0.0.0" is the trace's start, "0.1.0" one hour in,
// "13.23.60" the end of the 14th day (minute 60 and hour 24 are allowed).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

enum class AzureFormat { kMaf1, kMaf2 };

// "maf1" / "maf2".
const char* AzureFormatName(AzureFormat format);

// Minutes per MAF1 day file.
inline constexpr int kMaf1MinutesPerDay = 1440;

// The MAF1 day file name for day `day` (0-based):
// "invocations_per_function_md.anon.d01.csv" for day 0.
std::string Maf1DayFileName(int day);

// One MAF2 row; views into the reader's buffer, valid during the callback.
struct Maf2Row {
  absl::string_view app;
  absl::string_view func;
  absl::string_view key;  // "app,func" as in the file: the function's id
  double end_timestamp = 0;
  double duration = 0;
  int64_t line = 0;  // 1-based line in the file
};

// One MAF1 row; views valid during the callback.
struct Maf1Row {
  absl::string_view owner;
  absl::string_view app;
  absl::string_view func;
  absl::string_view trigger;
  absl::string_view key;                 // "owner,app,func" as in the file
  const uint32_t* per_minute = nullptr;  // kMaf1MinutesPerDay counts
  int64_t line = 0;
};

// Streams a MAF2 file: checks the header, then calls `fn` for each data row
// in file order (an error from `fn` stops the read and is returned). Fields
// are comma-separated; CRLF line ends and a missing final newline are
// accepted; empty lines are refused. end_timestamp and duration must be
// finite and duration >= 0.
absl::Status ReadMaf2(const std::string& path,
                      absl::FunctionRef<absl::Status(const Maf2Row&)> fn);

// Streams one MAF1 day file likewise: header with minutes 1..1440, rows of
// 4 + 1440 fields, counts non-negative integers.
absl::Status ReadMaf1(const std::string& path,
                      absl::FunctionRef<absl::Status(const Maf1Row&)> fn);

// The format of `path` from its header (a directory: MAF1 day files).
absl::StatusOr<AzureFormat> DetectAzureFormat(const std::string& path);

// "day.hour.minute" -> seconds from the trace's start. Fields are
// non-negative integers; hour <= 24, minute <= 60.
absl::StatusOr<double> ParseTraceTime(absl::string_view text);

// How functions become models:
//   "stripe": functions sorted by invocations in the window (most first,
//     ties by first appearance), dealt round-robin: the busiest to model 0,
//     the next to model 1, ... (AlpaServe's default: every model gets a
//     share of popular and unpopular functions);
//   "round_robin": functions in order of first appearance in the files
//     (MAF1: day by day), dealt round-robin.
// Only functions with invocations in the window take part. Deterministic:
// the same files and window give the same mapping.
absl::StatusOr<std::vector<int>> MapFunctionsToModels(
    const std::vector<int64_t>& invocations, absl::string_view strategy,
    int num_models);

// A window of a trace, its functions dealt to `num_models` models.
struct AzureReplay {
  AzureFormat format = AzureFormat::kMaf2;
  double window_s = 0;  // end - start
  int num_models = 1;
  int64_t num_functions = 0;  // with invocations in the window
  int64_t rows_read = 0;      // data rows read
  // Per model: arrival times in seconds from the window's start, sorted, in
  // [0, window_s). MAF2: end_timestamp - duration - start. MAF1: the
  // model's invocations in each minute (summed over its functions) spread
  // evenly over the minute, k of them at (j + 0.5) x 60 / k, j < k.
  std::vector<std::vector<double>> model_times;
  // MAF1 only: per model, invocations in each minute of the window.
  std::vector<std::vector<uint32_t>> model_minute_counts;
};

// Reads the window [start_s, end_s) of the trace at `path` (MAF2: a file;
// MAF1: a day file, taken as day 0, or a directory of day files named as
// Maf1DayFileName, of which the days the window covers are read) and deals
// its functions to models. MAF1 windows must start and end on whole
// minutes.
absl::StatusOr<AzureReplay> BuildAzureReplay(const std::string& path,
                                             AzureFormat format, double start_s,
                                             double end_s,
                                             absl::string_view mapping,
                                             int num_models);

// A window of `interval_s` seconds (the last may be shorter) with the rate
// and CV estimated from the arrivals in it.
struct WindowEstimate {
  double start_s = 0;
  double length_s = 0;
  int64_t count = 0;
  double rate = 0;  // count / length_s
  double cv = 1;
};

// Method of moments on the gaps between consecutive arrivals inside each
// window: cv = stddev / mean of the gaps (population moments); windows with
// fewer than 3 arrivals (fewer than 2 gaps) get cv = 1. `times` sorted, in
// [0, total_s).
std::vector<WindowEstimate> EstimateWindowsFromTimes(
    const std::vector<double>& times, double total_s, double interval_s);

// From per-minute counts (MAF1, where there are no gaps): for a renewal
// process with rate r and gap CV c, a minute's count has variance ~ 60 r c^2
// and mean 60 r, so cv = sqrt(variance / mean) of the window's per-minute
// counts (its index of dispersion), at least kMinCountCv. A window's minutes
// are [start_s / 60, (start_s + length_s) / 60); interval_s a multiple of 60.
inline constexpr double kMinCountCv = 0.05;
std::vector<WindowEstimate> EstimateWindowsFromCounts(
    const std::vector<uint32_t>& per_minute, double interval_s);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_AZURE_TRACE_H_
