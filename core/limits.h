#ifndef MULTIPLEX_CORE_LIMITS_H_
#define MULTIPLEX_CORE_LIMITS_H_

// Upper bounds on the counts multiplex reads from files (placements,
// profiling databases, traces, studies) and accepts in a placement. Each is
// far above any real cluster or model, and low enough that what is computed
// from them cannot overflow: a group's devices dp x op x pp are computed in
// 64 bits from degrees of at most 2^20, 2^20 and 2^16 (< 2^63) and then
// checked against kMaxDevices, so every device or stage count that passes
// fits an int, and so does a placement's total. The readers (core/
// placement_io.h, profiler/database_io.h, workloads/trace_io.h) and
// VerifyGroups / VerifyPlacement (core/placement.h) reject a larger value
// with a message naming the bound.

#include <cstdint>

namespace multiplex {

// Devices (GPUs): of a cluster, of one group (dp x op x pp, so also any one
// degree), of a whole placement, and devices per node.
inline constexpr int kMaxDevices = 1 << 20;

// Pipeline stages (pp) of one parallel config: a profiling database holds
// pp values per stage array.
inline constexpr int kMaxStages = 1 << 16;

// Model instances of a placement; models a trace or a database names.
inline constexpr int kMaxModels = 1 << 20;

// Requests in one batch: a profiling database's batch sizes.
inline constexpr int kMaxBatchSize = 1 << 16;

// Requests of one workload, generated or replayed (a trace window): 5e8
// arrival times take 4 GB, before the simulator's per-request state. Checked
// on the expected count before anything is drawn or replayed.
inline constexpr int64_t kMaxRequests = 500'000'000;

// Phases of a placement schedule (core/placement_schedule.h): a year of
// one-minute windows is about 2^19.
inline constexpr int kMaxPhases = 1 << 20;

// Tokens of one request's prompt or output (traces, length distributions):
// 16 M, past any model's context window.
inline constexpr int kMaxRequestTokens = 1 << 24;

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_LIMITS_H_
