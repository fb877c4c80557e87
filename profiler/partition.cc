#include "profiler/partition.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace multiplex {

const char* UnitKindName(UnitKind kind) {
  switch (kind) {
    case UnitKind::kEmbedding:
      return "embedding";
    case UnitKind::kAttention:
      return "attention";
    case UnitKind::kFfn:
      return "ffn";
    case UnitKind::kLayer:
      return "layer";
    case UnitKind::kHead:
      return "head";
  }
  return "?";
}

namespace {
bool BeginsLayer(UnitKind kind) {
  return kind == UnitKind::kAttention || kind == UnitKind::kLayer;
}
}  // namespace

int CountLayers(const std::vector<UnitKind>& kinds) {
  int n = 0;
  for (UnitKind k : kinds) n += BeginsLayer(k) ? 1 : 0;
  return n;
}

absl::StatusOr<std::vector<int>> ManualPartition(
    const std::vector<UnitKind>& kinds, int num_stages) {
  const int n = static_cast<int>(kinds.size());
  // Validate the shape: [embedding] layer units... [head].
  for (int i = 0; i < n; ++i) {
    if (kinds[i] == UnitKind::kEmbedding && i != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("manual partition: embedding unit at ", i,
                       " (must be the first unit)"));
    }
    if (kinds[i] == UnitKind::kHead && i != n - 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "manual partition: head unit at ", i, " (must be the last unit)"));
    }
    if (kinds[i] == UnitKind::kFfn &&
        (i == 0 || kinds[i - 1] != UnitKind::kAttention)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "manual partition: ffn unit at ", i, " does not follow attention"));
    }
  }
  const int layers = CountLayers(kinds);
  if (num_stages < 1 || num_stages > layers) {
    return absl::InvalidArgumentError(absl::StrCat(
        "manual partition: ", num_stages, " stages for ", layers, " layers"));
  }
  // Layers per stage: base, plus one for `extra` stages, given to the middle
  // stages first (the end stages carry the embedding and the head), then
  // stage 0.
  const int base = layers / num_stages;
  int extra = layers % num_stages;
  std::vector<int> per_stage(num_stages, base);
  for (int s = 1; s < num_stages - 1 && extra > 0; ++s, --extra) ++per_stage[s];
  if (extra > 0) {
    ++per_stage[0];
    --extra;
  }
  if (extra > 0) ++per_stage[num_stages - 1];
  // Layer start unit indices.
  std::vector<int> layer_start;
  for (int i = 0; i < n; ++i) {
    if (BeginsLayer(kinds[i])) layer_start.push_back(i);
  }
  std::vector<int> bounds = {0};
  int layer = 0;
  for (int s = 0; s + 1 < num_stages; ++s) {
    layer += per_stage[s];
    bounds.push_back(layer_start[layer]);
  }
  bounds.push_back(n);
  return bounds;
}

absl::StatusOr<std::vector<int>> DpPartition(
    const std::vector<double>& unit_latency_s, int num_stages,
    const std::vector<double>& stage_overhead_s) {
  const int n = static_cast<int>(unit_latency_s.size());
  if (num_stages < 1 || num_stages > n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dp partition: ", num_stages, " stages for ", n, " units"));
  }
  for (int i = 0; i < n; ++i) {
    double v = unit_latency_s[i];
    if (!std::isfinite(v) || v < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("dp partition: unit ", i, " has latency ", v));
    }
  }
  if (!stage_overhead_s.empty() &&
      static_cast<int>(stage_overhead_s.size()) != num_stages) {
    return absl::InvalidArgumentError(
        absl::StrCat("dp partition: ", stage_overhead_s.size(),
                     " stage overheads for ", num_stages, " stages"));
  }
  for (double v : stage_overhead_s) {
    if (!std::isfinite(v) || v < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("dp partition: stage overhead ", v));
    }
  }
  std::vector<double> prefix(n + 1, 0.0);
  for (int i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + unit_latency_s[i];
  const double kInf = std::numeric_limits<double>::infinity();
  // f[s][k]: best slowest stage for units [0, k) in s stages; arg[s][k]: the
  // start of the last stage.
  std::vector<std::vector<double>> f(num_stages + 1,
                                     std::vector<double>(n + 1, kInf));
  std::vector<std::vector<int>> arg(num_stages + 1,
                                    std::vector<int>(n + 1, -1));
  f[0][0] = 0.0;
  for (int s = 1; s <= num_stages; ++s) {
    for (int k = s; k <= n; ++k) {
      for (int i = s - 1; i < k; ++i) {
        if (f[s - 1][i] == kInf) continue;
        double v = std::max(
            f[s - 1][i],
            prefix[k] - prefix[i] +
                (stage_overhead_s.empty() ? 0.0 : stage_overhead_s[s - 1]));
        if (v < f[s][k]) {  // ties keep the earliest start
          f[s][k] = v;
          arg[s][k] = i;
        }
      }
    }
  }
  std::vector<int> bounds(num_stages + 1);
  bounds[num_stages] = n;
  for (int s = num_stages; s >= 1; --s) bounds[s - 1] = arg[s][bounds[s]];
  return bounds;
}

absl::StatusOr<std::vector<int>> PartitionUnits(
    absl::string_view method, const std::vector<double>& unit_latency_s,
    const std::vector<UnitKind>& kinds, int num_stages,
    const std::vector<double>& stage_overhead_s) {
  if (unit_latency_s.size() != kinds.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("partition: ", unit_latency_s.size(), " latencies for ",
                     kinds.size(), " units"));
  }
  if (method == "manual") return ManualPartition(kinds, num_stages);
  if (method == "dp")
    return DpPartition(unit_latency_s, num_stages, stage_overhead_s);
  return absl::InvalidArgumentError(
      absl::StrCat("partition: unknown method '", method, "' (manual or dp)"));
}

std::vector<double> StageSums(const std::vector<double>& unit_values,
                              const std::vector<int>& boundaries) {
  std::vector<double> sums;
  for (size_t s = 0; s + 1 < boundaries.size(); ++s) {
    double sum = 0;
    for (int i = boundaries[s]; i < boundaries[s + 1]; ++i) {
      sum += unit_values[i];
    }
    sums.push_back(sum);
  }
  return sums;
}

double MaxStageSum(const std::vector<double>& unit_values,
                   const std::vector<int>& boundaries) {
  std::vector<double> sums = StageSums(unit_values, boundaries);
  return sums.empty() ? 0.0 : *std::max_element(sums.begin(), sums.end());
}

std::string BoundariesToString(const std::vector<int>& boundaries) {
  return absl::StrCat("[", absl::StrJoin(boundaries, ","), "]");
}

}  // namespace multiplex
