#include "profiler/interconnect.h"

#include <algorithm>

namespace multiplex {

double CollectiveBusBandwidth(const Interconnect& ic, int n) {
  for (const Interconnect::GroupBandwidth& g : ic.allreduce_group_bandwidth()) {
    if (g.group_size() == n) return g.bus_bandwidth();
  }
  return ic.allreduce_bus_bandwidth();
}

double AllReduceSeconds(const Interconnect& ic, double bytes, int n) {
  if (n <= 1) return 0;
  return ic.allreduce_latency_s() +
         2.0 * (n - 1) / n * bytes / CollectiveBusBandwidth(ic, n);
}

double AllToAllSeconds(const Interconnect& ic, double bytes, int n) {
  if (n <= 1) return 0;
  return ic.allreduce_latency_s() +
         static_cast<double>(n - 1) / n * bytes / CollectiveBusBandwidth(ic, n);
}

double AllGatherSeconds(const Interconnect& ic, double bytes, int n) {
  return AllToAllSeconds(ic, bytes, n);
}

double SendSeconds(const Interconnect& ic, double bytes, int op, int stage) {
  double bw = ic.p2p_bandwidth();
  // The boundary after `stage` crosses a node when the next stage's GPUs
  // start a new node.
  if (ic.gpus_per_node() > 0 && ((stage + 1) * op) % ic.gpus_per_node() == 0 &&
      ic.internode_bandwidth() > 0) {
    bw = std::min(bw, ic.internode_bandwidth());
  }
  return ic.p2p_latency_s() + bytes / bw;
}

}  // namespace multiplex
