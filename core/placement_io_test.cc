#include "core/placement_io.h"

#include <cstdio>
#include <fstream>

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

TEST(PlacementIoTest, MissingFile) {
  absl::StatusOr<PlacementFile> f = ReadPlacementFile("/nonexistent/p.txt");
  ASSERT_FALSE(f.ok());
  EXPECT_THAT(std::string(f.status().message()),
              HasSubstr("/nonexistent/p.txt"));
}

}  // namespace
}  // namespace multiplex
