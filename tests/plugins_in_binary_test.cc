// Proves that a cc_binary, not only a cc_test, keeps every plugin: plugin
// libraries register from static initialisers and are alwayslink, so the
// //tools:plugins binary (argv[1]) must list each plugin this test's own
// registries hold (it links the same //tools:all_plugins).

#include <cstdio>
#include <memory>
#include <string>

#include "core/arrival_process.h"
#include "core/cost_model.h"
#include "core/length_distribution.h"
#include "core/placement_policy.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

const char* g_plugins_binary = nullptr;

std::string RunPluginsBinary() {
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(g_plugins_binary, "r"),
                                             pclose);
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe.get())) > 0) out.append(buf, n);
  return out;
}

// Each category's header with its count, then one line per plugin that
// starts with its usage name ("  mp-greedy-<G>   ...").
template <typename T>
void ExpectListed(const std::string& listing) {
  const Registry<T>& registry = Registry<T>::Global();
  ASSERT_FALSE(registry.entries().empty())
      << "no " << registry.category() << " plugin is registered";
  EXPECT_THAT(listing, ::testing::HasSubstr(
                           registry.category() + " (" +
                           std::to_string(registry.entries().size()) + ")\n"));
  for (const auto& [name, entry] : registry.entries()) {
    const std::string usage = Registry<T>::Usage(entry);
    EXPECT_THAT(listing, ::testing::HasSubstr("\n  " + usage + " "))
        << usage << " missing from //tools:plugins";
    EXPECT_THAT(listing, ::testing::HasSubstr("example: " + entry.example))
        << usage;
  }
}

TEST(PluginsInBinaryTest, ListsEveryRegisteredPlugin) {
  ASSERT_NE(g_plugins_binary, nullptr);
  const std::string listing = RunPluginsBinary();
  ASSERT_FALSE(listing.empty()) << "no output from " << g_plugins_binary;
  ExpectListed<CostModel>(listing);
  ExpectListed<ArrivalProcess>(listing);
  ExpectListed<LengthDistribution>(listing);
  ExpectListed<PlacementPolicy>(listing);
  ExpectListed<Simulator>(listing);
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s PATH_TO_PLUGINS_BINARY\n", argv[0]);
    return 2;
  }
  multiplex::g_plugins_binary = argv[1];
  return RUN_ALL_TESTS();
}
