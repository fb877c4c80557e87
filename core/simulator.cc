#include "core/simulator.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace multiplex {

TrimRange WarmupTrim(const std::vector<double>& arrival_s, double warmup_s) {
  const size_t n = arrival_s.size();
  TrimRange r{0, n, 0};
  if (n < 2) return r;
  const double span = arrival_s.back() - arrival_s.front();
  if (!(span > 0.0) || !(warmup_s > 0.0)) return r;
  // As the original: int(warmup / span * N).
  const double x = warmup_s / span * static_cast<double>(n);
  size_t skip = x >= static_cast<double>(n) ? n : static_cast<size_t>(x);
  r.skip = skip;
  if (2 * skip >= n) {
    r.begin = r.end = n / 2;
  } else {
    r.begin = skip;
    r.end = n - skip;
  }
  return r;
}

absl::StatusOr<PreparedPlacement> PreparedPlacement::FromBatchLatencies(
    const Placement& placement, std::vector<std::string> model_names,
    const std::vector<int>& batch_sizes,
    const std::vector<std::vector<std::vector<std::vector<double>>>>&
        batch_stage_latency_s,
    const ServingConstants& constants) {
  if (batch_sizes.empty() ||
      batch_sizes.size() != batch_stage_latency_s.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(batch_sizes.size(), " batch sizes with latencies for ",
                     batch_stage_latency_s.size()));
  }
  for (size_t b = 0; b < batch_sizes.size(); ++b) {
    if (batch_sizes[b] != (1 << b)) {
      return absl::InvalidArgumentError(
          absl::StrCat("batch size ", b, " is ", batch_sizes[b], ", want ",
                       1 << b, " (powers of two from 1)"));
    }
  }
  ASSIGN_OR_RETURN(PreparedPlacement p,
                   FromLatencies(placement, std::move(model_names),
                                 batch_stage_latency_s[0], constants));
  p.batch_sizes_ = batch_sizes;
  for (size_t b = 1; b < batch_sizes.size(); ++b) {
    ASSIGN_OR_RETURN(const PreparedPlacement q,
                     FromLatencies(placement, p.model_names_,
                                   batch_stage_latency_s[b], constants));
    p.batch_latency_.insert(p.batch_latency_.end(), q.latency_.begin(),
                            q.latency_.end());
  }
  return p;
}

absl::StatusOr<PreparedPlacement> PreparedPlacement::FromLatencies(
    const Placement& placement, std::vector<std::string> model_names,
    const std::vector<std::vector<std::vector<double>>>& stage_latency_s,
    const ServingConstants& constants) {
  RETURN_IF_ERROR(VerifyGroups(placement, model_names));
  const int num_models = static_cast<int>(model_names.size());
  if (stage_latency_s.size() != placement.groups.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("stage latencies for ", stage_latency_s.size(),
                     " groups, the placement has ", placement.groups.size()));
  }
  PreparedPlacement p;
  p.constants_ = constants;
  p.model_names_ = std::move(model_names);
  const int num_groups = static_cast<int>(placement.groups.size());
  p.configs_.reserve(num_groups);
  p.group_clock_offset_.reserve(num_groups + 1);
  // Count replicas per model for the CSR layout.
  std::vector<int32_t> count(num_models + 1, 0);
  for (const Group& group : placement.groups) {
    for (int m : group.models) ++count[m + 1];
  }
  p.replica_begin_.assign(num_models + 1, 0);
  for (int m = 0; m < num_models; ++m) {
    p.replica_begin_[m + 1] = p.replica_begin_[m] + count[m + 1];
  }
  p.replicas_.resize(p.replica_begin_[num_models]);
  std::vector<int32_t> fill(p.replica_begin_.begin(), p.replica_begin_.end());
  int32_t clock = 0;
  for (int g = 0; g < num_groups; ++g) {
    const Group& group = placement.groups[g];
    const int pp = group.config.pp;
    const double factor = constants.StageFactor(pp);
    p.configs_.push_back(group.config);
    p.group_clock_offset_.push_back(clock);
    if (stage_latency_s[g].size() != group.models.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "group ", g, ": stage latencies for ", stage_latency_s[g].size(),
          " models, it hosts ", group.models.size()));
    }
    for (size_t j = 0; j < group.models.size(); ++j) {
      const int m = group.models[j];
      const std::vector<double>& lat = stage_latency_s[g][j];
      if (static_cast<int>(lat.size()) != pp) {
        return absl::InvalidArgumentError(
            absl::StrCat("group ", g, " ", group.config.ToString(), ": model ",
                         p.model_names_[m], " has ", lat.size(),
                         " stage latencies, want ", pp));
      }
      Replica r;
      r.group = g;
      r.clock_offset = clock;
      r.pp = pp;
      r.latency_offset = static_cast<int32_t>(p.latency_.size());
      for (double l : lat) {
        if (!(l >= 0.0) || !std::isfinite(l)) {
          return absl::InvalidArgumentError(
              absl::StrCat("group ", g, ": model ", p.model_names_[m],
                           " has a stage latency of ", l));
        }
        p.latency_.push_back(l * factor);
      }
      p.replicas_[fill[m]++] = r;  // groups visited in increasing order
    }
    clock += pp;
    p.max_pp_ = std::max(p.max_pp_, pp);
  }
  p.group_clock_offset_.push_back(clock);
  p.total_stages_ = clock;
  return p;
}

