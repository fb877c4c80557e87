#include "experiments/lib/distributed_study.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/status_macros.h"
#include "experiments/lib/case_assignment.h"
#include "experiments/lib/case_result_codec.h"

namespace multiplex {
namespace {

// A status as "code<TAB>message" and back (codes are small integers).
std::string EncodeStatus(const absl::Status& s) {
  return absl::StrCat(static_cast<int>(s.code()), "\t", s.message());
}

absl::Status DecodeStatus(const std::string& text) {
  std::pair<std::string, std::string> parts =
      absl::StrSplit(text, absl::MaxSplits('\t', 1));
  int code = 0;
  if (!absl::SimpleAtoi(parts.first, &code)) {
    return absl::InternalError(absl::StrCat("unreadable status '", text, "'"));
  }
  return absl::Status(static_cast<absl::StatusCode>(code), parts.second);
}

}  // namespace

absl::Status AgreeOnStatus(Ranks* ranks, const absl::Status& mine) {
  if (ranks->size() == 1) return mine;
  ASSIGN_OR_RETURN(std::vector<std::string> all,
                   ranks->Gather(EncodeStatus(mine)));
  std::string verdict = EncodeStatus(absl::OkStatus());
  // Only rank 0 has `all`; the others wait for its verdict.
  const bool same_everywhere =
      std::all_of(all.begin(), all.end(),
                  [&](const std::string& s) { return s == all.front(); });
  for (size_t r = 0; r < all.size(); ++r) {
    const absl::Status s = DecodeStatus(all[r]);
    if (s.ok()) continue;
    verdict =
        same_everywhere
            ? all[r]
            : EncodeStatus(absl::Status(
                  s.code(), absl::StrCat("rank ", r, " of ", ranks->size(),
                                         ": ", s.message())));
    break;
  }
  RETURN_IF_ERROR(ranks->Broadcast(&verdict));
  return DecodeStatus(verdict);
}

absl::StatusOr<StudyResults> RunStudyOnRanks(const Study& study,
                                             const ParallelOptions& options,
                                             Ranks* ranks, RankStats* stats) {
  const std::vector<double> cost = EstimateCaseCosts(study);
  const std::vector<std::vector<size_t>> share =
      AssignStudy(study, ranks->size());
  const std::vector<size_t>& mine = share[ranks->rank()];
  stats->cases = mine.size();
  stats->cost = 0;
  for (size_t i : mine) stats->cost += cost[i];

  const auto begin = std::chrono::steady_clock::now();
  absl::StatusOr<StudyResults> results = RunStudyCases(study, mine, options);
  stats->run_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  RETURN_IF_ERROR(
      AgreeOnStatus(ranks, results.ok() ? absl::OkStatus() : results.status()));
  if (ranks->size() == 1) return results;

  ASSIGN_OR_RETURN(std::vector<std::string> bytes,
                   ranks->Gather(EncodeCaseResults(*results, mine)));
  // Rank 0 checks that each rank sent exactly its share.
  absl::Status decoded;
  for (size_t r = 1; r < bytes.size() && decoded.ok(); ++r) {
    std::vector<size_t> got;
    decoded = DecodeCaseResults(bytes[r], &*results, &got);
    if (decoded.ok() && got != share[r]) {
      decoded = absl::InternalError(absl::StrCat("rank ", r, " sent ",
                                                 got.size(), " cases, not its ",
                                                 share[r].size()));
    }
  }
  RETURN_IF_ERROR(AgreeOnStatus(ranks, decoded));
  return results;
}

}  // namespace multiplex
