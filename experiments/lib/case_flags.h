#ifndef MULTIPLEX_EXPERIMENTS_LIB_CASE_FLAGS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_CASE_FLAGS_H_

// Serving cases (serving_case.h) from the command lines of //tools:place
// and //tools:simulate: the flags' values in, a case that owns what it
// points to out, or an error naming the flag. The tools only read their
// flags into these structs, print and write files.
//
//   PlaceFlags flags;  // filled from the command line
//   ASSIGN_OR_RETURN(std::unique_ptr<FlagCase> c,
//                    CaseFromPlaceFlags(flags, make_cost_model));
//   ASSIGN_OR_RETURN(PlacedCase placed, Place(c->serving_case));

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "core/placement_io.h"
#include "core/placement_policy.h"
#include "core/serving_constants.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"
#include "core/workload.h"
#include "experiments/lib/serving_case.h"

namespace multiplex {

// Creates the cost model of the command line (--cost_model or --db).
using CostModelMaker =
    std::function<absl::StatusOr<std::unique_ptr<CostModel>>()>;

// //tools:place's flags (their defaults are the tool's).
struct PlaceFlags {
  std::string model_type = "bert-2.6b";
  int num_models = 8;
  std::string models;  // TYPE:COUNT,...; instead of model_type, num_models
  int num_devices = 8;
  double mem_budget_gib = 13;
  std::string policy = "mp-search";
  std::string simulator = "fast";
  double total_rate = 20;
  std::string rate_split = "uniform";
  std::string process = "gamma";
  double cv = 1;
  std::string workload;  // a trace to train on instead of a generated one
  double slo_scale = std::numeric_limits<double>::infinity();
  double duration = 20000;
  uint64_t seed = 0;
  double max_case_hours = 1;
  // The flags given on the command line, by name ("slo_scale"): some
  // apply only when given, some must not be given with others.
  std::set<std::string> given;
};

// A case built from flags, owning its plugins and training workload, and
// the words the tools print about it.
struct FlagCase {
  std::unique_ptr<CostModel> cost_model;
  std::unique_ptr<PlacementPolicy> policy;
  std::unique_ptr<Simulator> simulator;
  Workload training;
  ServingCase serving_case;  // points into the members above

  // What //tools:place prints and writes about the problem.
  std::string models_text;    // "4 x bert-1.3b + 2 x bert-6.7b"
  std::string workload_text;  // "20 req/s (uniform), cv 3"
  std::string workload_desc;  // the same for the file's description
  std::string training_text;  // "over 20000 s", "of the trace's 491"
  std::string training_desc;  // ", duration 20000 s, seed 0" (generated)
  std::string slo_text;       // "0.7566 s (5 x L1)", "inf", ...
  bool trace_slos = false;    // the trace's own SLOs (no --slo_scale)
  // A warning about a misleading combination of flags ("" when none).
  std::string slo_warning;
};

// //tools:place's case: instances m0.. of the model types, the SLOs
// (slo_scale x each type's single-GPU batch-1 latency), the training
// workload (generated, or replayed from flags.workload), the policy and
// simulator by spec; the search's work bounded by max_case_hours.
absl::StatusOr<std::unique_ptr<FlagCase>> CaseFromPlaceFlags(
    const PlaceFlags& flags, const CostModelMaker& make_cost_model);

// //tools:simulate's flags.
struct SimulateFlags {
  std::string placement;      // a placement file (core/placement_io.h)
  std::string workload;       // a trace
  double mem_budget_gib = 0;  // 0: the file's cluster's
  int num_devices = 0;        // 0: the file's, else what the placement uses
  ServingConstants serving;
  std::string simulator = "fast";
  double warmup_s = kDefaultWarmupS;
};

// A case served from a placement file.
struct FileCase {
  PlacementFile file;
  std::unique_ptr<CostModel> cost_model;
  std::unique_ptr<Simulator> simulator;
  Workload workload;         // the trace, by the file's instance names
  bool check_memory = true;  // false: no budget in the file or the flags
  ServingCase serving_case;  // points into the members above
};

// //tools:simulate's case: the file's instances and cluster (overridden by
// the flags), the trace, the simulator. Errors about the file name it.
absl::StatusOr<std::unique_ptr<FileCase>> CaseFromSimulateFlags(
    const SimulateFlags& flags, const CostModelMaker& make_cost_model);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_CASE_FLAGS_H_
