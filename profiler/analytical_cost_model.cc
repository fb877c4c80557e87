#include "profiler/analytical_cost_model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "profiler/descs.h"
#include "profiler/interconnect.h"

namespace multiplex {

bool IsMoeLayer(const TransformerModelDesc& m, int layer) {
  return m.num_experts() > 0 && (layer + 1) % m.moe_layer_interval() == 0;
}

double ModelParameters(const TransformerModelDesc& m) {
  const double h = m.hidden(), v = m.vocab(), f = m.ffn_multiplier() * h;
  const double e = m.num_experts();
  const double pos = m.max_position_embeddings() > 0
                         ? m.max_position_embeddings()
                         : m.sequence_length();
  const double attention = 4 * h * h + 4 * h  // QKV + output projection
                           + 2 * h;           // its LayerNorm
  const double ffn = 2 * h * f + f + h;       // one FFN (or one expert)
  double layers = 0;
  for (int layer = 0; layer < m.num_layers(); ++layer) {
    layers += attention + 2 * h;  // + the FFN's LayerNorm
    layers += IsMoeLayer(m, layer) ? e * ffn + h * e : ffn;  // experts + gate
  }
  const double embedding = v * h + pos * h + 2 * h;
  const double head = h * h + h + 2 * h + v + (m.tied_lm_head() ? 0 : v * h);
  return layers + embedding + head;
}

double ModelWeightBytes(const TransformerModelDesc& m) {
  return ModelParameters(m) * m.dtype_bytes();
}

AnalyticalCostModel::AnalyticalCostModel(
    HardwareDesc hardware, std::vector<TransformerModelDesc> models,
    AnalyticalOptions options)
    : hw_(std::move(hardware)),
      models_(std::move(models)),
      options_(std::move(options)) {
  std::sort(models_.begin(), models_.end(),
            [](const TransformerModelDesc& a, const TransformerModelDesc& b) {
              return a.name() < b.name();
            });
}

std::string AnalyticalCostModel::Name() const {
  return absl::StrCat(
      "analytical(", hw_.name(), "; ", hw_.calibration(), "; seq=",
      options_.sequence_length > 0 ? absl::StrCat(options_.sequence_length)
                                   : std::string("model"),
      "; partition=", options_.partition, ")");
}

std::vector<std::string> AnalyticalCostModel::Models() const {
  std::vector<std::string> names;
  for (const TransformerModelDesc& m : models_) names.push_back(m.name());
  return names;
}

absl::StatusOr<const TransformerModelDesc*> AnalyticalCostModel::FindModel(
    absl::string_view name) const {
  for (const TransformerModelDesc& m : models_) {
    if (m.name() == name) return &m;
  }
  return absl::NotFoundError(
      absl::StrCat("analytical cost model: no model '", name, "'"));
}

int AnalyticalCostModel::SequenceLength(const TransformerModelDesc& m) const {
  return options_.sequence_length > 0 ? options_.sequence_length
                                      : m.sequence_length();
}

std::vector<ParallelConfig> AnalyticalCostModel::Configs(
    absl::string_view model) const {
  std::vector<ParallelConfig> configs;
  absl::StatusOr<const TransformerModelDesc*> m = FindModel(model);
  if (!m.ok()) return configs;
  for (int op : options_.op_degrees) {
    if (op < 1 || (*m)->heads() % op != 0) continue;
    if ((*m)->num_experts() % op != 0) continue;  // whole experts per GPU
    for (int pp : options_.pp_degrees) {
      if (pp < 1 || pp > (*m)->num_layers()) continue;
      configs.push_back(ParallelConfig{1, op, pp});
    }
  }
  std::sort(configs.begin(), configs.end());
  return configs;
}

std::vector<int> AnalyticalCostModel::BatchSizes(
    absl::string_view model, const ParallelConfig& config) const {
  if (!HasConfig(model, config)) return {};
  std::vector<int> b = options_.batch_sizes;
  std::sort(b.begin(), b.end());
  return b;
}

double AnalyticalCostModel::MemorySeconds(double bytes) const {
  return bytes / (hw_.hbm_bandwidth() * hw_.memory_efficiency()) +
         hw_.kernel_launch_s();
}

double AnalyticalCostModel::GemmSeconds(double m, double n, double k,
                                        double batch, bool attention) const {
  const GemmEfficiency& e =
      attention && hw_.has_attention_gemm() ? hw_.attention_gemm() : hw_.gemm();
  const double flops = 2 * m * n * k * batch;
  const double eff = e.max_efficiency() /
                     (1 + std::pow(e.half_flops() / flops, e.sharpness()));
  const double compute = flops / (hw_.peak_tensor_flops() * eff);
  const double bytes = 2.0 * batch * (m * k + k * n + m * n);
  const double memory = bytes / (hw_.hbm_bandwidth() * hw_.memory_efficiency());
  return std::max(compute, memory) + hw_.kernel_launch_s();
}

double AnalyticalCostModel::AllReduceSeconds(double bytes, int n) const {
  return multiplex::AllReduceSeconds(hw_.interconnect(), bytes, n);
}

double AnalyticalCostModel::AllToAllSeconds(double bytes, int n) const {
  return multiplex::AllToAllSeconds(hw_.interconnect(), bytes, n);
}

double AnalyticalCostModel::SendSeconds(double bytes, int op, int stage) const {
  return multiplex::SendSeconds(hw_.interconnect(), bytes, op, stage);
}

std::vector<UnitCost> AnalyticalCostModel::Units(
    const TransformerModelDesc& model, int op, int batch_size, int seq) const {
  const double t = op, b = batch_size, s = seq;
  const double h = model.hidden(), a = model.heads(), d = h / a;
  const double f = model.ffn_multiplier() * h, v = model.vocab();
  const double db = model.dtype_bytes();
  const double tokens = b * s;
  const double act = tokens * h * db;  // one hidden-state tensor
  const double pos = model.max_position_embeddings() > 0
                         ? model.max_position_embeddings()
                         : model.sequence_length();
  const double softmax_bpe = hw_.softmax_bytes_per_element();
  const double logits_bpe = hw_.has_logits_bytes_per_element()
                                ? hw_.logits_bytes_per_element()
                                : softmax_bpe;
  std::vector<UnitCost> units;

  // Embedding.
  {
    UnitCost u{UnitKind::kEmbedding};
    if (model.embedding_lookup() == TransformerModelDesc::ONE_HOT_MATMUL) {
      u.latency_s += MemorySeconds(tokens * (v / t) * db);  // one-hot
      u.latency_s += GemmSeconds(tokens, h, v / t, 1, false);
      u.activation_bytes = tokens * (v / t) * db + 2 * act;
    } else {
      u.latency_s += MemorySeconds(2 * act);  // gather
      u.activation_bytes = 2 * act;
    }
    u.latency_s += AllReduceSeconds(act, op);
    u.latency_s += MemorySeconds(3 * act);  // + position embedding
    u.latency_s += MemorySeconds(2 * act);  // LayerNorm
    u.weight_bytes = (v * h / t + pos * h + 2 * h) * db;
    units.push_back(u);
  }
  for (int layer = 0; layer < model.num_layers(); ++layer) {
    UnitCost att{UnitKind::kAttention};
    att.latency_s += GemmSeconds(tokens, 3 * h / t, h, 1, false);  // QKV
    const double heads = b * a / t;
    att.latency_s += GemmSeconds(s, s, d, heads, true);  // scores
    const double score_elems = heads * s * s;
    att.latency_s += MemorySeconds(score_elems * softmax_bpe);  // softmax
    att.latency_s += GemmSeconds(s, d, s, heads, true);         // values
    att.latency_s += GemmSeconds(tokens, h, h / t, 1, false);   // out proj
    att.latency_s += AllReduceSeconds(act, op);
    att.latency_s += MemorySeconds(3 * act);  // bias + residual
    att.latency_s += MemorySeconds(2 * act);  // LayerNorm
    att.weight_bytes = (4 * h * h / t + 3 * h / t + h + 2 * h) * db;
    att.activation_bytes = 2 * act + 3 * act / t + score_elems * db * 2;
    units.push_back(att);

    if (IsMoeLayer(model, layer)) {
      units.push_back(MoeUnit(model, op, batch_size, seq));
      continue;
    }
    UnitCost ffn{UnitKind::kFfn};
    ffn.latency_s += GemmSeconds(tokens, f / t, h, 1, false);
    ffn.latency_s += MemorySeconds(2 * tokens * f / t * db);  // bias + GELU
    ffn.latency_s += GemmSeconds(tokens, h, f / t, 1, false);
    ffn.latency_s += AllReduceSeconds(act, op);
    ffn.latency_s += MemorySeconds(3 * act);  // bias + residual
    ffn.latency_s += MemorySeconds(2 * act);  // LayerNorm
    ffn.weight_bytes = (2 * h * f / t + f / t + h + 2 * h) * db;
    ffn.activation_bytes = 2 * act + 2 * tokens * f / t * db;
    units.push_back(ffn);
  }
  // LM head: transform (replicated), tied vocab GEMM sharded over vocab,
  // log-softmax (max and sum all-reduced across the shards).
  {
    UnitCost u{UnitKind::kHead};
    u.latency_s += GemmSeconds(tokens, h, h, 1, false);
    u.latency_s += MemorySeconds(2 * act);  // bias + GELU
    u.latency_s += MemorySeconds(2 * act);  // LayerNorm
    u.latency_s += GemmSeconds(tokens, v / t, h, 1, false);
    const double logits = tokens * v / t;
    u.latency_s += MemorySeconds(logits * logits_bpe);
    if (op > 1) u.latency_s += 2 * AllReduceSeconds(tokens * 4, op);
    u.weight_bytes = (h * h + h + 2 * h + v / t) * db;
    if (!model.tied_lm_head()) u.weight_bytes += v * h / t * db;
    u.activation_bytes = 2 * act + logits * 4;
    units.push_back(u);
  }
  return units;
}

UnitCost AnalyticalCostModel::MoeUnit(const TransformerModelDesc& model, int op,
                                      int batch_size, int seq) const {
  const double t = op, h = model.hidden(), db = model.dtype_bytes();
  const double f = model.ffn_multiplier() * h, e = model.num_experts();
  const double k = model.expert_top_k();
  const double tokens = static_cast<double>(batch_size) * seq;
  const double act = tokens * h * db;
  // Each GPU takes its 1/t slice of the (replicated) tokens, routes it, and
  // the experts see k x tokens / e tokens each (balanced routing).
  const double local = tokens / t, routed = k * local;
  const double routed_bytes = routed * h * db;
  UnitCost u{UnitKind::kFfn};
  u.latency_s += GemmSeconds(local, e, h, 1, false);  // gate
  u.latency_s += MemorySeconds(local * e * hw_.softmax_bytes_per_element());
  u.latency_s += MemorySeconds(2 * routed_bytes);    // scatter
  u.latency_s += AllToAllSeconds(routed_bytes, op);  // dispatch
  const double per_expert = k * tokens / e;
  u.latency_s += GemmSeconds(per_expert, f, h, e / t, false);
  u.latency_s += MemorySeconds(2 * routed * f * db);  // bias+GELU
  u.latency_s += GemmSeconds(per_expert, h, f, e / t, false);
  u.latency_s += AllToAllSeconds(routed_bytes, op);          // combine
  u.latency_s += MemorySeconds(routed_bytes + 2 * act / t);  // weighted sum
  u.latency_s += MemorySeconds(3 * act / t);                 // bias + residual
  u.latency_s += MemorySeconds(2 * act / t);                 // LayerNorm
  // The slices back on every GPU for the next (Megatron-sharded) attention.
  u.latency_s += multiplex::AllGatherSeconds(hw_.interconnect(), act, op);
  u.weight_bytes = (e / t * (2 * h * f + f + h) + h * e + 2 * h) * db;
  u.activation_bytes = 2 * act + 2 * routed_bytes + routed * f * db;
  return u;
}

absl::StatusOr<std::vector<int>> AnalyticalCostModel::Partition(
    const TransformerModelDesc& model, int op, int pp) const {
  std::vector<UnitCost> units =
      Units(model, op, /*batch_size=*/1, SequenceLength(model));
  std::vector<double> latency;
  std::vector<UnitKind> kinds;
  for (const UnitCost& u : units) {
    latency.push_back(u.latency_s);
    kinds.push_back(u.kind);
  }
  // Every stage but the last also sends its output to the next stage.
  std::vector<double> overhead(pp, 0.0);
  const double bytes = static_cast<double>(SequenceLength(model)) *
                       model.hidden() * model.dtype_bytes();
  for (int s = 0; s + 1 < pp; ++s) overhead[s] = SendSeconds(bytes, op, s);
  if (options_.partition != "dp" || options_.dp_unit != "layer") {
    return PartitionUnits(options_.partition, latency, kinds, pp, overhead);
  }
  // Whole layers: each layer's FFN (or MoE) block joins its attention block;
  // `first[j]` is the unit index the j-th merged unit starts at.
  std::vector<double> merged;
  std::vector<int> first;
  for (size_t i = 0; i < units.size(); ++i) {
    if (units[i].kind == UnitKind::kFfn && !merged.empty()) {
      merged.back() += latency[i];
      continue;
    }
    merged.push_back(latency[i]);
    first.push_back(static_cast<int>(i));
  }
  ASSIGN_OR_RETURN(std::vector<int> bounds, DpPartition(merged, pp, overhead));
  for (int& b : bounds) {
    b = b < static_cast<int>(first.size()) ? first[b]
                                           : static_cast<int>(units.size());
  }
  return bounds;
}

absl::StatusOr<StageCosts> AnalyticalCostModel::Stages(
    absl::string_view model_name, const ParallelConfig& config,
    int batch_size) const {
  ASSIGN_OR_RETURN(const TransformerModelDesc* const found,
                   FindModel(model_name));
  const TransformerModelDesc& model = *found;
  if (config.dp != 1 || !HasConfig(model_name, config) || batch_size < 1) {
    return absl::NotFoundError(
        absl::StrCat("analytical cost model: ", model_name, " has no config ",
                     config.ToString(), " batch ", batch_size));
  }
  ASSIGN_OR_RETURN(const std::vector<int> bounds,
                   Partition(model, config.op, config.pp));
  const int seq = SequenceLength(model);
  std::vector<UnitCost> units = Units(model, config.op, batch_size, seq);
  const double boundary_bytes = static_cast<double>(batch_size) * seq *
                                model.hidden() * model.dtype_bytes();
  StageCosts costs;
  for (int st = 0; st < config.pp; ++st) {
    double latency = 0, weights = 0, activation = 0;
    bool has_head = false;
    for (int i = bounds[st]; i < bounds[st + 1]; ++i) {
      latency += units[i].latency_s;
      weights += units[i].weight_bytes;
      activation = std::max(activation, units[i].activation_bytes);
      has_head = has_head || units[i].kind == UnitKind::kHead;
    }
    if (st + 1 < config.pp) {
      latency += SendSeconds(boundary_bytes, config.op, st);
    }
    if (has_head && st > 0 && model.tied_lm_head()) {
      // The replica of the tied embedding matrix the head reads (see header).
      activation += static_cast<double>(model.vocab()) * model.hidden() /
                    config.op * model.dtype_bytes();
    }
    costs.latency_s.push_back(latency);
    costs.weight_bytes.push_back(weights);
    costs.activation_bytes.push_back(activation);
  }
  return costs;
}

namespace {

const bool kRegistered = RegisterPlugin<CostModel>(PluginEntry<CostModel>{
    /*name=*/"analytical",
    /*pattern=*/"",
    /*params=*/
    {PluginParam::String("hardware")
         .Default("profiler/hardware/v100-sxm2-16gb.textproto")
         .Help("hardware text proto"),
     PluginParam::String("models_dir")
         .Default("profiler/models")
         .Help("directory of model text protos"),
     PluginParam::StringList("models", '+')
         .Default("bert-1.3b+bert-2.6b+bert-6.7b+moe-1.3b+moe-2.4b+moe-5.3b")
         .Help("model names (<models_dir>/<name>.textproto)"),
     PluginParam::Int("seq").Default("0").AtLeast(0).Help(
         "sequence length; 0 = each model's own (2048)"),
     PluginParam::String("partition")
         .Default("dp")
         .OneOf({"dp", "manual"})
         .Help("stage partition")},
    /*help=*/"analytical transformer roofline model on a described GPU",
    /*example=*/
    "analytical:models=bert-1.3b+bert-2.6b+bert-6.7b+moe-1.3b+moe-2.4b+"
    "moe-5.3b",
    /*factory=*/
    [](const PluginValues& args) -> absl::StatusOr<std::unique_ptr<CostModel>> {
      AnalyticalOptions options;
      options.partition = args.GetString("partition");
      options.sequence_length = args.GetInt("seq");
      absl::StatusOr<HardwareDesc> hw =
          LoadHardwareDesc(args.GetString("hardware"));
      if (!hw.ok()) return hw.status();
      absl::StatusOr<std::vector<TransformerModelDesc>> models = LoadModelDescs(
          args.GetString("models_dir"), args.GetStringList("models"));
      if (!models.ok()) return models.status();
      return std::unique_ptr<CostModel>(new AnalyticalCostModel(
          *std::move(hw), *std::move(models), std::move(options)));
    }});

}  // namespace

}  // namespace multiplex
