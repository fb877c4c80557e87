#include "core/registry.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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

// A plugin that echoes its parsed values; `example` defaults to its name.
PluginEntry<Greeter> Echo(std::string name, std::string pattern,
                          std::vector<PluginParam> params,
                          std::string example = "") {
  PluginEntry<Greeter> e;
  e.name = std::move(name);
  e.pattern = std::move(pattern);
  e.params = std::move(params);
  e.help = "echoes its arguments";
  e.example = example.empty() ? e.name : std::move(example);
  std::string plugin = e.name;
  e.factory = [plugin](const PluginValues& values)
      -> absl::StatusOr<std::unique_ptr<Greeter>> {
    return std::make_unique<Greeter>(plugin + "[" + values.ToString() + "]");
  };
  return e;
}

PluginParam Int(std::string name) {
  return PluginParam::Int(std::move(name)).AtLeast(1);
}
PluginParam Rate() { return PluginParam::Double("rate").GreaterThan(0); }
PluginParam Cv() {
  return PluginParam::Double("cv").Default("1").GreaterThan(0);
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
  ASSERT_TRUE(r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {Int("G")},
                              "mp-greedy-4"))
                  .ok());
  auto g = r.Create("mp-greedy-8");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "mp-greedy[G=8]");
}

TEST(RegistryTest, BindsTwoNameParametersInOrder) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("mp-equal", R"(mp-equal-(\d+)-(\d+))",
                              {Int("pp"), Int("op")}, "mp-equal-2-1"))
                  .ok());
  auto g = r.Create("mp-equal-4-2");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "mp-equal[op=2,pp=4]");
}

TEST(RegistryTest, NameParameterGivenTwiceIsAnError) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {Int("G")},
                              "mp-greedy-4"))
                  .ok());
  auto g = r.Create("mp-greedy-8:G=2");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().message(),
            "greeter 'mp-greedy': parameter 'G' is given both in the name and "
            "after the colon");
}

TEST(RegistryTest, PatternMustMatchWholeName) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {Int("G")},
                              "mp-greedy-1"))
                  .ok());
  EXPECT_EQ(std::string(r.Create("mp-greedy-8x").status().message()),
            "unknown greeter 'mp-greedy-8x'; known: mp-greedy-<G>");
  EXPECT_EQ(std::string(r.Create("xmp-greedy-8").status().message()),
            "unknown greeter 'xmp-greedy-8'; known: mp-greedy-<G>");
  EXPECT_EQ(std::string(r.Create("mp-greedy-").status().message()),
            "unknown greeter 'mp-greedy-'; known: mp-greedy-<G>");
}

TEST(RegistryTest, SpecArgumentsAfterColon) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(
      r.Register(Echo("gamma", "", {Rate(), Cv()}, "gamma:rate=1")).ok());
  auto g = r.Create("gamma:rate=2, cv=3");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "gamma[cv=3,rate=2]");
}

TEST(RegistryTest, SpecArgumentsOverrideCallerArguments) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(
      r.Register(Echo("gamma", "", {Rate(), Cv()}, "gamma:rate=1")).ok());
  PluginArgs defaults;
  defaults.Set("rate", "5");
  defaults.Set("cv", "1");
  auto g = r.Create("gamma:cv=3", defaults);
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "gamma[cv=3,rate=5]");
}

TEST(RegistryTest, UnknownParameterListsAcceptedOnes) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(
      r.Register(Echo("gamma", "", {Rate(), Cv()}, "gamma:rate=1")).ok());
  auto g = r.Create("gamma:shape=2");
  ASSERT_FALSE(g.ok());
  EXPECT_THAT(g.status().message(), HasSubstr("no parameter 'shape'"));
  EXPECT_THAT(g.status().message(), HasSubstr("rate, cv"));
}

TEST(RegistryTest, MalformedSpecArguments) {
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(Echo("gamma", "", {Rate()}, "gamma:rate=1")).ok());
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
  ASSERT_TRUE(r.Register(Echo("mp-greedy", R"(mp-greedy-(\d+))", {Int("G")},
                              "mp-greedy-1"))
                  .ok());
  auto g = r.Create("mp-gredy-8");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(g.status().message(),
            "unknown greeter 'mp-gredy-8'; known: mp-greedy-<G>, sr-uniform");
}

TEST(RegistryTest, RejectsPatternWithMoreGroupsThanParams) {
  Registry<Greeter> r("greeter");
  absl::Status s =
      r.Register(Echo("bad", R"(bad-(\d+)-(\d+))", {Int("a")}, "bad-1-1"));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("2 capture groups"));
  EXPECT_FALSE(r.Register(Echo("worse", "worse-(", {Int("a")})).ok());
}

