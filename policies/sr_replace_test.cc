// sr-replace-<interval> (policies/sr_replace.cc): windows, phases, and the
// point of re-planning: it follows a hot model that changes.

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/placement_schedule.h"
#include "core/registry.h"
#include "core/simulator.h"
#include "core/simulator_schedule.h"
#include "core/testing/fake_cost_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;
using testing_util::GammaWorkload;
using testing_util::kInf;
using testing_util::Models;

std::unique_ptr<PlacementPolicy> Make(const std::string& name) {
  absl::StatusOr<std::unique_ptr<PlacementPolicy>> p =
      Registry<PlacementPolicy>::Global().Create(name);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? std::move(*p) : nullptr;
}

// Two models on four GPUs that hold one model each (0.1 s a request, SLO
// 0.5 s). For 600 s m0 gets 25 req/s and m1 2; then the other way round. One
// GPU serves 10 req/s, so the hot model needs three.
struct HotSwap {
  FakeCostModel cost;
  std::vector<ModelSpec> models = Models(2, "t");
  Workload workload;
  PlacementProblem problem;

  HotSwap() {
    cost.SetUniform("t", {1, 1, 1}, 0.1, 10 * kGiB);
    const Workload first = GammaWorkload({25, 2}, 1, 600, 1, 0.5);
    const Workload second = GammaWorkload({2, 25}, 1, 600, 2, 0.5);
    workload = first;
    for (size_t i = 0; i < second.size(); ++i) {
      workload.arrival_s.push_back(second.arrival_s[i] + 600);
      workload.model.push_back(second.model[i]);
      workload.slo_s.push_back(second.slo_s[i]);
    }
    problem.models = &models;
    problem.cluster = {4, 13 * kGiB, 8};
    problem.cost_model = &cost;
    problem.training_workload = &workload;
  }

  double Attainment(const PlacementSchedule& schedule) const {
    absl::StatusOr<PreparedSchedule> prepared =
        PreparedSchedule::Create(schedule, models, cost, problem.serving);
    EXPECT_TRUE(prepared.ok()) << prepared.status();
    SimulatorScratch scratch;
    LeanResult lean;
    EXPECT_TRUE(SimulateLean(*prepared, workload, &scratch, &lean).ok());
    return lean.Goodput();
  }
};

int Replicas(const Placement& p, int model) {
  int n = 0;
  for (const Group& g : p.groups) {
    for (int m : g.models) n += m == model;
  }
  return n;
}

bool Same(const Placement& a, const Placement& b,
          const std::vector<ModelSpec>& models) {
  return a.ToString(models) == b.ToString(models);
}

// The original (plan=hindsight, the default): each window is placed on its
// own requests, so the switch to the new hot model comes within the window
// that holds the change at 600 s.
TEST(SrReplaceTest, FollowsTheHotModel) {
  HotSwap f;
  absl::StatusOr<PlacementSchedule> replace =
      Make("sr-replace-60")->PlaceSchedule(f.problem);
  ASSERT_TRUE(replace.ok()) << replace.status();
  EXPECT_TRUE(
      VerifySchedule(*replace, f.models, f.problem.cluster, f.cost).ok());
  ASSERT_GE(replace->phases.size(), 2u);
  EXPECT_EQ(Replicas(replace->phases[0].placement, 0), 3);
  EXPECT_EQ(Replicas(replace->phases[0].placement, 1), 1);
  const int late = replace->PhaseAt(660);
  EXPECT_LE(replace->phases[late].start_s, 660);
  EXPECT_GT(replace->phases[late].start_s, 540);
  EXPECT_EQ(Replicas(replace->phases[late].placement, 1), 3);

  absl::StatusOr<Placement> greedy = Make("sr-greedy")->Place(f.problem);
  ASSERT_TRUE(greedy.ok()) << greedy.status();
  EXPECT_EQ(Replicas(*greedy, 0), 2);
  const double replace_attainment = f.Attainment(*replace);
  const double greedy_attainment =
      f.Attainment(PlacementSchedule::Static(*greedy));
  // Static: the hot model's 25 req/s on two GPUs lose about a fifth of the
  // hot half; re-planned in hindsight: almost nothing.
  EXPECT_GT(replace_attainment, greedy_attainment + 0.15)
      << replace_attainment << " vs " << greedy_attainment;
  EXPECT_GT(replace_attainment, 0.99);
  std::printf("attainment: sr-replace-60 %.4f, sr-greedy %.4f\n",
              replace_attainment, greedy_attainment);
}

