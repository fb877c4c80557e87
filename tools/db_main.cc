// Inspects a profiling database.
//   bazel run //tools:db -- inspect profiler/data/profiling_result.textproto

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/placement.h"
#include "profiler/database_cost_model.h"
#include "tools/cli/cli.h"

namespace multiplex {
namespace {

constexpr char kUsage[] =
    "Inspects a multiplex profiling database (text proto).\n"
    "Usage:\n"
    "  db inspect PATH   validate PATH and print its provenance, models,\n"
    "                    configs, batch-1 latencies (L1) and weight memory.\n"
    "A relative PATH is taken from the directory the command was run in.";

void Inspect(const std::string& path) {
  absl::StatusOr<std::unique_ptr<DatabaseCostModel>> cost =
      LoadDatabaseCostModel(path);
  if (!cost.ok()) Fail("db", cost.status());
  const ProfilingDatabase& db = (*cost)->database();
  const Provenance& p = db.provenance();
  std::printf("%s\n", path.c_str());
  std::printf("  method: %s  hardware: %s  sequence length: %d\n",
              p.method().c_str(), p.hardware().c_str(), p.sequence_length());
  std::printf("  partition: %s  tool: %s\n", p.partition().c_str(),
              p.tool_version().c_str());
  if (p.has_calibration()) {
    std::printf("  calibration: %s\n", p.calibration().c_str());
  }
  if (p.has_notes()) std::printf("  notes: %s\n", p.notes().c_str());
  for (const std::string& model : (*cost)->Models()) {
    std::vector<ParallelConfig> configs = (*cost)->Configs(model);
    std::printf("\nmodel %s: %zu configs\n", model.c_str(), configs.size());
    absl::StatusOr<StageCosts> single = (*cost)->Stages(model, {1, 1, 1}, 1);
    if (single.ok()) {
      std::printf("  L1 (batch 1, one GPU): %.4f s, weights %.3f GiB\n",
                  single->latency_s[0], single->weight_bytes[0] / kGiB);
    } else {
      std::printf("  no single-GPU config (1,1,1)\n");
    }
    std::printf("  %-10s %7s %7s %10s %10s %10s %12s  %s\n", "config",
                "devices", "stages", "sum (s)", "max (s)", "bs16 (s)",
                "GiB/GPU", "batch sizes");
    for (const ParallelConfig& c : configs) {
      absl::StatusOr<StageCosts> b1 = (*cost)->Stages(model, c, 1);
      absl::StatusOr<StageCosts> b16 = (*cost)->Stages(model, c, 16);
      std::string b1_sum = "-", b1_max = "-", b16_sum = "-", mem = "-";
      if (b1.ok()) {
        b1_sum = absl::StrFormat("%.4f", b1->TotalLatency());
        b1_max = absl::StrFormat("%.4f", b1->MaxLatency());
        mem = absl::StrFormat("%.3f", b1->MaxWeightBytes() / kGiB);
      }
      if (b16.ok()) b16_sum = absl::StrFormat("%.4f", b16->TotalLatency());
      std::printf("  %-10s %7d %7d %10s %10s %10s %12s  %s\n",
                  c.ToString().c_str(), c.NumDevices(), c.pp, b1_sum.c_str(),
                  b1_max.c_str(), b16_sum.c_str(), mem.c_str(),
                  absl::StrJoin((*cost)->BatchSizes(model, c), ",").c_str());
    }
  }
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  std::vector<std::string> args =
      multiplex::ParseFlagsOrFail(argc, argv, "db", multiplex::kUsage, 2);
  if (args[0] != "inspect") {
    multiplex::Fail("db", absl::StrCat("unknown command '", args[0],
                                       "'; expected `db inspect PATH`"));
  }
  multiplex::Inspect(args[1]);
  return 0;
}
