#include "experiments/lib/experiment.h"

#include "core/registry.h"

namespace multiplex {

bool RegisterExperiment(const std::string& name, const std::string& help,
                        std::vector<std::string> outputs,
                        Experiment::RunFn run) {
  PluginEntry<Experiment> entry;
  entry.name = name;
  entry.help = help;
  entry.example = name;
  entry.factory =
      [name, outputs, run](
          const PluginValues&) -> absl::StatusOr<std::unique_ptr<Experiment>> {
    return std::make_unique<Experiment>(name, outputs, run);
  };
  return RegisterPlugin<Experiment>(std::move(entry));
}

}  // namespace multiplex
