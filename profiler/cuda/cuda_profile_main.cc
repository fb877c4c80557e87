// Measures a profiling database on the local NVIDIA GPU.
//
//   bazel run //profiler:cuda_profile -- --model=bert-2.6b --hardware=h100
//       --out=profiler/data/profiling_result_h100_measured.textproto
//
// For every model, shard width t (--op_degrees) and batch size, times each
// distinct unit (embedding, attention, ffn, head; workload.h) on one GPU with
// CUDA events (--warmup untimed runs, then --repeats timed ones; the median
// is recorded), then builds the stages of every (1, t, pp) config with the
// `manual` or `dp` partition and the hardware description's interconnect
// model for the all-reduces and stage-to-stage sends (assemble.h), and writes
// the database atomically (nothing is written on failure). A per-unit TSV of
// the timing statistics goes beside it (--units_out).
//
// Exit status: 0 written; 1 no usable GPU ("no CUDA device: ..." on one
// line) or a GPU failure; 2 bad arguments or descriptions.

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "profiler/cuda/assemble.h"
#include "profiler/cuda/gpu_runner.h"
#include "profiler/cuda/stats.h"
#include "profiler/cuda/workload.h"
#include "profiler/database_io.h"
#include "profiler/descs.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, model, "bert-2.6b",
          "comma-separated model names (profiler/models/<name>.textproto) or "
          "paths");
ABSL_FLAG(std::string, hardware, "h100",
          "hardware description for communication: a name in "
          "profiler/hardware (h100 finds h100-*.textproto) or a path");
ABSL_FLAG(std::string, out, "",
          "database to write (text proto); relative paths are taken from "
          "the directory the command was run in");
ABSL_FLAG(std::string, units_out, "",
          "per-unit timing TSV (default: <out> with .units.tsv)");
ABSL_FLAG(std::string, models_dir, "profiler/models",
          "model descriptions (the default is the workspace's)");
ABSL_FLAG(std::string, hardware_dir, "profiler/hardware",
          "hardware descriptions (the default is the workspace's)");
ABSL_FLAG(std::string, partition, "dp", "stage partition: dp or manual");
ABSL_FLAG(std::string, other_partition_out, "",
          "if set, also write the database with the other partition method "
          "(manual for dp, dp for manual) there, from the same measurements");
ABSL_FLAG(std::string, op_degrees, "1,2,4,8", "operator-parallel degrees");
ABSL_FLAG(std::string, pp_degrees, "1,2,4,8,16,32",
          "pipeline degrees (those above a model's layer count are skipped)");
ABSL_FLAG(std::string, batch_sizes, "1,2,4,8,16", "batch sizes");
ABSL_FLAG(int, seq, 0, "sequence length (0: each model's own)");
ABSL_FLAG(std::string, dtype, "fp16", "fp16 or bf16");
ABSL_FLAG(int, warmup, 5, "untimed runs before timing");
ABSL_FLAG(int, repeats, 30, "timed runs per unit");
ABSL_FLAG(int, device, 0, "CUDA device ordinal");

