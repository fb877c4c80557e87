// `fast`: the simulator of core/simulator.h (docs/study.md §3.2-3.4) as a
// plugin: batch 1, each request routed and admitted or rejected on arrival.

#include <memory>
#include <string>

#include "core/registry.h"
#include "core/simulator.h"
#include "core/simulator_interface.h"

namespace multiplex {
namespace {

class FastSimulator : public Simulator {
 public:
  std::string Name() const override { return "fast"; }
  absl::StatusOr<SimulationResult> Simulate(
      const PreparedPlacement& prepared, const Workload& workload,
      const SimulateOptions& options) const override {
    return multiplex::Simulate(prepared, workload, options);
  }
  absl::Status SimulateLeanInRange(const PreparedPlacement& prepared,
                                   const Workload& workload,
                                   SimulatorScratch* scratch, LeanResult* out,
                                   TrimRange range) const override {
    return multiplex::SimulateLeanInRange(prepared, workload, scratch, out,
                                          range);
  }
};

const bool kRegistered = RegisterPlugin<Simulator>(
    {/*name=*/"fast",
     /*pattern=*/"",
     /*params=*/{},
     /*help=*/
     "batch 1; a request takes its group's stages on arrival or is rejected "
     "at once (core/simulator.h)",
     /*example=*/"fast",
     /*factory=*/
     [](const PluginValues&) -> absl::StatusOr<std::unique_ptr<Simulator>> {
       return std::unique_ptr<Simulator>(new FastSimulator());
     }});

}  // namespace
}  // namespace multiplex
