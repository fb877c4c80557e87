#include "policies/ilp_formulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "policies/evaluator.h"

namespace multiplex {
namespace {

constexpr ParallelConfig kSingleGpu{1, 1, 1};
// The original's per-stage discount of a pipeline's capability.
constexpr double kStageDiscount = 0.99;

absl::StatusOr<StageCosts> BatchOneStages(const PlacementProblem& problem,
                                          int model,
                                          const ParallelConfig& config) {
  return problem.cost_model->Stages((*problem.models)[model].type, config, 1);
}

// The tolerance objective: min over models with requests of value_i / a_i,
// plus kIlpSumWeight x their sum. 0 when no model has requests.
double Tolerance(const IlpInputs& inputs, const std::vector<double>& value) {
  double min = std::numeric_limits<double>::infinity(), sum = 0;
  for (int i = 0; i < inputs.num_models; ++i) {
    if (inputs.rate[i] <= 0) continue;
    const double t = value[i] / inputs.rate[i];
    min = std::min(min, t);
    sum += t;
  }
  if (std::isinf(min)) return 0;
  return min + kIlpSumWeight * sum;
}

// Columns min_tolerance and sum_tolerance and their rows: for each model with
// requests min_tolerance <= sum_c coef_c x_c, and sum_tolerance = the sum of
// all those sums. `terms[i]` lists (column, coefficient) of model i's
// tolerance.
void AddToleranceRows(
    const IlpInputs& inputs,
    const std::vector<std::vector<std::pair<int, double>>>& terms,
    MipModel* mip) {
  const double inf = std::numeric_limits<double>::infinity();
  const int min_col = mip->AddColumn("min_tolerance", 0, inf, 1, false);
  const int sum_col =
      mip->AddColumn("sum_tolerance", 0, inf, kIlpSumWeight, false);
  std::vector<int> sum_cols = {sum_col};
  std::vector<double> sum_coefs = {1};
  for (int i = 0; i < inputs.num_models; ++i) {
    if (inputs.rate[i] <= 0) continue;
    std::vector<int> cols = {min_col};
    std::vector<double> coefs = {1};
    for (const auto& [col, coef] : terms[i]) {
      if (coef == 0) continue;
      cols.push_back(col);
      coefs.push_back(-coef / inputs.rate[i]);
      sum_cols.push_back(col);
      sum_coefs.push_back(-coef / inputs.rate[i]);
    }
    mip->AddRow(absl::StrCat("min_tolerance_", i), std::move(cols),
                std::move(coefs), 'L', 0);
  }
  mip->AddRow("sum_tolerance", std::move(sum_cols), std::move(sum_coefs), 'E',
              0);
}

}  // namespace

int MipModel::AddColumn(std::string name, double lower, double upper,
                        double objective, bool integer) {
  columns.push_back({std::move(name), lower, upper, objective, integer});
  return static_cast<int>(columns.size()) - 1;
}

void MipModel::AddRow(std::string name, std::vector<int> cols,
                      std::vector<double> coefficients, char sense,
                      double rhs) {
  rows.push_back(
      {std::move(name), std::move(cols), std::move(coefficients), sense, rhs});
}

double MipModel::Objective(const std::vector<double>& values) const {
  double sum = 0;
  for (size_t c = 0; c < columns.size(); ++c) {
    sum += columns[c].objective * values[c];
  }
  return sum;
}

bool MipModel::Feasible(const std::vector<double>& values, double tol) const {
  if (values.size() != columns.size()) return false;
  for (size_t c = 0; c < columns.size(); ++c) {
    const double v = values[c];
    if (v < columns[c].lower - tol || v > columns[c].upper + tol) return false;
    if (columns[c].integer && std::abs(v - std::round(v)) > tol) return false;
  }
  for (const Row& row : rows) {
    double lhs = 0;
    for (size_t e = 0; e < row.columns.size(); ++e) {
      lhs += row.coefficients[e] * values[row.columns[e]];
    }
    const double slack = tol * std::max(1.0, std::abs(row.rhs));
    if (row.sense != 'G' && lhs > row.rhs + slack) return false;
    if (row.sense != 'L' && lhs < row.rhs - slack) return false;
  }
  return true;
}

absl::StatusOr<IlpInputs> ReadIlpInputs(const PlacementProblem& problem,
                                        absl::string_view policy) {
  absl::Status ok = ValidateProblem(problem, policy);
  if (!ok.ok()) return ok;
  // The evaluator checks the training workload (present, names matching).
  absl::StatusOr<std::unique_ptr<PlacementEvaluator>> ev =
      StartSearchingPolicy(problem, policy);
  if (!ev.ok()) return ev.status();
  const Workload& w = *problem.training_workload;
  IlpInputs in;
  in.num_models = static_cast<int>(problem.models->size());
  in.num_devices = problem.cluster.num_devices;
  in.mem_budget_bytes = problem.cluster.mem_budget_bytes;
  in.rate.assign(in.num_models, 0);
  in.slo_s.assign(in.num_models, std::numeric_limits<double>::infinity());
  for (size_t r = 0; r < w.size(); ++r) {
    in.rate[w.model[r]] += 1;
    in.slo_s[w.model[r]] = std::min(in.slo_s[w.model[r]], w.slo_s[r]);
  }
  const double span =
      w.size() > 1 ? w.arrival_s.back() - w.arrival_s.front() : 0.0;
  for (int i = 0; i < in.num_models; ++i) {
    in.rate[i] /= span > 0 ? span : 1.0;
    if (in.rate[i] > 0 && !std::isfinite(in.slo_s[i])) {
      in.all_slo_finite = false;
    }
    absl::StatusOr<double> bytes = (*ev)->WeightBytes(i, kSingleGpu);
    if (!bytes.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          policy, ": the cost model lacks config (1,1,1) for model type '",
          (*problem.models)[i].type,
          "'; both ILPs read a model's single-GPU weight and latency"));
    }
    in.single_gpu_bytes.push_back(*bytes);
  }
  if (w.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(policy, ": the training workload has no requests"));
  }
  return in;
}

