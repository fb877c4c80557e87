#include "policies/latency_buckets.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/str_cat.h"

namespace multiplex {

absl::StatusOr<double> SingleGpuLatency(const CostModel& cost,
                                        absl::string_view type) {
  const ParallelConfig one{1, 1, 1};
  if (cost.HasConfig(type, one)) {
    absl::StatusOr<StageCosts> c = cost.Stages(type, one, 1);
    if (c.ok()) return c->TotalLatency();
  }
  const std::vector<ParallelConfig> configs = cost.Configs(type);
  const ParallelConfig* smallest = nullptr;
  for (const ParallelConfig& c : configs) {
    if (smallest == nullptr || c.NumDevices() < smallest->NumDevices()) {
      smallest = &c;
    }
  }
  if (smallest != nullptr) {
    absl::StatusOr<StageCosts> c = cost.Stages(type, *smallest, 1);
    if (c.ok()) return c->TotalLatency() * smallest->op;
  }
  return absl::NotFoundError(absl::StrCat("cost model ", cost.Name(),
                                          " has no batch-1 latency for model "
                                          "type ",
                                          type));
}

std::vector<std::vector<int>> BucketByLatency(
    const std::vector<double>& latency, double ratio) {
  std::vector<int> order(latency.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return latency[a] < latency[b]; });
  std::vector<std::vector<int>> buckets;
  double fastest = 0;
  for (int m : order) {
    if (buckets.empty() || latency[m] > fastest * ratio) {
      buckets.emplace_back();
      fastest = latency[m];
    }
    buckets.back().push_back(m);
  }
  for (std::vector<int>& b : buckets) std::sort(b.begin(), b.end());
  return buckets;
}

void MergeBuckets(const std::vector<double>& latency, int max_buckets,
                  std::vector<std::vector<int>>* buckets) {
  auto extreme = [&](const std::vector<int>& b, bool slowest) {
    double x = latency[b[0]];
    for (int m : b)
      x = slowest ? std::max(x, latency[m]) : std::min(x, latency[m]);
    return x;
  };
  while (static_cast<int>(buckets->size()) > std::max(1, max_buckets)) {
    int best = 0;
    double best_ratio = 0;
    for (size_t i = 0; i + 1 < buckets->size(); ++i) {
      const double r =
          extreme((*buckets)[i + 1], true) / extreme((*buckets)[i], false);
      if (i == 0 || r < best_ratio) {
        best = static_cast<int>(i);
        best_ratio = r;
      }
    }
    std::vector<int>& into = (*buckets)[best];
    const std::vector<int>& from = (*buckets)[best + 1];
    into.insert(into.end(), from.begin(), from.end());
    std::sort(into.begin(), into.end());
    buckets->erase(buckets->begin() + best + 1);
  }
}

namespace {

// Appends every composition of `units` into parts[k..] (positive parts).
void Compose(int units, int k, std::vector<int>* parts,
             std::vector<std::vector<int>>* out) {
  const int n = static_cast<int>(parts->size());
  if (k == n - 1) {
    (*parts)[k] = units;
    out->push_back(*parts);
    return;
  }
  for (int u = 1; u <= units - (n - 1 - k); ++u) {
    (*parts)[k] = u;
    Compose(units - u, k + 1, parts, out);
  }
}

}  // namespace

std::vector<std::vector<int>> DeviceSplits(int devices, int buckets, int step) {
  std::vector<std::vector<int>> out;
  if (step < 1 || buckets < 1) return out;
  const int units = devices / step;
  if (buckets > units) return out;
  std::vector<int> parts(buckets);
  Compose(units, 0, &parts, &out);
  for (std::vector<int>& split : out) {
    for (int& p : split) p *= step;
    split.back() += devices % step;
  }
  return out;
}

double CountDeviceSplits(int devices, int buckets, int step) {
  if (step < 1 || buckets < 1) return 0;
  const int units = devices / step;
  if (buckets > units) return 0;
  double c = 1;  // C(units - 1, buckets - 1)
  for (int i = 1; i < buckets; ++i) c = c * (units - i) / i;
  return c;
}

}  // namespace multiplex
