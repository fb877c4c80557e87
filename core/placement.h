#ifndef MULTIPLEX_CORE_PLACEMENT_H_
#define MULTIPLEX_CORE_PLACEMENT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/cost_model.h"
#include "core/parallel_config.h"

namespace multiplex {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Memory fits when bytes <= budget * kMemoryBudgetTolerance. The relative
// slack keeps an "exactly full" device valid although summing per-stage
// weight bytes and converting GiB budgets to bytes round; policies test fit
// with the same factor, so what they place VerifyPlacement accepts.
inline constexpr double kMemoryBudgetTolerance = 1 + 1e-12;

// One model instance to serve: `name` is unique (m0, m1, ...), `type` is the
// model in the cost model (bert-2.6b). What it is asked (arrivals, SLOs) is
// the Workload's business, not the placement's.
struct ModelSpec {
  std::string name;
  std::string type;
};

// The instances' names, in order.
std::vector<std::string> ModelNames(const std::vector<ModelSpec>& models);

// The GPUs to place on. Memory in bytes per device.
struct Cluster {
  int num_devices = 0;
  double mem_budget_bytes = 0.0;
  int devices_per_node = 8;
};

// A set of devices running one parallel config; hosts model indices (into
// the ModelSpec list). A model may be hosted by several groups (replicas).
struct Group {
  ParallelConfig config;
  std::vector<int> models;
};

struct Placement {
  std::vector<Group> groups;
  // What the policy says about this placement beyond its groups, e.g. an ILP
  // solver stopped by its time limit ("ILP not proven optimal: ..."); empty
  // for most policies. //tools:place appends it to the file's description.
  std::string note;

  // Devices of all groups: at most kMaxDevices for a placement VerifyGroups
  // accepts; -1 when a group's config is invalid or the total is over
  // kMaxDevices (so never an overflowed sum).
  int NumDevices() const;
  int NumReplicas() const;  // sum over groups of hosted models
  // "group 0 (1,1,8): m0 m1 | group 1 ..." using the model names.
  std::string ToString(const std::vector<ModelSpec>& models) const;
};

// Per-device weight memory of `group` (bytes): the sum over its models of
// that model's largest stage weight memory under the group's config.
absl::StatusOr<double> GroupMemoryBytes(const Group& group,
                                        const std::vector<ModelSpec>& models,
                                        const CostModel& cost_model);

// The checks of VerifyPlacement that need neither a cost model nor a
// cluster: every config valid (CheckParallelConfig: degrees >= 1 and within
// core/limits.h), at most kMaxDevices devices in all and kMaxModels models,
// model indices in [0, model_names.size()), no model twice in a group.
// Errors name the group, its config and the model ("group 1 (1,1,2): hosts
// model m3 twice") or the bound ("group 0 (65536,65536,1): dp x op x pp =
// 4294967296 devices, over the limit of 1048576 devices per group
// (kMaxDevices)"). The simulator runs these too.
absl::Status VerifyGroups(const Placement& placement,
                          const std::vector<std::string>& model_names);

// Checks that the placement is servable: configs valid and known to the cost
// model for every hosted model, model indices in range, no model twice in a
// group, per-device memory within the budget, at most cluster.num_devices
// (itself at most kMaxDevices) devices in all. Errors name the group and
// model.
absl::Status VerifyPlacement(const Placement& placement,
                             const std::vector<ModelSpec>& models,
                             const Cluster& cluster,
                             const CostModel& cost_model);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLACEMENT_H_
