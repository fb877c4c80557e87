#include "profiler/decoder_cost_model.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "core/text_proto_errors.h"
#include "google/protobuf/text_format.h"
#include "profiler/descs.h"
#include "profiler/interconnect.h"

namespace multiplex {
namespace {

// Parses a text proto, keeping where each field was, so that a value that
// does not add up can be reported at its line.
template <typename Proto>
absl::Status ParseWithLocations(
    const std::string& path, Proto* proto,
    google::protobuf::TextFormat::ParseInfoTree* tree) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  google::protobuf::TextFormat::Parser parser;
  FirstTextProtoError errors;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(tree);
  if (!parser.ParseFromString(text, proto)) {
    return absl::InvalidArgumentError(
        errors.first().empty()
            ? absl::StrCat(path, ": not a valid ",
                           Proto::descriptor()->full_name(), " text proto")
            : absl::StrCat(path, ":", errors.first()));
  }
  return absl::OkStatus();
}

// "path:LINE: message", LINE that of `field` (or of nothing: line 1).
template <typename Proto>
absl::Status FieldError(const std::string& path,
                        const google::protobuf::TextFormat::ParseInfoTree& tree,
                        absl::string_view field, absl::string_view message) {
  const google::protobuf::FieldDescriptor* f =
      Proto::descriptor()->FindFieldByName(std::string(field));
  int line = 1;
  if (f != nullptr) {
    const google::protobuf::TextFormat::ParseLocation at =
        tree.GetLocation(f, -1);
    if (at.line >= 0) line = at.line + 1;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(path, ":", line, ": ", field, ": ", message));
}

double HeadDim(const DecoderModelDesc& m) {
  return static_cast<double>(m.hidden()) / m.heads();
}

// Weights of one layer (attention and gated MLP, two RMSNorms).
double LayerParameters(const DecoderModelDesc& m) {
  const double h = m.hidden();
  const double kv = m.kv_heads() * HeadDim(m);
  return 2 * h * h + 2 * h * kv + 3 * h * m.intermediate() + 2 * h;
}

// Layers of each of pp stages: even, the first stages take the remainder.
std::vector<int> StageLayers(int layers, int pp) {
  std::vector<int> out(pp, layers / pp);
  for (int s = 0; s < layers % pp; ++s) ++out[s];
  return out;
}

constexpr int kBatchSizes[] = {1, 2, 4, 8, 16, 32};

}  // namespace

double DecoderParameterCount(const DecoderModelDesc& m) {
  const double embedding = static_cast<double>(m.vocab()) * m.hidden();
  return embedding * (m.tied_embeddings() ? 1 : 2) +
         m.num_layers() * LayerParameters(m) + m.hidden();
}

absl::StatusOr<DecoderModelDesc> LoadDecoderModelDesc(const std::string& path) {
  DecoderModelDesc m;
  google::protobuf::TextFormat::ParseInfoTree tree;
  RETURN_IF_ERROR(ParseWithLocations(path, &m, &tree));
  const auto error = [&](absl::string_view field, absl::string_view message) {
    return FieldError<DecoderModelDesc>(path, tree, field, message);
  };
  if (m.name().empty()) return error("name", "missing");
  const std::pair<const char*, int> positive[] = {
      {"num_layers", m.num_layers()},
      {"hidden", m.hidden()},
      {"heads", m.heads()},
      {"kv_heads", m.kv_heads()},
      {"intermediate", m.intermediate()},
      {"vocab", m.vocab()},
      {"max_position_embeddings", m.max_position_embeddings()},
      {"dtype_bytes", m.dtype_bytes()}};
  for (const auto& [field, value] : positive) {
    if (value < 1) {
      return error(field, absl::StrCat("must be >= 1, got ", value));
    }
  }
  if (m.num_layers() > kMaxStages) {
    return error("num_layers", absl::StrCat("over ", kMaxStages));
  }
  if (m.hidden() % m.heads() != 0) {
    return error("heads",
                 absl::StrCat("hidden ", m.hidden(),
                              " is not a multiple of heads ", m.heads()));
  }
  if (m.heads() % m.kv_heads() != 0) {
    return error("kv_heads",
                 absl::StrCat("heads ", m.heads(),
                              " is not a multiple of kv_heads ", m.kv_heads()));
  }
  if (!(m.num_parameters() > 0)) {
    return error("num_parameters", "missing: the model card's count");
  }
  const double computed = DecoderParameterCount(m);
  if (std::abs(computed / m.num_parameters() - 1) > 0.01) {
    return error(
        "num_parameters",
        absl::StrCat("the description adds up to ", computed,
                     " parameters, not ", m.num_parameters(),
                     " (more than 1% apart): check layers, hidden, heads, "
                     "kv_heads, intermediate and vocab"));
  }
  return m;
}

