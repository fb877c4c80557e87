#ifndef MULTIPLEX_SIMULATORS_BATCHING_H_
#define MULTIPLEX_SIMULATORS_BATCHING_H_

// The `batching` simulator (docs/study.md §3.7): a queueing simulator with
// dynamic batching, registered as "batching:max_batch_size=B" (B in 1..16,
// default 1 = no batching).
//
//  - Each model has a FIFO queue. On arrival a request is assigned the group
//    hosting its model whose last stage frees earliest (ties: lowest index)
//    and is queued; if that group's first stage is idle, the group starts
//    serving at once. A model with no replica: the request is not good at
//    once (finish = arrival).
//  - Whenever a group's first stage becomes idle it serves, among the models
//    it hosts, the one whose queue head arrived earliest (ties: workload
//    order). At equal times a group's becoming idle comes before an arrival.
//  - Serving a model's queue at time t: while the head request could not
//    meet its deadline (finish - arrival <= slo) even if served alone now at
//    batch 1, it is dropped (not good, finish = its arrival); after drops
//    the group picks again (another model's head may now be the earliest).
//    Then the batch grows through the batch sizes 1, 2, 4, 8, 16 (up to
//    max_batch_size) while enough requests are queued (no padding) and the
//    head request's deadline still holds at that size. The batch runs as
//    one: s = t + fixed_overhead; for each stage k,
//    s = max(s, clock[k]) + latency_k(batch size) (latencies scaled by the
//    same pipeline stage factor as `fast`); clock[k] = s. Every request of
//    the batch finishes at s and is good (only the head's deadline is
//    checked: with per-request SLOs a later request's tighter deadline may
//    be exceeded). The group's first stage is next idle at clock[0].
//  - After the last arrival the queues are drained the same way.
//
// Results as `fast`'s (core/simulator.h): per request its group (-1 when
// dropped), start (the batch's first-stage start; arrival when dropped),
// finish and good flag; per group the requests served (good); one busy
// interval per batch and stage.
//
// Against `fast` at max_batch_size 1: fast adds the fixed overhead after the
// last stage and lets the first stage take the next request meanwhile;
// batching puts it before the first stage, which stays occupied. A lone
// request's latency is the same (overhead + stage latencies); the first
// stage's service time per request grows by the overhead. With one stage
// and one group per model the runs are identical to fast's with latency
// + overhead and zero overhead; with zero overhead and one group per model,
// identical to fast's (tested).

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/simulator.h"
#include "core/workload.h"

namespace multiplex {

constexpr int kMaxBatchingBatchSize = 16;

// Fails as Simulate does, and when `prepared` lacks a batch size the run
// may use (create it with PreparedPlacement::Create(..., max_batch_size)).
absl::StatusOr<SimulationResult> SimulateBatching(
    const PreparedPlacement& prepared, const Workload& workload,
    int max_batch_size, const SimulateOptions& options = SimulateOptions());

absl::Status SimulateBatchingLean(const PreparedPlacement& prepared,
                                  const Workload& workload, int max_batch_size,
                                  SimulatorScratch* scratch, LeanResult* out,
                                  double warmup_s = kDefaultWarmupS);
// As SimulateBatchingLean, counting the requests in `range`
// (core/simulator.h SimulateLeanInRange).
absl::Status SimulateBatchingLeanInRange(const PreparedPlacement& prepared,
                                         const Workload& workload,
                                         int max_batch_size,
                                         SimulatorScratch* scratch,
                                         LeanResult* out, TrimRange range);

}  // namespace multiplex

#endif  // MULTIPLEX_SIMULATORS_BATCHING_H_
