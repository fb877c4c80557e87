// Fuzz target of the profiling-database reader (profiler/database_io.h) and
// the `database` cost model that serves what it reads: any bytes give a
// database or an error, never a crash, a hang or an overflow; what it
// accepts is within core/limits.h, answers every (model, config, batch) it
// lists with pp stages, and writes back to text that reads back the same.
// Corpus: testdata/database_io_fuzzer/ (docs/fuzzing.md).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "core/limits.h"
#include "core/testing/fuzz_check.h"
#include "profiler/database_cost_model.h"
#include "profiler/database_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace multiplex;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ProfilingDatabase> db = ParseDatabase(text, "fuzz");
  if (!db.ok()) {
    FUZZ_CHECK(!db.status().message().empty(), "an error without a message");
    return 0;
  }
  const std::string written = FormatDatabase(*db);
  absl::StatusOr<ProfilingDatabase> again = ParseDatabase(written, "written");
  FUZZ_CHECK(again.ok(), again.status().message(), "\n", written);
  FUZZ_CHECK(FormatDatabase(*again) == written, "not a fixed point:\n",
             written);

  const DatabaseCostModel cost(*std::move(db), "fuzz");
  for (const std::string& model : cost.Models()) {
    for (const ParallelConfig& config : cost.Configs(model)) {
      FUZZ_CHECK(config.IsValid(), model, " ", config.ToString());
      FUZZ_CHECK(config.NumDevices() >= 1 && config.NumDevices() <= kMaxDevices,
                 config.ToString(), ": ", config.NumDevices(), " devices");
      for (int batch : cost.BatchSizes(model, config)) {
        FUZZ_CHECK(batch >= 1 && batch <= kMaxBatchSize, "batch ", batch);
        absl::StatusOr<StageCosts> costs = cost.Stages(model, config, batch);
        FUZZ_CHECK(costs.ok(), costs.status().message());
        FUZZ_CHECK(
            costs->latency_s.size() == static_cast<size_t>(config.pp) &&
                costs->activation_bytes.size() ==
                    static_cast<size_t>(config.pp) &&
                costs->weight_bytes.size() == static_cast<size_t>(config.pp),
            model, " ", config.ToString(), " batch ", batch,
            ": stage counts differ from pp");
        FUZZ_CHECK(
            std::isfinite(costs->TotalLatency()) && costs->MaxLatency() > 0,
            model, " ", config.ToString(), " batch ", batch, ": latency ",
            costs->TotalLatency());
      }
    }
  }
  return 0;
}
