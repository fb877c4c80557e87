// sr-ilp (docs/study.md §5.11): the original study code's selective replication
// as an integer program (SelectiveReplicationILP), solved by CBC: one GPU per
// group, which models on which GPU, maximising the smallest (replicas x
// single-GPU throughput / rate) over the models, plus 10^-4 x their sum.

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

constexpr char kName[] = "sr-ilp";

class SrIlpPolicy : public PlacementPolicy {
 public:
  SrIlpPolicy(MipOptions options, bool order_slots)
      : options_(options), order_slots_(order_slots) {}
  std::string Name() const override { return kName; }

  absl::StatusOr<Placement> Place(
      const PlacementProblem& problem) const override {
    absl::StatusOr<SrIlp> ilp = BuildSrIlp(problem, kName, order_slots_);
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
     "selective replication by integer program (CBC): one GPU per group, "
     "maximise the least throughput per request rate",
     /*example=*/kName,
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<PlacementPolicy>> {
       return std::make_unique<SrIlpPolicy>(MipOptionsFromArgs(args),
                                            OrderSlotsFromArgs(args));
     }});

}  // namespace
}  // namespace multiplex