namespace multiplex {
namespace cuda {
namespace {

constexpr char kTool[] = "multiplex cuda_profile 1";

bool ParseInts(const std::string& flag, const std::string& text,
               std::vector<int>* out) {
  out->clear();
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int v;
    if (!absl::SimpleAtoi(part, &v) || v < 1) {
      std::fprintf(stderr, "cuda_profile: --%s: '%s' is not a positive int\n",
                   flag.c_str(), std::string(part).c_str());
      return false;
    }
    out->push_back(v);
  }
  if (out->empty()) {
    std::fprintf(stderr, "cuda_profile: --%s is empty\n", flag.c_str());
    return false;
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return true;
}

const char* KindName(UnitKind k) { return UnitKindName(k); }

// A directory flag: as given, or its default in the workspace.
std::string DirFlag(const absl::Flag<std::string>& flag, const char* name) {
  const std::string value = absl::GetFlag(flag);
  return FlagGiven(name) ? value : ResolveWorkspacePath(value);
}

int Main(int argc, char** argv) {
  ParseFlagsOrFail(
      argc, argv, "cuda_profile",
      "Measures a profiling database on the local NVIDIA GPU.\n"
      "Usage: cuda_profile --model=bert-2.6b --hardware=h100 --out=FILE\n"
      "Exit status: 0 written; 1 no usable GPU, a GPU failure or a stray "
      "argument;\n2 bad flag values or descriptions.");

  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::fprintf(stderr, "cuda_profile: --out is required\n");
    return 2;
  }
  AssembleOptions options;
  options.partition = absl::GetFlag(FLAGS_partition);
  options.sequence_length = absl::GetFlag(FLAGS_seq);
  if (options.partition != "dp" && options.partition != "manual") {
    std::fprintf(stderr, "cuda_profile: --partition must be dp or manual\n");
    return 2;
  }
  if (!ParseInts("op_degrees", absl::GetFlag(FLAGS_op_degrees),
                 &options.op_degrees) ||
      !ParseInts("pp_degrees", absl::GetFlag(FLAGS_pp_degrees),
                 &options.pp_degrees) ||
      !ParseInts("batch_sizes", absl::GetFlag(FLAGS_batch_sizes),
                 &options.batch_sizes)) {
    return 2;
  }
  const std::string dtype_name = absl::GetFlag(FLAGS_dtype);
  if (dtype_name != "fp16" && dtype_name != "bf16") {
    std::fprintf(stderr, "cuda_profile: --dtype must be fp16 or bf16\n");
    return 2;
  }
  const DType dtype = dtype_name == "fp16" ? DType::kFp16 : DType::kBf16;
  const int warmup = absl::GetFlag(FLAGS_warmup);
  const int repeats = absl::GetFlag(FLAGS_repeats);
  if (warmup < 0 || repeats < 1) {
    std::fprintf(stderr, "cuda_profile: need --warmup >= 0, --repeats >= 1\n");
    return 2;
  }

