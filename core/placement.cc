#include "core/placement.h"

#include <cstdint>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/limits.h"
#include "core/status_macros.h"

namespace multiplex {

int Placement::NumDevices() const {
  int64_t n = 0;  // at most groups.size() x kMaxDevices: no overflow
  for (const Group& g : groups) {
    if (!g.config.IsValid()) return -1;
    n += g.config.NumDevices();
  }
  return n <= kMaxDevices ? static_cast<int>(n) : -1;
}

int Placement::NumReplicas() const {
  int n = 0;
  for (const Group& g : groups) n += static_cast<int>(g.models.size());
  return n;
}

std::string Placement::ToString(const std::vector<ModelSpec>& models) const {
  std::string out;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i > 0) absl::StrAppend(&out, " | ");
    absl::StrAppend(&out, "group ", i, " ", groups[i].config.ToString(), ":");
    for (int m : groups[i].models) {
      bool known = m >= 0 && m < static_cast<int>(models.size());
      absl::StrAppend(&out, " ", known ? models[m].name : absl::StrCat("#", m));
    }
  }
  return out;
}

absl::StatusOr<double> GroupMemoryBytes(const Group& group,
                                        const std::vector<ModelSpec>& models,
                                        const CostModel& cost_model) {
  double bytes = 0.0;
  for (int m : group.models) {
    if (m < 0 || m >= static_cast<int>(models.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "model index ", m, " out of range [0, ", models.size(), ")"));
    }
    ASSIGN_OR_RETURN(const StageCosts costs,
                     cost_model.Stages(models[m].type, group.config, 1));
    bytes += costs.MaxWeightBytes();
  }
  return bytes;
}

absl::Status VerifyGroups(const Placement& placement,
                          const std::vector<std::string>& model_names) {
  if (model_names.size() > static_cast<size_t>(kMaxModels)) {
    return absl::InvalidArgumentError(
        absl::StrCat(model_names.size(), " models, over the limit of ",
                     kMaxModels, " (kMaxModels)"));
  }
  const int num_models = static_cast<int>(model_names.size());
  int64_t devices = 0;  // each group adds at most kMaxDevices: no overflow
  for (size_t g = 0; g < placement.groups.size(); ++g) {
    const Group& group = placement.groups[g];
    const std::string where =
        absl::StrCat("group ", g, " ", group.config.ToString());
    if (absl::Status s = CheckParallelConfig(group.config); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", s.message()));
    }
    devices += group.config.NumDevices();
    if (devices > kMaxDevices) {
      return absl::InvalidArgumentError(absl::StrCat(
          "groups 0 to ", g, " use ", devices, " devices, over the limit of ",
          kMaxDevices, " devices per placement (kMaxDevices)"));
    }
    std::set<int> seen;
    for (int m : group.models) {
      if (m < 0 || m >= num_models) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": model index ", m, " out of range [0, ", num_models, ")"));
      }
      if (!seen.insert(m).second) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": hosts model ", model_names[m], " twice"));
      }
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> ModelNames(const std::vector<ModelSpec>& models) {
  std::vector<std::string> names;
  names.reserve(models.size());
  for (const ModelSpec& m : models) names.push_back(m.name);
  return names;
}

absl::Status VerifyPlacement(const Placement& placement,
                             const std::vector<ModelSpec>& models,
                             const Cluster& cluster,
                             const CostModel& cost_model) {
  const std::vector<std::string> names = ModelNames(models);
  RETURN_IF_ERROR(VerifyGroups(placement, names));
  if (cluster.num_devices > kMaxDevices) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the cluster has ", cluster.num_devices, " devices, over the limit of ",
        kMaxDevices, " (kMaxDevices)"));
  }
  for (size_t g = 0; g < placement.groups.size(); ++g) {
    const Group& group = placement.groups[g];
    const std::string where =
        absl::StrCat("group ", g, " ", group.config.ToString());
    for (int m : group.models) {
      if (!cost_model.HasConfig(models[m].type, group.config)) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ": cost model ", cost_model.Name(), " has no config ",
            group.config.ToString(), " for model ", models[m].name, " (",
            models[m].type, ")"));
      }
    }
    absl::StatusOr<double> bytes = GroupMemoryBytes(group, models, cost_model);
    if (!bytes.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ", bytes.status().message()));
    }
    if (*bytes > cluster.mem_budget_bytes * kMemoryBudgetTolerance) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: needs %.3f GiB per device, over the budget of %.3f GiB", where,
          *bytes / kGiB, cluster.mem_budget_bytes / kGiB));
    }
  }
  if (placement.NumDevices() > cluster.num_devices) {
    return absl::InvalidArgumentError(
        absl::StrCat("placement uses ", placement.NumDevices(),
                     " devices, the cluster has ", cluster.num_devices));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
