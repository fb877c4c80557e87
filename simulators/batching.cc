// The `batching` simulator: per-model FIFO queues and dynamic batching
// (simulators/batching.h, docs/study.md §3.7).

#include "simulators/batching.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Number of batch sizes (1, 2, 4, ...) up to max_batch_size.
int NumBatchSizes(int max_batch_size) {
  int n = 0;
  for (int b = 1; b <= max_batch_size; b *= 2) ++n;
  return n;
}

absl::Status CheckBatchSize(const PreparedPlacement& p, int max_batch_size) {
  if (max_batch_size < 1 || max_batch_size > kMaxBatchingBatchSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_batch_size ", max_batch_size, " is not in [1, ",
                     kMaxBatchingBatchSize, "]"));
  }
  const int want = NumBatchSizes(max_batch_size);
  if (static_cast<int>(p.batch_sizes().size()) < want) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the prepared placement has batch sizes up to ", p.batch_sizes().back(),
        ", the batching simulator needs ", 1 << (want - 1),
        " (PreparedPlacement::Create with max_batch_size)"));
  }
  return absl::OkStatus();
}

// The index of the smallest of v[0..n) (ties: the lowest), n >= 1. Not
// inlined: inside the run loop the running minimum went through the stack,
// a store-to-load chain per element.
__attribute__((noinline)) int ArgMin(const double* v, int n) {
  double best = v[0];
  int best_i = 0;
  for (int i = 1; i < n; ++i) {
    // Selects, not branches: which group is next is unpredictable.
    const bool less = v[i] < best;
    best = less ? v[i] : best;
    best_i = less ? i : best_i;
  }
  return best_i;
}

// The queues and the group lists of one run, carved from the scratch's
// auxiliary buffers.
struct State {
  int32_t* order;        // request indices grouped by model, arrival order
  int32_t* head;         // per model: queue head position in order
  int32_t* tail;         // per model: one past the last queued position
  int32_t* group_begin;  // per group: range into group_model / group_rep
  int32_t* group_model;  // workload models a group hosts, increasing
  int32_t* group_rep;    // their replica indices
  double* next_event;    // per group: when its first stage is next idle and
                         // it picks again; +inf when waiting for an arrival
};

absl::Status Setup(const PreparedPlacement& p, const Workload& w,
                   SimulatorScratch* s, State* st) {
  RETURN_IF_ERROR(CheckWorkload(w));
  RETURN_IF_ERROR(Route(p, w, s));
  const size_t n = w.size();
  const int wm = w.num_models();
  const int ng = p.num_groups();
  int32_t num_reps = 0;
  for (int m = 0; m < wm; ++m) num_reps += s->route_end[m] - s->route_begin[m];
  const size_t ints = n + 3 * static_cast<size_t>(wm) + 1 + (ng + 1) +
                      2 * static_cast<size_t>(num_reps);
  s->aux_int.resize(ints);
  s->aux_double.resize(ng);
  int32_t* base = s->aux_int.data();
  st->order = base;
  int32_t* qbegin = base + n;  // wm + 1
  st->head = qbegin + wm + 1;
  st->tail = st->head + wm;
  st->group_begin = st->tail + wm;
  st->group_model = st->group_begin + ng + 1;
  st->group_rep = st->group_model + num_reps;
  st->next_event = s->aux_double.data();

  // Counting sort of the requests by model.
  std::fill(qbegin, qbegin + wm + 1, 0);
  const int32_t* model = w.model.data();
  for (size_t i = 0; i < n; ++i) {
    const int32_t m = model[i];
    if (static_cast<uint32_t>(m) >= static_cast<uint32_t>(wm)) {
      return absl::InvalidArgumentError(
          absl::StrCat("workload request ", i, " has model index ", m,
                       " out of range [0, ", wm, ")"));
    }
    ++qbegin[m + 1];
  }
  for (int m = 0; m < wm; ++m) qbegin[m + 1] += qbegin[m];
  for (int m = 0; m < wm; ++m) st->head[m] = st->tail[m] = qbegin[m];
  for (size_t i = 0; i < n; ++i) {
    st->order[st->tail[model[i]]++] = static_cast<int32_t>(i);
  }
  for (int m = 0; m < wm; ++m) st->tail[m] = qbegin[m];

  // Per group, the workload models it hosts (increasing model index).
  std::fill(st->group_begin, st->group_begin + ng + 1, 0);
  const auto& reps = p.replicas();
  for (int m = 0; m < wm; ++m) {
    for (int32_t r = s->route_begin[m]; r < s->route_end[m]; ++r) {
      ++st->group_begin[reps[r].group + 1];
    }
  }
  for (int g = 0; g < ng; ++g) st->group_begin[g + 1] += st->group_begin[g];
  std::vector<int32_t> fill(st->group_begin, st->group_begin + ng);
  for (int m = 0; m < wm; ++m) {
    for (int32_t r = s->route_begin[m]; r < s->route_end[m]; ++r) {
      const int32_t at = fill[reps[r].group]++;
      st->group_model[at] = m;
      st->group_rep[at] = r;
    }
  }
  std::fill(st->next_event, st->next_event + ng, kInf);
  return absl::OkStatus();
}

