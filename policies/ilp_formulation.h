#ifndef MULTIPLEX_POLICIES_ILP_FORMULATION_H_
#define MULTIPLEX_POLICIES_ILP_FORMULATION_H_

// The two integer programs of the original study's code, solver-free
// (docs/study.md §5.11): selective replication (sr-ilp) and its
// model-parallel counterpart (mp-ilp). Each is built from a placement problem
// as a MipModel any MIP solver can take, decoded from a solution vector into
// a Placement, and its objective can be evaluated on any placement, so the
// heuristics' placements can be measured on the ILP's own yardstick.
//
//   absl::StatusOr<SrIlp> ilp = BuildSrIlp(problem, "sr-ilp");
//   std::vector<double> x = <solve ilp->mip>;
//   Placement p = ilp->Decode(x);
//   double objective = *SrIlpObjective(ilp->inputs, p);

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/placement.h"
#include "core/placement_policy.h"

namespace multiplex {

// A mixed-integer linear program: columns (variables) with bounds, objective
// coefficients and integrality; rows sum(coef x col) <sense> rhs with sense
// 'L' (<=), 'G' (>=) or 'E' (=).
struct MipModel {
  struct Column {
    std::string name;
    double lower = 0;
    double upper = 1;
    double objective = 0;
    bool integer = false;
  };
  struct Row {
    std::string name;
    std::vector<int> columns;
    std::vector<double> coefficients;
    char sense = 'L';
    double rhs = 0;
  };
  bool maximize = true;
  std::vector<Column> columns;
  std::vector<Row> rows;

  int AddColumn(std::string name, double lower, double upper, double objective,
                bool integer);
  void AddRow(std::string name, std::vector<int> columns,
              std::vector<double> coefficients, char sense, double rhs);
  // sum over columns of objective coefficient x value.
  double Objective(const std::vector<double>& values) const;
  // Whether `values` meets every bound, integrality and row within `tol`.
  bool Feasible(const std::vector<double>& values, double tol = 1e-6) const;
};

// The weight on the sum of tolerances next to the minimum (sum_k in the
// original code).
inline constexpr double kIlpSumWeight = 1e-4;

// The per-model constants both programs read from the problem.
struct IlpInputs {
  int num_models = 0;
  int num_devices = 0;
  double mem_budget_bytes = 0;
  // a_i: the model's training requests / the training workload's span (s);
  // 0 for a model without training request, which then takes no part in the
  // objective.
  std::vector<double> rate;
  // c_i: weight bytes of the model on one GPU, config (1,1,1).
  std::vector<double> single_gpu_bytes;
  // The smallest SLO of the model's training requests (s); +inf without.
  std::vector<double> slo_s;
  // Whether every model with requests has a finite SLO (else the capability
  // takes its infinite-SLO form, see Capability).
  bool all_slo_finite = true;
};

// Reads the inputs: needs models, cost model, training workload (names equal
// to the models', in order) and the config (1,1,1) for every model's type.
absl::StatusOr<IlpInputs> ReadIlpInputs(const PlacementProblem& problem,
                                        absl::string_view policy);

// t_i of the original (compute_single_throughput, max batch 1): 1 / the
// batch-1 latency of the model on (1,1,1).
absl::StatusOr<double> SingleThroughput(const PlacementProblem& problem,
                                        int model);

// f_ik of the original (compute_capability, max batch 1): with batch-1 stage
// latencies l, max(0, floor((slo - sum l) / max l) + 1) x 0.99^pp, the number
// of requests the pipeline finishes within the SLO, discounted per stage;
// 0 for a config the cost model lacks. With `finite_slo` false (some model's
// SLO is infinite) every model's capability is the limit of that number per
// second of SLO, 0.99^pp / max l.
double Capability(const PlacementProblem& problem, int model,
                  const ParallelConfig& config, double slo_s, bool finite_slo);

// Selective replication: one GPU per group, p_ij = model i on GPU j.
struct SrIlp {
  IlpInputs inputs;
  std::vector<double> throughput;  // t_i
  MipModel mip;
  int P(int model, int device) const {
    return model * inputs.num_devices + device;
  }
  // num_devices groups of (1,1,1), each with the models whose p_ij is 1.
  Placement Decode(const std::vector<double>& values) const;
};
// With `order_slots`, also the rows "GPU j's key >= GPU j+1's", the key
// sum_i p_ij (N + i): the GPUs are interchangeable, so every placement (in
// one order of its GPUs) and the optimum stay, while CBC is spared most
// permutations, which otherwise keep it from proving optimality within 30 s
// at 8 GPUs. The original has no such rows (order_slots false).
absl::StatusOr<SrIlp> BuildSrIlp(const PlacementProblem& problem,
                                 absl::string_view policy,
                                 bool order_slots = true);
// min_i rep_i t_i / a_i + kIlpSumWeight x sum_i rep_i t_i / a_i over models
// with requests, rep_i the model's replicas; InvalidArgument unless every
// group is (1,1,1).
absl::StatusOr<double> SrIlpObjective(const PlacementProblem& problem,
                                      const Placement& placement);

// The pipeline sizes the model-parallel program chooses from per group slot:
// 0 (the slot unused) and (1,1,g) for g in {1, 2, 4, 8} up to the device
// count.
std::vector<int> MpIlpGroupSizes(int num_devices);

// Model parallelism: num_devices group slots, each of one size;
// p_ij = model i in slot j, s_jk = slot j of size k, pxs_ijk = p_ij s_jk.
struct MpIlp {
  IlpInputs inputs;
  std::vector<int> sizes;                // g_k
  std::vector<std::vector<double>> cap;  // f_ik
  MipModel mip;
  int num_slots() const { return inputs.num_devices; }
  int P(int model, int slot) const { return model * num_slots() + slot; }
  int S(int slot, int k) const {
    return inputs.num_models * num_slots() + slot * num_sizes() + k;
  }
  int Pxs(int model, int slot, int k) const {
    return (inputs.num_models + num_sizes()) * num_slots() +
           (model * num_slots() + slot) * num_sizes() + k;
  }
  int num_sizes() const { return static_cast<int>(sizes.size()); }
  // One (1,1,g) group per slot of size g > 0 with the models whose p_ij is 1.
  Placement Decode(const std::vector<double>& values) const;
};
// With `order_slots`, also the rows "slot j's size >= slot j+1's": the
// slots are interchangeable, so this keeps every placement (in one order of
// its groups) and the optimum while sparing CBC the permutations, which
// otherwise dominate its search from 6 GPUs on. The original has no such
// rows (order_slots false).
absl::StatusOr<MpIlp> BuildMpIlp(const PlacementProblem& problem,
                                 absl::string_view policy,
                                 bool order_slots = true);
// min_i cap_i / a_i + kIlpSumWeight x sum_i cap_i / a_i over models with
// requests, cap_i the sum of Capability over the groups hosting model i (any
// config: the capability formula reads the group's stages).
absl::StatusOr<double> MpIlpObjective(const PlacementProblem& problem,
                                      const Placement& placement);

}  // namespace multiplex

#endif  // MULTIPLEX_POLICIES_ILP_FORMULATION_H_
