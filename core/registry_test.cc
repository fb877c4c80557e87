#include "core/registry.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A tiny interface to register test plugins against.
class Greeter {
 public:
  static constexpr const char* kPluginCategory = "greeter";
  explicit Greeter(std::string text) : text_(std::move(text)) {}
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

PluginEntry<Greeter> Echo(std::string name, std::string pattern,
                          std::vector<PluginParam> params) {
  PluginEntry<Greeter> e;
  e.name = std::move(name);
  e.pattern = std::move(pattern);
  e.params = std::move(params);
  e.help = "echoes its arguments";
  std::string plugin = e.name;
  e.factory =
      [plugin](
          const PluginArgs& args) -> absl::StatusOr<std::unique_ptr<Greeter>> {
    return std::make_unique<Greeter>(plugin + "[" + args.ToString() + "]");
  };
  return e;
}

TEST(RegistryTest, CreatesPlainPlugin) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("hello", "", {})).ok());
  auto g = r.Create("hello");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "hello[]");
}

TEST(RegistryTest, BindsOneNameParameter) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(
      r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {{"G", "stages"}}))
          .ok());
  auto g = r.Create("mp-greedy-8");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "mp-greedy[G=8]");
}

TEST(RegistryTest, BindsTwoNameParametersInOrder) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("mp-equal", R"(mp-equal-(\d+)-(\d+))",
                              {{"pp", "stages"}, {"op", "shards"}}))
                  .ok());
  auto g = r.Create("mp-equal-4-2");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "mp-equal[op=2,pp=4]");
}

TEST(RegistryTest, PatternMustMatchWholeName) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(
      r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {{"G", ""}})).ok());
  EXPECT_FALSE(r.Create("mp-greedy-8x").ok());
  EXPECT_FALSE(r.Create("xmp-greedy-8").ok());
  EXPECT_FALSE(r.Create("mp-greedy-").ok());
}

TEST(RegistryTest, SpecArgumentsAfterColon) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("gamma", "", {{"rate", ""}, {"cv", ""}})).ok());
  auto g = r.Create("gamma:rate=2, cv=3");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "gamma[cv=3,rate=2]");
}

TEST(RegistryTest, SpecArgumentsOverrideCallerArguments) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("gamma", "", {{"rate", ""}, {"cv", ""}})).ok());
  PluginArgs defaults;
  defaults.Set("rate", "5");
  defaults.Set("cv", "1");
  auto g = r.Create("gamma:cv=3", defaults);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "gamma[cv=3,rate=5]");
}

TEST(RegistryTest, UnknownParameterListsAcceptedOnes) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("gamma", "", {{"rate", ""}, {"cv", ""}})).ok());
  auto g = r.Create("gamma:shape=2");
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("no parameter 'shape'"));
  EXPECT_THAT(g.status().message(), HasSubstr("rate, cv"));
}

TEST(RegistryTest, MalformedSpecArguments) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("gamma", "", {{"rate", ""}})).ok());
  auto g = r.Create("gamma:rate");
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("expected key=value"));
}

TEST(RegistryTest, DuplicateRegistrationIsAnError) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("hello", "", {})).ok());
  absl::Status s = r.Register(Echo("hello", "", {}));
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(s.message(), HasSubstr("'hello' is registered twice"));
}

TEST(RegistryTest, UnknownNameListsKnownNames) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("sr-uniform", "", {})).ok());
  ASSERT_TRUE(
      r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {{"G", ""}})).ok());
  auto g = r.Create("mp-gredy-8");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(g.status().message(),
            "unknown greeter 'mp-gredy-8'; known: mp-greedy-<G>, sr-uniform");
}

TEST(RegistryTest, RejectsPatternWithMoreGroupsThanParams) {
  Registry<Greeter> r("greeter");
  absl::Status s = r.Register(Echo("bad", R"(bad-(\d+)-(\d+))", {{"a", ""}}));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("2 capture groups"));
  EXPECT_FALSE(r.Register(Echo("worse", "worse-(", {{"a", ""}})).ok());
}

TEST(RegistryTest, FactoryErrorsNameTheSpec) {
  Registry<Greeter> r("greeter");
  PluginEntry<Greeter> e = Echo("picky", "", {});
  e.factory =
      [](const PluginArgs&) -> absl::StatusOr<std::unique_ptr<Greeter>> {
    return absl::InvalidArgumentError("rate must be positive");
  };
  ASSERT_TRUE(r.Register(e).ok());
  auto g = r.Create("picky");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(), "greeter 'picky': rate must be positive");
}

TEST(RegistryTest, NamesAreSortedAndDeterministic) {
  Registry<Greeter> a("greeter"), b("greeter");
  for (const char* n : {"zeta", "alpha", "mid"}) {
    ASSERT_TRUE(a.Register(Echo(n, "", {})).ok());
  }
  for (const char* n : {"mid", "zeta", "alpha"}) {
    ASSERT_TRUE(b.Register(Echo(n, "", {})).ok());
  }
  EXPECT_THAT(a.Names(), ElementsAre("alpha", "mid", "zeta"));
  EXPECT_EQ(a.Names(), b.Names());
}

TEST(PluginArgsTest, TypedGettersNameTheParameter) {
  PluginArgs args;
  args.Set("rate", "abc");
  args.Set("n", "3.5");
  EXPECT_THAT(args.GetDouble("rate").status().message(),
              HasSubstr("parameter 'rate' must be a number"));
  EXPECT_THAT(args.GetInt("n").status().message(),
              HasSubstr("parameter 'n' must be an integer"));
  EXPECT_THAT(args.GetDouble("cv").status().message(),
              HasSubstr("missing parameter 'cv'"));
  EXPECT_EQ(*args.GetDoubleOr("cv", 1.5), 1.5);
  EXPECT_FALSE(args.GetDoubleOr("rate", 1.0).ok());
}

TEST(PluginArgsTest, NumbersPrintShortest) {
  PluginArgs args;
  args.Set("rate", 20.0);
  args.Set("cv", 0.1);
  EXPECT_EQ(args.ToString(), "cv=0.1,rate=20");
  args.Set("rate", 20.0 / 3);
  EXPECT_EQ(*args.GetString("rate"), "6.666666666666667");
  EXPECT_EQ(*args.GetDouble("rate"), 20.0 / 3);
}

}  // namespace
}  // namespace multiplex
