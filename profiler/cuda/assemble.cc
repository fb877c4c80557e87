#include "profiler/cuda/assemble.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "profiler/cuda/workload.h"
#include "profiler/interconnect.h"

namespace multiplex {
namespace cuda {

void UnitLatencyTable::Set(int op, int batch, UnitKind kind, double seconds) {
  table_[{op, batch, static_cast<int>(kind)}] = seconds;
}

absl::StatusOr<double> UnitLatencyTable::Get(int op, int batch,
                                             UnitKind kind) const {
  auto it = table_.find({op, batch, static_cast<int>(kind)});
  if (it == table_.end()) {
    return absl::NotFoundError(absl::StrCat("no measured latency of unit ",
                                            UnitKindName(kind), " at op ", op,
                                            " batch ", batch));
  }
  return it->second;
}

absl::StatusOr<std::vector<double>> UnitLatencies(
    const TransformerModelDesc& model, const Interconnect& ic,
    const UnitLatencyTable& table, int op, int batch, int seq) {
  std::map<UnitKind, double> per_kind;
  for (const UnitWork& u : DistinctUnits(model, op, batch, seq)) {
    ASSIGN_OR_RETURN(const double compute, table.Get(op, batch, u.kind));
    per_kind[u.kind] =
        compute +
        u.allreduce_count * AllReduceSeconds(ic, u.allreduce_bytes, op);
  }
  std::vector<double> latencies;
  for (UnitKind k : UnitSequence(model)) latencies.push_back(per_kind[k]);
  return latencies;
}

absl::StatusOr<ModelProfile> AssembleModel(const TransformerModelDesc& model,
                                           const HardwareDesc& hardware,
                                           const AssembleOptions& options,
                                           const UnitLatencyTable& table) {
  if (!hardware.has_interconnect()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "hardware description ", hardware.name(), " has no interconnect"));
  }
  const Interconnect& ic = hardware.interconnect();
  const int seq = ProfiledSequence(model, options.sequence_length);
  const std::vector<UnitKind> kinds = UnitSequence(model);
  ModelProfile profile;
  profile.set_name(model.name());
  std::vector<int> ops = options.op_degrees, pps = options.pp_degrees,
                   batches = options.batch_sizes;
  std::sort(ops.begin(), ops.end());
  std::sort(pps.begin(), pps.end());
  std::sort(batches.begin(), batches.end());
  if (batches.empty()) {
    return absl::InvalidArgumentError("no batch sizes");
  }
  for (int op : ops) {
    // Stages from the smallest batch's latencies (batch 1 by default).
    ASSIGN_OR_RETURN(const std::vector<double> base,
                     UnitLatencies(model, ic, table, op, batches.front(), seq));
    const std::vector<UnitWork> work0 =
        DistinctUnits(model, op, batches.front(), seq);
    for (int pp : pps) {
      if (pp > model.num_layers()) continue;
      absl::StatusOr<std::vector<int>> bounds =
          PartitionUnits(options.partition, base, kinds, pp);
      if (!bounds.ok()) {
        return absl::Status(bounds.status().code(),
                            absl::StrCat(model.name(), " op ", op, " pp ", pp,
                                         ": ", bounds.status().message()));
      }
      ConfigProfile* config = profile.add_config();
      config->set_dp(1);
      config->set_op(op);
      config->set_pp(pp);
      // Weights do not depend on the batch size.
      std::map<UnitKind, double> weights;
      for (const UnitWork& u : work0) weights[u.kind] = u.weight_bytes;
      for (int st = 0; st < pp; ++st) {
        double w = 0;
        for (int i = (*bounds)[st]; i < (*bounds)[st + 1]; ++i) {
          w += weights[kinds[i]];
        }
        config->add_stage_weight_bytes(w);
      }
      for (int batch : batches) {
        ASSIGN_OR_RETURN(const std::vector<double> lat,
                         UnitLatencies(model, ic, table, op, batch, seq));
        std::map<UnitKind, double> act;
        for (const UnitWork& u : DistinctUnits(model, op, batch, seq)) {
          act[u.kind] = u.activation_bytes;
        }
        const double boundary_bytes = static_cast<double>(batch) * seq *
                                      model.hidden() * model.dtype_bytes();
        BatchProfile* bp = config->add_batch();
        bp->set_batch_size(batch);
        for (int st = 0; st < pp; ++st) {
          double latency = 0, activation = 0;
          bool has_head = false;
          for (int i = (*bounds)[st]; i < (*bounds)[st + 1]; ++i) {
            latency += lat[i];
            activation = std::max(activation, act[kinds[i]]);
            has_head = has_head || kinds[i] == UnitKind::kHead;
          }
          if (st + 1 < pp) latency += SendSeconds(ic, boundary_bytes, op, st);
          if (has_head && st > 0 && model.tied_lm_head()) {
            activation += static_cast<double>(model.vocab()) * model.hidden() /
                          op * model.dtype_bytes();
          }
          bp->add_stage_latency_s(latency);
          bp->add_stage_activation_bytes(activation);
        }
      }
    }
  }
  return profile;
}

}  // namespace cuda
}  // namespace multiplex
