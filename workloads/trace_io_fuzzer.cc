// Fuzz target of the trace readers, text and binary (workloads/trace_io.h):
// any bytes give a workload or an error, never a crash, a hang or an
// overflow; what they accept keeps the readers' promises (sorted finite
// times, SLOs >= 0, model indices in range, at most kMaxModels names), reads
// the same with its names given, and writes back to text and to binary that
// read back bit-exactly.
// Corpus: testdata/trace_io_fuzzer/ (docs/fuzzing.md).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/limits.h"
#include "core/testing/fuzz_check.h"
#include "workloads/trace_io.h"

namespace {

// Bitwise, so that -0.0 and 0.0 differ and NaN equals itself.
bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() ||
          std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace multiplex;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const bool binary = text.substr(0, 8) == "MPXTRACE";
  // With names given: only these may appear.
  absl::StatusOr<Workload> known = ParseTrace(text, "fuzz", {"m0", "m1"});
  if (known.ok()) FUZZ_CHECK(known->num_models() == 2, known->num_models());

  absl::StatusOr<Workload> w = ParseTrace(text, "fuzz");
  if (!w.ok()) {
    FUZZ_CHECK(!w.status().message().empty(), "an error without a message");
    return 0;
  }
  FUZZ_CHECK(w->model.size() == w->size() && w->slo_s.size() == w->size(),
             "column lengths differ");
  FUZZ_CHECK(w->num_models() <= kMaxModels, w->num_models(), " models");
  for (size_t i = 0; i < w->size(); ++i) {
    FUZZ_CHECK(std::isfinite(w->arrival_s[i]) && w->arrival_s[i] >= 0 &&
                   (i == 0 || w->arrival_s[i] >= w->arrival_s[i - 1]),
               "row ", i, ": arrival ", w->arrival_s[i]);
    FUZZ_CHECK(w->model[i] >= 0 && w->model[i] < w->num_models(), "row ", i,
               ": model ", w->model[i]);
    FUZZ_CHECK(w->slo_s[i] >= 0, "row ", i, ": slo ", w->slo_s[i]);
  }
  const size_t token_rows = w->has_tokens ? w->size() : 0;
  FUZZ_CHECK(w->prompt_tokens.size() == token_rows &&
                 w->output_tokens.size() == token_rows,
             "token columns do not match has_tokens");
  for (size_t i = 0; i < token_rows; ++i) {
    FUZZ_CHECK(
        w->prompt_tokens[i] >= 0 && w->prompt_tokens[i] <= kMaxRequestTokens &&
            w->output_tokens[i] >= 0 &&
            w->output_tokens[i] <= kMaxRequestTokens,
        "row ", i, ": tokens ", w->prompt_tokens[i], ", ", w->output_tokens[i]);
  }

  absl::StatusOr<Workload> named = ParseTrace(text, "fuzz", w->model_names);
  FUZZ_CHECK(named.ok(), named.status().message());
  FUZZ_CHECK(named->model == w->model && named->model_names == w->model_names,
             "reading with the names given changes the model column");

  // Text lists the names in order of first use; a binary trace's header
  // may order them otherwise and list unused ones, so compare by name.
  absl::StatusOr<std::string> written = FormatTrace(*w);
  FUZZ_CHECK(written.ok(), "the reader accepted what the writer refuses: ",
             written.status().message());
  absl::StatusOr<Workload> again = ParseTrace(*written, "written");
  FUZZ_CHECK(again.ok(), again.status().message());
  FUZZ_CHECK(SameBits(again->arrival_s, w->arrival_s) &&
                 SameBits(again->slo_s, w->slo_s) &&
                 again->model.size() == w->model.size(),
             "the text round trip changed the workload");
  FUZZ_CHECK(again->has_tokens == w->has_tokens &&
                 again->prompt_tokens == w->prompt_tokens &&
                 again->output_tokens == w->output_tokens,
             "the text round trip changed the token counts");
  for (size_t i = 0; i < w->size(); ++i) {
    FUZZ_CHECK(
        again->model_names[again->model[i]] == w->model_names[w->model[i]],
        "the text round trip changed the model of row ", i);
  }
  if (!binary) {
    FUZZ_CHECK(again->model_names == w->model_names,
               "the text round trip changed the model names");
  }

  // The binary format holds exactly the same workload.
  absl::StatusOr<std::string> packed = FormatTraceBinary(*w);
  FUZZ_CHECK(packed.ok(),
             "the binary writer refuses: ", packed.status().message());
  absl::StatusOr<Workload> unpacked = ParseTrace(*packed, "packed");
  FUZZ_CHECK(unpacked.ok(), unpacked.status().message());
  FUZZ_CHECK(SameBits(unpacked->arrival_s, w->arrival_s) &&
                 SameBits(unpacked->slo_s, w->slo_s) &&
                 unpacked->model == w->model &&
                 unpacked->model_names == w->model_names &&
                 unpacked->has_tokens == w->has_tokens &&
                 unpacked->prompt_tokens == w->prompt_tokens &&
                 unpacked->output_tokens == w->output_tokens,
             "the binary round trip changed the workload");
  // The writer's choices (index width, one SLO or N) are canonical: what it
  // wrote is written again byte for byte.
  absl::StatusOr<std::string> repacked = FormatTraceBinary(*unpacked);
  FUZZ_CHECK(repacked.ok() && *repacked == *packed,
             "the binary writer is not stable");
  return 0;
}