absl::StatusOr<double> SingleThroughput(const PlacementProblem& problem,
                                        int model) {
  absl::StatusOr<StageCosts> stages =
      BatchOneStages(problem, model, kSingleGpu);
  if (!stages.ok()) return stages.status();
  return 1 / stages->TotalLatency();
}

double Capability(const PlacementProblem& problem, int model,
                  const ParallelConfig& config, double slo_s, bool finite_slo) {
  absl::StatusOr<StageCosts> stages = BatchOneStages(problem, model, config);
  if (!stages.ok()) return 0;
  const double discount = std::pow(kStageDiscount, config.pp);
  const double max_latency = stages->MaxLatency();
  if (!finite_slo) return discount / max_latency;
  const double requests =
      std::floor((slo_s - stages->TotalLatency()) / max_latency) + 1;
  return std::max(0.0, requests) * discount;
}

Placement SrIlp::Decode(const std::vector<double>& values) const {
  Placement p = EmptyGroups(kSingleGpu, inputs.num_devices);
  for (int j = 0; j < inputs.num_devices; ++j) {
    for (int i = 0; i < inputs.num_models; ++i) {
      if (values[P(i, j)] > 0.5) p.groups[j].models.push_back(i);
    }
  }
  return p;
}

absl::StatusOr<SrIlp> BuildSrIlp(const PlacementProblem& problem,
                                 absl::string_view policy, bool order_slots) {
  absl::StatusOr<IlpInputs> inputs = ReadIlpInputs(problem, policy);
  if (!inputs.ok()) return inputs.status();
  SrIlp ilp;
  ilp.inputs = *std::move(inputs);
  const int n = ilp.inputs.num_models, m = ilp.inputs.num_devices;
  for (int i = 0; i < n; ++i) {
    absl::StatusOr<double> t = SingleThroughput(problem, i);
    if (!t.ok()) return t.status();
    ilp.throughput.push_back(*t);
  }
  MipModel& mip = ilp.mip;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      mip.AddColumn(absl::StrCat("p_", i, "_", j), 0, 1, 0, true);
    }
  }
  // (a) memory per GPU: sum_i p_ij c_i / C <= 1.
  const double budget = ilp.inputs.mem_budget_bytes * kMemoryBudgetTolerance;
  for (int j = 0; j < m; ++j) {
    std::vector<int> cols;
    std::vector<double> coefs;
    for (int i = 0; i < n; ++i) {
      cols.push_back(ilp.P(i, j));
      coefs.push_back(ilp.inputs.single_gpu_bytes[i] / budget);
    }
    mip.AddRow(absl::StrCat("memory_", j), std::move(cols), std::move(coefs),
               'L', 1);
  }
  for (int j = 0; order_slots && j + 1 < m; ++j) {
    // Symmetry: sum_i p_ij (n + i) >= sum_i p_i(j+1) (n + i).
    std::vector<int> cols;
    std::vector<double> coefs;
    for (int i = 0; i < n; ++i) {
      cols.push_back(ilp.P(i, j));
      coefs.push_back(n + i);
      cols.push_back(ilp.P(i, j + 1));
      coefs.push_back(-(n + i));
    }
    mip.AddRow(absl::StrCat("gpu_order_", j), std::move(cols), std::move(coefs),
               'G', 0);
  }
  // (b), (c): rep_i = sum_j p_ij; tolerance rep_i t_i / a_i.
  std::vector<std::vector<std::pair<int, double>>> terms(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      terms[i].push_back({ilp.P(i, j), ilp.throughput[i]});
    }
  }
  AddToleranceRows(ilp.inputs, terms, &mip);
  return ilp;
}

