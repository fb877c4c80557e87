#include "policies/mp_search_core.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

constexpr int kMaxOp = 4;
constexpr int kMaxPp = 8;

}  // namespace

std::vector<Placement> MpSearchCandidates(int devices) {
  std::vector<Placement> out;
  for (int g = 1; g <= devices; g *= 2) {
    for (int op = 1; op <= g && op <= kMaxOp; op *= 2) {
      const int pp = g / op;
      if (pp > kMaxPp) continue;
      Placement p = EmptyGroups({1, op, pp}, devices / g);
      int left = devices % g;
      for (int s = g / 2; s >= 1; s /= 2) {
        if (left >= s) {
          p.groups.push_back(Group{{1, 1, s}, {}});
          left -= s;
        }
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

absl::StatusOr<MpSearchBest> BestMpSearchPlacement(PlacementEvaluator& ev,
                                                   int devices) {
  MpSearchBest best;
  for (Placement& candidate : MpSearchCandidates(devices)) {
    bool known = true;
    for (const Group& g : candidate.groups) {
      known = known && AnyModelKnows(ev.problem(), g.config);
    }
    if (!known) {
      best.skipped.push_back(candidate.groups[0].config.ToString());
      continue;
    }
    RETURN_IF_ERROR(GreedyFill(ev, &candidate));
    if (candidate.NumReplicas() == 0) {
      best.skipped.push_back(candidate.groups[0].config.ToString());
      continue;
    }
    ASSIGN_OR_RETURN(const double score, ev.Score(candidate));
    if (!best.found || score > best.score) {
      best.found = true;
      best.score = score;
      best.placement = std::move(candidate);
    }
  }
  return best;
}

absl::Status NoCandidateFitsError(absl::string_view policy,
                                  const PlacementProblem& problem,
                                  const std::vector<std::string>& skipped) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s: no model fits the memory budget of %.3f GiB per device under any "
      "candidate config the cost model knows (candidates: %s)",
      policy, problem.cluster.mem_budget_bytes / kGiB,
      absl::StrJoin(skipped, " ")));
}

}  // namespace multiplex
