// sr-replace-<interval> (Clockwork++, docs/study.md §5.8): selective
// replication re-planned over time windows of `interval` seconds. Two ways
// to plan (the `plan` parameter):
//
// hindsight (the default; the original artifact's definition, the one the
// paper's Clockwork++ ran): the training workload is cut where the original
// cuts it: a window starts at its first arrival and takes every arrival up to
// that arrival + interval; the next starts at the first arrival after. Window
// i is placed by sr-greedy's fill (one (1,1,1) group per GPU, §5.4) on
// window i's own requests, and is in force from just after its first
// arrival (the original serves that arrival with the previous placement).
//
// previous (the online variant): windows [k x interval, (k + 1) x interval);
// window k is placed on window k - 1's requests, window 0 on its own; a
// window after an empty one keeps the placement.
//
// Either way a placement equal to the one in force is no switch, so phases
// start only where the placement changes. Scoring defaults to the original's
// (finite_slo=original: untrimmed), since a window is short beside the 2 x
// 10 s warm-up trim.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/limits.h"
#include "core/placement_policy.h"
#include "core/placement_schedule.h"
#include "core/registry.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

constexpr int kMaxIntervalS = 10000000;  // 116 days

bool SamePlacement(const Placement& a, const Placement& b) {
  if (a.groups.size() != b.groups.size()) return false;
  for (size_t g = 0; g < a.groups.size(); ++g) {
    if (!(a.groups[g].config == b.groups[g].config) ||
        a.groups[g].models != b.groups[g].models) {
      return false;
    }
  }
  return true;
}

enum class Plan { kHindsight, kPrevious };

// The original's windows: each starts at an arrival and takes the arrivals up
// to that arrival + interval (inclusive); `starts` gets each window's first
// arrival. Arrivals in order.
std::vector<Workload> HindsightWindows(const Workload& w, double interval_s,
                                       std::vector<double>* starts) {
  std::vector<Workload> windows;
  double start_time = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    const double a = w.arrival_s[i];
    if (windows.empty() || a > start_time + interval_s) {
      windows.emplace_back();
      windows.back().model_names = w.model_names;
      starts->push_back(a);
      start_time = a;
    }
    windows.back().arrival_s.push_back(a);
    windows.back().model.push_back(w.model[i]);
    windows.back().slo_s.push_back(w.slo_s[i]);
  }
  return windows;
}

class SrReplace : public PlacementPolicy {
 public:
  SrReplace(int interval_s, Plan plan, SearchBudget budget)
      : interval_s_(interval_s), plan_(plan), budget_(budget) {}
  std::string Name() const override {
    return absl::StrCat("sr-replace-", interval_s_);
  }