absl::StatusOr<double> SrIlpObjective(const PlacementProblem& problem,
                                      const Placement& placement) {
  absl::StatusOr<IlpInputs> inputs = ReadIlpInputs(problem, "sr-ilp");
  if (!inputs.ok()) return inputs.status();
  std::vector<double> value(inputs->num_models, 0);
  for (const Group& group : placement.groups) {
    if (group.config != kSingleGpu) {
      return absl::InvalidArgumentError(
          absl::StrCat("the selective-replication objective needs (1,1,1) "
                       "groups, not ",
                       group.config.ToString()));
    }
    for (int i : group.models) {
      absl::StatusOr<double> t = SingleThroughput(problem, i);
      if (!t.ok()) return t.status();
      value[i] += *t;
    }
  }
  return Tolerance(*inputs, value);
}

std::vector<int> MpIlpGroupSizes(int num_devices) {
  std::vector<int> sizes = {0};
  for (int g = 1; g <= 8 && g <= num_devices; g *= 2) sizes.push_back(g);
  return sizes;
}

Placement MpIlp::Decode(const std::vector<double>& values) const {
  Placement p;
  for (int j = 0; j < num_slots(); ++j) {
    int size = 0;
    for (int k = 0; k < num_sizes(); ++k) {
      if (values[S(j, k)] > 0.5) size = sizes[k];
    }
    if (size == 0) continue;
    Group group;
    group.config = {1, 1, size};
    for (int i = 0; i < inputs.num_models; ++i) {
      if (values[P(i, j)] > 0.5) group.models.push_back(i);
    }
    p.groups.push_back(std::move(group));
  }
  return p;
}

