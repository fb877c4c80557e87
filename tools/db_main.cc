// Inspects a profiling database, or any registered cost model.
//   bazel run //tools:db -- inspect profiler/data/profiling_result.textproto
//   bazel run //tools:db -- inspect decoder:models=llama-2-7b

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/registry.h"
#include "profiler/database_cost_model.h"
#include "tools/cli/cli.h"

namespace multiplex {
namespace {

constexpr char kUsage[] =
    "Inspects a multiplex profiling database (text proto).\n"
    "Usage:\n"
    "  db inspect PATH   validate PATH and print its provenance, models,\n"
    "                    configs, batch-1 latencies (L1) and weight memory.\n"
    "  db inspect SPEC   the same for a cost-model plugin spec (e.g.\n"
    "                    decoder:hardware=profiler/hardware/h100-sxm5-80gb."
    "textproto,\n"
    "                    calibration=profiler/decoder_calibration/h100."
    "textproto);\n"
    "                    decoder LLMs also get prefill and decode latencies,\n"
    "                    KV bytes per token and KV capacity per config.\n"
    "A relative PATH is taken from the directory the command was run in.";

// Prefill and decode latencies, all-reduce share, weights, KV bytes and KV
// capacity per config, for cost models that answer token-level queries.
void PrintTokenLevel(const CostModel& cost, const std::string& model) {
  const std::vector<ParallelConfig> configs = cost.Configs(model);
  if (configs.empty() || !cost.Prefill(model, configs.front(), {512}).ok()) {
    return;
  }
  std::printf(
      "  token level: prefill of one 512- / 2048-token prompt; decode "
      "step of 1 / 32 sequences at context 1024\n");
  std::printf("  %-10s %11s %11s %10s %10s %9s %10s %11s %12s\n", "config",
              "pf512 (ms)", "pf2048 (ms)", "dec1 (ms)", "dec32 (ms)",
              "allred %", "GiB/GPU", "KV KiB/tok", "KV tokens");
  for (const ParallelConfig& c : configs) {
    absl::StatusOr<TokenStepCosts> p512 = cost.Prefill(model, c, {512});
    absl::StatusOr<TokenStepCosts> p2048 = cost.Prefill(model, c, {2048});
    absl::StatusOr<TokenStepCosts> d1 = cost.DecodeStep(model, c, {1024});
    absl::StatusOr<TokenStepCosts> d32 =
        cost.DecodeStep(model, c, std::vector<int32_t>(32, 1024));
    absl::StatusOr<int64_t> capacity = cost.KvCacheCapacityTokens(model, c);
    if (!p512.ok() || !p2048.ok() || !d1.ok() || !d32.ok() || !capacity.ok()) {
      std::printf("  %-10s (not answered)\n", c.ToString().c_str());
      continue;
    }
    double allreduce = 0, weights = 0, kv = 0;
    for (size_t s = 0; s < d1->latency_s.size(); ++s) {
      allreduce += d1->allreduce_s[s];
      weights = std::max(weights, d1->weight_bytes[s]);
      kv = std::max(kv, d1->kv_bytes_per_token[s]);
    }
    std::printf(
        "  %-10s %11.2f %11.2f %10.2f %10.2f %9.1f %10.2f %11.1f %12lld\n",
        c.ToString().c_str(), 1e3 * p512->TotalLatency(),
        1e3 * p2048->TotalLatency(), 1e3 * d1->TotalLatency(),
        1e3 * d32->TotalLatency(), 100 * allreduce / d1->TotalLatency(),
        weights / kGiB, kv / 1024, static_cast<long long>(*capacity));
  }
}

void InspectCostModel(const std::string& spec) {
  absl::StatusOr<std::unique_ptr<CostModel>> cost =
      Registry<CostModel>::Global().Create(spec);
  if (!cost.ok()) Fail("db", cost.status());
  std::printf("%s\n", (*cost)->Name().c_str());
  for (const std::string& line : (*cost)->Provenance()) {
    std::printf("  %s\n", line.c_str());
  }
  for (const std::string& model : (*cost)->Models()) {
    const std::vector<ParallelConfig> configs = (*cost)->Configs(model);
    std::printf("\nmodel %s: %zu configs\n", model.c_str(), configs.size());
    std::printf("  %-10s %7s %10s %10s %12s\n", "config", "devices", "bs1 (s)",
                "bs16 (s)", "GiB/GPU");
    for (const ParallelConfig& c : configs) {
      absl::StatusOr<StageCosts> b1 = (*cost)->Stages(model, c, 1);
      absl::StatusOr<StageCosts> b16 = (*cost)->Stages(model, c, 16);
      std::printf(
          "  %-10s %7d %10s %10s %12s\n", c.ToString().c_str(), c.NumDevices(),
          b1.ok() ? absl::StrFormat("%.4f", b1->TotalLatency()).c_str() : "-",
          b16.ok() ? absl::StrFormat("%.4f", b16->TotalLatency()).c_str() : "-",
          b1.ok() ? absl::StrFormat("%.3f", b1->MaxWeightBytes() / kGiB).c_str()
                  : "-");
    }
    PrintTokenLevel(**cost, model);
  }
}

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
  struct stat st;
  if (::stat(args[1].c_str(), &st) != 0 &&
      args[1].find(':') != std::string::npos) {
    // Not a file: a cost-model spec.
    multiplex::InspectCostModel(args[1]);
  } else if (::stat(args[1].c_str(), &st) != 0 &&
             multiplex::Registry<multiplex::CostModel>::Global()
                 .Create(args[1])
                 .ok()) {
    multiplex::InspectCostModel(args[1]);
  } else {
    multiplex::Inspect(args[1]);
  }
  return 0;
}
