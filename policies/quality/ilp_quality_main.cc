// The ILP policies against the heuristics (policies/quality/README.md):
//
//   ilp_quality quality   20 problems CBC solves to proven optimality: each
//                         policy's placement measured by the model-parallel
//                         ILP's objective (and the selective-replication
//                         one for one-GPU groups), its held-out SLO
//                         attainment and its solve time;
//   ilp_quality scaling   sr-ilp's and mp-ilp's solve time as models and
//                         GPUs grow.
//
// Run from the repository root (it reads the shipped profiling database):
//   bazel build -c opt //policies/quality:ilp_quality
//   bazel-bin/policies/quality/ilp_quality quality [q01 q02 ...]
//
// Workloads are drawn as the studies draw them (workloads/generator.h: Gamma
// arrivals, the rate split, per-model SLO = scale x single-GPU latency);
// placements are made on a training draw (seed 0) and served on a held-out
// draw (seed 1) by the `fast` simulator with the default serving constants,
// attainment over the warm-up-trimmed requests (the policies' own
// evaluator on the held-out workload).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/cost_model.h"
#include "core/placement.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/evaluator.h"
#include "policies/ilp_formulation.h"
#include "workloads/generator.h"

namespace multiplex {
namespace {

constexpr char kDatabase[] =
    "database:path=profiler/data/profiling_result.textproto";
constexpr double kBudgetGib = 13;

struct ModelGroup {
  const char* type;
  int count;
};

struct Problem {
  std::string name;
  int gpus;
  std::vector<ModelGroup> models;
  double total_rate;
  double cv;
  double slo_scale;
  const char* split;
};

// Small enough for CBC to prove the programs optimal, most within seconds.
std::vector<Problem> QualityProblems() {
  return {
      {"q01", 2, {{"bert-6.7b", 2}}, 4, 3, 5, "uniform"},
      {"q02", 2, {{"bert-2.6b", 3}}, 8, 3, 5, "uniform"},
      {"q03", 2, {{"bert-1.3b", 4}}, 12, 4, 3, "power_law"},
      {"q04", 4, {{"bert-2.6b", 4}}, 12, 3, 5, "uniform"},
      {"q05", 4, {{"bert-6.7b", 4}}, 6, 3, 8, "uniform"},
      {"q06", 4, {{"bert-1.3b", 4}, {"bert-6.7b", 1}}, 14, 3, 5, "power_law"},
      {"q07", 4, {{"bert-2.6b", 6}}, 14, 4, 3, "power_law"},
      {"q08", 4, {{"bert-1.3b", 3}, {"bert-2.6b", 2}}, 20, 2, 2.5, "uniform"},
      {"q09", 4, {{"bert-6.7b", 3}}, 5, 5, 10, "power_law"},
      {"q10", 4, {{"bert-1.3b", 6}}, 30, 3, 4, "uniform"},
      {"q11", 6, {{"bert-2.6b", 6}}, 18, 3, 5, "uniform"},
      {"q12", 6, {{"bert-6.7b", 4}, {"bert-1.3b", 2}}, 12, 4, 6, "power_law"},
      {"q13", 6, {{"bert-2.6b", 4}, {"bert-1.3b", 4}}, 24, 3, 3, "power_law"},
      {"q14", 6, {{"bert-6.7b", 6}}, 9, 3, 8, "uniform"},
      {"q15", 8, {{"bert-2.6b", 8}}, 24, 3, 5, "uniform"},
      {"q16", 8, {{"bert-6.7b", 6}}, 10, 4, 6, "power_law"},
      {"q17", 8, {{"bert-1.3b", 8}}, 40, 3, 3, "power_law"},
      {"q18",
       8,
       {{"bert-1.3b", 4}, {"bert-2.6b", 2}, {"bert-6.7b", 2}},
       24,
       3,
       5,
       "power_law"},
      {"q19", 8, {{"bert-2.6b", 6}}, 20, 6, 4, "power_law"},
      {"q20", 8, {{"bert-6.7b", 4}}, 8, 2, 2.5, "uniform"},
  };
}

const std::vector<std::string>& QualityPolicies() {
  static const std::vector<std::string> policies = {
      "sr-ilp",    "sr-ilp:slots=original", "mp-ilp",   "mp-ilp:slots=original",
      "sr-greedy", "mp-greedy-2",           "mp-search"};
  return policies;
}

[[noreturn]] void Die(const absl::Status& status) {
  std::fprintf(stderr, "ilp_quality: %s\n", status.ToString().c_str());
  std::exit(1);
}

template <typename T>
T OrDie(absl::StatusOr<T> value) {
  if (!value.ok()) Die(value.status());
  return *std::move(value);
}

// A problem's models, its training and held-out draws.
struct Instance {
  std::vector<ModelSpec> models;
  Workload training, held_out;
  PlacementProblem problem;  // on the training draw
};

std::unique_ptr<Instance> MakeInstance(const Problem& p,
                                       const CostModel& cost) {
  auto in = std::make_unique<Instance>();
  std::vector<double> slos;
  for (const ModelGroup& g : p.models) {
    const double l1 = OrDie(cost.Stages(g.type, {1, 1, 1}, 1)).TotalLatency();
    for (int i = 0; i < g.count; ++i) {
      in->models.push_back(
          {absl::StrCat("m", in->models.size()), std::string(g.type)});
      slos.push_back(p.slo_scale * l1);
    }
  }
  WorkloadSpec spec;
  spec.num_models = static_cast<int>(in->models.size());
  spec.total_rate = p.total_rate;
  spec.rate_split = p.split;
  spec.process = "gamma";
  spec.process_args.Set("cv", absl::StrCat(p.cv));
  spec.slo_s = slos;
  spec.duration = 1200;
  spec.seed = 0;
  in->training = OrDie(MakeWorkload(spec));
  spec.duration = 2400;
  spec.seed = 1;
  in->held_out = OrDie(MakeWorkload(spec));
  in->problem.models = &in->models;
  in->problem.cluster.num_devices = p.gpus;
  in->problem.cluster.mem_budget_bytes = kBudgetGib * kGiB;
  in->problem.cost_model = &cost;
  in->problem.training_workload = &in->training;
  return in;
}

struct Placed {
  Placement placement;
  double seconds;
};

Placed Place(const std::string& spec, const PlacementProblem& problem) {
  std::unique_ptr<PlacementPolicy> policy =
      OrDie(Registry<PlacementPolicy>::Global().Create(spec));
  const auto begin = std::chrono::steady_clock::now();
  absl::StatusOr<Placement> p = policy->Place(problem);
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  if (!p.ok()) Die(p.status());
  return {*std::move(p), s};
}

double HeldOutAttainment(const Instance& in, const Placement& placement) {
  PlacementProblem held = in.problem;
  held.training_workload = &in.held_out;
  SearchBudget whole;
  whole.exhaustive = true;
  std::unique_ptr<PlacementEvaluator> ev =
      OrDie(PlacementEvaluator::Create(held, whole));
  return OrDie(ev->Simulate(placement))->Goodput();
}

std::string ModelsText(const Problem& p) {
  std::string out;
  for (const ModelGroup& g : p.models) {
    absl::StrAppend(&out, out.empty() ? "" : " + ", g.type + 5, " x ", g.count);
  }
  return out;
}

// `only`: the problems to run (all when empty).
int Quality(const CostModel& cost, const std::vector<std::string>& only) {
  std::printf(
      "| problem | policy | mp-ilp objective | sr-ilp objective | held-out "
      "attainment | solve s | ILP |\n|---|---|---|---|---|---|---|\n");
  std::vector<double> sum_obj(QualityPolicies().size()),
      sum_att(QualityPolicies().size());
  int ilp_best = 0, problems = 0;
  for (const Problem& p : QualityProblems()) {
    if (!only.empty() &&
        std::find(only.begin(), only.end(), p.name) == only.end()) {
      continue;
    }
    ++problems;
    std::unique_ptr<Instance> in = MakeInstance(p, cost);
    double mp_ilp_objective = 0, best_other = 0;
    for (size_t k = 0; k < QualityPolicies().size(); ++k) {
      const std::string& spec = QualityPolicies()[k];
      Placed placed = Place(spec, in->problem);
      const double mp_obj =
          OrDie(MpIlpObjective(in->problem, placed.placement));
      absl::StatusOr<double> sr_obj =
          SrIlpObjective(in->problem, placed.placement);
      const double attainment = HeldOutAttainment(*in, placed.placement);
      sum_obj[k] += mp_obj;
      sum_att[k] += attainment;
      if (spec == "mp-ilp") {
        mp_ilp_objective = mp_obj;
      } else if (spec.rfind("mp-ilp", 0) != 0) {
        best_other = std::max(best_other, mp_obj);
      }
      std::string ilp = "";
      if (!placed.placement.note.empty()) {
        ilp = placed.placement.note.find("not proven") == std::string::npos
                  ? "optimal"
                  : "NOT proven";
      }
      std::printf("| %s: %d GPUs, %s | %s | %.4f | %s | %.2f%% | %.3f | %s |\n",
                  p.name.c_str(), p.gpus, ModelsText(p).c_str(), spec.c_str(),
                  mp_obj,
                  sr_obj.ok() ? absl::StrFormat("%.4f", *sr_obj).c_str() : "-",
                  100 * attainment, placed.seconds, ilp.c_str());
      std::fflush(stdout);
    }
    if (mp_ilp_objective >= best_other - 1e-9) ++ilp_best;
  }
  const double n = problems;
  std::printf("\nmeans over %d problems:\n", static_cast<int>(n));
  for (size_t k = 0; k < QualityPolicies().size(); ++k) {
    std::printf("  %-12s mp-ilp objective %.4f, held-out attainment %.2f%%\n",
                QualityPolicies()[k].c_str(), sum_obj[k] / n,
                100 * sum_att[k] / n);
  }
  std::printf("mp-ilp's objective >= every other policy's on %d of %d\n",
              ilp_best, static_cast<int>(n));
  return 0;
}

int Scaling(const CostModel& cost) {
  std::printf(
      "| models | GPUs | sr-ilp s | sr-ilp | mp-ilp s | mp-ilp |\n"
      "|---|---|---|---|---|---|\n");
  for (int gpus : {2, 4, 8, 12, 16}) {
    for (int models : {4, 8, 16}) {
      Problem p{"scale", gpus,       {{"bert-2.6b", models}}, 3.0 * models, 3,
                5,       "power_law"};
      std::unique_ptr<Instance> in = MakeInstance(p, cost);
      std::string cells;
      for (const char* spec : {"sr-ilp", "mp-ilp"}) {
        Placed placed = Place(spec, in->problem);
        absl::StrAppend(
            &cells, absl::StrFormat(" %.3f | %s |", placed.seconds,
                                    placed.placement.note.find("not proven") ==
                                            std::string::npos
                                        ? "optimal"
                                        : "time limit"));
      }
      std::printf("| %d | %d |%s\n", models, gpus, cells.c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  std::unique_ptr<multiplex::CostModel> cost = multiplex::OrDie(
      multiplex::Registry<multiplex::CostModel>::Global().Create(
          multiplex::kDatabase));
  if (mode == "quality") {
    return multiplex::Quality(*cost,
                              std::vector<std::string>(argv + 2, argv + argc));
  }
  if (mode == "scaling") return multiplex::Scaling(*cost);
  std::fprintf(stderr, "usage: ilp_quality quality|scaling\n");
  return 2;
}
