#include "profiler/cuda/workload.h"

#include <cmath>

namespace multiplex {
namespace cuda {

double OpFlops(const OpSpec& op) {
  const double rows = static_cast<double>(op.rows),
               cols = static_cast<double>(op.cols);
  switch (op.kind) {
    case OpKind::kGemm:
    case OpKind::kBatchedGemm:
      return 2.0 * op.m * op.n * op.k * op.batch;
    case OpKind::kSoftmax:
    case OpKind::kLogSoftmax:
      return 5.0 * rows * cols;  // scale, max, exp, sum, normalize
    case OpKind::kLayerNorm:
      return 8.0 * rows * cols;
    case OpKind::kGelu:
      return 8.0 * rows * cols;
    case OpKind::kGather:
      return 0;
  }
  return 0;
}

double OpBytes(const OpSpec& op, int dtype_bytes) {
  const OperandSizes s = SizesOf(op);
  double elems = static_cast<double>(s.out);
  for (int i = 0; i < 4; ++i) elems += static_cast<double>(s.in[i]);
  if (op.kind == OpKind::kGather) {
    // Only the gathered rows of the table are read; indices are 4 bytes.
    return (2.0 * op.rows * op.cols) * dtype_bytes + 4.0 * op.rows;
  }
  return elems * dtype_bytes;
}

double UnitWork::Flops() const {
  double f = 0;
  for (const OpSpec& op : ops) f += op.flops;
  return f;
}

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

OpSpec RowOp(const std::string& name, OpKind kind, int64_t rows, int64_t cols,
             float scale = 1.0f) {
  OpSpec op;
  op.name = name;
  op.kind = kind;
  op.rows = rows;
  op.cols = cols;
  op.scale = scale;
  return op;
}

void Finish(UnitWork* u, int dtype_bytes) {
  for (OpSpec& op : u->ops) {
    op.flops = OpFlops(op);
    op.bytes = OpBytes(op, dtype_bytes);
  }
}

}  // namespace

int ProfiledSequence(const TransformerModelDesc& model, int override_seq) {
  return override_seq > 0 ? override_seq : model.sequence_length();
}

std::vector<UnitKind> UnitSequence(const TransformerModelDesc& model) {
  std::vector<UnitKind> kinds = {UnitKind::kEmbedding};
  for (int i = 0; i < model.num_layers(); ++i) {
    kinds.push_back(UnitKind::kAttention);
    kinds.push_back(UnitKind::kFfn);
  }
  kinds.push_back(UnitKind::kHead);
  return kinds;
}

std::vector<UnitWork> DistinctUnits(const TransformerModelDesc& model, int op,
                                    int batch, int seq) {
  const int64_t t = op, s = seq, h = model.hidden(), a = model.heads();
  const int64_t d = h / a, f = int64_t{model.ffn_multiplier()} * h;
  const int64_t v = model.vocab(), tokens = int64_t{batch} * s;
  const int db = model.dtype_bytes();
  const double td = t, hd = h, vd = v, fd = f;
  const double act = static_cast<double>(tokens) * h * db;
  const double pos = model.max_position_embeddings() > 0
                         ? model.max_position_embeddings()
                         : model.sequence_length();
  std::vector<UnitWork> units;

  {
    UnitWork u;
    u.kind = UnitKind::kEmbedding;
    if (model.embedding_lookup() == TransformerModelDesc::ONE_HOT_MATMUL) {
      u.ops.push_back(Gemm("embed_onehot", tokens, h, v / t));
      u.activation_bytes =
          static_cast<double>(tokens) * (vd / td) * db + 2 * act;
    } else {
      OpSpec g = RowOp("embed_gather", OpKind::kGather, tokens, h);
      g.vocab = v / t;
      u.ops.push_back(g);
      u.activation_bytes = 2 * act;
    }
    u.ops.push_back(RowOp("embed_layernorm", OpKind::kLayerNorm, tokens, h));
    u.allreduce_count = op > 1 ? 1 : 0;
    u.allreduce_bytes = act;
    u.weight_bytes = (vd * hd / td + pos * hd + 2 * hd) * db;
    Finish(&u, db);
    units.push_back(u);
  }
  {
    UnitWork u;
    u.kind = UnitKind::kAttention;
    const int64_t heads = int64_t{batch} * a / t;
    u.ops.push_back(Gemm("qkv", tokens, 3 * h / t, h));
    u.ops.push_back(Gemm("scores", s, s, d, heads, /*trans_b=*/true));
    u.ops.push_back(RowOp("softmax", OpKind::kSoftmax, heads * s, s,
                          1.0f / std::sqrt(static_cast<float>(d))));
    u.ops.push_back(Gemm("values", s, d, s, heads));
    u.ops.push_back(Gemm("attn_out", tokens, h, h / t));
    u.ops.push_back(RowOp("attn_layernorm", OpKind::kLayerNorm, tokens, h));
    u.allreduce_count = op > 1 ? 1 : 0;
    u.allreduce_bytes = act;
    const double score_elems = static_cast<double>(heads) * s * s;
    u.weight_bytes = (4 * hd * hd / td + 3 * hd / td + hd + 2 * hd) * db;
    u.activation_bytes = 2 * act + 3 * act / td + score_elems * db * 2;
    Finish(&u, db);
    units.push_back(u);
  }
  {
    UnitWork u;
    u.kind = UnitKind::kFfn;
    u.ops.push_back(Gemm("ffn_in", tokens, f / t, h));
    u.ops.push_back(RowOp("gelu", OpKind::kGelu, tokens, f / t));
    u.ops.push_back(Gemm("ffn_out", tokens, h, f / t));
    u.ops.push_back(RowOp("ffn_layernorm", OpKind::kLayerNorm, tokens, h));
    u.allreduce_count = op > 1 ? 1 : 0;
    u.allreduce_bytes = act;
    u.weight_bytes = (2 * hd * fd / td + fd / td + hd + 2 * hd) * db;
    u.activation_bytes =
        2 * act + 2 * static_cast<double>(tokens) * (fd / td) * db;
    Finish(&u, db);
    units.push_back(u);
  }
  {
    UnitWork u;
    u.kind = UnitKind::kHead;
    u.ops.push_back(Gemm("head_dense", tokens, h, h));
    u.ops.push_back(RowOp("head_gelu", OpKind::kGelu, tokens, h));
    u.ops.push_back(RowOp("head_layernorm", OpKind::kLayerNorm, tokens, h));
    u.ops.push_back(Gemm("lm_head", tokens, v / t, h, 1, /*trans_b=*/true));
    u.ops.push_back(RowOp("log_softmax", OpKind::kLogSoftmax, tokens, v / t));
    // Max and sum of the log-softmax, all-reduced across the vocab shards.
    u.allreduce_count = op > 1 ? 2 : 0;
    u.allreduce_bytes = static_cast<double>(tokens) * 4;
    u.weight_bytes = (hd * hd + hd + 2 * hd + vd / td) * db;
    if (!model.tied_lm_head()) u.weight_bytes += vd * hd / td * db;
    u.activation_bytes = 2 * act + static_cast<double>(tokens) * (vd / td) * 4;
    Finish(&u, db);
    units.push_back(u);
  }
  return units;
}

}  // namespace cuda
}  // namespace multiplex
