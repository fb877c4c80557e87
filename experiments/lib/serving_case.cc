#include "experiments/lib/serving_case.h"

#include <atomic>
#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

std::atomic<int64_t> verified_placements{0};

absl::Status NeedsCase(const ServingCase& c) {
  if (c.cost_model == nullptr || c.simulator == nullptr) {
    return absl::InvalidArgumentError(
        "a serving case needs a cost model and a simulator");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PlacedCase> Adopt(const ServingCase& c,
                                 PlacementSchedule schedule) {
  RETURN_IF_ERROR(NeedsCase(c));
  verified_placements.fetch_add(1, std::memory_order_relaxed);
  RETURN_IF_ERROR(VerifySchedule(schedule, c.models, c.cluster, *c.cost_model));
  ASSIGN_OR_RETURN(PreparedSchedule prepared,
                   c.simulator->PrepareSchedule(schedule, c.models,
                                                *c.cost_model, c.serving));
  return PlacedCase(std::move(schedule), std::move(prepared));
}

absl::StatusOr<PlacedCase> Place(const ServingCase& c) {
  RETURN_IF_ERROR(NeedsCase(c));
  if (c.policy == nullptr || c.training == nullptr) {
    return absl::InvalidArgumentError(
        "placing a serving case needs a policy and a training workload");
  }
  PlacementProblem problem;
  problem.models = &c.models;
  problem.cluster = c.cluster;
  problem.cost_model = c.cost_model;
  problem.training_workload = c.training;
  problem.serving = c.serving;
  problem.simulator = c.simulator;
  const auto begin = std::chrono::steady_clock::now();
  absl::StatusOr<PlacementSchedule> schedule = c.policy->PlaceSchedule(problem);
  const double solver_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  if (!schedule.ok()) {
    // Name the policy unless its message does.
    const absl::string_view message = schedule.status().message();
    return absl::Status(schedule.status().code(),
                        absl::StartsWith(message, c.policy_spec)
                            ? std::string(message)
                            : absl::StrCat(c.policy_spec, ": ", message));
  }
  // The policy's placement has to pass the checks a file's does; failing
  // them is the policy's bug, not the user's.
  verified_placements.fetch_add(1, std::memory_order_relaxed);
  absl::Status valid =
      VerifySchedule(*schedule, c.models, c.cluster, *c.cost_model);
  if (!valid.ok()) {
    return absl::InternalError(absl::StrCat(
        c.policy_spec, " returned an invalid placement: ", valid.message()));
  }
  ASSIGN_OR_RETURN(PreparedSchedule prepared,
                   c.simulator->PrepareSchedule(*schedule, c.models,
                                                *c.cost_model, c.serving));
  PlacedCase placed(*std::move(schedule), std::move(prepared));
  placed.solver_s_ = solver_s;
  return placed;
}

absl::StatusOr<SimulationResult> Serve(const ServingCase& c,
                                       const PlacedCase& placed,
                                       const Workload& workload,
                                       const SimulateOptions& options) {
  RETURN_IF_ERROR(NeedsCase(c));
  return c.simulator->SimulateSchedule(placed.prepared(), workload, options);
}

absl::StatusOr<LeanResult> ServeLean(const ServingCase& c,
                                     const PlacedCase& placed,
                                     const Workload& workload) {
  RETURN_IF_ERROR(NeedsCase(c));
  SimulatorScratch scratch;
  LeanResult lean;
  RETURN_IF_ERROR(c.simulator->SimulateScheduleLean(placed.prepared(), workload,
                                                    &scratch, &lean));
  return lean;
}

ServingSummary Summarize(const ServingCase& c, const PlacedCase& placed,
                         const Workload& workload,
                         const SimulationResult& simulation,
                         const ServingStats& stats) {
  ServingSummary summary = SummarizeServing(workload, simulation, stats);
  summary.placement = placed.schedule().ToString(c.models);
  summary.solver_s = placed.solver_s();
  return summary;
}

int64_t VerifiedPlacementsForTesting() {
  return verified_placements.load(std::memory_order_relaxed);
}

}  // namespace multiplex
