#include "experiments/lib/serving_case.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "workloads/generator.h"
#include "workloads/rate_split.h"

namespace multiplex {

absl::StatusOr<ServingRequests> MakeServingRequests(const ServingCase& c) {
  if (c.cost_model == nullptr) {
    return absl::InvalidArgumentError("serving case without a cost model");
  }
  if (c.num_models < 1 || c.num_devices < 1) {
    return absl::InvalidArgumentError(
        "a serving case needs at least one model and one device");
  }
  if (!(c.mem_budget_gib > 0) || !(c.slo_scale > 0)) {
    return absl::InvalidArgumentError(
        "memory budget and SLO scale must be positive");
  }
  ServingRequests r;
  ASSIGN_OR_RETURN(const StageCosts single,
                   c.cost_model->Stages(c.model_type, {1, 1, 1}, 1));
  r.l1_s = single.TotalLatency();
  const double slo_s = c.slo_scale * r.l1_s;  // inf * L1 = inf

  RETURN_IF_ERROR(SplitRate(c.rate_split, c.total_rate, c.num_models));
  for (int i = 0; i < c.num_models; ++i) {
    r.models.push_back({absl::StrCat("m", i), c.model_type});
  }
  ASSIGN_OR_RETURN(r.workload,
                   MakeGammaWorkload(c.num_models, c.total_rate, c.rate_split,
                                     c.cv, c.duration_s, c.seed, slo_s));
  return r;
}

bool SameRequests(const ServingCase& a, const ServingCase& b) {
  return a.cost_model == b.cost_model && a.model_type == b.model_type &&
         a.num_models == b.num_models && a.total_rate == b.total_rate &&
         a.rate_split == b.rate_split && a.cv == b.cv &&
         a.slo_scale == b.slo_scale && a.duration_s == b.duration_s &&
         a.seed == b.seed;
}

absl::StatusOr<ServingCaseResult> RunServingCase(const ServingCase& c) {
  ASSIGN_OR_RETURN(ServingRequests requests, MakeServingRequests(c));
  return RunServingCase(
      c, std::make_shared<const ServingRequests>(std::move(requests)));
}

absl::StatusOr<ServingCaseResult> RunServingCase(
    const ServingCase& c, std::shared_ptr<const ServingRequests> requests) {
  if (c.cost_model == nullptr || requests == nullptr) {
    return absl::InvalidArgumentError(
        "serving case without a cost model or requests");
  }
  ServingCaseResult r;
  r.requests = std::move(requests);
  const std::vector<ModelSpec>& models = r.models();
  const Workload& workload = r.workload();

  ASSIGN_OR_RETURN(const std::unique_ptr<PlacementPolicy> policy,
                   Registry<PlacementPolicy>::Global().Create(c.policy));
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster = {c.num_devices, c.mem_budget_gib * kGiB, 8};
  problem.cost_model = c.cost_model;
  problem.training_workload = &workload;
  problem.serving = c.constants;
  absl::StatusOr<Placement> placement = policy->Place(problem);
  if (!placement.ok()) {
    return absl::Status(
        placement.status().code(),
        absl::StrCat(c.policy, ": ", placement.status().message()));
  }
  r.placement = *std::move(placement);
  absl::Status valid =
      VerifyPlacement(r.placement, models, problem.cluster, *c.cost_model);
  if (!valid.ok()) {
    return absl::InternalError(absl::StrCat(
        c.policy, " returned an invalid placement: ", valid.message()));
  }

  ASSIGN_OR_RETURN(const PreparedPlacement prepared,
                   PreparedPlacement::Create(r.placement, models, *c.cost_model,
                                             c.constants));
  SimulateOptions options;
  options.record_busy_intervals = c.record_busy_intervals;
  ASSIGN_OR_RETURN(r.simulation, Simulate(prepared, workload, options));
  ASSIGN_OR_RETURN(r.stats, ComputeStats(workload, r.simulation));
  return r;
}

std::vector<double> GoodLatencies(const ServingCaseResult& r, int model) {
  std::vector<double> latencies;
  for (size_t i = r.stats.range.begin; i < r.stats.range.end; ++i) {
    if (!r.simulation.good[i]) continue;
    if (model >= 0 && r.workload().model[i] != model) continue;
    latencies.push_back(r.simulation.finish_s[i] - r.workload().arrival_s[i]);
  }
  return latencies;
}

}  // namespace multiplex
