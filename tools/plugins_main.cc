// Lists every registered plugin, per category, with its parameters (name,
// type, default or "required", range, help: from the declaration the
// registry enforces) and an example spec.
//   bazel run //tools:plugins

#include <cstdio>
#include <string>

#include "core/arrival_process.h"
#include "core/cost_model.h"
#include "core/length_distribution.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
#include "tools/cli/cli.h"

namespace multiplex {
namespace {

template <typename T>
void PrintCategory() {
  const Registry<T>& registry = Registry<T>::Global();
  std::printf("%s (%zu)\n", registry.category().c_str(),
              registry.entries().size());
  for (const auto& [name, entry] : registry.entries()) {
    std::printf("  %-22s %s\n", Registry<T>::Usage(entry).c_str(),
                entry.help.c_str());
    for (const PluginParam& param : entry.params) {
      std::printf("  %-22s   %s\n", "", DescribeParam(param).c_str());
    }
    std::printf("  %-22s   example: %s\n", "", entry.example.c_str());
  }
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(
      argc, argv, "plugins",
      "Lists every plugin this build registers, per category, with its "
      "parameters.\nUsage: bazel run //tools:plugins");
  multiplex::PrintCategory<multiplex::CostModel>();
  multiplex::PrintCategory<multiplex::ArrivalProcess>();
  multiplex::PrintCategory<multiplex::LengthDistribution>();
  multiplex::PrintCategory<multiplex::PlacementPolicy>();
  multiplex::PrintCategory<multiplex::Simulator>();
  return 0;
}