template <bool kFull>
absl::Status Run(const PreparedPlacement& p, const Workload& w,
                 int max_batch_size, SimulatorScratch* s,
                 SimulationResult* full, bool record_busy, LeanResult* lean,
                 TrimRange range) {
  State st;
  RETURN_IF_ERROR(Setup(p, w, s, &st));
  const size_t n = w.size();
  const int ng = p.num_groups();
  const int nb = NumBatchSizes(max_batch_size);
  const int* const sizes = p.batch_sizes().data();
  const double overhead = p.constants().fixed_overhead_s;
  const PreparedPlacement::Replica* const replicas = p.replicas().data();
  const double* lat_by_batch[5];
  for (int b = 0; b < nb; ++b) lat_by_batch[b] = p.batch_latency(b);
  double* const clock = s->clock.data();
  const int32_t* const route_begin = s->route_begin.data();
  const int32_t* const route_end = s->route_end.data();
  const double* const arrival = w.arrival_s.data();
  const int32_t* const model = w.model.data();
  const double* const slo = w.slo_s.data();
  int32_t* const order = st.order;
  int32_t* const head = st.head;
  int32_t* const tail = st.tail;
  const int32_t* const group_begin = st.group_begin;
  const int32_t* const group_model = st.group_model;
  const int32_t* const group_rep = st.group_rep;
  double* const next_event = st.next_event;

  int64_t* served = nullptr;
  int64_t* rejected = nullptr;  // per group; lean only
  int64_t* lean_requests = nullptr;
  int64_t* lean_good = nullptr;
  double* lean_latency = nullptr;
  int32_t* out_group = nullptr;
  double* out_start = nullptr;
  double* out_finish = nullptr;
  uint8_t* out_good = nullptr;
  std::vector<std::vector<Interval>*> busy;  // per stage clock index
  if constexpr (kFull) {
    served = full->group_served.data();
    // Null when not recorded (SimulateOptions::record_group_and_start).
    out_group = full->group.empty() ? nullptr : full->group.data();
    out_start = full->start_s.empty() ? nullptr : full->start_s.data();
    out_finish = full->finish_s.data();
    out_good = full->good.data();
    if (record_busy) {
      for (auto& group : full->busy) {
        for (auto& stage : group) busy.push_back(&stage);
      }
    }
  } else {
    served = lean->group_served.data();
    // Drops per group (the group whose pick dropped the request from its
    // model's queue); the caller adds the accepted ones.
    rejected = lean->group_routed.data();
    lean_requests = lean->requests.data();
    lean_good = lean->good.data();
    lean_latency = lean->good_latency_sum_s.data();
  }
  const size_t range_begin = range.begin;
  const size_t range_len = range.end - range.begin;

  // A request that will not be served.
  auto drop = [&](int32_t i) {
    if constexpr (kFull) {
      if (out_group != nullptr) out_group[i] = -1;
      if (out_start != nullptr) out_start[i] = arrival[i];
      out_finish[i] = arrival[i];
      out_good[i] = 0;
    } else {
      if (static_cast<size_t>(i) - range_begin < range_len) {
        ++lean_requests[model[i]];
      }
    }
  };

  // Group g's first stage is idle at t: serve a batch or wait.
  auto serve = [&](int g, double t) __attribute__((always_inline)) {
    const int32_t jb = group_begin[g];
    const int32_t je = group_begin[g + 1];
    while (true) {
      // The hosted model whose queue head arrived first.
      int32_t best_j = -1;
      int32_t best_req = std::numeric_limits<int32_t>::max();
      for (int32_t j = jb; j < je; ++j) {
        const int32_t m = group_model[j];
        if (head[m] < tail[m] && order[head[m]] < best_req) {
          best_req = order[head[m]];
          best_j = j;
        }
      }
      if (best_j < 0) {
        next_event[g] = kInf;
        return;
      }
      const int32_t m = group_model[best_j];
      const PreparedPlacement::Replica& rep = replicas[group_rep[best_j]];
      double* const gc = clock + rep.clock_offset;
      const int pp = rep.pp;
      // Drop the heads that cannot make it even alone at batch 1.
      const double* lat = lat_by_batch[0] + rep.latency_offset;
      double finish = 0.0;
      int32_t h = head[m];
      const int32_t tl = tail[m];
      for (; h < tl; ++h) {
        const int32_t i = order[h];
        double f = t + overhead;
        for (int k = 0; k < pp; ++k) f = std::max(f, gc[k]) + lat[k];
        if (f - arrival[i] <= slo[i]) {
          finish = f;
          break;
        }
        if constexpr (!kFull) ++rejected[rep.group];
        drop(i);
      }
      if (h != head[m]) {
        // Dropped some: another model's head may now be the earliest.
        head[m] = h;
        continue;
      }
      // Grow the batch while enough requests wait and the head's deadline
      // holds.
      const int32_t first = order[h];
      int b = 0;
      while (b + 1 < nb && tl - h >= sizes[b + 1]) {
        const double* lb = lat_by_batch[b + 1] + rep.latency_offset;
        double f = t + overhead;
        for (int k = 0; k < pp; ++k) f = std::max(f, gc[k]) + lb[k];
        if (!(f - arrival[first] <= slo[first])) break;
        ++b;
        finish = f;
        lat = lb;
      }
      // Run it.
      double start0 = 0.0;
      {
        double x = t + overhead;
        for (int k = 0; k < pp; ++k) {
          const double begin = std::max(x, gc[k]);
          if (k == 0) start0 = begin;
          x = begin + lat[k];
          if constexpr (kFull) {
            if (!busy.empty()) {
              busy[rep.clock_offset + k]->push_back({begin, x});
            }
          }
          gc[k] = x;
        }
      }
      const int32_t count = sizes[b];
      for (int32_t q = h; q < h + count; ++q) {
        const int32_t i = order[q];
        if constexpr (kFull) {
          if (out_group != nullptr) out_group[i] = rep.group;
          if (out_start != nullptr) out_start[i] = start0;
          out_finish[i] = finish;
          out_good[i] = 1;
        } else {
          if (static_cast<size_t>(i) - range_begin < range_len) {
            ++lean_requests[m];
            ++lean_good[m];
            lean_latency[m] += finish - arrival[i];
          }
        }
      }
      head[m] = h + count;
      served[rep.group] += count;
      next_event[g] = gc[0];
      return;
    }
  };

  // The group whose idle event comes next (ties: lowest index).
  int next_g = 0;
  double next_min = kInf;
  auto find_next = [&] {
    next_g = ArgMin(next_event, ng);
    next_min = next_event[next_g];
  };
  // A schedule's later phase: a group whose devices are still busy with the
  // previous phase first picks when its first stage frees.
  if (!s->start_clock.empty() && ng > 0) {
    for (int g = 0; g < ng; ++g) {
      const double c = clock[p.group_clock_offset()[g]];
      if (c > -kInf) next_event[g] = c;
    }
    find_next();
  }

  for (size_t i = 0; i < n; ++i) {
    const double a = arrival[i];
    while (next_min <= a) {
      serve(next_g, next_min);
      find_next();
    }
    const int32_t m = model[i];
    const int32_t rb = route_begin[m];
    const int32_t re = route_end[m];
    ++tail[m];  // order[tail[m] - 1] == i
    if (rb == re) {
      drop(static_cast<int32_t>(i));
      ++head[m];
      continue;
    }
    // The replica whose last stage frees first; ties: lowest group.
    const PreparedPlacement::Replica* best = &replicas[rb];
    double best_clock = clock[best->clock_offset + best->pp - 1];
    for (int32_t r = rb + 1; r < re; ++r) {
      const PreparedPlacement::Replica* c = &replicas[r];
      const double cc = clock[c->clock_offset + c->pp - 1];
      if (cc < best_clock) {
        best_clock = cc;
        best = c;
      }
    }
    const int g = best->group;
    if (next_event[g] == kInf) {
      serve(g, a);
      const double e = next_event[g];
      if (e < next_min || (e == next_min && g < next_g)) {
        next_min = e;
        next_g = g;
      }
    }
  }
  while (next_min < kInf) {
    serve(next_g, next_min);
    find_next();
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SimulationResult> SimulateBatching(
    const PreparedPlacement& prepared, const Workload& workload,
    int max_batch_size, const SimulateOptions& options) {
  RETURN_IF_ERROR(CheckBatchSize(prepared, max_batch_size));
  const size_t n = workload.size();
  SimulationResult result;
  result.constants = prepared.constants();
  result.group_config = prepared.group_configs();
  if (options.record_group_and_start) {
    result.group.resize(n);
    result.start_s.resize(n);
  }
  result.finish_s.resize(n);
  result.good.resize(n);
  result.group_served.assign(prepared.num_groups(), 0);
  if (options.record_busy_intervals) {
    result.busy.resize(prepared.num_groups());
    for (int g = 0; g < prepared.num_groups(); ++g) {
      result.busy[g].resize(prepared.group_configs()[g].pp);
    }
  }
  SimulatorScratch scratch;
  if (options.start_clock != nullptr)
    scratch.start_clock = *options.start_clock;
  RETURN_IF_ERROR(Run<true>(prepared, workload, max_batch_size, &scratch,
                            &result, options.record_busy_intervals, nullptr,
                            TrimRange{}));
  if (options.end_clock != nullptr) *options.end_clock = scratch.clock;
  return result;
}

absl::Status SimulateBatchingLean(const PreparedPlacement& prepared,
                                  const Workload& workload, int max_batch_size,
                                  SimulatorScratch* scratch, LeanResult* out,
                                  double warmup_s) {
  return SimulateBatchingLeanInRange(prepared, workload, max_batch_size,
                                     scratch, out,
                                     WarmupTrim(workload.arrival_s, warmup_s));
}

absl::Status SimulateBatchingLeanInRange(const PreparedPlacement& prepared,
                                         const Workload& workload,
                                         int max_batch_size,
                                         SimulatorScratch* scratch,
                                         LeanResult* out, TrimRange range) {
  RETURN_IF_ERROR(CheckBatchSize(prepared, max_batch_size));
  const int wm = workload.num_models();
  out->requests.assign(wm, 0);
  out->good.assign(wm, 0);
  out->good_latency_sum_s.assign(wm, 0.0);
  out->group_served.assign(prepared.num_groups(), 0);
  out->group_routed.assign(prepared.num_groups(), 0);
  range.end = std::min(range.end, workload.size());
  range.begin = std::min(range.begin, range.end);
  out->range = range;
  RETURN_IF_ERROR(Run<false>(prepared, workload, max_batch_size, scratch,
                             nullptr, false, out, out->range));
  // group_routed holds the drops so far.
  for (int g = 0; g < prepared.num_groups(); ++g) {
    out->group_routed[g] += out->group_served[g];
  }
  return absl::OkStatus();
}

namespace {

class BatchingSimulator : public Simulator {
 public:
  explicit BatchingSimulator(int max_batch_size)
      : max_batch_size_(max_batch_size) {}

  std::string Name() const override {
    return absl::StrCat("batching(max_batch_size=", max_batch_size_, ")");
  }
  int MaxBatchSize() const override { return max_batch_size_; }
  absl::StatusOr<SimulationResult> Simulate(
      const PreparedPlacement& prepared, const Workload& workload,
      const SimulateOptions& options) const override {
    return SimulateBatching(prepared, workload, max_batch_size_, options);
  }
  absl::Status SimulateLeanInRange(const PreparedPlacement& prepared,
                                   const Workload& workload,
                                   SimulatorScratch* scratch, LeanResult* out,
                                   TrimRange range) const override {
    return SimulateBatchingLeanInRange(prepared, workload, max_batch_size_,
                                       scratch, out, range);
  }

 private:
  int max_batch_size_;
};

const bool kRegistered = RegisterPlugin<Simulator>(
    {/*name=*/"batching",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Int("max_batch_size")
          .AtLeast(1)
          .AtMost(kMaxBatchingBatchSize)
          .Default("1")
          .Help("largest batch (1, 2, 4, 8, 16 used up to it); 1: none")},
     /*help=*/
     "per-model FIFO queues, dynamic batching up to max_batch_size, heads "
     "that cannot meet their deadline dropped",
     /*example=*/"batching:max_batch_size=8",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<Simulator>> {
       return std::unique_ptr<Simulator>(new BatchingSimulator(
           static_cast<int>(args.GetInt("max_batch_size"))));
     }});

}  // namespace
}  // namespace multiplex
