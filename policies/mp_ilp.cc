// mp-ilp (docs/study.md §5.11): the original study code's model-parallel
// integer program (ModelParallelismILP), solved by CBC: splits the GPUs into
// pipelines of 1, 2, 4 or 8 stages and places models on them, maximising the
// smallest (summed capability within the SLO / rate) over the models, plus
// 10^-4 x their sum.

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "policies/cbc_solver.h"
#include "policies/evaluator.h"
#include "policies/ilp_formulation.h"

namespace multiplex {
namespace {

constexpr char kName[] = "mp-ilp";

class MpIlpPolicy : public PlacementPolicy {
 public:
  MpIlpPolicy(MipOptions options, bool order_slots)
      : options_(options), order_slots_(order_slots) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::StatusOr<MpIlp> ilp = BuildMpIlp(problem, kName, order_slots_);
    if (!ilp.ok()) return ilp.status();
    absl::StatusOr<MipSolution> solution =
        SolveWithCbc(ilp->mip, options_, kName);
    if (!solution.ok()) return solution.status();
    Placement placement = ilp->Decode(solution->values);
    absl::Status hosts = CheckNotEmpty(placement, problem, kName);
    if (!hosts.ok()) return hosts;
    placement.note = DescribeSolution(*solution, options_);
    return placement;
  }

 private:
  MipOptions options_;
  bool order_slots_;
};

std::vector<PluginParam> Params() {
  std::vector<PluginParam> params = MipParams();
  params.push_back(SlotsParam());
  return params;
}

const bool kRegistered = RegisterPlugin<PlacementPolicy>(
    {kName, "", Params(),
     "pipelines of 1-8 GPUs and their models by integer program (CBC): "
     "maximise the least capability within the SLO per request rate",
     /*example=*/kName,
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<MpIlpPolicy>(MipOptionsFromArgs(args),
                                            OrderSlotsFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
