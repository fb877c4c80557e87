#ifndef MULTIPLEX_EXPERIMENTS_LIB_SWEEP_H_
#define MULTIPLEX_EXPERIMENTS_LIB_SWEEP_H_

// Helpers the figure targets and the studies share: parameter grids and
// cost models from database files.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"

namespace multiplex {

// numpy.linspace(lo, hi, n): n evenly spaced values, both ends included.
std::vector<double> Linspace(double lo, double hi, int n);

// The `database` cost model of a file, created through the registry (link
// //profiler:database); errors name the file.
absl::StatusOr<std::unique_ptr<CostModel>> LoadCostModel(
    const std::string& path);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_SWEEP_H_
