// Prefill and decode measurement (decoder_workload.h) without a GPU: exact
// shapes and FLOPs of a Llama layer, and the roofline fake runner's timings
// split into linear and attention parts.

#include "profiler/cuda/decoder_workload.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "profiler/cuda/gpu_runner.h"
#include "profiler/decoder_cost_model.h"

namespace multiplex {
namespace cuda {
namespace {

DecoderModelDesc Llama70b() {
  absl::StatusOr<DecoderModelDesc> m =
      LoadDecoderModelDesc("profiler/decoder_models/llama-2-70b.textproto");
  EXPECT_TRUE(m.ok()) << m.status();
  return *m;
}

const OpSpec& Find(const std::vector<OpSpec>& ops, const std::string& name) {
  for (const OpSpec& op : ops) {
    if (op.name == name) return op;
  }
  ADD_FAILURE() << "no op " << name;
  return ops.front();
}

TEST(DecoderWorkloadTest, PrefillShapesAndFlopsAreExact) {
  const DecoderModelDesc m = Llama70b();
  const std::vector<OpSpec> ops = DecoderPrefillLayerOps(m, 4, {100, 28});
  // rmsnorm, qkv, 2 x (scores, softmax, values), out, rmsnorm, gate_up,
  // silu, down.
  ASSERT_EQ(ops.size(), 13u);
  const OpSpec& qkv = Find(ops, "qkv");
  EXPECT_EQ(qkv.m, 128);
  EXPECT_EQ(qkv.n, (8192 + 2 * 8 * 128) / 4);
  EXPECT_EQ(qkv.k, 8192);
  EXPECT_EQ(Find(ops, "gate_up").n, 2 * 28672 / 4);
  EXPECT_EQ(Find(ops, "down").k, 28672 / 4);
  EXPECT_EQ(ops[2].name, "scores");
  EXPECT_EQ(ops[2].batch, 16);  // 64 heads / 4
  EXPECT_EQ(ops[2].m, 100);
  EXPECT_EQ(ops[2].n, 100);
  EXPECT_EQ(ops[5].m, 28);
  // The linear GEMMs' FLOPs are 2 T P / op with P the layer's weights.
  double linear = 0;
  for (const OpSpec& op : ops) {
    if (op.kind == OpKind::kGemm) linear += op.flops;
  }
  const double p = 2.0 * 8192 * 8192 + 2.0 * 8192 * 1024 + 3.0 * 8192 * 28672;
  EXPECT_DOUBLE_EQ(linear, 2.0 * 128 * p / 4);
}

TEST(DecoderWorkloadTest, DecodeReadsEachSequencesContext) {
  const DecoderModelDesc m = Llama70b();
  const std::vector<OpSpec> ops = DecoderDecodeLayerOps(m, 8, {1000, 3000});
  ASSERT_EQ(ops.size(), 13u);
  EXPECT_EQ(Find(ops, "qkv").m, 2);
  EXPECT_EQ(ops[2].m, 1);
  EXPECT_EQ(ops[2].n, 1000);
  EXPECT_EQ(ops[5].n, 3000);
  EXPECT_EQ(ops[7].k, 3000);  // values of the second sequence
}

TEST(DecoderWorkloadTest, FakeGpuTimesSplitIntoLinearAndAttention) {
  std::string error;
  std::unique_ptr<GpuRunner> runner = GpuRunner::Open(0, DType::kFp16, &error);
  ASSERT_NE(runner, nullptr) << error;
  const DecoderModelDesc m = Llama70b();
  DecoderLayerTiming t;
  ASSERT_TRUE(MeasureDecoderLayer(*runner, DecoderDecodeLayerOps(m, 1, {1}), 1,
                                  5, &t, &error))
      << error;
  // Batch-1 decode on the fake roofline (2 TB/s): the weights' read.
  const double weights =
      (2.0 * 8192 * 8192 + 2.0 * 8192 * 1024 + 3.0 * 8192 * 28672) * 2;
  EXPECT_NEAR(t.linear_ms, 1e3 * weights / 2e12, 0.05 * 1e3 * weights / 2e12);
  EXPECT_GT(t.attention_ms, 0);
  EXPECT_NEAR(t.layer_ms, t.linear_ms + t.attention_ms,
              0.05 * (t.linear_ms + t.attention_ms));
  // A long prefill's attention grows with the square of the prompt.
  DecoderLayerTiming a, b;
  ASSERT_TRUE(MeasureDecoderLayer(*runner, DecoderPrefillLayerOps(m, 1, {2048}),
                                  1, 5, &a, &error));
  ASSERT_TRUE(MeasureDecoderLayer(*runner, DecoderPrefillLayerOps(m, 1, {4096}),
                                  1, 5, &b, &error));
  EXPECT_NEAR(b.attention_ms / a.attention_ms, 4, 0.4);
  EXPECT_NEAR(b.linear_ms / a.linear_ms, 2, 0.2);
}

}  // namespace
}  // namespace cuda
}  // namespace multiplex
