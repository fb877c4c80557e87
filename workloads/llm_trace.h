#ifndef MULTIPLEX_WORKLOADS_LLM_TRACE_H_
#define MULTIPLEX_WORKLOADS_LLM_TRACE_H_

// Public traces of LLM inference requests, read as arrivals with token
// counts (the `llm-trace` arrival process, llm_trace_process.cc, replays
// them). Formats, as published:
//
//   Azure LLM inference traces (github.com/Azure/AzurePublicDataset):
//     2023: AzureLLMInferenceTrace_code.csv, AzureLLMInferenceTrace_conv.csv
//     2024: AzureLLMInferenceTrace_code_1week.csv, ..._conv_1week.csv
//     header TIMESTAMP,ContextTokens,GeneratedTokens
//     one row per request: its arrival as "YYYY-MM-DD HH:MM:SS[.fraction]"
//     (the 2024 files add a UTC offset "+00:00"), the prompt's tokens and
//     the generated tokens.
//   BurstGPT (github.com/HPMLL/BurstGPT, BurstGPT_1.csv, ...):
//     header Timestamp,Model,Request tokens,Response tokens,Total tokens,
//     Log Type
//     one row per request: seconds from the trace's start, the model
//     ("ChatGPT", "GPT-4"), prompt and response tokens, their sum, and
//     "Conversation log" or "API log". Failed requests have 0 response
//     tokens.
//
// The readers stream a file in 4 MiB pieces and hand each row to a
// callback: memory is independent of the file's length. Rows are refused
// with "FILE:LINE: reason": a wrong field count, a bad time, a token count
// that is negative, not an integer or over kMaxRequestTokens (core/
// limits.h), and (BurstGPT) a total that is not the sum of its parts.
// Times are seconds from the first row (Azure: from the first row's whole
// second), as doubles that keep the files' sub-microsecond digits.

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

enum class LlmTraceFormat { kAzureLlm, kBurstGpt };

inline constexpr absl::string_view kAzureLlmHeader =
    "TIMESTAMP,ContextTokens,GeneratedTokens";
inline constexpr absl::string_view kBurstGptHeader =
    "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type";

// "azure-llm" / "burstgpt".
const char* LlmTraceFormatName(LlmTraceFormat format);

// One row; views valid during the callback.
struct LlmTraceRow {
  double time_s = 0;  // seconds from the trace's start (see above)
  int32_t prompt_tokens = 0;
  int32_t output_tokens = 0;
  absl::string_view model;     // BurstGPT's Model; empty for Azure
  absl::string_view log_type;  // BurstGPT's Log Type; empty for Azure
  int64_t line = 0;            // 1-based line in the file
};

// The format of `path` from its header.
absl::StatusOr<LlmTraceFormat> DetectLlmTraceFormat(const std::string& path);

// Streams `path`: checks the header, then calls `fn` for each data row in
// file order (an error from `fn` stops the read and is returned). CRLF line
// ends and a missing final newline are accepted.
absl::Status ReadLlmTrace(
    const std::string& path, LlmTraceFormat format,
    absl::FunctionRef<absl::Status(const LlmTraceRow&)> fn);

// "YYYY-MM-DD HH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]" -> whole seconds since
// 1970-01-01 UTC and the fraction; false when malformed.
bool ParseLlmTimestamp(absl::string_view text, int64_t* seconds,
                       double* fraction);

// Writes a synthetic trace in `format` (for tests and examples; the real
// files are not shipped): `rows` requests over `duration_s` seconds whose
// arrivals come in bursts (a two-state Markov-modulated Poisson process,
// the busy state 8 times the quiet one) and whose lengths are lognormal
// with the published traces' rough shape (code: prompts ~2000 tokens,
// outputs ~30; conversation: ~1000 and ~250). Deterministic in `seed`.
// BurstGPT rows alternate models ChatGPT (80%) and GPT-4 and have a few
// failed requests (0 response tokens).
struct LlmSynthSpec {
  LlmTraceFormat format = LlmTraceFormat::kAzureLlm;
  int64_t rows = 1000;
  double duration_s = 3600;
  double prompt_median = 1020;
  double prompt_p90 = 4000;
  double output_median = 129;
  double output_p90 = 500;
  uint64_t seed = 0;
};
absl::Status WriteSyntheticLlmTrace(const std::string& path,
                                    const LlmSynthSpec& spec);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_LLM_TRACE_H_