absl::StatusOr<DecoderCalibration> LoadDecoderCalibration(
    const std::string& path) {
  DecoderCalibration c;
  google::protobuf::TextFormat::ParseInfoTree tree;
  RETURN_IF_ERROR(ParseWithLocations(path, &c, &tree));
  const auto error = [&](absl::string_view field, absl::string_view message) {
    return FieldError<DecoderCalibration>(path, tree, field, message);
  };
  if (c.hardware().empty()) return error("hardware", "missing");
  const std::pair<const char*, double> positive[] = {
      {"memory_efficiency", c.memory_efficiency()},
      {"gemm_max_efficiency", c.gemm_max_efficiency()},
      {"gemm_half_flops", c.gemm_half_flops()},
      {"attention_efficiency", c.attention_efficiency()}};
  for (const auto& [field, value] : positive) {
    if (!(value > 0) || !std::isfinite(value)) {
      return error(field, absl::StrCat("must be a number > 0, got ", value));
    }
  }
  if (c.gemm_max_efficiency() > 1 || c.attention_efficiency() > 1) {
    return error("gemm_max_efficiency",
                 "efficiencies of peak FLOP/s must be <= 1");
  }
  if (!(c.layer_overhead_s() >= 0)) {
    return error("layer_overhead_s", "must be >= 0");
  }
  if (c.has_allreduce_latency_s() &&
      !(c.allreduce_latency_s() >= 0 && c.allreduce_latency_s() < 1)) {
    return error("allreduce_latency_s", "must be in [0, 1) s");
  }
  if (c.has_allreduce_bus_bandwidth() && !(c.allreduce_bus_bandwidth() > 0)) {
    return error("allreduce_bus_bandwidth", "must be > 0 bytes/s");
  }
  return c;
}

double DecoderLayerLinearTime(const DecoderModelDesc& m, const HardwareDesc& hw,
                              const DecoderCalibration& cal, int op,
                              double tokens) {
  const double params = (LayerParameters(m) - 2.0 * m.hidden()) / op;
  const double flops = 2 * tokens * params;
  const double efficiency =
      cal.gemm_max_efficiency() / (1 + cal.gemm_half_flops() / flops);
  const double compute = flops / (hw.peak_tensor_flops() * efficiency);
  // Weights once, and the activations the norms, activation and residual
  // read and write (about 12 h values a token).
  const double bytes = (params + 12.0 * tokens * m.hidden()) * m.dtype_bytes();
  const double memory = bytes / (hw.hbm_bandwidth() * cal.memory_efficiency());
  return std::max(compute, memory) + cal.layer_overhead_s();
}

