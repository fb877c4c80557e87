#include "policies/component_simulation.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/simulator_interface.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

// Cached parts kept beyond the current placement's: enough for a search
// step's expansions of a few states to reuse each other's parts.
constexpr size_t kMinCacheEntries = 4096;

int Find(std::vector<int>& parent, int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

void AppendInt(std::string* key, int32_t v) {
  key->append(reinterpret_cast<const char*>(&v), sizeof(v));
}

}  // namespace

TrimRange CountedRange(const Workload& workload, bool untrimmed) {
  return untrimmed ? TrimRange{0, workload.size(), 0}
                   : WarmupTrim(workload.arrival_s, kDefaultWarmupS);
}

ComponentSimulation::ComponentSimulation(const PlacementProblem& problem,
                                         bool untrimmed)
    : problem_(problem) {
  const Workload& w = *problem_.training_workload;
  const int n = static_cast<int>(problem_.models->size());
  range_ = CountedRange(w, untrimmed);
  model_requests_.resize(n);
  trimmed_.assign(n, 0);
  std::vector<size_t> count(n, 0);
  for (int32_t m : w.model) {
    if (m >= 0 && m < n) ++count[m];
  }
  for (int m = 0; m < n; ++m) model_requests_[m].reserve(count[m]);
  for (size_t i = 0; i < w.size(); ++i) {
    const int32_t m = w.model[i];
    if (m < 0 || m >= n) continue;  // the evaluator rejects such workloads
    model_requests_[m].push_back(static_cast<uint32_t>(i));
    if (i >= range_.begin && i < range_.end) ++trimmed_[m];
  }
  in_component_.assign(n, 0);
  local_.assign(n, -1);
  first_group_.assign(n, -1);
}

absl::StatusOr<const LeanResult*> ComponentSimulation::Simulate(
    const Placement& placement) {
  const std::vector<ModelSpec>& models = *problem_.models;
  const int n = static_cast<int>(models.size());
  const int num_groups = static_cast<int>(placement.groups.size());
  for (int g = 0; g < num_groups; ++g) {
    for (int m : placement.groups[g].models) {
      if (m < 0 || m >= n) {
        return absl::InvalidArgumentError(
            absl::StrCat("group ", g, " hosts model index ", m,
                         " out of range [0, ", n, ")"));
      }
    }
  }
  // Groups linked by a shared model form a component. The buffers are
  // members: a search calls this thousands of times.
  std::vector<int>& parent = parent_;
  std::vector<int>& first_group = first_group_;
  parent.resize(num_groups);
  std::iota(parent.begin(), parent.end(), 0);
  std::fill(first_group.begin(), first_group.end(), -1);
  for (int g = 0; g < num_groups; ++g) {
    for (int m : placement.groups[g].models) {
      if (first_group[m] < 0) {
        first_group[m] = g;
      } else {
        parent[Find(parent, g)] = Find(parent, first_group[m]);
      }
    }
  }
  // Groups of each component (by root), in increasing order; the inner
  // vectors keep their capacity across calls.
  if (component_groups_.size() < static_cast<size_t>(num_groups)) {
    component_groups_.resize(num_groups);
  }
  for (int g = 0; g < num_groups; ++g) component_groups_[g].clear();
  for (int g = 0; g < num_groups; ++g) {
    component_groups_[Find(parent, g)].push_back(g);
  }

  ++clock_;
  result_.requests.assign(n, 0);
  result_.good.assign(n, 0);
  result_.good_latency_sum_s.assign(n, 0.0);
  result_.group_served.assign(num_groups, 0);
  result_.group_routed.assign(num_groups, 0);
  result_.range = range_;
  for (int m = 0; m < n; ++m) {
    if (first_group[m] < 0) result_.requests[m] = trimmed_[m];  // all lost
  }
  std::string& key = key_;
  std::vector<int>& component_models = component_models_;
  for (int root = 0; root < num_groups; ++root) {
    const std::vector<int>& groups = component_groups_[root];
    if (groups.empty()) continue;
    component_models.clear();
    key.clear();
    for (int g : groups) {
      const Group& group = placement.groups[g];
      AppendInt(&key, group.config.dp);
      AppendInt(&key, group.config.op);
      AppendInt(&key, group.config.pp);
      AppendInt(&key, static_cast<int32_t>(group.models.size()));
      for (int m : group.models) {
        AppendInt(&key, m);
        component_models.push_back(m);
      }
    }
    if (component_models.empty()) continue;  // empty groups serve nothing
    std::sort(component_models.begin(), component_models.end());
    component_models.erase(
        std::unique(component_models.begin(), component_models.end()),
        component_models.end());
    auto [it, inserted] = cache_.try_emplace(key);
    Part& part = it->second;
    if (inserted) {
      absl::Status s = RunComponent(placement, groups, component_models, &part);
      if (!s.ok()) {
        cache_.erase(it);
        return s;
      }
    }
    part.last_used = clock_;
    for (size_t j = 0; j < component_models.size(); ++j) {
      const int m = component_models[j];
      result_.requests[m] = part.requests[j];
      result_.good[m] = part.good[j];
      result_.good_latency_sum_s[m] = part.latency_sum[j];
    }
    for (size_t j = 0; j < groups.size(); ++j) {
      result_.group_served[groups[j]] = part.served[j];
      result_.group_routed[groups[j]] = part.routed[j];
    }
  }
  Evict();
  return &result_;
}

