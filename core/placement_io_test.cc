#include "core/placement_io.h"

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kText[] = R"(# two models on a pipeline, one replica
cluster { num_devices: 8 mem_budget_gb: 13.5 }
instance { name: "m0" type: "bert-2.6b" }
instance { name: "m1" type: "bert-1.3b" }
instance { name: "idle" type: "bert-1.3b" }
group { op: 1 pp: 4 model: "m0" model: "m1" }
group { op: 2 model: "m1" }
group { }
)";

TEST(PlacementIoTest, Parses) {
  absl::StatusOr<PlacementFile> f = ParsePlacement(kText, "p.textproto");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->models.size(), 3u);
  EXPECT_EQ(f->models[1].name, "m1");
  EXPECT_EQ(f->models[1].type, "bert-1.3b");
  EXPECT_THAT(f->ModelNames(), ElementsAre("m0", "m1", "idle"));
  ASSERT_EQ(f->placement.groups.size(), 3u);
  EXPECT_EQ(f->placement.groups[0].config, (ParallelConfig{1, 1, 4}));
  EXPECT_THAT(f->placement.groups[0].models, ElementsAre(0, 1));
  EXPECT_EQ(f->placement.groups[1].config, (ParallelConfig{1, 2, 1}));
  EXPECT_THAT(f->placement.groups[1].models, ElementsAre(1));
  EXPECT_TRUE(f->placement.groups[2].models.empty());
  EXPECT_TRUE(f->has_cluster);
  EXPECT_EQ(f->cluster.num_devices, 8);
  EXPECT_EQ(f->cluster.mem_budget_bytes, 13.5 * kGiB);
  EXPECT_EQ(f->cluster.devices_per_node, 8);
}

TEST(PlacementIoTest, RoundTrip) {
  absl::StatusOr<PlacementFile> f = ParsePlacement(kText, "p.textproto");
  ASSERT_TRUE(f.ok());
  f->description = "mp-greedy-4 \"quoted\"";
  absl::StatusOr<std::string> text = FormatPlacement(*f);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text,
              HasSubstr("instance { name: \"m0\" type: \"bert-2.6b\" }"));
  EXPECT_THAT(*text, HasSubstr("group { dp: 1 op: 1 pp: 4 model: \"m0\" model: "
                               "\"m1\" }\n"));
  absl::StatusOr<PlacementFile> g = ParsePlacement(*text, "again");
  ASSERT_TRUE(g.ok()) << g.status() << "\n" << *text;
  EXPECT_EQ(g->description, f->description);
  EXPECT_EQ(g->cluster.mem_budget_bytes, f->cluster.mem_budget_bytes);
  EXPECT_EQ(g->placement.ToString(g->models), f->placement.ToString(f->models));
  EXPECT_EQ(*FormatPlacement(*g), *text);

  const std::string path = ::testing::TempDir() + "/placement.textproto";
  ASSERT_TRUE(WritePlacementFile(path, *f).ok());
  absl::StatusOr<PlacementFile> h = ReadPlacementFile(path);
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(*FormatPlacement(*h), *text);

  // No cluster: none written, none read.
  f->has_cluster = false;
  text = FormatPlacement(*f);
  EXPECT_THAT(*text, ::testing::Not(HasSubstr("cluster")));
  EXPECT_FALSE(ParsePlacement(*text, "x")->has_cluster);

  f->placement.groups[0].models.push_back(7);
  EXPECT_FALSE(FormatPlacement(*f).ok());
}

constexpr char kSchedule[] = R"(cluster { num_devices: 2 mem_budget_gb: 13 }
instance { name: "m0" type: "bert-1.3b" }
instance { name: "m1" type: "bert-1.3b" }
group { model: "m0" }
group { model: "m1" }
phase {
  start_s: 60
  group { model: "m0" }
  group { model: "m0" }
}
phase { start_s: 120.5 group { pp: 2 model: "m1" model: "m0" } }
)";

