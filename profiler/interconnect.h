#ifndef MULTIPLEX_PROFILER_INTERCONNECT_H_
#define MULTIPLEX_PROFILER_INTERCONNECT_H_

// The communication model of a hardware description, shared by the
// analytical cost model and the CUDA profiler (communication cannot be
// measured on one GPU).

#include "profiler/hardware_desc.pb.h"

namespace multiplex {

// A ring all-reduce of `bytes` over n GPUs: latency + 2 (n-1)/n bytes / bus
// bandwidth; 0 for n <= 1.
double AllReduceSeconds(const Interconnect& ic, double bytes, int n);

// Sending `bytes` from pipeline stage `stage` to the next, with groups of
// `op` GPUs per stage: point-to-point latency + bytes / bandwidth, the
// inter-node bandwidth when the next stage starts a new node.
double SendSeconds(const Interconnect& ic, double bytes, int op, int stage);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_INTERCONNECT_H_
