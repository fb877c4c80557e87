#ifndef MULTIPLEX_EXPERIMENTS_LIB_CASE_ASSIGNMENT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_CASE_ASSIGNMENT_H_

// Which process runs which case when a study is spread over several
// (//tools:study under mpirun): balanced by an estimate of each case's cost
// rather than dealt round-robin, and decided the same way in every process
// from the spec alone, so no message is needed to agree on it.
//
//   std::vector<double> cost = EstimateCaseCosts(study);
//   std::vector<std::vector<size_t>> share = AssignCases(cost, ranks);
//   RunStudyCases(study, share[rank], parallel);

#include <cstddef>
#include <vector>

#include "experiments/lib/study.h"

namespace multiplex {

// A case's cost in arbitrary units: the requests it serves plus the
// requests it places on times its candidate moves (models x devices: what a
// greedy policy tries per step), plus 1. The requests are expected counts
// (total_rate x rate_scale x the scaled duration; a trace's rows before the
// duration). Only the ratios between cases matter.
std::vector<double> EstimateCaseCosts(const Study& study);

// Longest-processing-time-first: the cases by decreasing cost (ties: lower
// index first), each to the rank with the least cost so far (ties: lower
// rank). Returns each rank's cases in increasing order; every case is in
// exactly one. `ranks` >= 1.
std::vector<std::vector<size_t>> AssignCases(const std::vector<double>& cost,
                                             int ranks);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_CASE_ASSIGNMENT_H_
