#ifndef MULTIPLEX_PROFILER_INTERCONNECT_H_
#define MULTIPLEX_PROFILER_INTERCONNECT_H_

// The communication model of a hardware description, shared by the
// analytical cost model and the CUDA profiler (communication cannot be
// measured on one GPU).

#include "profiler/hardware_desc.pb.h"

namespace multiplex {

// The bus bandwidth of a collective over n GPUs: the group's own
// (allreduce_group_bandwidth) where the description gives one, else
// allreduce_bus_bandwidth.
double CollectiveBusBandwidth(const Interconnect& ic, int n);

// A ring all-reduce of `bytes` over n GPUs: latency + 2 (n-1)/n bytes / bus
// bandwidth of the group; 0 for n <= 1.
double AllReduceSeconds(const Interconnect& ic, double bytes, int n);

// Expert parallelism's collectives over n GPUs, on the all-reduce's
// calibrated constants (no all-to-all was measured; on one NVLink node both
// are bound by the same links): latency + (n-1)/n x bytes / bus bandwidth,
// 0 for n <= 1. `bytes` is what one GPU holds: its send buffer for an
// all-to-all, the gathered result for an all-gather.
double AllToAllSeconds(const Interconnect& ic, double bytes, int n);
double AllGatherSeconds(const Interconnect& ic, double bytes, int n);

// Sending `bytes` from pipeline stage `stage` to the next, with groups of
// `op` GPUs per stage: point-to-point latency + bytes / bandwidth, the
// inter-node bandwidth when the next stage starts a new node.
double SendSeconds(const Interconnect& ic, double bytes, int op, int stage);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_INTERCONNECT_H_
