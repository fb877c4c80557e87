#ifndef MULTIPLEX_POLICIES_MP_SEARCH_CORE_H_
#define MULTIPLEX_POLICIES_MP_SEARCH_CORE_H_

// mp-search's search (docs/study.md §5.6) as a function, shared by mp-search
// and mp-search-sep (which runs it on buckets of models, §5.6.1).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/placement.h"
#include "policies/evaluator.h"

namespace multiplex {

// mp-search's candidates for `devices` GPUs, in search order: for each
// power-of-two group size G <= devices and each split G = op x pp (op <= 4,
// pp <= 8), devices / G empty groups of (1,op,pp), the GPUs left over as
// power-of-two pipelines (1,1,p), largest first.
std::vector<Placement> MpSearchCandidates(int devices);

struct MpSearchBest {
  bool found = false;  // false: no candidate could host any model
  Placement placement;
  double score = 0;  // the evaluator's score of `placement`
  // The first group's config of each skipped candidate (for the error).
  std::vector<std::string> skipped;
};

// The best greedy-filled candidate of MpSearchCandidates(devices) for the
// evaluator's models and training workload (ties: the earlier candidate).
// Candidates with a config the cost model knows for none of the models, or
// that the greedy cannot put any model on, are skipped; errors are the
// evaluator's (simulation) errors only.
absl::StatusOr<MpSearchBest> BestMpSearchPlacement(PlacementEvaluator& ev,
                                                   int devices);

// The InvalidArgument error of a search that found nothing: "<policy>: no
// model fits the memory budget of X GiB per device under any candidate
// config the cost model knows (candidates: <skipped>)".
absl::Status NoCandidateFitsError(absl::string_view policy,
                                  const PlacementProblem& problem,
                                  const std::vector<std::string>& skipped);

}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_MP_SEARCH_CORE_H_
