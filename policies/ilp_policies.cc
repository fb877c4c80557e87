// sr-ilp and mp-ilp (docs/study.md §5.11): the original study code's integer
// programs, solved by CBC.
//   sr-ilp (SelectiveReplicationILP): one GPU per group, which models on
//     which GPU, maximising the smallest (replicas x single-GPU throughput /
//     rate) over the models, plus 10^-4 x their sum.
//   mp-ilp (ModelParallelismILP): splits the GPUs into pipelines of 1, 2, 4
//     or 8 stages and places models on them, maximising the smallest (summed
//     capability within the SLO / rate) over the models, plus 10^-4 x their
//     sum.
// Both differ only in the program they build; solving, decoding and the
// placement's note are shared here.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/cbc_solver.h"
#include "policies/evaluator.h"
#include "policies/ilp_formulation.h"

namespace multiplex {
namespace {

// Program: SrIlp or MpIlp; Build: BuildSrIlp or BuildMpIlp.
template <typename Program,
          absl::StatusOr<Program> (*Build)(const PlacementProblem&,
                                           absl::string_view, bool)>
class IlpPolicy : public PlacementPolicy {
 public:
  IlpPolicy(std::string name, MipOptions options, bool order_slots)
      : name_(std::move(name)), options_(options), order_slots_(order_slots) {}
  std::string Name() const override { return name_; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::StatusOr<Program> ilp = Build(problem, name_, order_slots_);
    if (!ilp.ok()) return ilp.status();
    absl::StatusOr<MipSolution> solution =
        SolveWithCbc(ilp->mip, options_, name_);
    if (!solution.ok()) return solution.status();
    Placement placement = ilp->Decode(solution->values);
    absl::Status hosts = CheckNotEmpty(placement, problem, name_);
    if (!hosts.ok()) return hosts;
    placement.note = DescribeSolution(*solution, options_);
    return placement;
  }

 private:
  std::string name_;
  MipOptions options_;
  bool order_slots_;
};

std::vector<PluginParam> Params() {
  std::vector<PluginParam> params = MipParams();
  params.push_back(SlotsParam());
  return params;
}

template <typename Program,
          absl::StatusOr<Program> (*Build)(const PlacementProblem&,
                                           absl::string_view, bool)>
bool Register(const char* name, const char* help) {
  return RegisterPlugin<PlacementPolicy>(
      {name, "", Params(), help, /*example=*/name,
       [name](const PluginValues& args)
           -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
         return std::make_unique<IlpPolicy<Program, Build>>(
             name, MipOptionsFromArgs(args), OrderSlotsFromArgs(args));
       }});
}

const bool kSrIlpRegistered = Register<SrIlp, BuildSrIlp>(
    "sr-ilp",
    "selective replication by integer program (CBC): one GPU per group, "
    "maximise the least throughput per request rate");
const bool kMpIlpRegistered = Register<MpIlp, BuildMpIlp>(
    "mp-ilp",
    "pipelines of 1-8 GPUs and their models by integer program (CBC): "
    "maximise the least capability within the SLO per request rate");

}  // namespace
}  // namespace multiplex
