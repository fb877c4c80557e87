#ifndef MULTIPLEX_EXPERIMENTS_LIB_DISTRIBUTED_STUDY_H_
#define MULTIPLEX_EXPERIMENTS_LIB_DISTRIBUTED_STUDY_H_

// A study spread over the ranks of an MPI run (mpi_ranks.h): each rank runs
// its share of the cases (case_assignment.h) on its own thread pool, and
// rank 0 gathers every result (case_result_codec.h) to write the outputs.
// Every rank loads the same spec, and a case's randomness comes from the
// case alone, so rank 0 ends with the results a single process computes.
//
//   ASSIGN_OR_RETURN(StudyResults results,
//                    RunStudyOnRanks(study, parallel, ranks.get(), &stats));
//   if (ranks->rank() == 0) ... WriteStudyOutputs(study, results, ...);
//
// With one rank this is RunStudy.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "experiments/lib/mpi_ranks.h"
#include "experiments/lib/parallel_cases.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"

namespace multiplex {

// What one rank did in RunStudyOnRanks.
struct RankStats {
  size_t cases = 0;  // cases it ran
  double cost = 0;   // their estimated cost (EstimateCaseCosts)
  double run_s = 0;  // wall-clock seconds running them
};

// The same status at every rank: OK if every rank's `mine` is OK, else the
// error of the lowest failing rank, prefixed "rank R of K: " unless every
// rank failed alike (a bad spec) or there is one rank. Collective.
absl::Status AgreeOnStatus(Ranks* ranks, const absl::Status& mine);

// Runs the cases assigned to this rank, then gathers all results at rank
// 0, which gets every case's result (as RunStudy returns them); the other
// ranks get their own only. Every rank returns the same status; an error
// names the case and the rank: "rank 1 of 3: case 5 (mp-search,
// workload.total_rate=20): ...". Collective.
absl::StatusOr<StudyResults> RunStudyOnRanks(const Study& study,
                                             const ParallelOptions& options,
                                             Ranks* ranks, RankStats* stats);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_DISTRIBUTED_STUDY_H_
