#ifndef MULTIPLEX_EXPERIMENTS_LIB_SWEEP_H_
#define MULTIPLEX_EXPERIMENTS_LIB_SWEEP_H_

// Helpers the figure targets share: parameter grids, cost models from
// database files, and a parallel sweep of serving cases.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "experiments/lib/parallel_cases.h"
#include "experiments/lib/serving_case.h"
#include "core/stats.h"

namespace multiplex {

// numpy.linspace(lo, hi, n): n evenly spaced values, both ends included.
std::vector<double> Linspace(double lo, double hi, int n);

// "0.1 0.25 1": each value as absl::StrCat prints a double, with at most six
// significant digits (linspace(0.1, 8, 20) gives "0.1 0.515789 ..."), so not
// always exact; for the TSV parameter lines.
std::string FormatValues(const std::vector<double>& values);

// The `database` cost model of a file, created through the registry (link
// //profiler:database); errors name the file.
absl::StatusOr<std::unique_ptr<CostModel>> LoadCostModel(
    const std::string& path);

// Runs every case on all cores and keeps only the statistics. Cases with
// SameRequests share one draw of the requests, which is dropped as soon as
// they finish, so sweeps over millions of requests fit in memory. stats[i]
// belongs to cases[i].
absl::StatusOr<std::vector<ServingStats>> RunServingSweep(
    const std::vector<ServingCase>& cases, const ParallelOptions& options);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_SWEEP_H_
