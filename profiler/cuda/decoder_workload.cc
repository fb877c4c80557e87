#include "profiler/cuda/decoder_workload.h"

#include <algorithm>
#include <cmath>

#include "profiler/cuda/workload.h"

namespace multiplex {
namespace cuda {
namespace {

OpSpec Gemm(const std::string& name, int64_t m, int64_t n, int64_t k,
            int64_t batch = 1, bool trans_b = false) {
  OpSpec op;
  op.name = name;
  op.kind = batch > 1 ? OpKind::kBatchedGemm : OpKind::kGemm;
  op.m = m;
  op.n = n;
  op.k = k;
  op.batch = batch;
  op.trans_b = trans_b;
  return op;
}

OpSpec RowOp(const std::string& name, OpKind kind, int64_t rows, int64_t cols) {
  OpSpec op;
  op.name = name;
  op.kind = kind;
  op.rows = rows;
  op.cols = cols;
  return op;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The layer's ops around the attention of each (query rows, context) pair.
std::vector<OpSpec> LayerOps(
    const DecoderModelDesc& m, int op, int64_t tokens,
    const std::vector<std::pair<int64_t, int64_t>>& attention) {
  const int64_t h = m.hidden();
  const int64_t d = h / m.heads();
  const int64_t heads = m.heads() / op;
  const int64_t qkv = (h + 2 * int64_t{m.kv_heads()} * d) / op;
  const int64_t inner = m.intermediate() / op;
  std::vector<OpSpec> ops;
  ops.push_back(RowOp("rmsnorm1", OpKind::kLayerNorm, tokens, h));
  ops.push_back(Gemm("qkv", tokens, qkv, h));
  for (size_t s = 0; s < attention.size(); ++s) {
    const auto [rows, context] = attention[s];
    ops.push_back(Gemm("scores", rows, context, d, heads, /*trans_b=*/true));
    OpSpec softmax = RowOp("softmax", OpKind::kSoftmax, heads * rows, context);
    softmax.scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(d)));
    ops.push_back(softmax);
    ops.push_back(Gemm("values", rows, d, context, heads));
  }
  ops.push_back(Gemm("out", tokens, h, h / op));
  ops.push_back(RowOp("rmsnorm2", OpKind::kLayerNorm, tokens, h));
  ops.push_back(Gemm("gate_up", tokens, 2 * inner, h));
  ops.push_back(RowOp("silu", OpKind::kGelu, tokens, inner));
  ops.push_back(Gemm("down", tokens, h, inner));
  for (OpSpec& o : ops) {
    o.flops = OpFlops(o);
    o.bytes = OpBytes(o, m.dtype_bytes());
  }
  return ops;
}

}  // namespace

std::vector<OpSpec> DecoderPrefillLayerOps(
    const DecoderModelDesc& model, int op,
    const std::vector<int32_t>& prompts) {
  int64_t tokens = 0;
  std::vector<std::pair<int64_t, int64_t>> attention;
  for (int32_t len : prompts) {
    tokens += len;
    attention.push_back({len, len});
  }
  return LayerOps(model, op, tokens, attention);
}

std::vector<OpSpec> DecoderDecodeLayerOps(
    const DecoderModelDesc& model, int op,
    const std::vector<int32_t>& contexts) {
  std::vector<std::pair<int64_t, int64_t>> attention;
  for (int32_t len : contexts) attention.push_back({1, len});
  return LayerOps(model, op, static_cast<int64_t>(contexts.size()), attention);
}

bool IsAttentionOp(const OpSpec& op) {
  return op.name == "scores" || op.name == "softmax" || op.name == "values";
}

bool MeasureDecoderLayer(GpuRunner& runner, const std::vector<OpSpec>& ops,
                         int warmup, int repeats, DecoderLayerTiming* out,
                         std::string* error) {
  std::vector<double> seq_ms;
  std::vector<std::vector<double>> op_ms;
  if (!runner.TimeOps(ops, warmup, repeats, &seq_ms, &op_ms, error)) {
    return false;
  }
  *out = DecoderLayerTiming();
  out->layer_ms = Median(seq_ms);
  for (size_t i = 0; i < ops.size(); ++i) {
    (IsAttentionOp(ops[i]) ? out->attention_ms : out->linear_ms) +=
        Median(op_ms[i]);
  }
  return true;
}

}  // namespace cuda
}  // namespace multiplex