DecoderCostModel::DecoderCostModel(HardwareDesc hardware,
                                   DecoderCalibration calibration,
                                   std::vector<DecoderModelDesc> models,
                                   int prompt_tokens, int max_devices)
    : hw_(std::move(hardware)),
      cal_(std::move(calibration)),
      models_(std::move(models)),
      prompt_tokens_(prompt_tokens),
      max_devices_(max_devices) {
  // The calibration's measured all-reduce replaces the description's.
  if (cal_.has_allreduce_latency_s()) {
    hw_.mutable_interconnect()->set_allreduce_latency_s(
        cal_.allreduce_latency_s());
  }
  if (cal_.has_allreduce_bus_bandwidth()) {
    hw_.mutable_interconnect()->set_allreduce_bus_bandwidth(
        cal_.allreduce_bus_bandwidth());
  }
  std::sort(models_.begin(), models_.end(),
            [](const DecoderModelDesc& a, const DecoderModelDesc& b) {
              return a.name() < b.name();
            });
}

std::string DecoderCostModel::Name() const {
  return absl::StrCat("decoder(", hw_.name(), ")");
}

std::vector<std::string> DecoderCostModel::Models() const {
  std::vector<std::string> out;
  for (const DecoderModelDesc& m : models_) out.push_back(m.name());
  return out;
}