  // The first phase: what serving one placement throughout would use.
  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::StatusOr<PlacementSchedule> s = PlaceSchedule(problem);
    if (!s.ok()) return s.status();
    return s->phases[0].placement;
  }

  absl::StatusOr<PlacementSchedule> PlaceSchedule(
      const PlacementProblem& problem) const override {
    const std::string name = Name();
    if (absl::Status ok = ValidateProblem(problem, name); !ok.ok()) return ok;
    if (problem.training_workload == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          name,
          ": re-planning needs a training workload (its windows' rates)"));
    }
    const Workload& w = *problem.training_workload;
    if (w.model.size() != w.size() || w.slo_s.size() != w.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name,
                       ": the training workload's columns differ in "
                       "length"));
    }
    for (size_t i = 1; i < w.size(); ++i) {
      if (!(w.arrival_s[i] >= w.arrival_s[i - 1])) {
        return absl::InvalidArgumentError(absl::StrCat(
            name,
            ": the training workload's arrivals are out of order at "
            "request ",
            i));
      }
    }
    const ParallelConfig single{1, 1, 1};
    auto fill = [&](const Workload& window) -> absl::StatusOr<Placement> {
      PlacementProblem sub = problem;
      sub.training_workload = &window;
      absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
          StartFillingPolicy(sub, name, single, budget_);
      if (!ev.ok()) return ev.status();
      return FillGroups(**ev, single, problem.cluster.num_devices, name);
    };
    PlacementSchedule schedule;
    auto append = [&](double start_s, Placement next) {
      if (!schedule.phases.empty() &&
          SamePlacement(next, schedule.phases.back().placement)) {
        return;
      }
      schedule.phases.push_back({start_s, std::move(next)});
    };
    if (plan_ == Plan::kHindsight) {
      std::vector<double> starts;
      std::vector<Workload> windows = HindsightWindows(w, interval_s_, &starts);
      if (windows.empty()) windows.emplace_back().model_names = w.model_names;
      if (windows.size() > static_cast<size_t>(kMaxPhases)) {
        return TooManyWindows(name, w, windows.size());
      }
      for (size_t i = 0; i < windows.size(); ++i) {
        absl::StatusOr<Placement> p = fill(windows[i]);
        if (!p.ok()) return p.status();
        // In force from just after the window's first arrival: the original
        // switches placements at the first arrival later than it.
        const double start =
            i == 0 ? 0.0
                   : std::max(std::nextafter(starts[i], HUGE_VAL),
                              std::nextafter(schedule.phases.back().start_s,
                                             HUGE_VAL));
        append(start, *std::move(p));
      }
      return schedule;
    }

    // Requests per window (arrivals before 0 count in window 0).
    const double last = w.empty() ? 0.0 : std::max(0.0, w.arrival_s.back());
    const double windows_f = std::floor(last / interval_s_) + 1;
    if (!(windows_f <= kMaxPhases)) return TooManyWindows(name, w, windows_f);
    const int num_windows = static_cast<int>(windows_f);
    std::vector<Workload> windows(num_windows);
    for (Workload& window : windows) window.model_names = w.model_names;
    for (size_t i = 0; i < w.size(); ++i) {
      const double a = w.arrival_s[i];
      int k = a > 0 ? static_cast<int>(std::floor(a / interval_s_)) : 0;
      k = std::min(k, num_windows - 1);
      windows[k].arrival_s.push_back(a);
      windows[k].model.push_back(w.model[i]);
      windows[k].slo_s.push_back(w.slo_s[i]);
    }
    absl::StatusOr<Placement> first = fill(windows[0]);
    if (!first.ok()) return first.status();
    append(0.0, *std::move(first));
    for (int k = 1; k < num_windows; ++k) {
      if (windows[k - 1].empty()) continue;
      absl::StatusOr<Placement> next = fill(windows[k - 1]);
      if (!next.ok()) return next.status();
      append(static_cast<double>(k) * interval_s_, *std::move(next));
    }
    return schedule;
  }

 private:
  absl::Status TooManyWindows(const std::string& name, const Workload& w,
                              double windows) const {
    const double last = w.empty() ? 0.0 : w.arrival_s.back();
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": the training workload spans ", last, " s, ", windows,
        " windows of ", interval_s_, " s, over the limit of ", kMaxPhases,
        " phases (kMaxPhases)"));
  }

  int interval_s_;
  Plan plan_;
  SearchBudget budget_;  // the default budget, with finite_slo
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {"sr-replace",
     R"(sr-replace-(\d+))",
     {PluginParam::Int("interval")
          .AtLeast(1)
          .AtMost(kMaxIntervalS)
          .Help("seconds a window spans; each window gets sr-greedy's "
                "placement on its own requests (plan=hindsight) or on the "
                "previous window's (plan=previous)"),
      PluginParam::String("plan")
          .Default("hindsight")
          .OneOf({"hindsight", "previous"})
          .Help("hindsight: the original artifact's Clockwork++, windows from "
                "each window's first arrival, each placed on its own "
                "requests; previous: fixed windows, each placed on the one "
                "before (online; docs/study.md 5.8)"),
      PluginParam::String("finite_slo")
          .Default("original")
          .OneOf({"trimmed", "original"})
          .Help("how each window's fill scores and orders: original "
                "(untrimmed, the artifact's) or trimmed (docs/study.md 5.1)")},
     "Clockwork++: sr-greedy re-planned per window of interval seconds; a "
     "placement schedule",
     "sr-replace-60",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       SearchBudget budget;
       budget.finite_slo = FiniteSloFromArgs(args);
       return std::make_unique<SrReplace>(
           static_cast<int>(args.GetInt("interval")),
           args.GetString("plan") == "previous" ? Plan::kPrevious
                                                : Plan::kHindsight,
           budget);
     }});

}  // namespace
}  // namespace multiplex
