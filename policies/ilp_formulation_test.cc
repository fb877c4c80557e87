// The two integer programs against hand-computed coefficients and objectives
// (the original's formulas, docs/study.md §5.11), and the encoding of a
// placement as a solution: feasible exactly when the placement fits, with the
// objective the placement's.

#include "policies/ilp_formulation.h"

#include <cmath>
#include <limits>
#include <vector>

#include "core/testing/fake_cost_model.h"
#include "gtest/gtest.h"
#include "policies/test_util.h"

namespace multiplex {
namespace {

using testing_util::Models;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Model type "x": 0.25 s and 4 GiB on one GPU; (1,1,2): two 0.25 s stages of
// 2 GiB; (1,1,4): four 0.125 s stages of 1 GiB.
struct Fixture {
  FakeCostModel cost;
  std::vector<ModelSpec> models = Models(2, "x");
  Workload workload;
  PlacementProblem problem;

  Fixture(int devices, double budget_gib, double slo_s) {
    cost.SetUniform("x", {1, 1, 1}, 0.25, 4 * kGiB);
    cost.SetUniform("x", {1, 1, 2}, 0.5, 4 * kGiB);
    cost.SetUniform("x", {1, 1, 4}, 0.5, 4 * kGiB);
    // m0: 4 requests, m1: 2, over a span of 10 s.
    workload.model_names = {"m0", "m1"};
    workload.arrival_s = {0, 1, 2, 5, 7, 10};
    workload.model = {0, 1, 0, 0, 1, 0};
    workload.slo_s = {slo_s, slo_s, 2 * slo_s, slo_s, slo_s, slo_s};
    problem.models = &models;
    problem.cluster.num_devices = devices;
    problem.cluster.mem_budget_bytes = budget_gib * kGiB;
    problem.cost_model = &cost;
    problem.training_workload = &workload;
  }
};

Placement Groups(std::vector<Group> groups) {
  Placement p;
  p.groups = std::move(groups);
  return p;
}

TEST(IlpInputs, RatesSlosAndWeights) {
  Fixture f(2, 10, 1.0);
  absl::StatusOr<IlpInputs> in = ReadIlpInputs(f.problem, "test");
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_DOUBLE_EQ(in->rate[0], 0.4);
  EXPECT_DOUBLE_EQ(in->rate[1], 0.2);
  EXPECT_EQ(in->slo_s, (std::vector<double>{1.0, 1.0}));  // the smallest
  EXPECT_EQ(in->single_gpu_bytes, (std::vector<double>{4 * kGiB, 4 * kGiB}));
  EXPECT_TRUE(in->all_slo_finite);
}

TEST(IlpInputs, ErrorsNameThePolicyAndTheCause) {
  Fixture f(2, 10, 1.0);
  FakeCostModel pipelines_only;
  pipelines_only.SetUniform("x", {1, 1, 2}, 0.5, 4 * kGiB);
  f.problem.cost_model = &pipelines_only;
  absl::StatusOr<IlpInputs> in = ReadIlpInputs(f.problem, "mp-ilp");
  ASSERT_FALSE(in.ok());
  EXPECT_EQ(in.status().message(),
            "mp-ilp: the cost model lacks config (1,1,1) for model type 'x'; "
            "both ILPs read a model's single-GPU weight and latency");
  f.problem.cost_model = &f.cost;
  f.problem.training_workload = nullptr;
  in = ReadIlpInputs(f.problem, "sr-ilp");
  ASSERT_FALSE(in.ok());
  EXPECT_NE(in.status().message().find("training workload"), std::string::npos);
}

// compute_capability with max batch 1: floor((slo - sum l) / max l) + 1,
// at least 0, times 0.99^pp.
TEST(Capability, TheOriginalsFormula) {
  Fixture f(4, 10, 1.0);
  // (1 - 0.25) / 0.25 = 3 -> 4 requests, one stage.
  EXPECT_DOUBLE_EQ(Capability(f.problem, 0, {1, 1, 1}, 1.0, true), 4 * 0.99);
  // (1 - 0.5) / 0.25 = 2 -> 3 requests, two stages.
  EXPECT_DOUBLE_EQ(Capability(f.problem, 0, {1, 1, 2}, 1.0, true),
                   3 * 0.99 * 0.99);
  // (1 - 0.5) / 0.125 = 4 -> 5, four stages.
  EXPECT_DOUBLE_EQ(Capability(f.problem, 0, {1, 1, 4}, 1.0, true),
                   5 * std::pow(0.99, 4));
  // floor((1.1 - 0.25) / 0.25) = 3.
  EXPECT_DOUBLE_EQ(Capability(f.problem, 0, {1, 1, 1}, 1.1, true), 4 * 0.99);
  // An SLO below the latency: floor(-0.6) + 1 = 0, never negative.
  EXPECT_EQ(Capability(f.problem, 0, {1, 1, 1}, 0.1, true), 0);
  EXPECT_EQ(Capability(f.problem, 0, {1, 1, 2}, 0.01, true), 0);
  // A config the cost model lacks.
  EXPECT_EQ(Capability(f.problem, 0, {1, 1, 8}, 1.0, true), 0);
  // Infinite SLOs: 0.99^pp / max l.
  EXPECT_DOUBLE_EQ(Capability(f.problem, 0, {1, 1, 2}, kInf, false),
                   0.99 * 0.99 / 0.25);
}

TEST(SrIlp, ObjectiveByHand) {
  Fixture f(2, 10, 1.0);
  // t = 4/s; m0 twice (rate 0.4), m1 once (0.2): 20 and 20.
  Placement p = Groups({{{1, 1, 1}, {0}}, {{1, 1, 1}, {0, 1}}});
  absl::StatusOr<double> obj = SrIlpObjective(f.problem, p);
  ASSERT_TRUE(obj.ok()) << obj.status();
  EXPECT_DOUBLE_EQ(*obj, 20 + 1e-4 * 40);
  // m1 unplaced: the minimum is 0.
  obj = SrIlpObjective(f.problem, Groups({{{1, 1, 1}, {0}}}));
  EXPECT_DOUBLE_EQ(*obj, 0 + 1e-4 * 10);
  EXPECT_FALSE(SrIlpObjective(f.problem, Groups({{{1, 1, 2}, {0}}})).ok());
}

// Values of the SR program's columns for a placement of (1,1,1) groups.
std::vector<double> EncodeSr(const SrIlp& ilp, const Placement& p,
                             double min_tol, double sum_tol) {
  std::vector<double> v(ilp.mip.columns.size(), 0);
  for (size_t j = 0; j < p.groups.size(); ++j) {
    for (int i : p.groups[j].models) v[ilp.P(i, j)] = 1;
  }
  v[v.size() - 2] = min_tol;
  v[v.size() - 1] = sum_tol;
  return v;
}

TEST(SrIlp, PlacementsAsSolutions) {
  Fixture f(2, 10, 1.0);  // two 4 GiB models per 10 GiB GPU
  absl::StatusOr<SrIlp> ilp = BuildSrIlp(f.problem, "sr-ilp");
  ASSERT_TRUE(ilp.ok()) << ilp.status();
  ASSERT_EQ(ilp->mip.columns.size(), 2 * 2 + 2);
  EXPECT_EQ(ilp->mip.columns[ilp->P(1, 0)].name, "p_1_0");
  // memory, GPU order, min, sum
  EXPECT_EQ(ilp->mip.rows.size(), 2 + 1 + 2 + 1);
  Placement both = Groups({{{1, 1, 1}, {0, 1}}, {{1, 1, 1}, {0, 1}}});
  // rep 2 each: 2 x 4 / 0.4 = 20, 2 x 4 / 0.2 = 40.
  std::vector<double> v = EncodeSr(*ilp, both, 20, 60);
  EXPECT_TRUE(ilp->mip.Feasible(v));
  EXPECT_DOUBLE_EQ(ilp->mip.Objective(v), *SrIlpObjective(f.problem, both));
  // A minimum above a model's tolerance, a wrong sum: infeasible.
  EXPECT_FALSE(ilp->mip.Feasible(EncodeSr(*ilp, both, 20.5, 60)));
  EXPECT_FALSE(ilp->mip.Feasible(EncodeSr(*ilp, both, 20, 61)));
  EXPECT_EQ(ilp->Decode(v).ToString(f.models),
            Placement(both).ToString(f.models));

  Fixture tight(2, 7, 1.0);  // one model per GPU
  ilp = BuildSrIlp(tight.problem, "sr-ilp");
  ASSERT_TRUE(ilp.ok());
  EXPECT_FALSE(ilp->mip.Feasible(EncodeSr(*ilp, both, 20, 60)));
  // m1 (key 2 + 1) before m0 (key 2 + 0): only the other GPU order, or the
  // original program without the order rows, takes it.
  Placement one_each = Groups({{{1, 1, 1}, {1}}, {{1, 1, 1}, {0}}});
  EXPECT_TRUE(ilp->mip.Feasible(EncodeSr(*ilp, one_each, 10, 30)));
  Placement swapped = Groups({{{1, 1, 1}, {0}}, {{1, 1, 1}, {1}}});
  EXPECT_FALSE(ilp->mip.Feasible(EncodeSr(*ilp, swapped, 10, 30)));
  absl::StatusOr<SrIlp> original =
      BuildSrIlp(tight.problem, "sr-ilp", /*order_slots=*/false);
  ASSERT_TRUE(original.ok());
  EXPECT_TRUE(original->mip.Feasible(EncodeSr(*original, swapped, 10, 30)));
}

TEST(MpIlp, ObjectiveByHand) {
  Fixture f(4, 10, 1.0);
  // m0 on a 2-stage pipeline and a GPU: 3 x 0.99^2 + 4 x 0.99, rate 0.4;
  // m1 on the pipeline: 3 x 0.99^2, rate 0.2.
  Placement p = Groups({{{1, 1, 2}, {0, 1}}, {{1, 1, 1}, {0}}});
  const double c0 = 3 * 0.99 * 0.99 + 4 * 0.99, c1 = 3 * 0.99 * 0.99;
  absl::StatusOr<double> obj = MpIlpObjective(f.problem, p);
  ASSERT_TRUE(obj.ok()) << obj.status();
  EXPECT_DOUBLE_EQ(*obj,
                   std::min(c0 / 0.4, c1 / 0.2) + 1e-4 * (c0 / 0.4 + c1 / 0.2));
}

// Values of the MP program's columns: group g of `p` in slot g, the other
// slots unused (size 0).
std::vector<double> EncodeMp(const MpIlp& ilp, const Placement& p) {
  std::vector<double> v(ilp.mip.columns.size(), 0);
  std::vector<double> cap(ilp.inputs.num_models, 0);
  for (int j = 0; j < ilp.num_slots(); ++j) {
    int k = 0;
    if (j < static_cast<int>(p.groups.size())) {
      while (ilp.sizes[k] != p.groups[j].config.pp) ++k;
      for (int i : p.groups[j].models) {
        v[ilp.P(i, j)] = 1;
        v[ilp.Pxs(i, j, k)] = 1;
        cap[i] += ilp.cap[i][k];
      }
    }
    v[ilp.S(j, k)] = 1;
  }
  double min = kInf, sum = 0;
  for (int i = 0; i < ilp.inputs.num_models; ++i) {
    min = std::min(min, cap[i] / ilp.inputs.rate[i]);
    sum += cap[i] / ilp.inputs.rate[i];
  }
  v[v.size() - 2] = min;
  v[v.size() - 1] = sum;
  return v;
}

TEST(MpIlp, PlacementsAsSolutions) {
  Fixture f(4, 5, 1.0);  // 5 GiB GPUs: a 4 GiB model per GPU, two per pipeline
  absl::StatusOr<MpIlp> ilp = BuildMpIlp(f.problem, "mp-ilp");
  ASSERT_TRUE(ilp.ok()) << ilp.status();
  EXPECT_EQ(ilp->sizes, (std::vector<int>{0, 1, 2, 4}));
  const int n = 2, g = 4, k = 4;
  EXPECT_EQ(ilp->mip.columns.size(), n * g + g * k + n * g * k + 2);
  EXPECT_EQ(ilp->mip.rows.size(),
            2 * g + n + 1 + 1 + g + (g - 1) + 3 * n * g * k);
  absl::StatusOr<MpIlp> original =
      BuildMpIlp(f.problem, "mp-ilp", /*order_slots=*/false);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(original->mip.rows.size(), ilp->mip.rows.size() - (g - 1));
  // The index helpers name the columns they were built as.
  EXPECT_EQ(ilp->mip.columns[ilp->P(1, 3)].name, "p_1_3");
  EXPECT_EQ(ilp->mip.columns[ilp->S(2, 3)].name, "s_2_3");
  EXPECT_EQ(ilp->mip.columns[ilp->Pxs(0, 0, 0)].name, "pxs_0_0_0");
  EXPECT_EQ(ilp->mip.columns[ilp->Pxs(1, 3, 2)].name, "pxs_1_3_2");

  Placement pipes =
      Groups({{{1, 1, 2}, {0, 1}}, {{1, 1, 1}, {0}}, {{1, 1, 1}, {1}}});
  std::vector<double> v = EncodeMp(*ilp, pipes);
  EXPECT_TRUE(ilp->mip.Feasible(v));
  EXPECT_DOUBLE_EQ(ilp->mip.Objective(v), *MpIlpObjective(f.problem, pipes));
  EXPECT_EQ(ilp->Decode(v).ToString(f.models), pipes.ToString(f.models));

  // Both models on one GPU (8 GiB of 5): infeasible.
  Placement crowded =
      Groups({{{1, 1, 2}, {0, 1}}, {{1, 1, 1}, {0, 1}}, {{1, 1, 1}, {1}}});
  EXPECT_FALSE(ilp->mip.Feasible(EncodeMp(*ilp, crowded)));
  // Groups of 2 + 1 GPUs: not the 4 devices (constraint d).
  Placement short_of_devices = Groups({{{1, 1, 2}, {0, 1}}, {{1, 1, 1}, {0}}});
  EXPECT_FALSE(ilp->mip.Feasible(EncodeMp(*ilp, short_of_devices)));
  // A 4-stage pipeline with both (1 GiB stages each).
  Placement one_pipe = Groups({{{1, 1, 4}, {0, 1}}});
  EXPECT_TRUE(ilp->mip.Feasible(EncodeMp(*ilp, one_pipe)));
  // Slots out of size order: only the original program takes them.
  Placement unordered =
      Groups({{{1, 1, 1}, {0}}, {{1, 1, 2}, {0, 1}}, {{1, 1, 1}, {1}}});
  EXPECT_FALSE(ilp->mip.Feasible(EncodeMp(*ilp, unordered)));
  EXPECT_TRUE(original->mip.Feasible(EncodeMp(*original, unordered)));
}

TEST(MpIlp, GroupSizes) {
  EXPECT_EQ(MpIlpGroupSizes(1), (std::vector<int>{0, 1}));
  EXPECT_EQ(MpIlpGroupSizes(6), (std::vector<int>{0, 1, 2, 4}));
  EXPECT_EQ(MpIlpGroupSizes(64), (std::vector<int>{0, 1, 2, 4, 8}));
}

}  // namespace
}  // namespace multiplex