absl::StatusOr<MpIlp> BuildMpIlp(const PlacementProblem& problem,
                                 absl::string_view policy, bool order_slots) {
  absl::StatusOr<IlpInputs> inputs = ReadIlpInputs(problem, policy);
  if (!inputs.ok()) return inputs.status();
  MpIlp ilp;
  ilp.inputs = *std::move(inputs);
  ilp.sizes = MpIlpGroupSizes(ilp.inputs.num_devices);
  const int n = ilp.inputs.num_models, g = ilp.num_slots(),
            kk = ilp.num_sizes();
  const double budget = ilp.inputs.mem_budget_bytes * kMemoryBudgetTolerance;
  // f_ik and d_ik (largest per-GPU stage weight / C; 2 where the cost model
  // lacks the config or the slot is unused, as the original's 2 x budget).
  std::vector<std::vector<double>> stage_mem(n, std::vector<double>(kk, 2));
  ilp.cap.assign(n, std::vector<double>(kk, 0));
  for (int i = 0; i < n; ++i) {
    for (int k = 1; k < kk; ++k) {
      const ParallelConfig config{1, 1, ilp.sizes[k]};
      ilp.cap[i][k] = Capability(problem, i, config, ilp.inputs.slo_s[i],
                                 ilp.inputs.all_slo_finite);
      absl::StatusOr<StageCosts> stages = BatchOneStages(problem, i, config);
      if (stages.ok()) stage_mem[i][k] = stages->MaxWeightBytes() / budget;
    }
  }
  MipModel& mip = ilp.mip;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < g; ++j) {
      mip.AddColumn(absl::StrCat("p_", i, "_", j), 0, 1, 0, true);
    }
  }
  for (int j = 0; j < g; ++j) {
    for (int k = 0; k < kk; ++k) {
      mip.AddColumn(absl::StrCat("s_", j, "_", k), 0, 1, 0, true);
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < g; ++j) {
      for (int k = 0; k < kk; ++k) {
        mip.AddColumn(absl::StrCat("pxs_", i, "_", j, "_", k), 0, 1, 0, true);
      }
    }
  }
  for (int j = 0; j < g; ++j) {
    // (a) memory of the slot: sum_i p_ij c_i / C <= sum_k s_jk g_k.
    std::vector<int> cols;
    std::vector<double> coefs;
    for (int i = 0; i < n; ++i) {
      cols.push_back(ilp.P(i, j));
      coefs.push_back(ilp.inputs.single_gpu_bytes[i] / budget);
    }
    for (int k = 1; k < kk; ++k) {
      cols.push_back(ilp.S(j, k));
      coefs.push_back(-ilp.sizes[k]);
    }
    mip.AddRow(absl::StrCat("memory_", j), std::move(cols), std::move(coefs),
               'L', 0);
    // (a') per GPU of the slot: sum_ik pxs_ijk d_ik / C <= 1 (the original's
    // "more precise version", kept so that every stage fits its GPU).
    cols.clear();
    coefs.clear();
    for (int i = 0; i < n; ++i) {
      for (int k = 0; k < kk; ++k) {
        cols.push_back(ilp.Pxs(i, j, k));
        coefs.push_back(stage_mem[i][k]);
      }
    }
    mip.AddRow(absl::StrCat("stage_memory_", j), std::move(cols),
               std::move(coefs), 'L', 1);
  }
  // (b), (c): cap_i = sum_jk pxs_ijk f_ik; tolerance cap_i / a_i.
  std::vector<std::vector<std::pair<int, double>>> terms(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < g; ++j) {
      for (int k = 0; k < kk; ++k) {
        terms[i].push_back({ilp.Pxs(i, j, k), ilp.cap[i][k]});
      }
    }
  }
  AddToleranceRows(ilp.inputs, terms, &mip);
  // (d) the slots' sizes add up to the device count.
  {
    std::vector<int> cols;
    std::vector<double> coefs;
    for (int j = 0; j < g; ++j) {
      for (int k = 1; k < kk; ++k) {
        cols.push_back(ilp.S(j, k));
        coefs.push_back(ilp.sizes[k]);
      }
    }
    mip.AddRow("group_size", std::move(cols), std::move(coefs), 'E',
               ilp.inputs.num_devices);
  }
  for (int j = 0; j < g; ++j) {
    // (e) one size per slot.
    std::vector<int> cols;
    for (int k = 0; k < kk; ++k) cols.push_back(ilp.S(j, k));
    mip.AddRow(absl::StrCat("one_size_", j), std::move(cols),
               std::vector<double>(kk, 1), 'E', 1);
  }
  for (int j = 0; order_slots && j + 1 < g; ++j) {
    // Symmetry: sum_k g_k s_jk >= sum_k g_k s_(j+1)k.
    std::vector<int> cols;
    std::vector<double> coefs;
    for (int k = 1; k < kk; ++k) {
      cols.push_back(ilp.S(j, k));
      coefs.push_back(ilp.sizes[k]);
      cols.push_back(ilp.S(j + 1, k));
      coefs.push_back(-ilp.sizes[k]);
    }
    mip.AddRow(absl::StrCat("slot_order_", j), std::move(cols),
               std::move(coefs), 'G', 0);
  }
  // (f) pxs_ijk = p_ij AND s_jk.
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < g; ++j) {
      for (int k = 0; k < kk; ++k) {
        const int x = ilp.Pxs(i, j, k), p = ilp.P(i, j), s = ilp.S(j, k);
        const std::string at = absl::StrCat(i, "_", j, "_", k);
        mip.AddRow(absl::StrCat("pxs_le_p_", at), {x, p}, {1, -1}, 'L', 0);
        mip.AddRow(absl::StrCat("pxs_le_s_", at), {x, s}, {1, -1}, 'L', 0);
        mip.AddRow(absl::StrCat("pxs_ge_", at), {x, p, s}, {1, -1, -1}, 'G',
                   -1);
      }
    }
  }
  return ilp;
}

absl::StatusOr<double> MpIlpObjective(const PlacementProblem& problem,
                                      const Placement& placement) {
  absl::StatusOr<IlpInputs> inputs = ReadIlpInputs(problem, "mp-ilp");
  if (!inputs.ok()) return inputs.status();
  std::vector<double> value(inputs->num_models, 0);
  for (const Group& group : placement.groups) {
    for (int i : group.models) {
      value[i] += Capability(problem, i, group.config, inputs->slo_s[i],
                             inputs->all_slo_finite);
    }
  }
  return Tolerance(*inputs, value);
}

}  // namespace multiplex