TEST(RegistryTest, FactoryErrorsNameTheSpec) {
  Registry<Greeter> r("greeter");
  PluginEntry<Greeter> e = Echo("picky", "", {});
  e.factory =
      [](const PluginValues&) -> absl::StatusOr<std::unique_ptr<Greeter>> {
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

// Typed parameters: the registry parses, fills defaults and range-checks
// before the factory runs, with messages naming category, plugin, parameter,
// value and what is accepted.

// A registry with one plugin of each parameter shape the project uses.
class TypedParamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        registry_
            .Register(Echo("gamma", "", {Rate(), Cv()}, "gamma:rate=2,cv=3"))
            .ok());
    ASSERT_TRUE(registry_
                    .Register(Echo("mp-greedy", R"(mp-greedy-(\d+))",
                                   {Int("G")}, "mp-greedy-4"))
                    .ok());
    ASSERT_TRUE(
        registry_.Register(Echo("count", "", {Int("n")}, "count:n=1")).ok());
    ASSERT_TRUE(
        registry_
            .Register(Echo(
                "mix", "",
                {PluginParam::DoubleList("durations").GreaterThan(0),
                 PluginParam::DoubleList("rates").AtLeast(0).Default("1/2"),
                 PluginParam::StringList("models", '+').Default("a+b"),
                 PluginParam::String("partition")
                     .Default("dp")
                     .OneOf({"dp", "manual"}),
                 PluginParam::Double("p").AtLeast(0).AtMost(1).Default("0.5"),
                 PluginParam::Double("q").GreaterThan(0).LessThan(1).Default(
                     "0.5"),
                 PluginParam::String("label").Optional()},
                "mix:durations=1/2"))
            .ok());
  }

  std::string Error(const std::string& spec) {
    absl::StatusOr<std::unique_ptr<Greeter>> g = registry_.Create(spec);
    EXPECT_FALSE(g.ok()) << spec;
    EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument) << spec;
    return std::string(g.status().message());
  }
  std::string Text(const std::string& spec) {
    absl::StatusOr<std::unique_ptr<Greeter>> g = registry_.Create(spec);
    EXPECT_TRUE(g.ok()) << g.status();
    return g.ok() ? (*g)->text() : "";
  }

  Registry<Greeter> registry_{"greeter"};
};

TEST_F(TypedParamsTest, FillsDefaults) {
  EXPECT_EQ(Text("gamma:rate=2"), "gamma[cv=1,rate=2]");
  EXPECT_EQ(Text("mix:durations=1/2.5"),
            "mix[durations=1/2.5,models=a+b,p=0.5,partition=dp,q=0.5,"
            "rates=1/2]");
}

TEST_F(TypedParamsTest, FactoryReadsTypedValues) {
  PluginEntry<Greeter> e = Echo(
      "typed", "",
      {PluginParam::Int("n"), PluginParam::Double("x"),
       PluginParam::DoubleList("xs"), PluginParam::StringList("names", '+'),
       PluginParam::String("s"), PluginParam::String("maybe").Optional()},
      "typed:n=1,x=1,xs=1,names=a,s=t");
  e.factory =
      [](const PluginValues& v) -> absl::StatusOr<std::unique_ptr<Greeter>> {
    return std::make_unique<Greeter>(
        absl::StrCat(v.GetInt("n") + 1, " ", v.GetDouble("x") * 2, " ",
                     absl::StrJoin(v.GetDoubleList("xs"), ";"), " ",
                     absl::StrJoin(v.GetStringList("names"), ";"), " ",
                     v.GetString("s"), " ", v.Has("maybe")));
  };
  Registry<Greeter> r("greeter");
  ASSERT_TRUE(r.Register(e).ok());
  auto g = r.Create("typed:n=-3,x=0.25,xs=1/-2.5/3e2,names=a+b,s=any text");
  ASSERT_TRUE(g.ok()) << g.status();
  EXPECT_EQ((*g)->text(), "-2 0.5 1;-2.5;300 a;b any text 0");
}

TEST_F(TypedParamsTest, OutOfRange) {
  EXPECT_EQ(Error("gamma:rate=2,cv=-1"),
            "greeter 'gamma': parameter cv=-1 is out of range: must be > 0");
  EXPECT_EQ(Error("gamma:rate=0"),
            "greeter 'gamma': parameter rate=0 is out of range: must be > 0");
  EXPECT_EQ(Error("mix:durations=1/0"),
            "greeter 'mix': parameter durations=1/0 is out of range: each item "
            "must be > 0");
  EXPECT_EQ(Error("mix:durations=1,rates=-1"),
            "greeter 'mix': parameter rates=-1 is out of range: each item "
            "must be >= 0");
  EXPECT_EQ(Error("mix:durations=1,p=1.5"),
            "greeter 'mix': parameter p=1.5 is out of range: must be in [0, "
            "1]");
  EXPECT_EQ(Error("mix:durations=1,q=1"),
            "greeter 'mix': parameter q=1 is out of range: must be in (0, 1)");
  EXPECT_EQ(Error("mix:durations=1,partition=greedy"),
            "greeter 'mix': parameter partition=greedy is out of range: must "
            "be one of dp, manual");
  EXPECT_EQ(Text("mix:durations=1,p=0,partition=manual"),
            "mix[durations=1,models=a+b,p=0,partition=manual,q=0.5,rates=1/"
            "2]");
}