// The online variant: windows on a fixed 60 s grid, each placed on the one
// before, so the switch comes one window after the change.
TEST(SrReplaceTest, OnlineVariantPlansOnThePreviousWindow) {
  HotSwap f;
  absl::StatusOr<PlacementSchedule> replace =
      Make("sr-replace-60:plan=previous")->PlaceSchedule(f.problem);
  ASSERT_TRUE(replace.ok()) << replace.status();
  ASSERT_GE(replace->phases.size(), 2u);
  EXPECT_EQ(Replicas(replace->phases[0].placement, 0), 3);
  const int late = replace->PhaseAt(700);
  EXPECT_EQ(replace->phases[late].start_s, 660);
  EXPECT_EQ(Replicas(replace->phases[late].placement, 1), 3);
  for (const PlacementPhase& phase : replace->phases) {
    EXPECT_EQ(static_cast<int>(phase.start_s) % 60, 0) << phase.start_s;
  }
  const double online = f.Attainment(*replace);
  const double hindsight =
      f.Attainment(*Make("sr-replace-60")->PlaceSchedule(f.problem));
  EXPECT_GT(online, 0.9);
  EXPECT_GT(hindsight, online);
}

// A transcription of the original's Workload.split_time_interval: a window
// starts at an arrival and takes every arrival up to it + interval; the
// first arrival after that starts the next.
std::vector<std::pair<size_t, size_t>> SplitTimeInterval(
    const std::vector<double>& arrivals, double interval) {
  std::vector<std::pair<size_t, size_t>> ws;
  if (arrivals.empty()) return ws;
  size_t start_i = 0;
  double start_time = arrivals[start_i];
  for (size_t i = 0; i < arrivals.size(); ++i) {
    if (arrivals[i] > start_time + interval) {
      ws.emplace_back(start_i, i);
      start_i = i;
      start_time = arrivals[i];
    }
  }
  ws.emplace_back(start_i, arrivals.size());
  return ws;
}