absl::StatusOr<PreparedPlacement> PreparedPlacement::Create(
    const Placement& placement, const std::vector<ModelSpec>& models,
    const CostModel& cost_model, const ServingConstants& constants,
    int max_batch_size) {
  std::vector<std::string> names = ModelNames(models);
  RETURN_IF_ERROR(VerifyGroups(placement, names));
  if (max_batch_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_batch_size ", max_batch_size, " < 1"));
  }
  std::vector<int> batch_sizes;
  for (int b = 1; b <= max_batch_size; b *= 2) batch_sizes.push_back(b);
  std::vector<std::vector<std::vector<std::vector<double>>>> lat(
      batch_sizes.size(),
      std::vector<std::vector<std::vector<double>>>(placement.groups.size()));
  for (size_t b = 0; b < batch_sizes.size(); ++b) {
    for (size_t g = 0; g < placement.groups.size(); ++g) {
      const Group& group = placement.groups[g];
      for (int m : group.models) {
        absl::StatusOr<StageCosts> costs =
            cost_model.Stages(models[m].type, group.config, batch_sizes[b]);
        if (!costs.ok()) {
          return absl::Status(
              costs.status().code(),
              absl::StrCat(
                  "group ", g, " ", group.config.ToString(), ": model ",
                  models[m].name, " (", models[m].type, ")",
                  b == 0 ? "" : absl::StrCat(" batch size ", batch_sizes[b]),
                  ": ", costs.status().message()));
        }
        lat[b][g].push_back(costs->latency_s);
      }
    }
  }
  if (batch_sizes.size() == 1) {
    return FromLatencies(placement, std::move(names), lat[0], constants);
  }
  return FromBatchLatencies(placement, std::move(names), batch_sizes, lat,
                            constants);
}

std::vector<double> PreparedPlacement::StageLatencies(int group,
                                                      int model) const {
  if (model < 0 || model >= num_models()) return {};
  for (int r = replica_begin_[model]; r < replica_begin_[model + 1]; ++r) {
    const Replica& rep = replicas_[r];
    if (rep.group == group) {
      return std::vector<double>(
          latency_.begin() + rep.latency_offset,
          latency_.begin() + rep.latency_offset + rep.pp);
    }
  }
  return {};
}

int64_t LeanResult::TotalRequests() const {
  int64_t n = 0;
  for (int64_t x : requests) n += x;
  return n;
}

int64_t LeanResult::TotalGood() const {
  int64_t n = 0;
  for (int64_t x : good) n += x;
  return n;
}

double LeanResult::Goodput() const {
  const int64_t n = TotalRequests();
  return n == 0 ? 0.0 : static_cast<double>(TotalGood()) / n;
}

double LeanResult::MeanGoodLatency() const {
  const int64_t n = TotalGood();
  if (n == 0) return 0.0;
  double sum = 0.0;
  for (double x : good_latency_sum_s) sum += x;
  return sum / n;
}

