#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGIN_SWEEPS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGIN_SWEEPS_H_

// Sweeps over a plugin's own parameters ("workload.process.spread",
// "cost_model.alpha", "simulator.max_batch_size", "policy.<param>";
// spec_paths.h's PluginParamPath), resolved against the registry's typed
// declarations of the plugin each case uses, and applied to a case.

#include <string>

#include "absl/status/status.h"
#include "experiments/lib/study_load_state.h"

namespace multiplex {
namespace study_internal {

// Checks every swept plugin parameter against the declarations of the
// plugins it reaches (for a study sweep, each policy's): the parameter
// exists (else the error lists the plugin's parameters), is an int or a
// double, is not fed by the study (PluginParam::FedBy) nor bound by the
// plugin's name, and each swept value parses under its declaration. A value
// the spec gives is the default the sweep overrides. Creates the
// swept cost models and simulators (Study::cost_models, simulators). Needs
// the plugins created (study_plugins.h).
absl::Status CheckPluginSweeps(LoadState& load);

// What a case's sweep point sets in plugin specs, gathered over its axes
// and applied at once (so that policy.spec, swept on any axis, comes first).
struct PluginSettings {
  std::vector<std::pair<PluginParamPath, std::string>> values;  // in order
};

// Applies the settings to case c of policy p: the process specs in c.spec,
// c.policy_spec, and c.cost_model and c.simulator (the policy's unless
// swept).
absl::Status ApplyPluginSettings(LoadState& load, int p,
                                 const PluginSettings& settings, StudyCase* c);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_PLUGIN_SWEEPS_H_
