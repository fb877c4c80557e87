#ifndef MULTIPLEX_EXPERIMENTS_LIB_CASE_ASSIGNMENT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_CASE_ASSIGNMENT_H_

// Which process runs which case when a study is spread over several
// (//tools:study under mpirun): balanced by an estimate of each case's cost
// rather than dealt round-robin, and decided the same way in every process
// from the spec alone, so no message is needed to agree on it.
//
//   std::vector<std::vector<size_t>> share = AssignStudy(study, ranks);
//   RunStudyCases(study, share[rank], parallel);

#include <cstddef>
#include <vector>

#include "experiments/lib/study.h"

namespace multiplex {

// The requests a case draws or replays (expected counts: total_rate x
// rate_scale x the scaled duration; a trace's rows before the duration):
// the serving workload's and the training workload's, which is the serving
// one unless the spec gives training its own seed, process or trace.
struct CaseRequests {
  double serving = 0;
  double training = 0;
  bool separate_training = false;
};
CaseRequests EstimateCaseRequests(const Study& study, const StudyCase& c);

// The work of serving `served` requests and placing `placed` requests over
// models x devices candidate moves (what a greedy policy tries per step):
// 1 + served + placed x models x devices. The one estimate of a placement
// run's cost that //tools:study and //tools:place both bound
// (study_bounds.h).
double CaseWork(double served, double placed, double models, double devices);

// A case's cost in arbitrary units (CaseWork): the requests it serves plus the
// requests it places on times its candidate moves (models x devices: what a
// greedy policy tries per step), plus 1. The requests are expected counts
// (total_rate x rate_scale x the scaled duration; a trace's rows before the
// duration). Only the ratios between cases matter.
std::vector<double> EstimateCaseCosts(const Study& study);

// The units the cases are assigned in: unit[i] for case i. The policies of
// one sweep point (cases with the same sweep values) form a unit when the
// study has at least 4 points per rank: every unit then holds one case of
// each policy, so a policy's cost the estimate does not know (mp-search
// tries several splits where sr-greedy tries one) is spread evenly, and a
// rank draws each of its points' workloads once. With fewer points, each
// case is its own unit.
std::vector<int> AssignmentUnits(const Study& study, int ranks);

// Longest-processing-time-first over units (cases with the same `unit`,
// their cost summed): the units by decreasing cost (ties: the one whose
// first case comes first), each to the rank with the least cost so far
// (ties: lower rank). Returns each rank's cases in increasing order; every
// case is in exactly one. `ranks` >= 1; unit.size() == cost.size().
std::vector<std::vector<size_t>> AssignCases(const std::vector<double>& cost,
                                             const std::vector<int>& unit,
                                             int ranks);

// Each case its own unit.
std::vector<std::vector<size_t>> AssignCases(const std::vector<double>& cost,
                                             int ranks);

// What RunStudyOnRanks runs: EstimateCaseCosts assigned in
// AssignmentUnits.
std::vector<std::vector<size_t>> AssignStudy(const Study& study, int ranks);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_CASE_ASSIGNMENT_H_