// op: powers of two dividing the heads; pp: powers of two up to the
// layers; op x pp <= max_devices; dp = 1.
std::vector<ParallelConfig> DecoderCostModel::Configs(
    absl::string_view model) const {
  std::vector<ParallelConfig> out;
  for (const DecoderModelDesc& m : models_) {
    if (m.name() != model) continue;
    for (int op = 1; op <= max_devices_; op *= 2) {
      if (m.heads() % op != 0) break;
      for (int pp = 1; op * pp <= max_devices_ && pp <= m.num_layers();
           pp *= 2) {
        out.push_back({1, op, pp});
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> DecoderCostModel::BatchSizes(
    absl::string_view model, const ParallelConfig& config) const {
  if (!HasConfig(model, config)) return {};
  return std::vector<int>(std::begin(kBatchSizes), std::end(kBatchSizes));
}

absl::StatusOr<const DecoderModelDesc*> DecoderCostModel::Find(
    absl::string_view model, const ParallelConfig& config) const {
  for (const DecoderModelDesc& m : models_) {
    if (m.name() != model) continue;
    if (!HasConfig(model, config)) {
      return absl::NotFoundError(absl::StrCat(
          Name(), ": model '", model, "' has no config ", config.ToString()));
    }
    return &m;
  }
  return absl::NotFoundError(
      absl::StrCat(Name(), ": no model '", model,
                   "' (have: ", absl::StrJoin(Models(), ", "), ")"));
}

absl::StatusOr<TokenStepCosts> DecoderCostModel::Step(
    absl::string_view model, const ParallelConfig& config,
    const std::vector<int32_t>& lengths, Phase phase) const {
  ASSIGN_OR_RETURN(const DecoderModelDesc* m, Find(model, config));
  if (lengths.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Name(), ": an empty batch of ", model));
  }
  double tokens = 0;  // processed in this step
  double attn_flops = 0;
  double context = 0;  // decode: tokens of KV cache read
  for (int32_t len : lengths) {
    if (len < 1 || len > m->max_position_embeddings()) {
      return absl::InvalidArgumentError(absl::StrCat(
          Name(), ": ", model, " takes 1 to ", m->max_position_embeddings(),
          " tokens of context, got ", len));
    }
    if (phase == Phase::kPrefill) {
      tokens += len;
      // Causal attention: QK^T and PV over half the L x L matrix.
      attn_flops += 2.0 * m->hidden() * static_cast<double>(len) * len;
    } else {
      tokens += 1;
      context += len;
    }
  }
  const int op = config.op;
  const double dtype = m->dtype_bytes();
  const double head_dim = HeadDim(*m);
  const double kv_heads_per_gpu =
      std::ceil(static_cast<double>(m->kv_heads()) / op);
  const double kv_bytes_per_token_layer =
      2 * kv_heads_per_gpu * head_dim * dtype;
  const double memory_bw = hw_.hbm_bandwidth() * cal_.memory_efficiency();
  double layer = DecoderLayerLinearTime(*m, hw_, cal_, op, tokens);
  if (phase == Phase::kPrefill) {
    layer += attn_flops / op /
             (hw_.peak_tensor_flops() * cal_.attention_efficiency());
  } else {
    layer += context * kv_bytes_per_token_layer / memory_bw;
  }
  const double activation_bytes = tokens * m->hidden() * dtype;
  const double allreduce =
      2 * AllReduceSeconds(hw_.interconnect(), activation_bytes, op);
  const double embedding_weights =
      static_cast<double>(m->vocab()) * m->hidden();
  // The LM head: one token per sequence, its weights read once.
  const double sequences = static_cast<double>(lengths.size());
  const double head_flops = 2 * sequences * embedding_weights / op;
  const double head =
      std::max(
          head_flops / (hw_.peak_tensor_flops() * cal_.gemm_max_efficiency() /
                        (1 + cal_.gemm_half_flops() / head_flops)),
          embedding_weights * dtype / op / memory_bw) +
      AllReduceSeconds(hw_.interconnect(), sequences * m->vocab() * dtype / op,
                       op);
  const double embed = activation_bytes / memory_bw;

  const std::vector<int> layers = StageLayers(m->num_layers(), config.pp);
  TokenStepCosts out;
  for (int s = 0; s < config.pp; ++s) {
    double latency = layers[s] * (layer + allreduce);
    double weights = layers[s] * LayerParameters(*m) / op;
    if (s == 0) {
      latency += embed;
      weights += embedding_weights / op;
    }
    if (s == config.pp - 1) {
      latency += head;
      weights +=
          (m->tied_embeddings() && config.pp == 1 ? 0
                                                  : embedding_weights / op) +
          m->hidden();
    }
    out.latency_s.push_back(latency);
    out.allreduce_s.push_back(layers[s] * allreduce);
    out.send_s.push_back(
        s + 1 < config.pp
            ? SendSeconds(hw_.interconnect(), activation_bytes, op, s)
            : 0.0);
    out.weight_bytes.push_back(weights * dtype);
    out.kv_bytes_per_token.push_back(layers[s] * kv_bytes_per_token_layer);
  }
  return out;
}

absl::StatusOr<TokenStepCosts> DecoderCostModel::Prefill(
    absl::string_view model, const ParallelConfig& config,
    const std::vector<int32_t>& prompt_tokens) const {
  return Step(model, config, prompt_tokens, Phase::kPrefill);
}

absl::StatusOr<TokenStepCosts> DecoderCostModel::DecodeStep(
    absl::string_view model, const ParallelConfig& config,
    const std::vector<int32_t>& context_tokens) const {
  return Step(model, config, context_tokens, Phase::kDecode);
}

absl::StatusOr<int64_t> DecoderCostModel::KvCacheCapacityTokens(
    absl::string_view model, const ParallelConfig& config) const {
  ASSIGN_OR_RETURN(const TokenStepCosts step, DecodeStep(model, config, {1}));
  double tokens = std::numeric_limits<double>::infinity();
  for (size_t s = 0; s < step.weight_bytes.size(); ++s) {
    const double free = hw_.usable_memory_bytes() - step.weight_bytes[s];
    tokens = std::min(tokens, std::max(0.0, free) / step.kv_bytes_per_token[s]);
  }
  return static_cast<int64_t>(std::floor(tokens));
}

absl::StatusOr<StageCosts> DecoderCostModel::Stages(
    absl::string_view model, const ParallelConfig& config,
    int batch_size) const {
  if (std::find(std::begin(kBatchSizes), std::end(kBatchSizes), batch_size) ==
      std::end(kBatchSizes)) {
    return absl::NotFoundError(absl::StrCat(Name(), ": ", model, " ",
                                            config.ToString(),
                                            " has no batch size ", batch_size));
  }
  ASSIGN_OR_RETURN(
      const TokenStepCosts step,
      Prefill(model, config, std::vector<int32_t>(batch_size, prompt_tokens_)));
  StageCosts out;
  for (size_t s = 0; s < step.latency_s.size(); ++s) {
    out.latency_s.push_back(step.latency_s[s] + step.send_s[s]);
    out.weight_bytes.push_back(step.weight_bytes[s]);
    // The KV cache of the batch's prompts is the prefill's activations.
    out.activation_bytes.push_back(step.kv_bytes_per_token[s] * batch_size *
                                   prompt_tokens_);
  }
  return out;
}

std::vector<std::string> DecoderCostModel::Provenance() const {
  std::vector<std::string> out = {
      "method: modelled (decoder roofline)",
      absl::StrCat("hardware: ", hw_.name()),
      absl::StrCat("calibration: ", cal_.source()),
      absl::StrCat("one-shot batches: prefill of ", prompt_tokens_,
                   "-token prompts")};
  for (const DecoderModelDesc& m : models_) {
    out.push_back(absl::StrCat("model ", m.name(), ": ", m.provenance()));
  }
  return out;
}

namespace {

const bool kRegistered = RegisterPlugin<CostModel>(PluginEntry<CostModel>{
    /*name=*/"decoder",
    /*pattern=*/"",
    /*params=*/
    {PluginParam::String("hardware")
         .Default("profiler/hardware/a100-sxm4-40gb.textproto")
         .Help("hardware text proto"),
     PluginParam::String("calibration")
         .Default("profiler/decoder_calibration/a100.textproto")
         .Help("DecoderCalibration text proto for that hardware"),
     PluginParam::String("models_dir")
         .Default("profiler/decoder_models")
         .Help("directory of DecoderModelDesc text protos"),
     PluginParam::StringList("models", '+')
         .Default("llama-2-7b+llama-2-13b+llama-2-70b+mistral-7b")
         .Help("model names (<models_dir>/<name>.textproto)"),
     PluginParam::Int("prompt_tokens")
         .Default("512")
         .AtLeast(1)
         .AtMost(1 << 20)
         .Help("prompt length of the one-shot batches Stages() answers"),
     PluginParam::Int("max_devices")
         .Default("16")
         .AtLeast(1)
         .AtMost(1024)
         .Help("largest op x pp among the configs")},
    /*help=*/
    "decoder-only LLM roofline (prefill, decode steps, KV cache) on a "
    "described GPU",
    /*example=*/"decoder:models=llama-2-7b+llama-2-70b",
    /*factory=*/
    [](const PluginValues& args) -> absl::StatusOr<std::unique_ptr<CostModel>> {
      ASSIGN_OR_RETURN(HardwareDesc hw,
                       LoadHardwareDesc(args.GetString("hardware")));
      ASSIGN_OR_RETURN(DecoderCalibration cal,
                       LoadDecoderCalibration(args.GetString("calibration")));
      if (cal.hardware() != hw.name()) {
        return absl::InvalidArgumentError(absl::StrCat(
            args.GetString("calibration"), ": calibrated for '", cal.hardware(),
            "', not the hardware '", hw.name(), "'"));
      }
      std::vector<DecoderModelDesc> models;
      for (const std::string& name : args.GetStringList("models")) {
        ASSIGN_OR_RETURN(const std::string path,
                         ResolveDescPath(args.GetString("models_dir"), name));
        ASSIGN_OR_RETURN(DecoderModelDesc m, LoadDecoderModelDesc(path));
        for (const DecoderModelDesc& other : models) {
          if (other.name() == m.name()) {
            return absl::InvalidArgumentError(
                absl::StrCat("model '", m.name(), "' given twice"));
          }
        }
        models.push_back(std::move(m));
      }
      return std::unique_ptr<CostModel>(new DecoderCostModel(
          std::move(hw), std::move(cal), std::move(models),
          args.GetInt("prompt_tokens"), args.GetInt("max_devices")));
    }});

}  // namespace
}  // namespace multiplex
