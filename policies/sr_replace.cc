// sr-replace-<interval> (Clockwork++, docs/study.md §5.8): selective
// replication re-planned every `interval` seconds. The training workload's
// timeline is cut into windows [k x interval, (k + 1) x interval); the
// placement in force in window k is sr-greedy's fill (one (1,1,1) group per
// GPU, docs/study.md §5.4) on the requests of window k - 1, and window 0's on
// its own requests (there is no earlier one). A window after an empty one
// keeps the placement, and a fill equal to the placement in force is no
// switch, so phases start only where the placement changes.
//
// Trained on the serving draw itself (a study's online setting) this is the
// paper's Clockwork++: it sees each window's rates one window late, and
// window 0's at once. Trained on another draw it replays that draw's windows.

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

class SrReplace : public PlacementPolicy {
 public:
  SrReplace(int interval_s, SearchBudget budget)
      : interval_s_(interval_s), budget_(budget) {}
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
    // Requests per window (arrivals before 0 count in window 0).
    const double last = w.empty() ? 0.0 : std::max(0.0, w.arrival_s.back());
    const double windows_f = std::floor(last / interval_s_) + 1;
    if (!(windows_f <= kMaxPhases)) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": the training workload spans ", last, " s, ", windows_f,
          " windows of ", interval_s_, " s, over the limit of ", kMaxPhases,
          " phases (kMaxPhases)"));
    }
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
    absl::StatusOr<Placement> first = fill(windows[0]);
    if (!first.ok()) return first.status();
    schedule.phases.push_back({0.0, *std::move(first)});
    for (int k = 1; k < num_windows; ++k) {
      if (windows[k - 1].empty()) continue;
      absl::StatusOr<Placement> next = fill(windows[k - 1]);
      if (!next.ok()) return next.status();
      if (SamePlacement(*next, schedule.phases.back().placement)) continue;
      schedule.phases.push_back(
          {static_cast<double>(k) * interval_s_, *std::move(next)});
    }
    return schedule;
  }

 private:
  int interval_s_;
  SearchBudget budget_;  // the default budget, with finite_slo
};

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {"sr-replace",
     R"(sr-replace-(\d+))",
     {PluginParam::Int("interval")
          .AtLeast(1)
          .AtMost(kMaxIntervalS)
          .Help("seconds between re-plans; each window's placement is "
                "sr-greedy's on the previous window's requests"),
      FiniteSloParam()},
     "Clockwork++: sr-greedy re-planned every interval seconds on the "
     "previous window's requests; a placement schedule",
     "sr-replace-60",
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       SearchBudget budget;
       budget.finite_slo = FiniteSloFromArgs(args);
       return std::make_unique<SrReplace>(
           static_cast<int>(args.GetInt("interval")), budget);
     }});

}  // namespace
}  // namespace multiplex
