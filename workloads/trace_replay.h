#ifndef MULTIPLEX_WORKLOADS_TRACE_REPLAY_H_
#define MULTIPLEX_WORKLOADS_TRACE_REPLAY_H_

// Replaying a recorded trace (trace_io.h) for a set of models, each with its
// own stream. One rule decides which of the trace's models a model replays,
// wherever a trace is replayed (the `trace` arrival process through
// MakeModelStreams, //tools:workload --process=trace:..., //tools:place
// --workload, a study's workload.trace and training.trace):
//
//   - by name: model i replays the trace's model with the same name, when
//     any of the models' names is one of the trace's;
//   - by position: otherwise, model i replays the trace's i-th model, its
//     models sorted by name with digit runs compared as numbers (m2 before
//     m10), whatever order they appear in the file.
//
// A model the rule gives no trace model (by name: a name the trace lacks; by
// position: i past the trace's last model) has none (-1); trace models no
// model replays are left out.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/workload.h"

namespace multiplex {

// For each of `names`, the index into `trace_names` of the trace model it
// replays, or -1.
std::vector<int> MatchTraceModels(const std::vector<std::string>& trace_names,
                                  const std::vector<std::string>& names);

// The order "by position" counts a trace's models in: indices into `names`
// sorted by name, digit runs compared as numbers (m0, m1, m2, m10).
std::vector<int> NaturalOrder(const std::vector<std::string>& names);

// The trace's requests before `end_s` (+inf: all) as a workload of `names`,
// each model with the requests of its trace model (MatchTraceModels). SLOs:
// `slo_s[i]` for model i, or the trace's own when `slo_s` is empty. With
// `every_request`, fails when a request in range belongs to a trace model no
// model replays (instead of leaving it out).
absl::StatusOr<Workload> ReplayTrace(const Workload& trace,
                                     const std::vector<std::string>& names,
                                     double end_s,
                                     const std::vector<double>& slo_s,
                                     bool every_request);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_TRACE_REPLAY_H_