// The original's SelectiveReplicationReplacement and its replay
// (approximate_one_case with ModelPlacementWithReplacement): window i is
// sr-greedy's placement (original scoring) on window i's requests, and the
// replay switches to it at the first arrival later than window i's first
// (so that arrival, and any at the same instant, still get window i - 1's).
// Every request of the workload is checked against the phase in force at its
// arrival. CV 3 makes equal arrival times common.
TEST(SrReplaceTest, WindowsAndPhasesAsTheOriginal) {
  FakeCostModel cost;
  cost.SetUniform("t", {1, 1, 1}, 0.05, 4 * kGiB);
  std::vector<ModelSpec> models = Models(5, "t");
  // Uneven, bursty rates with gaps, so windows start off the grid.
  Workload w = GammaWorkload({6, 3, 1, 0.5, 0.2}, 3, 400, 7, 0.3);
  PlacementProblem problem;
  problem.models = &models;
  problem.cluster = {3, 13 * kGiB, 8};
  problem.cost_model = &cost;
  problem.training_workload = &w;
  for (int interval : {7, 30, 45}) {
    SCOPED_TRACE(interval);
    absl::StatusOr<PlacementSchedule> s =
        Make(absl::StrCat("sr-replace-", interval))->PlaceSchedule(problem);
    ASSERT_TRUE(s.ok()) << s.status();
    const auto windows = SplitTimeInterval(w.arrival_s, interval);
    ASSERT_GT(windows.size(), 5u);
    std::vector<Placement> expected;
    for (const auto& [begin, end] : windows) {
      Workload window;
      window.model_names = w.model_names;
      for (size_t i = begin; i < end; ++i) {
        window.arrival_s.push_back(w.arrival_s[i]);
        window.model.push_back(w.model[i]);
        window.slo_s.push_back(w.slo_s[i]);
      }
      PlacementProblem sub = problem;
      sub.training_workload = &window;
      absl::StatusOr<Placement> p =
          Make("sr-greedy:finite_slo=original")->Place(sub);
      ASSERT_TRUE(p.ok()) << p.status();
      expected.push_back(*std::move(p));
    }
    // The replay: change_times = start_times[1:] + [inf]; request i moves
    // to the next placement when arrivals[i] > change_times[pt].
    std::vector<double> change_times;
    for (size_t k = 1; k < windows.size(); ++k) {
      change_times.push_back(w.arrival_s[windows[k].first]);
    }
    change_times.push_back(kInf());
    size_t pt = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      if (w.arrival_s[i] > change_times[pt]) ++pt;
      const Placement& in_force =
          s->phases[s->PhaseAt(w.arrival_s[i])].placement;
      ASSERT_TRUE(Same(in_force, expected[pt], models))
          << "request " << i << " at " << w.arrival_s[i] << " (placement " << pt
          << "): " << in_force.ToString(models) << " vs "
          << expected[pt].ToString(models);
    }
    int switches = 0;
    for (size_t k = 1; k < windows.size(); ++k) {
      switches += !Same(expected[k], expected[k - 1], models);
    }
    EXPECT_EQ(static_cast<int>(s->phases.size()), 1 + switches);
    EXPECT_GT(switches, 0);
  }
}

TEST(SrReplaceTest, PlaceIsTheFirstPhase) {
  HotSwap f;
  std::unique_ptr<PlacementPolicy> policy = Make("sr-replace-60");
  absl::StatusOr<Placement> p = policy->Place(f.problem);
  absl::StatusOr<PlacementSchedule> s = policy->PlaceSchedule(f.problem);
  ASSERT_TRUE(p.ok() && s.ok());
  EXPECT_EQ(p->ToString(f.models), s->phases[0].placement.ToString(f.models));
  EXPECT_EQ(policy->Name(), "sr-replace-60");
}

// One window longer than the workload: sr-greedy on it, one phase.
TEST(SrReplaceTest, OneWindowIsSrGreedy) {
  HotSwap f;
  absl::StatusOr<PlacementSchedule> s =
      Make("sr-replace-5000")->PlaceSchedule(f.problem);
  absl::StatusOr<Placement> greedy =
      Make("sr-greedy:finite_slo=original")->Place(f.problem);
  ASSERT_TRUE(s.ok() && greedy.ok());
  ASSERT_EQ(s->phases.size(), 1u);
  EXPECT_EQ(s->phases[0].placement.ToString(f.models),
            greedy->ToString(f.models));
}

TEST(SrReplaceTest, Errors) {
  HotSwap f;
  f.problem.training_workload = nullptr;
  absl::StatusOr<PlacementSchedule> s =
      Make("sr-replace-60")->PlaceSchedule(f.problem);
  EXPECT_THAT(
      s.status().message(),
      HasSubstr("sr-replace-60: re-planning needs a training workload"));
  EXPECT_FALSE(Registry<PlacementPolicy>::Global().Create("sr-replace-0").ok());
  EXPECT_FALSE(
      Registry<PlacementPolicy>::Global().Create("sr-replace-99999999").ok());
  HotSwap far;
  far.workload.arrival_s.back() = 1e12;  // 10^12 one-second windows
  s = Make("sr-replace-1:plan=previous")->PlaceSchedule(far.problem);
  EXPECT_THAT(s.status().message(), HasSubstr("over the limit of"));
}

}  // namespace
}  // namespace multiplex