TEST_F(TypedParamsTest, PatternBoundValuesAreTyped) {
  EXPECT_EQ(Text("mp-greedy-8"), "mp-greedy[G=8]");
  EXPECT_EQ(Error("mp-greedy-0"),
            "greeter 'mp-greedy': parameter G=0 is out of range: must be >= 1");
  EXPECT_EQ(Error("mp-greedy-99999999999"),
            "greeter 'mp-greedy': parameter G=99999999999 is not valid: must "
            "be an int >= 1");
}

TEST_F(TypedParamsTest, TypeErrors) {
  EXPECT_EQ(Error("gamma:rate=x"),
            "greeter 'gamma': parameter rate=x is not valid: must be a finite "
            "double > 0");
  EXPECT_EQ(Error("gamma:rate=inf"),
            "greeter 'gamma': parameter rate=inf is not valid: must be a "
            "finite double > 0");
  EXPECT_EQ(Error("gamma:rate=nan"),
            "greeter 'gamma': parameter rate=nan is not valid: must be a "
            "finite double > 0");
  EXPECT_EQ(Error("gamma:rate="),
            "greeter 'gamma': parameter rate= is not valid: must be a finite "
            "double > 0");
  EXPECT_EQ(Error("count:n=2.5"),
            "greeter 'count': parameter n=2.5 is not valid: must be an int "
            ">= 1");
  EXPECT_EQ(Error("mix:durations=1//2"),
            "greeter 'mix': parameter durations=1//2 is not valid: must be a "
            "'/'-separated list of finite doubles, each > 0");
  EXPECT_EQ(Error("mix:durations=1,models=a++b"),
            "greeter 'mix': parameter models=a++b is not valid: must be a "
            "'+'-separated list of non-empty strings");
}

TEST_F(TypedParamsTest, RequiredParameters) {
  EXPECT_EQ(Error("gamma"),
            "greeter 'gamma': missing parameter 'rate': must be a finite "
            "double > 0");
  EXPECT_EQ(Error("gamma:cv=2"),
            "greeter 'gamma': missing parameter 'rate': must be a finite "
            "double > 0");
  PluginArgs args;
  args.Set("rate", "4");
  EXPECT_EQ((*registry_.Create("gamma", args))->text(), "gamma[cv=1,rate=4]");
}

TEST_F(TypedParamsTest, UnknownParameters) {
  EXPECT_EQ(Error("gamma:rate=1,shape=2"),
            "greeter 'gamma' has no parameter 'shape'; it accepts: rate, cv");
  PluginArgs args;
  args.Set("shape", "2");
  EXPECT_EQ(registry_.Create("gamma:rate=1", args).status().message(),
            "greeter 'gamma' has no parameter 'shape'; it accepts: rate, cv");
}

TEST_F(TypedParamsTest, OptionalWithoutDefaultIsAbsent) {
  EXPECT_EQ(Text("mix:durations=1,label=x"),
            "mix[durations=1,label=x,models=a+b,p=0.5,partition=dp,q=0.5,"
            "rates=1/2]");
}

// Declarations and examples are checked once, at registration.
TEST(RegisterTest, RejectsBadDeclarations) {
  Registry<Greeter> r("greeter");
  auto error = [&r](std::vector<PluginParam> params, std::string example) {
    return std::string(
        r.Register(Echo("p", "", std::move(params), std::move(example)))
            .message());
  };
  EXPECT_EQ(error({PluginParam::Double("cv").GreaterThan(0).Default("0")}, "p"),
            "greeter plugin 'p': parameter 'cv': bad default: parameter cv=0 "
            "is out of range: must be > 0");
  EXPECT_EQ(error({PluginParam::String("s").AtLeast(1)}, "p:s=x"),
            "greeter plugin 'p': parameter 's': bounds apply to numbers only");
  EXPECT_EQ(error({PluginParam::Int("n").OneOf({"1"})}, "p:n=1"),
            "greeter plugin 'p': parameter 'n': choices apply to strings only");
  EXPECT_EQ(error({PluginParam::Int("n"), PluginParam::Int("n")}, "p:n=1"),
            "greeter plugin 'p': parameter 'n': declared twice");
  EXPECT_EQ(error({PluginParam::Int("n").AtLeast(2).LessThan(2)}, "p:n=2"),
            "greeter plugin 'p': parameter 'n': its range is empty");
  EXPECT_EQ(error({PluginParam::Int("a=b")}, "p"),
            "greeter plugin 'p': parameter 'a=b': a name needs characters "
            "other than ',', '=', ':' or space");
  EXPECT_EQ(error({PluginParam::DoubleList("xs", ',')}, "p:xs=1"),
            "greeter plugin 'p': parameter 'xs': ',' and '=' separate "
            "parameters, not list items");
  EXPECT_EQ(error({PluginParam::Int("n").Default("1").Optional()}, "p"),
            "greeter plugin 'p': parameter 'n': has a default, so it cannot "
            "also be optional");
}

