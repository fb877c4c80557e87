// Numerical check of the profiler's GPU ops against CPU references on small
// shapes, in fp16 and bf16. Exit 0 iff every op passes; 1 if one fails (or
// for a stray argument); 2 if there is no usable GPU (one line on stderr).
//
//   profiler/cuda/kernel_check            (static binary; see run_on_gpu.sh)
//
// It takes no flags and, unlike every other binary, does not use
// tools/cli's ParseFlagsOrFail: it needs nothing but the CUDA runtime, so
// that run_on_gpu.sh can rebuild it with nvcc alone. It handles --help and
// stray arguments the same way by hand.

#include <cstdio>
#include <string>
#include <vector>

#include "profiler/cuda/gpu_runner.h"
#include "profiler/cuda/reference_kernels.h"

namespace multiplex {
namespace cuda {
namespace {

std::vector<OpSpec> CheckOps() {
  std::vector<OpSpec> ops;
  auto gemm = [&](const char* name, int64_t m, int64_t n, int64_t k,
                  int64_t batch, bool tb) {
    OpSpec op;
    op.name = name;
    op.kind = batch > 1 ? OpKind::kBatchedGemm : OpKind::kGemm;
    op.m = m, op.n = n, op.k = k, op.batch = batch, op.trans_b = tb;
    ops.push_back(op);
  };
  gemm("gemm_nn_64x96x128", 64, 96, 128, 1, false);
  gemm("gemm_nt_48x80x256", 48, 80, 256, 1, true);
  gemm("gemm_odd_37x53x71", 37, 53, 71, 1, false);
  gemm("batched_nt_scores_4x64x64x32", 64, 64, 32, 4, true);
  gemm("batched_nn_values_4x64x32x64", 64, 32, 64, 4, false);
  auto row = [&](const char* name, OpKind kind, int64_t rows, int64_t cols,
                 float scale) {
    OpSpec op;
    op.name = name;
    op.kind = kind;
    op.rows = rows, op.cols = cols, op.scale = scale;
    ops.push_back(op);
  };
  row("softmax_16x100_scaled", OpKind::kSoftmax, 16, 100, 0.125f);
  row("softmax_3x2048", OpKind::kSoftmax, 3, 2048, 1.0f);
  row("log_softmax_4x5000", OpKind::kLogSoftmax, 4, 5000, 1.0f);
  row("layernorm_8x1000", OpKind::kLayerNorm, 8, 1000, 1.0f);
  row("layernorm_5x2560", OpKind::kLayerNorm, 5, 2560, 1.0f);
  row("gelu_7x333", OpKind::kGelu, 7, 333, 1.0f);
  OpSpec g;
  g.name = "gather_50x96_vocab300";
  g.kind = OpKind::kGather;
  g.rows = 50, g.cols = 96, g.vocab = 300;
  ops.push_back(g);
  return ops;
}

int Main() {
  int failures = 0;
  bool printed_device = false;
  for (DType dtype : {DType::kFp16, DType::kBf16}) {
    std::string error;
    std::unique_ptr<GpuRunner> runner = GpuRunner::Open(0, dtype, &error);
    if (runner == nullptr) {
      std::fprintf(stderr, "kernel_check: %s\n", error.c_str());
      return 2;
    }
    if (!printed_device) {
      std::printf("device: %s\n", DescribeDevice(runner->info()).c_str());
      printed_device = true;
    }
    unsigned seed = 1;
    for (const OpSpec& op : CheckOps()) {
      std::vector<std::vector<float>> in = RandomInputs(op, dtype, seed++);
      std::vector<float> got;
      if (!runner->RunOnHostData(op, in, &got, &error)) {
        std::printf("FAIL %-5s %-32s %s\n", DTypeName(dtype), op.name.c_str(),
                    error.c_str());
        ++failures;
        continue;
      }
      const Comparison c = Compare(got, ReferenceOp(op, in), dtype);
      std::printf("%s %-5s %-32s %s (rtol %.2g)\n", c.ok ? "ok  " : "FAIL",
                  DTypeName(dtype), op.name.c_str(), c.Describe().c_str(),
                  RelativeTolerance(dtype));
      if (!c.ok) ++failures;
    }
  }
  std::printf("kernel_check: %s (%d failures)\n",
              failures == 0 ? "PASS" : "FAIL", failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace cuda
}  // namespace multiplex

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-help" || arg == "-h" ||
        arg == "--helpshort" || arg == "--helpfull") {
      std::printf(
          "Checks the profiler's GPU ops against CPU references on small "
          "shapes, in fp16\nand bf16.\n"
          "Usage: kernel_check   (no flags)\n"
          "Exit status: 0 every op passes; 1 one fails; 2 no usable GPU.\n");
      return 0;
    }
  }
  if (argc > 1) {
    std::fprintf(stderr,
                 "kernel_check: unexpected argument '%s' (it takes no "
                 "arguments; see --help)\n",
                 argv[1]);
    return 1;
  }
  return multiplex::cuda::Main();
}
