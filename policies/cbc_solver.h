#ifndef MULTIPLEX_POLICIES_CBC_SOLVER_H_
#define MULTIPLEX_POLICIES_CBC_SOLVER_H_

// Solves a MipModel with COIN-OR CBC through its C interface
// (coin/Cbc_C_Interface.h). Built only where @local_cbc found CBC
// (third_party/cbc_configure.bzl).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/plugin_params.h"
#include "policies/ilp_formulation.h"

namespace multiplex {

struct MipOptions {
  // Wall-clock seconds CBC may search (the original's 30 s).
  double time_limit_s = 30;
  // Relative gap |bound - objective| / |objective| at which CBC stops; 0:
  // search until proven optimal (or out of time).
  double mip_gap = 0;
  // CBC's threads; 1 keeps the search, and so the result, independent of
  // the machine's load as long as the time limit does not bind.
  int threads = 1;
};

struct MipSolution {
  // Whether CBC proved the solution optimal (within mip_gap).
  bool proven_optimal = false;
  bool time_limit_reached = false;
  std::vector<double> values;  // one per column
  double objective = 0;
  double best_bound = 0;  // CBC's bound on the optimum
  double seconds = 0;     // wall-clock time of the solve
};

// The best solution CBC found; an InvalidArgument error
// with the reason (infeasible; no solution within the time limit) when it
// found none. Messages start with `policy`.
absl::StatusOr<MipSolution> SolveWithCbc(const MipModel& mip,
                                         const MipOptions& options,
                                         absl::string_view policy);

// The parameters of the ILP policies: time_limit_s, mip_gap, threads.
std::vector<PluginParam> MipParams();
MipOptions MipOptionsFromArgs(const PluginValues& args);
// The `slots` parameter of both ("ordered" or "original": with or without
// the rows that order interchangeable GPUs or group slots) and its value.
PluginParam SlotsParam();
bool OrderSlotsFromArgs(const PluginValues& args);

// "ILP proven optimal ..." or "ILP not proven optimal: <why> ..." with the
// objective and the bound, for Placement::note.
std::string DescribeSolution(const MipSolution& solution,
                             const MipOptions& options);

}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_CBC_SOLVER_H_