TEST(RegisterTest, RejectsBadExamples) {
  Registry<Greeter> r("greeter");
  PluginEntry<Greeter> e = Echo("gamma", "", {Rate(), Cv()}, "gamma:rate=1");
  e.example = "";
  EXPECT_EQ(r.Register(e).message(), "greeter plugin 'gamma': no example");
  e.example = "poisson:rate=1";
  EXPECT_EQ(r.Register(e).message(),
            "greeter plugin 'gamma': example 'poisson:rate=1' does not name "
            "the plugin");
  e.example = "gamma:cv=2";
  EXPECT_EQ(r.Register(e).message(),
            "greeter plugin 'gamma': example 'gamma:cv=2': missing parameter "
            "'rate': must be a finite double > 0");
  e.example = "gamma:rate=1,k=2";
  EXPECT_EQ(r.Register(e).message(),
            "greeter plugin 'gamma': example 'gamma:rate=1,k=2' has no "
            "parameter 'k'; it accepts: rate, cv");
  e.example = "gamma:rate=1";
  EXPECT_TRUE(r.Register(e).ok());
}

TEST(PluginValuesTest, ReadingAnUndeclaredOrMistypedValueAborts) {
  PluginValues v = *ParsePluginValues({Rate()}, *PluginArgs::Parse("rate=2"));
  EXPECT_EQ(v.GetDouble("rate"), 2.0);
  EXPECT_DEATH(v.GetInt("rate"), "parameter 'rate' read as int");
  EXPECT_DEATH(v.GetDouble("cv"), "parameter 'cv' read as double");
}

TEST(PluginParamTest, DescribesItself) {
  PluginParam cv = Cv();
  EXPECT_EQ(ParamTypeName(cv), "double");
  EXPECT_EQ(ParamPresence(cv), "default 1");
  EXPECT_EQ(ParamRange(cv), "> 0");
  PluginParam d = PluginParam::DoubleList("d").AtLeast(0.5);
  EXPECT_EQ(ParamTypeName(d), "double list ('/'-separated)");
  EXPECT_EQ(ParamPresence(d), "required");
  EXPECT_EQ(ParamRange(d), "each >= 0.5");
  PluginParam m = PluginParam::StringList("m", '+').Optional();
  EXPECT_EQ(ParamTypeName(m), "string list ('+'-separated)");
  EXPECT_EQ(ParamPresence(m), "optional");
  EXPECT_EQ(ParamRange(m), "");
  EXPECT_EQ(ParamRange(PluginParam::Int("n").AtMost(8)), "<= 8");
  EXPECT_EQ(DescribeParam(std::move(cv).Help("burstiness")),
            "cv (double, default 1, > 0): burstiness");
  EXPECT_EQ(DescribeParam(m), "m (string list ('+'-separated), optional)");
  EXPECT_EQ(ParamRange(PluginParam::String("s").OneOf({"a", "b"})),
            "one of a, b");
}

TEST(PluginArgsTest, NumbersPrintShortest) {
  PluginArgs args;
  args.Set("rate", 20.0);
  args.Set("cv", 0.1);
  EXPECT_EQ(args.ToString(), "cv=0.1,rate=20");
  args.Set("rate", 20.0 / 3);
  EXPECT_EQ(args.values().at("rate"), "6.666666666666667");
}

}  // namespace
}  // namespace multiplex

namespace multiplex {
namespace {

// --num_models=100000 reached the azure process as "num_models=1e+05" (the
// shortest double form), which its int parameter refused: integers are set
// as digits.
TEST(PluginArgsTest, IntegersAreSetAsDigits) {
  PluginArgs args;
  args.Set("num_models", 100000);
  args.Set("big", int64_t{3000000000});
  args.Set("rate", 100000.0);
  EXPECT_EQ(args.ToString(), "big=3000000000,num_models=100000,rate=1e+05");
}

}  // namespace
}  // namespace multiplex