absl::Status ComponentSimulation::RunComponent(const Placement& placement,
                                               const std::vector<int>& groups,
                                               const std::vector<int>& models,
                                               Part* part) {
  const Workload& w = *problem_.training_workload;
  const std::vector<ModelSpec>& all_models = *problem_.models;
  const int k = static_cast<int>(models.size());
  size_t total = 0;
  for (int m : models) total += model_requests_[m].size();
  // Every request is the component's: simulate on the workload itself, with
  // global model indices; otherwise on the component's own requests, with
  // local ones (local_[m]: m's index in `models`).
  const bool whole = total == w.size();
  for (int j = 0; j < k; ++j) local_[models[j]] = whole ? models[j] : j;
  Placement sub_placement;
  sub_placement.groups.reserve(groups.size());
  for (int g : groups) {
    Group group = placement.groups[g];
    for (int& m : group.models) m = local_[m];
    sub_placement.groups.push_back(std::move(group));
  }
  absl::Status status;
  if (whole) {
    status = Run(sub_placement, all_models, w, range_);
  } else {
    TrimRange range;
    BuildSubWorkload(models, total, &range);
    std::vector<ModelSpec> sub_models;
    sub_models.reserve(k);
    for (int m : models) sub_models.push_back(all_models[m]);
    status = Run(sub_placement, sub_models, sub_, range);
  }
  if (status.ok()) {
    part->requests.resize(k);
    part->good.resize(k);
    part->latency_sum.resize(k);
    for (int j = 0; j < k; ++j) {
      const int r = local_[models[j]];
      part->requests[j] = part_result_.requests[r];
      part->good[j] = part_result_.good[r];
      part->latency_sum[j] = part_result_.good_latency_sum_s[r];
    }
    part->served = part_result_.group_served;
    part->routed = part_result_.group_routed;
  }
  for (int m : models) local_[m] = -1;
  return status;
}

void ComponentSimulation::BuildSubWorkload(const std::vector<int>& models,
                                           size_t total, TrimRange* range) {
  const Workload& w = *problem_.training_workload;
  const std::vector<ModelSpec>& all_models = *problem_.models;
  const int k = static_cast<int>(models.size());
  // The component's requests in workload order: a k-way merge of the
  // models' lists, or a scan of the workload when they are most of it.
  merged_.clear();
  merged_.reserve(total);
  if (k == 1) {
    merged_ = model_requests_[models[0]];
  } else if (total * 8 >= w.size()) {
    for (int m : models) in_component_[m] = 1;
    for (size_t i = 0; i < w.size(); ++i) {
      const int32_t m = w.model[i];
      if (m >= 0 && static_cast<size_t>(m) < in_component_.size() &&
          in_component_[m]) {
        merged_.push_back(static_cast<uint32_t>(i));
      }
    }
    for (int m : models) in_component_[m] = 0;
  } else {
    using Head = std::pair<uint32_t, int>;  // (request index, local model)
    std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
    std::vector<size_t> next(k, 0);
    for (int j = 0; j < k; ++j) {
      if (!model_requests_[models[j]].empty()) {
        heads.push({model_requests_[models[j]][0], j});
      }
    }
    while (!heads.empty()) {
      const auto [i, j] = heads.top();
      heads.pop();
      merged_.push_back(i);
      const std::vector<uint32_t>& list = model_requests_[models[j]];
      if (++next[j] < list.size()) heads.push({list[next[j]], j});
    }
  }

  sub_.model_names.resize(k);
  for (int j = 0; j < k; ++j) sub_.model_names[j] = all_models[models[j]].name;
  sub_.arrival_s.resize(total);
  sub_.model.resize(total);
  sub_.slo_s.resize(total);
  for (size_t r = 0; r < total; ++r) {
    const uint32_t i = merged_[r];
    sub_.arrival_s[r] = w.arrival_s[i];
    sub_.model[r] = local_[w.model[i]];
    sub_.slo_s[r] = w.slo_s[i];
  }
  // The part of the whole workload's counted range that falls in it.
  range->begin = std::lower_bound(merged_.begin(), merged_.end(),
                                  static_cast<uint32_t>(range_.begin)) -
                 merged_.begin();
  range->end = std::lower_bound(merged_.begin(), merged_.end(),
                                static_cast<uint32_t>(range_.end)) -
               merged_.begin();
}

absl::Status ComponentSimulation::Run(const Placement& placement,
                                      const std::vector<ModelSpec>& models,
                                      const Workload& workload,
                                      TrimRange range) {
  const Simulator* const simulator = problem_.simulator;
  if (simulator == nullptr) {
    ASSIGN_OR_RETURN(
        const PreparedPlacement prepared,
        PreparedPlacement::Create(placement, models, *problem_.cost_model,
                                  problem_.serving));
    RETURN_IF_ERROR(SimulateLeanInRange(prepared, workload, &scratch_,
                                        &part_result_, range));
  } else {
    ASSIGN_OR_RETURN(const PreparedPlacement prepared,
                     simulator->Prepare(placement, models, *problem_.cost_model,
                                        problem_.serving));
    RETURN_IF_ERROR(simulator->SimulateLeanInRange(
        prepared, workload, &scratch_, &part_result_, range));
  }
  simulated_requests_ += static_cast<int64_t>(workload.size());
  ++component_runs_;
  return absl::OkStatus();
}

void ComponentSimulation::Evict() {
  if (cache_.size() <= kMinCacheEntries) return;
  // Drop the older half (never the parts of the current placement).
  std::vector<uint64_t> stamps;
  stamps.reserve(cache_.size());
  for (const auto& [key, part] : cache_) stamps.push_back(part.last_used);
  auto mid = stamps.begin() + stamps.size() / 2;
  std::nth_element(stamps.begin(), mid, stamps.end());
  const uint64_t cut = std::min(*mid, clock_);
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (it->second.last_used < cut) {
      cache_.erase(it++);
    } else {
      ++it;
    }
  }
}

}  // namespace multiplex