// Maps the workload's models to replica ranges of the prepared placement.
absl::Status Route(const PreparedPlacement& p, const Workload& w,
                   SimulatorScratch* s) {
  const int wm = w.num_models();
  s->route_begin.resize(wm);
  s->route_end.resize(wm);
  s->to_prepared.resize(wm);
  const std::vector<std::string>& names = p.model_names();
  const bool same = names == w.model_names;
  absl::flat_hash_map<std::string, int> index;
  if (!same) {
    for (int m = 0; m < p.num_models(); ++m) index.emplace(names[m], m);
  }
  for (int m = 0; m < wm; ++m) {
    int pm = m;
    if (!same) {
      auto it = index.find(w.model_names[m]);
      if (it == index.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("workload model '", w.model_names[m],
                         "' is not a model instance of the placement"));
      }
      pm = it->second;
    }
    s->to_prepared[m] = pm;
    s->route_begin[m] = p.replica_begin()[pm];
    s->route_end[m] = p.replica_begin()[pm + 1];
  }
  // Every stage is free from the start of time: t = max(arrival, clock)
  // then equals the arrival for the first request (as with the original's
  // zero clocks and non-negative arrivals).
  if (s->start_clock.empty()) {
    s->clock.assign(p.total_stages(), -std::numeric_limits<double>::infinity());
  } else if (static_cast<int>(s->start_clock.size()) != p.total_stages()) {
    return absl::InvalidArgumentError(
        absl::StrCat(s->start_clock.size(), " start clocks for ",
                     p.total_stages(), " stages"));
  } else {
    s->clock = s->start_clock;
  }
  s->stage_end.assign(std::max(p.max_pp(), 1), 0.0);
  s->stage_start.assign(std::max(p.max_pp(), 1), 0.0);
  return absl::OkStatus();
}

absl::Status CheckWorkload(const Workload& w) {
  const size_t n = w.arrival_s.size();
  if (w.model.size() != n || w.slo_s.size() != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("workload columns differ in length: arrival_s ", n,
                     ", model ", w.model.size(), ", slo_s ", w.slo_s.size()));
  }
  return absl::OkStatus();
}

namespace {

// The run loop. kFull records per-request outcomes (and, with `busy`, the
// stage intervals); otherwise only the lean counters.
template <bool kFull>
absl::Status Run(const PreparedPlacement& p, const Workload& w,
                 SimulatorScratch* s, SimulationResult* full, bool record_busy,
                 LeanResult* lean, TrimRange range) {
  const size_t n = w.size();
  const int wm = w.num_models();
  const double overhead = p.constants().fixed_overhead_s;
  const PreparedPlacement::Replica* const replicas = p.replicas().data();
  const double* const latency = p.latency().data();
  double* const clock = s->clock.data();
  double* const stage_end = s->stage_end.data();
  double* const stage_start = s->stage_start.data();
  const int32_t* const route_begin = s->route_begin.data();
  const int32_t* const route_end = s->route_end.data();
  const double* const arrival = w.arrival_s.data();
  const int32_t* const model = w.model.data();
  const double* const slo = w.slo_s.data();

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
    // Rejections per group; the caller adds the accepted ones. Counted on
    // the reject path only, so the accepted path costs nothing more.
    rejected = lean->group_routed.data();
    lean_requests = lean->requests.data();
    lean_good = lean->good.data();
    lean_latency = lean->good_latency_sum_s.data();
  }
  const size_t range_begin = range.begin;
  const size_t range_len = range.end - range.begin;