  // Descriptions first: argument errors are reported with or without a GPU.
  std::vector<TransformerModelDesc> models;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_model), ',', absl::SkipEmpty())) {
    absl::StatusOr<std::string> path = ResolveDescPath(
        DirFlag(FLAGS_models_dir, "models_dir"), std::string(name));
    absl::StatusOr<TransformerModelDesc> m =
        path.ok() ? LoadModelDesc(*path)
                  : absl::StatusOr<TransformerModelDesc>(path.status());
    if (!m.ok()) {
      std::fprintf(stderr, "cuda_profile: %s\n", m.status().ToString().c_str());
      return 2;
    }
    if (m->num_experts() > 0) {
      std::fprintf(stderr,
                   "cuda_profile: %s is a mixture-of-experts model; the CUDA "
                   "profiler measures dense models only (use the analytical "
                   "cost model)\n",
                   m->name().c_str());
      return 2;
    }
    for (int t : options.op_degrees) {
      if (m->heads() % t != 0 || m->vocab() % t != 0 ||
          (m->ffn_multiplier() * m->hidden()) % t != 0) {
        std::fprintf(stderr,
                     "cuda_profile: %s: op degree %d does not divide heads, "
                     "vocab and FFN size\n",
                     m->name().c_str(), t);
        return 2;
      }
    }
    models.push_back(*m);
  }
  if (models.empty()) {
    std::fprintf(stderr, "cuda_profile: --model is empty\n");
    return 2;
  }
  absl::StatusOr<std::string> hw_path =
      ResolveDescPath(DirFlag(FLAGS_hardware_dir, "hardware_dir"),
                      absl::GetFlag(FLAGS_hardware));
  absl::StatusOr<HardwareDesc> hardware =
      hw_path.ok() ? LoadHardwareDesc(*hw_path)
                   : absl::StatusOr<HardwareDesc>(hw_path.status());
  if (!hardware.ok()) {
    std::fprintf(stderr, "cuda_profile: %s\n",
                 hardware.status().ToString().c_str());
    return 2;
  }

  std::string error;
  std::unique_ptr<GpuRunner> gpu =
      GpuRunner::Open(absl::GetFlag(FLAGS_device), dtype, &error);
  if (gpu == nullptr) {
    std::fprintf(stderr, "cuda_profile: %s\n", error.c_str());
    return 1;
  }
  const DeviceInfo& dev = gpu->info();
  std::printf("device: %s\n", DescribeDevice(dev).c_str());
  std::printf("dtype %s, warm-up %d, repeats %d; communication from %s\n",
              dtype_name.c_str(), warmup, repeats, hardware->name().c_str());

  std::string tsv =
      "model\top\tbatch\tseq\tunit\top_name\tn\tmedian_ms\tp10_ms\tp90_ms\t"
      "min_ms\tmax_ms\tspread\tgflop\ttflops\n";
  double worst_spread = 0;
  std::string worst_spread_what;
  ProfilingDatabase db, other_db;
  AssembleOptions other_options = options;
  other_options.partition = options.partition == "dp" ? "manual" : "dp";
  const std::string other_out = absl::GetFlag(FLAGS_other_partition_out);
  for (const TransformerModelDesc& model : models) {
    const int seq = ProfiledSequence(model, options.sequence_length);
    UnitLatencyTable table;
    struct GemmRate {
      std::string name, what;
      double flops, ms;
    };
    std::vector<GemmRate> gemms;
    std::printf("\n== %s (seq %d) ==\n", model.name().c_str(), seq);
    for (int t : options.op_degrees) {
      for (int b : options.batch_sizes) {
        for (const UnitWork& unit : DistinctUnits(model, t, b, seq)) {
          std::vector<double> seq_ms;
          std::vector<std::vector<double>> op_ms;
          if (!gpu->TimeOps(unit.ops, warmup, repeats, &seq_ms, &op_ms,
                            &error)) {
            std::fprintf(stderr, "cuda_profile: %s op %d batch %d %s: %s\n",
                         model.name().c_str(), t, b, KindName(unit.kind),
                         error.c_str());
            return 1;
          }
          const TimingSummary s = Summarize(seq_ms);
          table.Set(t, b, unit.kind, s.median / 1e3);
          if (s.spread > worst_spread) {
            worst_spread = s.spread;
            worst_spread_what =
                absl::StrCat(model.name(), " ", KindName(unit.kind), " op ", t,
                             " batch ", b);
          }
          auto row = [&](const std::string& name, const TimingSummary& x,
                         double flops) {
            absl::StrAppendFormat(
                &tsv,
                "%s\t%d\t%d\t%d\t%s\t%s\t%d\t%.6g\t%.6g\t%.6g\t%.6g\t"
                "%.6g\t%.4f\t%.6g\t%.4g\n",
                model.name(), t, b, seq, KindName(unit.kind), name, x.n,
                x.median, x.p10, x.p90, x.min, x.max, x.spread, flops / 1e9,
                x.median > 0 ? flops / (x.median * 1e-3) / 1e12 : 0.0);
          };
          row("(unit)", s, unit.Flops());
          for (size_t i = 0; i < unit.ops.size(); ++i) {
            const TimingSummary os = Summarize(op_ms[i]);
            row(unit.ops[i].name, os, unit.ops[i].flops);
            if (unit.ops[i].kind == OpKind::kGemm ||
                unit.ops[i].kind == OpKind::kBatchedGemm) {
              gemms.push_back(
                  {unit.ops[i].name,
                   absl::StrFormat("%s t=%d b=%d %s [%dx%dx%d]x%d",
                                   model.name(), t, b, unit.ops[i].name,
                                   unit.ops[i].m, unit.ops[i].n, unit.ops[i].k,
                                   unit.ops[i].batch),
                   unit.ops[i].flops, os.median});
            }
          }
        }
        // Per-layer and whole-model compute latencies (no communication).
        const double att = *table.Get(t, b, UnitKind::kAttention);
        const double ffn = *table.Get(t, b, UnitKind::kFfn);
        const double whole = *table.Get(t, b, UnitKind::kEmbedding) +
                             model.num_layers() * (att + ffn) +
                             *table.Get(t, b, UnitKind::kHead);
        std::printf(
            "t=%d b=%-2d  layer %8.3f ms (attention %7.3f, ffn %7.3f)  "
            "embedding %7.3f  head %7.3f  whole model (compute) %9.3f ms\n",
            t, b, 1e3 * (att + ffn), 1e3 * att, 1e3 * ffn,
            1e3 * *table.Get(t, b, UnitKind::kEmbedding),
            1e3 * *table.Get(t, b, UnitKind::kHead), 1e3 * whole);
      }
    }
    std::sort(
        gemms.begin(), gemms.end(),
        [](const GemmRate& a, const GemmRate& b) { return a.flops > b.flops; });
    // The largest instance of each GEMM of the network.
    std::printf("largest GEMMs (each op at its largest shape):\n");
    std::set<std::string> seen;
    for (const GemmRate& g : gemms) {
      if (!seen.insert(g.name).second) continue;
      std::printf("  %-52s %8.1f GFLOP %8.3f ms %7.1f TFLOP/s\n",
                  g.what.c_str(), g.flops / 1e9, g.ms,
                  g.flops / (g.ms * 1e-3) / 1e12);
    }
    absl::StatusOr<ModelProfile> profile =
        AssembleModel(model, *hardware, options, table);
    if (!profile.ok()) {
      std::fprintf(stderr, "cuda_profile: %s\n",
                   profile.status().ToString().c_str());
      return 1;
    }
    for (const ConfigProfile& c : profile->config()) {
      if (c.op() == 1 && c.pp() == 1) {
        for (const BatchProfile& bp : c.batch()) {
          std::printf("(1,1,1) batch %-2d: %.4f s (with communication model)\n",
                      bp.batch_size(), bp.stage_latency_s(0));
        }
      }
    }
    *db.add_model() = *profile;
    if (!other_out.empty()) {
      absl::StatusOr<ModelProfile> other =
          AssembleModel(model, *hardware, other_options, table);
      if (!other.ok()) {
        std::fprintf(stderr, "cuda_profile: %s\n",
                     other.status().ToString().c_str());
        return 1;
      }
      *other_db.add_model() = *other;
    }
  }

  std::string hw_rel = *hw_path;
  const std::string root = WorkspaceDirectory();
  if (!root.empty() && hw_rel.rfind(root + "/", 0) == 0) {
    hw_rel = hw_rel.substr(root.size() + 1);
  }
  Provenance* p = db.mutable_provenance();
  p->set_method("measured");
  p->set_tool_version(kTool);
  p->set_hardware(
      absl::StrCat(dev.name, " (measured on one GPU; ", dev.sm_count, " SMs)"));
  if (options.sequence_length > 0) {
    p->set_sequence_length(options.sequence_length);
  } else {
    p->set_sequence_length(models[0].sequence_length());
  }
  p->set_partition(options.partition);
  p->set_calibration(
      absl::StrCat("none: compute measured; communication "
                   "from ",
                   hardware->name(), " (", hardware->calibration(), ")"));
  p->set_notes(absl::StrCat(
      "Compute measured on ", DescribeDevice(dev), ". ", dtype_name,
      " cuBLAS GEMMs (cublasGemmEx/cublasGemmStridedBatchedEx, fp32 "
      "accumulation) and softmax/LayerNorm/GELU kernels on random data; "
      "the GEMMs of an op-degree-t shard run on this one GPU. Each unit: ",
      warmup, " warm-up runs, median of ", repeats,
      " CUDA-event-timed runs; largest p10-p90 spread ",
      absl::StrFormat("%.1f%%", 100 * worst_spread), " (", worst_spread_what,
      "). Communication is NOT measured (one GPU): all-reduces and "
      "stage-to-stage sends are modelled from the interconnect of '",
      hardware->name(), "' (", hw_rel,
      "). Stages: the `partition` method over the units embedding, "
      "attention and ffn of each layer, head (dp on the smallest batch's "
      "unit latencies). Memory per profiler/cuda/"
      "workload.h (analytical-model conventions)."));

  absl::Status written = WriteDatabase(db, out);
  if (written.ok() && !other_out.empty()) {
    *other_db.mutable_provenance() = db.provenance();
    other_db.mutable_provenance()->set_partition(other_options.partition);
    written = WriteDatabase(other_db, other_out);
  }
  if (!written.ok()) {
    std::fprintf(stderr, "cuda_profile: %s\n", written.ToString().c_str());
    return 1;
  }
  std::string units_out = absl::GetFlag(FLAGS_units_out);
  if (units_out.empty()) {
    units_out = out;
    const std::string ext = ".textproto";
    if (units_out.size() > ext.size() &&
        units_out.compare(units_out.size() - ext.size(), ext.size(), ext) ==
            0) {
      units_out.resize(units_out.size() - ext.size());
    }
    units_out += ".units.tsv";
  }
  written = WriteFileAtomically(units_out, tsv);
  if (!written.ok()) {
    std::fprintf(stderr, "cuda_profile: %s\n", written.ToString().c_str());
    return 1;
  }
  std::printf("\nwrote %s%s%s and %s\n", out.c_str(),
              other_out.empty() ? "" : ", ", other_out.c_str(),
              units_out.c_str());
  return 0;
}

}  // namespace
}  // namespace cuda
}  // namespace multiplex

int main(int argc, char** argv) { return multiplex::cuda::Main(argc, argv); }