TEST(PlacementIoTest, SchedulePhasesParseAndRoundTrip) {
  absl::StatusOr<PlacementFile> f = ParsePlacement(kSchedule, "s.textproto");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->later_phases.size(), 2u);
  EXPECT_EQ(f->later_phases[0].start_s, 60);
  EXPECT_EQ(f->later_phases[1].start_s, 120.5);
  const PlacementSchedule s = f->Schedule();
  ASSERT_EQ(s.phases.size(), 3u);
  EXPECT_EQ(s.phases[0].start_s, 0);
  EXPECT_EQ(s.phases[0].placement.ToString(f->models),
            "group 0 (1,1,1): m0 | group 1 (1,1,1): m1");
  EXPECT_EQ(s.phases[1].placement.ToString(f->models),
            "group 0 (1,1,1): m0 | group 1 (1,1,1): m0");
  EXPECT_EQ(s.phases[2].placement.ToString(f->models),
            "group 0 (1,1,2): m1 m0");

  absl::StatusOr<std::string> text = FormatPlacement(*f);
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text,
              HasSubstr("group { dp: 1 op: 1 pp: 1 model: \"m1\" }\n"
                        "phase {\n  start_s: 60\n"
                        "  group { dp: 1 op: 1 pp: 1 model: \"m0\" }\n"));
  EXPECT_THAT(*text, HasSubstr("phase {\n  start_s: 120.5\n"));
  absl::StatusOr<PlacementFile> g = ParsePlacement(*text, "again");
  ASSERT_TRUE(g.ok()) << g.status() << "\n" << *text;
  EXPECT_EQ(g->Schedule().ToString(g->models), s.ToString(f->models));
  EXPECT_EQ(*FormatPlacement(*g), *text);

  // SetSchedule back to one phase: a static file again, without phases.
  PlacementFile one = *f;
  one.SetSchedule(PlacementSchedule::Static(s.phases[2].placement));
  EXPECT_TRUE(one.later_phases.empty());
  EXPECT_THAT(*FormatPlacement(one), ::testing::Not(HasSubstr("phase")));
  one.SetSchedule(s);
  EXPECT_EQ(*FormatPlacement(one), *text);
}

TEST(PlacementIoTest, ScheduleErrorsNameThePhaseAndLine) {
  const std::string head =
      "instance { name: \"m0\" type: \"a\" }\ngroup { model: \"m0\" }\n";
  absl::StatusOr<PlacementFile> f = ParsePlacement(
      head + "phase { start_s: 60 }\nphase {\n  start_s: 60\n}\n", "b");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "b:5:3: phase 2 start_s 60 is not after 60 (start times are "
            "finite, > 0 and strictly increasing)");
  f = ParsePlacement(head + "phase { group { model: \"m0\" } }\n", "b");
  EXPECT_THAT(f.status().message(),
              HasSubstr("phase 1 start_s 0 is not after 0"));
  f = ParsePlacement(head + "phase { start_s: inf }\n", "b");
  EXPECT_THAT(f.status().message(), HasSubstr("phase 1 start_s inf"));
  f = ParsePlacement(head + "phase { start_s: nan }\n", "b");
  EXPECT_THAT(f.status().message(), HasSubstr("phase 1 start_s nan"));
  f = ParsePlacement(head +
                         "phase {\n  start_s: 5\n  group {\n    model: "
                         "\"m0\"\n    model: \"m7\"\n  }\n}\n",
                     "b");
  EXPECT_EQ(f.status().message(),
            "b:7:5: phase 1 group 0: unknown model instance 'm7' (declare it "
            "with instance { name: ... type: ... })");
  f = ParsePlacement(head + "phase { start_s: 5 group { op: 0 } }\n", "b");
  EXPECT_THAT(f.status().message(),
              HasSubstr("b:3:20: phase 1 group 0 (1,0,1)"));
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<PlacementFile> f = ParsePlacement(text, "bad.textproto");
  EXPECT_FALSE(f.ok());
  return std::string(f.status().message());
}

TEST(PlacementIoTest, SyntaxErrorsNameFileAndLine) {
  EXPECT_THAT(ErrorOf("instance { name: \"m0\" type: \"a\" }\n"
                      "group { op: 1 pp: 8 model: m0 }\n"),
              HasSubstr("bad.textproto:2:"));
  EXPECT_THAT(ErrorOf("instance { name: \"m0\" }\nfoo: 3\n"),
              HasSubstr("bad.textproto:2:4: Message type"));
}

TEST(PlacementIoTest, SemanticErrorsNameFileAndLine) {
  std::string e = ErrorOf(
      "instance { name: \"m0\" type: \"a\" }\n"
      "group {\n"
      "  pp: 2\n"
      "  model: \"m0\"\n"
      "  model: \"m9\"\n"
      "}\n");
  EXPECT_THAT(e, HasSubstr("bad.textproto:5:"));
  EXPECT_THAT(e, HasSubstr("unknown model instance 'm9'"));

  e = ErrorOf(
      "instance { name: \"m0\" type: \"a\" }\n"
      "instance { name: \"m0\" type: \"b\" }\n");
  EXPECT_THAT(e, HasSubstr("bad.textproto:2:"));
  EXPECT_THAT(e, HasSubstr("'m0' is declared twice"));

  e = ErrorOf(
      "instance { name: \"m0\" type: \"a\" }\n"
      "group { model: \"m0\" model: \"m0\" }\n");
  EXPECT_THAT(e, HasSubstr("bad.textproto:2:"));
  EXPECT_THAT(e, HasSubstr("twice"));

  e = ErrorOf("instance { name: \"m0\" type: \"a\" }\ngroup { op: 0 }\n");
  EXPECT_THAT(e, HasSubstr("bad.textproto:2:1: group 0 (1,0,1)"));

  EXPECT_THAT(ErrorOf("instance { type: \"a\" }\n"), HasSubstr("no name"));
  EXPECT_THAT(ErrorOf("instance { name: \"m0\" }\n"), HasSubstr("no type"));
  EXPECT_THAT(ErrorOf("cluster { num_devices: 0 mem_budget_gb: 1 }\n"),
              HasSubstr("num_devices"));
  EXPECT_THAT(ErrorOf("cluster { num_devices: 2 mem_budget_gb: -1 }\n"),
              HasSubstr("bad.textproto:1:"));
}

