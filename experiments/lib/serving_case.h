#ifndef MULTIPLEX_EXPERIMENTS_LIB_SERVING_CASE_H_
#define MULTIPLEX_EXPERIMENTS_LIB_SERVING_CASE_H_

// One point of a serving figure, end to end: cost model + workload ->
// placement policy -> placement -> simulator -> statistics. Plugins are
// named by their registry specs, so this file knows none of them.

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/stats.h"
#include "core/workload.h"

namespace multiplex {

struct ServingCase {
  const CostModel* cost_model = nullptr;  // borrowed
  std::string model_type;                 // e.g. "bert-2.6b"
  int num_models = 1;                     // instances m0..m{N-1}
  int num_devices = 1;
  double mem_budget_gib = 13.0;  // per device
  std::string policy;            // Registry<PlacementPolicy> spec
  double total_rate = 1.0;       // requests/s over all models
  std::string rate_split = "uniform";
  double cv = 1.0;  // Gamma arrivals
  // SLO = slo_scale x L1 of the model type (infinity: no deadline).
  double slo_scale = std::numeric_limits<double>::infinity();
  double duration_s = 1000.0;
  uint64_t seed = 0;
  ServingConstants constants;
  // Busy intervals for utilization plots cost memory; off by default.
  bool record_busy_intervals = false;
};

// What a case serves: its model instances and their requests. The
// placement is searched on the same workload it is evaluated on (the study
// uses the same seeds for training and evaluation).
struct ServingRequests {
  std::vector<ModelSpec> models;
  double l1_s = 0.0;  // single-device batch-1 latency of the model type
  Workload workload;
};

// Checks the case and draws its requests.
absl::StatusOr<ServingRequests> MakeServingRequests(const ServingCase& c);

// Whether two cases draw the same requests (they differ at most in policy,
// cluster, serving constants or recording), so that one ServingRequests
// serves both: cases of a sweep that compare policies share it.
bool SameRequests(const ServingCase& a, const ServingCase& b);

struct ServingCaseResult {
  std::shared_ptr<const ServingRequests> requests;
  Placement placement;
  SimulationResult simulation;
  ServingStats stats;

  const std::vector<ModelSpec>& models() const { return requests->models; }
  const Workload& workload() const { return requests->workload; }
};

// Runs one case on requests drawn for it (or for a case with
// SameRequests). Errors name the policy or model that failed.
absl::StatusOr<ServingCaseResult> RunServingCase(
    const ServingCase& c, std::shared_ptr<const ServingRequests> requests);
// Draws the requests, then runs the case.
absl::StatusOr<ServingCaseResult> RunServingCase(const ServingCase& c);

// Latencies (finish - arrival) of the good requests inside the statistics'
// warm-up-trimmed range, in workload order; model < 0 means every model.
std::vector<double> GoodLatencies(const ServingCaseResult& r, int model = -1);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_SERVING_CASE_H_