  for (size_t i = 0; i < n; ++i) {
    const int32_t m = model[i];
    if (static_cast<uint32_t>(m) >= static_cast<uint32_t>(wm)) {
      return absl::InvalidArgumentError(
          absl::StrCat("workload request ", i, " has model index ", m,
                       " out of range [0, ", wm, ")"));
    }
    const double a = arrival[i];
    const int32_t rb = route_begin[m];
    const int32_t re = route_end[m];
    bool accepted = false;
    double finish = a;
    if (rb < re) {
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
      double* const gc = clock + best->clock_offset;
      const double* const lat = latency + best->latency_offset;
      const int pp = best->pp;
      double t = a;
      for (int k = 0; k < pp; ++k) {
        const double begin = std::max(t, gc[k]);
        if constexpr (kFull) stage_start[k] = begin;
        t = begin + lat[k];
        stage_end[k] = t;
      }
      finish = t + overhead;
      // The original's form (docs/study.md §3.4): finish - arrival <= slo,
      // not finish <= arrival + slo, which rounds differently.
      if (finish - a <= slo[i]) {
        accepted = true;
        if constexpr (kFull) {
          if (out_start != nullptr) out_start[i] = stage_start[0];
          if (!busy.empty()) {
            for (int k = 0; k < pp; ++k) {
              busy[best->clock_offset + k]->push_back(
                  {stage_start[k], stage_end[k]});
            }
          }
          if (out_group != nullptr) out_group[i] = best->group;
        }
        for (int k = 0; k < pp; ++k) gc[k] = stage_end[k];
        ++served[best->group];
      } else {
        if constexpr (!kFull) ++rejected[best->group];
      }
    }
    if constexpr (kFull) {
      if (accepted) {
        out_finish[i] = finish;
        out_good[i] = 1;
      } else {
        if (out_group != nullptr) out_group[i] = -1;
        if (out_start != nullptr) out_start[i] = a;
        out_finish[i] = a;
        out_good[i] = 0;
      }
    } else {
      if (i - range_begin < range_len) {
        ++lean_requests[m];
        if (accepted) {
          ++lean_good[m];
          lean_latency[m] += finish - a;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SimulationResult> Simulate(const PreparedPlacement& prepared,
                                          const Workload& workload,
                                          const SimulateOptions& options) {
  RETURN_IF_ERROR(CheckWorkload(workload));
  SimulatorScratch scratch;
  if (options.start_clock != nullptr)
    scratch.start_clock = *options.start_clock;
  RETURN_IF_ERROR(Route(prepared, workload, &scratch));
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
    // Reserve each stage for every request of the models its group hosts
    // (exact without replicas) so the loop does not reallocate.
    std::vector<int64_t> per_model(prepared.num_models(), 0);
    for (int32_t m : workload.model) {
      if (m >= 0 && m < workload.num_models()) {
        ++per_model[scratch.to_prepared[m]];
      }
    }
    std::vector<int64_t> per_group(prepared.num_groups(), 0);
    const auto& reps = prepared.replicas();
    for (int m = 0; m < prepared.num_models(); ++m) {
      for (int r = prepared.replica_begin()[m];
           r < prepared.replica_begin()[m + 1]; ++r) {
        per_group[reps[r].group] += per_model[m];
      }
    }
    result.busy.resize(prepared.num_groups());
    for (int g = 0; g < prepared.num_groups(); ++g) {
      result.busy[g].resize(prepared.group_configs()[g].pp);
      const size_t reserve =
          static_cast<size_t>(std::min<int64_t>(per_group[g], n));
      for (auto& stage : result.busy[g]) stage.reserve(reserve);
    }
  }
  RETURN_IF_ERROR(Run<true>(prepared, workload, &scratch, &result,
                            options.record_busy_intervals, nullptr,
                            TrimRange{}));
  if (options.end_clock != nullptr) *options.end_clock = scratch.clock;
  return result;
}

absl::Status SimulateLean(const PreparedPlacement& prepared,
                          const Workload& workload, SimulatorScratch* scratch,
                          LeanResult* out, double warmup_s) {
  return SimulateLeanInRange(prepared, workload, scratch, out,
                             WarmupTrim(workload.arrival_s, warmup_s));
}

absl::Status SimulateLeanInRange(const PreparedPlacement& prepared,
                                 const Workload& workload,
                                 SimulatorScratch* scratch, LeanResult* out,
                                 TrimRange range) {
  RETURN_IF_ERROR(CheckWorkload(workload));
  RETURN_IF_ERROR(Route(prepared, workload, scratch));
  const int wm = workload.num_models();
  out->requests.assign(wm, 0);
  out->good.assign(wm, 0);
  out->good_latency_sum_s.assign(wm, 0.0);
  out->group_served.assign(prepared.num_groups(), 0);
  out->group_routed.assign(prepared.num_groups(), 0);
  range.end = std::min(range.end, workload.size());
  range.begin = std::min(range.begin, range.end);
  out->range = range;
  RETURN_IF_ERROR(
      Run<false>(prepared, workload, scratch, nullptr, false, out, out->range));
  // group_routed holds the rejections so far.
  for (int g = 0; g < prepared.num_groups(); ++g) {
    out->group_routed[g] += out->group_served[g];
  }
  return absl::OkStatus();
}

}  // namespace multiplex