// Regression: this file used to pass VerifyPlacement as "0 of 4 devices" (dp x
// op x pp = 2^32 wrapped to 0 in an int) and be simulated.
TEST(PlacementIoTest, RejectsDeviceCountOverflow) {
  EXPECT_EQ(ErrorOf("cluster { num_devices: 4 mem_budget_gb: 16 }\n"
                    "instance { name: \"m0\" type: \"a\" }\n"
                    "group { dp: 65536 op: 65536 model: \"m0\" }\n"),
            "bad.textproto:3:1: group 0 (65536,65536,1): dp x op x pp = "
            "4294967296 devices, over the limit of 1048576 devices per group "
            "(kMaxDevices)");
  EXPECT_EQ(ErrorOf("group { op: 2147483647 pp: 2147483647 }\n"),
            "bad.textproto:1:1: group 0 (1,2147483647,2147483647): pp "
            "2147483647 is over the limit of 65536 pipeline stages "
            "(kMaxStages)");
  EXPECT_EQ(ErrorOf("group { op: 2147483647 dp: 2147483647 }\n"),
            "bad.textproto:1:1: group 0 (2147483647,2147483647,1): dp "
            "2147483647 is over the limit of 1048576 devices per group "
            "(kMaxDevices)");
}

TEST(PlacementIoTest, RejectsStageCountOverLimit) {
  EXPECT_EQ(ErrorOf("group { pp: 65537 }\n"),
            "bad.textproto:1:1: group 0 (1,1,65537): pp 65537 is over the "
            "limit of 65536 pipeline stages (kMaxStages)");
  EXPECT_TRUE(ParsePlacement("group { pp: 65536 }\n", "ok").ok());
}

// Each group of 2^20 devices is valid; their total must not wrap.
TEST(PlacementIoTest, RejectsTotalDeviceCountOverflow) {
  std::string text;
  for (int g = 0; g < 2048; ++g) text += "group { op: 1024 pp: 1024 }\n";
  EXPECT_EQ(ErrorOf(text),
            "bad.textproto:2:1: groups 0 to 1 use 2097152 devices, over the "
            "limit of 1048576 devices per placement (kMaxDevices)");
}

TEST(PlacementIoTest, RejectsClusterCountsOverLimit) {
  EXPECT_EQ(ErrorOf("cluster { num_devices: 2000000000 mem_budget_gb: 1 }\n"),
            "bad.textproto:1:11: cluster num_devices must be in [1, 1048576] "
            "(kMaxDevices), got 2000000000");
  EXPECT_EQ(ErrorOf("cluster { num_devices: 8 mem_budget_gb: 1 "
                    "devices_per_node: 1048577 }\n"),
            "bad.textproto:1:43: cluster devices_per_node must be in [1, "
            "1048576] (kMaxDevices), got 1048577");
}

TEST(PlacementIoTest, RejectsInstanceCountOverLimit) {
  PlacementProto proto;
  for (int i = 0; i <= kMaxModels; ++i) {
    PlacementProto::Instance* inst = proto.add_instance();
    inst->set_name(absl::StrCat("m", i));
    inst->set_type("a");
  }
  absl::StatusOr<PlacementFile> f = PlacementFromProto(proto, "big");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "big: 1048577 instances, over the limit of 1048576 (kMaxModels)");
  proto.mutable_instance()->RemoveLast();
  EXPECT_TRUE(PlacementFromProto(proto, "big").ok());
}

// Found by placement_io_fuzzer: a finite budget in GiB whose bytes are
// infinite read as an unlimited budget, and was written back as "inf", which
// does not read.
TEST(PlacementIoTest, RejectsMemoryBudgetOverflow) {
  EXPECT_EQ(ErrorOf("cluster { num_devices: 3 mem_budget_gb: 8e307 }\n"),
            "bad.textproto:1:26: cluster mem_budget_gb 8e+307 is too large: "
            "its bytes overflow a double");
  EXPECT_TRUE(
      ParsePlacement("cluster { num_devices: 3 mem_budget_gb: 1e298 }\n", "ok")
          .ok());
}

TEST(PlacementIoTest, MissingFile) {
  absl::StatusOr<PlacementFile> f = ReadPlacementFile("/nonexistent/p.txt");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(std::string(f.status().message()),
              HasSubstr("/nonexistent/p.txt"));
}

}  // namespace
}  // namespace multiplex
