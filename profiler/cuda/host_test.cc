// Everything of the CUDA profiler that needs no GPU: unit shapes and FLOPs,
// timing statistics, database assembly from fake measured latencies,
// description lookup, and the CPU references of kernel_check.
#include <cmath>
#include <map>
#include <numeric>

#include "gtest/gtest.h"
#include "profiler/cuda/assemble.h"
#include "profiler/cuda/reference_kernels.h"
#include "profiler/cuda/stats.h"
#include "profiler/cuda/workload.h"
#include "profiler/database_io.h"
#include "profiler/descs.h"

namespace multiplex {
namespace cuda {
namespace {

TransformerModelDesc Bert26() {
  absl::StatusOr<TransformerModelDesc> m =
      LoadModelDesc("profiler/models/bert-2.6b.textproto");
  EXPECT_TRUE(m.ok()) << m.status();
  return *m;
}

HardwareDesc H100() {
  absl::StatusOr<std::string> path =
      ResolveDescPath("profiler/hardware", "h100");
  EXPECT_TRUE(path.ok()) << path.status();
  absl::StatusOr<HardwareDesc> h = LoadHardwareDesc(*path);
  EXPECT_TRUE(h.ok()) << h.status();
  return *h;
}

const UnitWork& Find(const std::vector<UnitWork>& units, UnitKind kind) {
  for (const UnitWork& u : units) {
    if (u.kind == kind) return u;
  }
  ADD_FAILURE() << "no unit " << UnitKindName(kind);
  return units.front();
}

const OpSpec& FindOp(const UnitWork& u, const std::string& name) {
  for (const OpSpec& op : u.ops) {
    if (op.name == name) return op;
  }
  ADD_FAILURE() << "no op " << name;
  return u.ops.front();
}

// --- Statistics ------------------------------------------------------------

TEST(StatsTest, QuantilesInterpolateLinearly) {
  EXPECT_DOUBLE_EQ(Quantile({3, 1, 2}, 0.5), 2);
  EXPECT_DOUBLE_EQ(Quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile({0, 10}, 0.1), 1);
  EXPECT_DOUBLE_EQ(Quantile({5}, 0.9), 5);
  EXPECT_DOUBLE_EQ(Quantile({}, 0.5), 0);
  std::vector<double> v(11);
  std::iota(v.begin(), v.end(), 0.0);  // 0..10
  EXPECT_DOUBLE_EQ(Quantile(v, 0.1), 1);
  EXPECT_DOUBLE_EQ(Quantile(v, 0.9), 9);
}

TEST(StatsTest, SummaryIsRobustToOutliers) {
  std::vector<double> v = {1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 50.0};
  TimingSummary s = Summarize(v);
  EXPECT_EQ(s.n, 8);
  EXPECT_DOUBLE_EQ(s.median, 1.0);
  EXPECT_DOUBLE_EQ(s.min, 0.98);
  EXPECT_DOUBLE_EQ(s.max, 50.0);
  EXPECT_NEAR(s.mean, 57.0 / 8, 1e-12);
  EXPECT_GT(s.stddev, 10);
  EXPECT_NEAR(s.spread, (s.p90 - s.p10) / 1.0, 1e-12);
  EXPECT_NE(FormatMs(s).find("median 1 ms"), std::string::npos) << FormatMs(s);
}

// --- Units, shapes, FLOPs ----------------------------------------------------

TEST(WorkloadTest, UnitSequence) {
  TransformerModelDesc m = Bert26();
  std::vector<UnitKind> kinds = UnitSequence(m);
  ASSERT_EQ(kinds.size(), 2u * 32 + 2);
  EXPECT_EQ(kinds.front(), UnitKind::kEmbedding);
  EXPECT_EQ(kinds[1], UnitKind::kAttention);
  EXPECT_EQ(kinds[2], UnitKind::kFfn);
  EXPECT_EQ(kinds.back(), UnitKind::kHead);
  EXPECT_EQ(CountLayers(kinds), 32);
}

TEST(WorkloadTest, ShapesAndFlopsOfALayer) {
  TransformerModelDesc m = Bert26();
  const double h = 2560, s = 2048, a = 32, b = 2, T = b * s, f = 4 * h;
  for (int t : {1, 2, 4, 8}) {
    std::vector<UnitWork> units = DistinctUnits(m, t, 2, 2048);
    ASSERT_EQ(units.size(), 4u);
    const UnitWork& att = Find(units, UnitKind::kAttention);
    const OpSpec& qkv = FindOp(att, "qkv");
    EXPECT_EQ(qkv.m, T);
    EXPECT_EQ(qkv.n, 3 * h / t);
    EXPECT_EQ(qkv.k, h);
    const OpSpec& scores = FindOp(att, "scores");
    EXPECT_EQ(scores.kind, OpKind::kBatchedGemm);
    EXPECT_EQ(scores.batch, b * a / t);
    EXPECT_TRUE(scores.trans_b);
    EXPECT_EQ(scores.m, s);
    EXPECT_EQ(scores.n, s);
    EXPECT_EQ(scores.k, h / a);
    const OpSpec& softmax = FindOp(att, "softmax");
    EXPECT_EQ(softmax.rows, b * a / t * s);
    EXPECT_EQ(softmax.cols, s);
    EXPECT_FLOAT_EQ(softmax.scale, 1 / std::sqrt(80.0f));
    // GEMM FLOPs of one layer: (24 T h^2 + 4 T s h) / t.
    const UnitWork& ffn = Find(units, UnitKind::kFfn);
    double gemm_flops = 0;
    for (const UnitWork* u : {&att, &ffn}) {
      for (const OpSpec& op : u->ops) {
        if (op.kind == OpKind::kGemm || op.kind == OpKind::kBatchedGemm) {
          gemm_flops += op.flops;
        }
      }
    }
    EXPECT_NEAR(gemm_flops, (24 * T * h * h + 4 * T * s * h) / t,
                1e-9 * gemm_flops);
    EXPECT_EQ(FindOp(ffn, "gelu").cols, f / t);
    EXPECT_EQ(att.allreduce_count, t > 1 ? 1 : 0);
    EXPECT_DOUBLE_EQ(att.allreduce_bytes, T * h * 2);
    // The head's vocab GEMM is sharded over the vocabulary.
    const OpSpec& lm = FindOp(Find(units, UnitKind::kHead), "lm_head");
    EXPECT_EQ(lm.n, 51200 / t);
    EXPECT_TRUE(lm.trans_b);
    EXPECT_DOUBLE_EQ(lm.flops, 2 * T * (51200 / t) * h);
    EXPECT_DOUBLE_EQ(lm.bytes, (T * h + h * 51200 / t + T * 51200 / t) * 2);
  }
}

TEST(WorkloadTest, WeightsMatchTheStudy) {
  // Table 1 (docs/study.md §1.1): bert-2.6b weighs 5.2-5.4 GB (10^9 bytes)
  // in fp16.
  TransformerModelDesc m = Bert26();
  std::vector<UnitWork> units = DistinctUnits(m, 1, 1, 2048);
  double total = Find(units, UnitKind::kEmbedding).weight_bytes +
                 Find(units, UnitKind::kHead).weight_bytes +
                 32 * (Find(units, UnitKind::kAttention).weight_bytes +
                       Find(units, UnitKind::kFfn).weight_bytes);
  EXPECT_GT(total, 5.2e9);
  EXPECT_LT(total, 5.4e9);
}

TEST(WorkloadTest, GatherEmbedding) {
  TransformerModelDesc m = Bert26();
  m.set_embedding_lookup(TransformerModelDesc::GATHER);
  const std::vector<UnitWork> units = DistinctUnits(m, 2, 1, 128);
  const UnitWork& e = Find(units, UnitKind::kEmbedding);
  EXPECT_EQ(e.ops[0].kind, OpKind::kGather);
  EXPECT_EQ(e.ops[0].vocab, 25600);
  EXPECT_EQ(e.ops[0].rows, 128);
  EXPECT_DOUBLE_EQ(e.Flops(), e.ops[1].flops);  // only the LayerNorm
}

// --- Database assembly from fake measurements
// ---------------------------------

constexpr double kEmb = 1e-3, kAtt = 2e-3, kFfn = 3e-3, kHead = 4e-3;

// Fake compute latencies: proportional to batch and inverse to the shard
// width.
UnitLatencyTable FakeTable(const AssembleOptions& o) {
  UnitLatencyTable table;
  for (int t : o.op_degrees) {
    for (int b : o.batch_sizes) {
      const double k = static_cast<double>(b) / t;
      table.Set(t, b, UnitKind::kEmbedding, kEmb * k);
      table.Set(t, b, UnitKind::kAttention, kAtt * k);
      table.Set(t, b, UnitKind::kFfn, kFfn * k);
      table.Set(t, b, UnitKind::kHead, kHead * k);
    }
  }
  return table;
}

TEST(AssembleTest, SingleGpuStageIsTheSumOfUnits) {
  TransformerModelDesc m = Bert26();
  HardwareDesc hw = H100();
  AssembleOptions o;
  o.op_degrees = {1};
  o.pp_degrees = {1};
  o.batch_sizes = {1, 4};
  absl::StatusOr<ModelProfile> p = AssembleModel(m, hw, o, FakeTable(o));
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->config_size(), 1);
  const ConfigProfile& c = p->config(0);
  ASSERT_EQ(c.batch_size(), 2);
  EXPECT_NEAR(c.batch(0).stage_latency_s(0), kEmb + 32 * (kAtt + kFfn) + kHead,
              1e-12);
  EXPECT_NEAR(c.batch(1).stage_latency_s(0),
              4 * (kEmb + 32 * (kAtt + kFfn) + kHead), 1e-12);
}

TEST(AssembleTest, CommunicationComesFromTheInterconnect) {
  TransformerModelDesc m = Bert26();
  HardwareDesc hw = H100();
  const Interconnect& ic = hw.interconnect();
  AssembleOptions o;
  o.op_degrees = {1, 2};
  o.pp_degrees = {1, 2};
  o.batch_sizes = {1};
  o.partition = "manual";
  absl::StatusOr<ModelProfile> p = AssembleModel(m, hw, o, FakeTable(o));
  ASSERT_TRUE(p.ok()) << p.status();
  std::map<std::pair<int, int>, const ConfigProfile*> by;
  for (const ConfigProfile& c : p->config()) by[{c.op(), c.pp()}] = &c;
  ASSERT_EQ(by.size(), 4u);
  const double act = 2048.0 * 2560 * 2;
  const double ar = ic.allreduce_latency_s() +
                    2.0 * 1 / 2 * act / ic.allreduce_bus_bandwidth();
  const double head_ar =
      2 * (ic.allreduce_latency_s() +
           2.0 * 1 / 2 * (2048.0 * 4) / ic.allreduce_bus_bandwidth());
  EXPECT_DOUBLE_EQ(ar, AllReduceSeconds(ic, act, 2));
  // (1,2,1): halved compute + one all-reduce per embedding/attention/ffn.
  const ConfigProfile* op2 = by[std::make_pair(2, 1)];
  EXPECT_NEAR(op2->batch(0).stage_latency_s(0),
              (kEmb + 32 * (kAtt + kFfn) + kHead) / 2 + (1 + 64) * ar + head_ar,
              1e-12);
  // (1,1,2) manual: 16 layers each; stage 0 sends to stage 1.
  const double send = ic.p2p_latency_s() + act / ic.p2p_bandwidth();
  EXPECT_DOUBLE_EQ(send, SendSeconds(ic, act, 1, 0));
  const BatchProfile& b = by[std::make_pair(1, 2)]->batch(0);
  ASSERT_EQ(b.stage_latency_s_size(), 2);
  EXPECT_NEAR(b.stage_latency_s(0), kEmb + 16 * (kAtt + kFfn) + send, 1e-12);
  EXPECT_NEAR(b.stage_latency_s(1), 16 * (kAtt + kFfn) + kHead, 1e-12);
  // The last stage holds a replica of the tied embedding as workspace.
  EXPECT_GT(b.stage_activation_bytes(1), 51200.0 * 2560 * 2);
}

TEST(AssembleTest, DatabaseValidatesAndWeightsAddUp) {
  TransformerModelDesc m = Bert26();
  HardwareDesc hw = H100();
  for (const char* method : {"manual", "dp"}) {
    AssembleOptions o;
    o.partition = method;
    ProfilingDatabase db;
    db.mutable_provenance()->set_method("measured");
    absl::StatusOr<ModelProfile> p = AssembleModel(m, hw, o, FakeTable(o));
    ASSERT_TRUE(p.ok()) << p.status();
    *db.add_model() = *p;
    EXPECT_TRUE(ValidateDatabase(db, "fake").ok())
        << ValidateDatabase(db, "fake");
    // op {1,2,4,8} x pp {1,2,4,8,16,32}: all fit 32 layers.
    EXPECT_EQ(p->config_size(), 24);
    std::map<int, double> total_by_op;
    for (const ConfigProfile& c : p->config()) {
      ASSERT_EQ(c.stage_weight_bytes_size(), c.pp());
      ASSERT_EQ(c.batch_size(), 5);
      double w = 0;
      for (double x : c.stage_weight_bytes()) w += x;
      if (c.pp() == 1) total_by_op[c.op()] = w;
      EXPECT_NEAR(w, total_by_op[c.op()], 1e-6 * w) << method << c.pp();
      // Stage latencies grow with the batch size (fake data is linear).
      for (int i = 1; i < c.batch_size(); ++i) {
        EXPECT_GT(c.batch(i).stage_latency_s(0),
                  c.batch(i - 1).stage_latency_s(0));
      }
    }
    // Smaller per-GPU weights with more sharding.
    EXPECT_LT(total_by_op[8], total_by_op[1]);
  }
}

TEST(AssembleTest, DpIsNoWorseThanManual) {
  TransformerModelDesc m = Bert26();
  HardwareDesc hw = H100();
  AssembleOptions o;
  o.op_degrees = {1};
  o.batch_sizes = {1};
  std::map<std::string, std::map<int, double>> slowest;
  for (const char* method : {"manual", "dp"}) {
    o.partition = method;
    absl::StatusOr<ModelProfile> p = AssembleModel(m, hw, o, FakeTable(o));
    ASSERT_TRUE(p.ok()) << p.status();
    for (const ConfigProfile& c : p->config()) {
      double mx = 0;
      for (double x : c.batch(0).stage_latency_s()) mx = std::max(mx, x);
      slowest[method][c.pp()] = mx;
    }
  }
  for (auto [pp, mx] : slowest["dp"]) {
    EXPECT_LE(mx, slowest["manual"][pp] + 1e-12) << pp;
  }
}

TEST(AssembleTest, MissingMeasurementIsAnError) {
  AssembleOptions o;
  o.op_degrees = {1};
  o.pp_degrees = {1};
  o.batch_sizes = {1};
  UnitLatencyTable table;
  table.Set(1, 1, UnitKind::kEmbedding, 1e-3);
  absl::StatusOr<ModelProfile> p = AssembleModel(Bert26(), H100(), o, table);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(p.status().message().find("attention"), std::string::npos)
      << p.status();
}

// --- Descriptions ------------------------------------------------------------

TEST(DescsTest, ResolvesShortNames) {
  absl::StatusOr<std::string> h = ResolveDescPath("profiler/hardware", "h100");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_NE(h->find("h100-"), std::string::npos);
  EXPECT_TRUE(ResolveDescPath("profiler/models", "bert-6.7b").ok());
  absl::StatusOr<std::string> none =
      ResolveDescPath("profiler/hardware", "tpu");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(none.status().message().find("v100"), std::string::npos);
  for (const char* name : {"bert-1.3b", "bert-2.6b", "bert-6.7b"}) {
    absl::StatusOr<std::string> p = ResolveDescPath("profiler/models", name);
    ASSERT_TRUE(p.ok());
    absl::StatusOr<TransformerModelDesc> m = LoadModelDesc(*p);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->name(), name);
  }
}

// --- CPU references
// ------------------------------------------------------------

TEST(ReferenceTest, RoundingToFp16AndBf16) {
  EXPECT_EQ(RoundToDType(1.0f, DType::kFp16), 1.0f);
  EXPECT_EQ(RoundToDType(1.0f + std::ldexp(1.0f, -11), DType::kFp16), 1.0f);
  EXPECT_EQ(RoundToDType(1.0f + 3 * std::ldexp(1.0f, -11), DType::kFp16),
            1.0f + std::ldexp(1.0f, -9));
  EXPECT_EQ(RoundToDType(65504.0f, DType::kFp16), 65504.0f);
  EXPECT_TRUE(std::isinf(RoundToDType(70000.0f, DType::kFp16)));
  EXPECT_EQ(RoundToDType(std::ldexp(1.0f, -24), DType::kFp16),
            std::ldexp(1.0f, -24));
  EXPECT_EQ(RoundToDType(1.0f + std::ldexp(1.0f, -8), DType::kBf16), 1.0f);
  EXPECT_EQ(RoundToDType(1.0f + 3 * std::ldexp(1.0f, -8), DType::kBf16),
            1.0f + std::ldexp(1.0f, -6));
  EXPECT_EQ(RoundToDType(-3.0f, DType::kBf16), -3.0f);
}

TEST(ReferenceTest, GemmLayouts) {
  OpSpec op;
  op.kind = OpKind::kGemm;
  op.m = 2, op.n = 2, op.k = 3;
  std::vector<std::vector<float>> in = {
      {1, 2, 3, 4, 5, 6}, {1, 0, 0, 1, 1, 1}, {}, {}};
  // A [2x3] x B [3x2]: B rows (1,0), (0,1), (1,1).
  EXPECT_EQ(ReferenceOp(op, in), (std::vector<double>{4, 5, 10, 11}));
  op.trans_b = true;  // B is [2x3]: rows (1,0,0), (1,1,1)
  EXPECT_EQ(ReferenceOp(op, in), (std::vector<double>{1, 6, 4, 15}));
}

TEST(ReferenceTest, SoftmaxAndLogSoftmaxNormalize) {
  OpSpec op;
  op.kind = OpKind::kSoftmax;
  op.rows = 3, op.cols = 50, op.scale = 0.5f;
  auto in = RandomInputs(op, DType::kFp16, 7);
  std::vector<double> y = ReferenceOp(op, in);
  for (int r = 0; r < 3; ++r) {
    double s = 0;
    for (int c = 0; c < 50; ++c) s += y[r * 50 + c];
    EXPECT_NEAR(s, 1.0, 1e-12);
  }
  op.kind = OpKind::kLogSoftmax;
  y = ReferenceOp(op, in);
  double s = 0;
  for (int c = 0; c < 50; ++c) s += std::exp(y[c]);
  EXPECT_NEAR(s, 1.0, 1e-12);
}

TEST(ReferenceTest, LayerNormHasZeroMeanUnitVariance) {
  OpSpec op;
  op.kind = OpKind::kLayerNorm;
  op.rows = 2, op.cols = 64;
  auto in = RandomInputs(op, DType::kBf16, 3);
  std::fill(in[2].begin(), in[2].end(), 1.0f);  // gamma
  std::fill(in[3].begin(), in[3].end(), 0.0f);  // beta
  std::vector<double> y = ReferenceOp(op, in);
  double mean = 0, var = 0;
  for (int c = 0; c < 64; ++c) mean += y[c] / 64;
  for (int c = 0; c < 64; ++c) var += (y[c] - mean) * (y[c] - mean) / 64;
  EXPECT_NEAR(mean, 0, 1e-9);
  EXPECT_NEAR(var, 1, 1e-3);
}

TEST(ReferenceTest, RandomInputsAreNotZeroAndIndicesInRange) {
  OpSpec g;
  g.kind = OpKind::kGather;
  g.rows = 100, g.cols = 8, g.vocab = 13;
  auto in = RandomInputs(g, DType::kFp16, 1);
  ASSERT_EQ(in[0].size(), 13u * 8);
  ASSERT_EQ(in[1].size(), 100u);
  int nonzero = 0;
  for (float v : in[0]) nonzero += v != 0;
  EXPECT_GT(nonzero, 90);
  for (float v : in[1]) {
    EXPECT_GE(v, 0);
    EXPECT_LT(v, 13);
  }
  std::vector<double> y = ReferenceOp(g, in);
  const int idx = static_cast<int>(in[1][5]);
  EXPECT_EQ(y[5 * 8 + 3], in[0][idx * 8 + 3]);
}

TEST(ReferenceTest, CompareUsesDTypeTolerances) {
  std::vector<double> ref = {1.0, -2.0, 0.5, 0.0};
  std::vector<float> got = {1.001f, -2.002f, 0.5005f, 0.0f};
  EXPECT_TRUE(Compare(got, ref, DType::kFp16).ok)
      << Compare(got, ref, DType::kFp16).Describe();
  got[0] = 1.01f;  // 1% off: too much for fp16, fine for bf16
  EXPECT_FALSE(Compare(got, ref, DType::kFp16).ok);
  EXPECT_TRUE(Compare(got, ref, DType::kBf16).ok);
  got[1] = NAN;
  EXPECT_FALSE(Compare(got, ref, DType::kBf16).ok);
}

}  // namespace
}  // namespace cuda
}  // namespace multiplex
