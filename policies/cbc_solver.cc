#include "policies/cbc_solver.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "coin/Cbc_C_Interface.h"

namespace multiplex {
namespace {

// CBC's solver driver (Cbc_solve runs CbcMain1) keeps state in globals, so
// solves run one at a time; concurrent Place() calls wait their turn.
ABSL_CONST_INIT absl::Mutex cbc_mutex(absl::kConstInit);

struct CbcDeleter {
  void operator()(Cbc_Model* model) const { Cbc_deleteModel(model); }
};

// CBC spells an infinite bound as the largest double.
double CbcBound(double bound) {
  if (std::isinf(bound)) {
    return bound > 0 ? std::numeric_limits<double>::max()
                     : -std::numeric_limits<double>::max();
  }
  return bound;
}

}  // namespace

absl::StatusOr<MipSolution> SolveWithCbc(const MipModel& mip,
                                         const MipOptions& options,
                                         absl::string_view policy) {
  absl::MutexLock lock(&cbc_mutex);  // held until the model is deleted
  std::unique_ptr<Cbc_Model, CbcDeleter> model(Cbc_newModel());
  Cbc_setLogLevel(model.get(), 0);
  for (const MipModel::Column& c : mip.columns) {
    Cbc_addCol(model.get(), c.name.c_str(), CbcBound(c.lower),
               CbcBound(c.upper), c.objective, c.integer ? 1 : 0, 0, nullptr,
               nullptr);
  }
  for (const MipModel::Row& r : mip.rows) {
    Cbc_addRow(model.get(), r.name.c_str(), static_cast<int>(r.columns.size()),
               r.columns.data(), r.coefficients.data(), r.sense, r.rhs);
  }
  Cbc_setObjSense(model.get(), mip.maximize ? -1 : 1);
  Cbc_setMaximumSeconds(model.get(), options.time_limit_s);
  Cbc_setAllowableFractionGap(model.get(), options.mip_gap);
  // Wall-clock time, as solver_s measures it, not CBC's default CPU time.
  Cbc_setParameter(model.get(), "timeMode", "elapsed");
  Cbc_setParameter(model.get(), "threads",
                   std::to_string(options.threads).c_str());

  const auto start = std::chrono::steady_clock::now();
  Cbc_solve(model.get());
  MipSolution out;
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  out.time_limit_reached = Cbc_isSecondsLimitReached(model.get()) != 0;
  const double* best = Cbc_bestSolution(model.get());
  if (best == nullptr) {
    if (Cbc_isProvenInfeasible(model.get())) {
      return absl::InvalidArgumentError(absl::StrCat(
          policy, ": the integer program is infeasible (CBC proved it)"));
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: CBC found no feasible placement within the time limit of %g s "
        "(time_limit_s)",
        policy, options.time_limit_s));
  }
  out.values.assign(best, best + mip.columns.size());
  for (size_t c = 0; c < mip.columns.size(); ++c) {
    if (mip.columns[c].integer) out.values[c] = std::round(out.values[c]);
  }
  out.objective = mip.Objective(out.values);
  out.best_bound = Cbc_getBestPossibleObjValue(model.get());
  out.proven_optimal =
      Cbc_isProvenOptimal(model.get()) != 0 && !out.time_limit_reached;
  return out;
}

std::vector<PluginParam> MipParams() {
  return {
      PluginParam::Double("time_limit_s")
          .Default("30")
          .GreaterThan(0)
          .Help("seconds CBC may search; then the best placement found, "
                "marked not proven optimal"),
      PluginParam::Double("mip_gap").Default("0").AtLeast(0).Help(
          "relative gap to the bound at which CBC stops (0: optimal)"),
      PluginParam::Int("threads").Default("1").AtLeast(1).AtMost(64).Help(
          "CBC's threads (1: the same search whatever the machine)"),
  };
}

PluginParam SlotsParam() {
  return PluginParam::String("slots")
      .Default("ordered")
      .OneOf({"ordered", "original"})
      .Help(
          "ordered: rows that order the interchangeable GPUs (sr-ilp) or "
          "group slots (mp-ilp), which keep the optimum and spare CBC their "
          "permutations; original: the original program without them "
          "(docs/study.md 5.11)");
}

bool OrderSlotsFromArgs(const PluginValues& args) {
  return args.GetString("slots") == "ordered";
}

MipOptions MipOptionsFromArgs(const PluginValues& args) {
  MipOptions o;
  o.time_limit_s = args.GetDouble("time_limit_s");
  o.mip_gap = args.GetDouble("mip_gap");
  o.threads = args.GetInt("threads");
  return o;
}

std::string DescribeSolution(const MipSolution& solution,
                             const MipOptions& options) {
  std::string how;
  if (solution.proven_optimal) {
    how = options.mip_gap > 0
              ? absl::StrFormat("proven within mip_gap %g of optimal",
                                options.mip_gap)
              : "proven optimal";
  } else {
    how = absl::StrFormat(
        "not proven optimal: %s",
        solution.time_limit_reached
            ? absl::StrFormat("time limit %g s reached", options.time_limit_s)
            : "CBC stopped early");
  }
  // No solve time: the note enters placement files, which are the same
  // bytes for the same inputs (solver_s reports the time).
  return absl::StrFormat("ILP %s (objective %.9g, bound %.9g)", how,
                         solution.objective, solution.best_bound);
}

}  // namespace multiplex
