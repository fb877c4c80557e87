#include "profiler/descs.h"

#include <cstdlib>
#include <string>

#include "core/file_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace multiplex {
namespace {

using ::testing::HasSubstr;

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  EXPECT_TRUE(WriteFileAtomically(path, text).ok());
  return path;
}

TEST(DescsTest, LoadsTheShippedDescriptions) {
  for (const char* hw : {"v100", "a100", "h100"}) {
    absl::StatusOr<std::string> path = ResolveDescPath("profiler/hardware", hw);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_TRUE(LoadHardwareDesc(*path).ok()) << *path;
  }
  absl::StatusOr<std::vector<TransformerModelDesc>> models = LoadModelDescs(
      "profiler/models", {"bert-1.3b", "bert-2.6b", "bert-6.7b", "bert-15b",
                          "moe-1.3b", "moe-2.4b", "moe-5.3b"});
  ASSERT_TRUE(models.ok()) << models.status();
  EXPECT_EQ((*models)[3].name(), "bert-15b");
  EXPECT_EQ((*models)[0].num_experts(), 0);
  for (int i = 4; i < 7; ++i) {
    EXPECT_EQ((*models)[i].num_experts(), 16) << (*models)[i].name();
    EXPECT_EQ((*models)[i].expert_top_k(), 2);
    EXPECT_EQ((*models)[i].moe_layer_interval(), 2);
    EXPECT_FALSE((*models)[i].provenance().empty());
  }
}

TEST(DescsTest, RefusesABadMixtureOfExperts) {
  const std::string base =
      "name: \"m\" num_layers: 2 hidden: 8 heads: 2 vocab: 10 ";
  EXPECT_TRUE(
      LoadModelDesc(Write("moe_ok.textproto", base + "num_experts: 4")).ok());
  for (const char* bad : {"num_experts: -1", "num_experts: 4 expert_top_k: 5",
                          "num_experts: 4 expert_top_k: 0",
                          "num_experts: 4 moe_layer_interval: 0"}) {
    const std::string path = Write("moe_bad.textproto", base + bad);
    EXPECT_THAT(LoadModelDesc(path).status().message(),
                HasSubstr(path + ": model 'm': num_experts must be >= 0"))
        << bad;
  }
}

TEST(DescsTest, ErrorsNameTheFile) {
  const std::string bad =
      Write("bad.textproto", "name: \"x\"\nnum_layers: x\n");
  EXPECT_THAT(LoadModelDesc(bad).status().message(),
              HasSubstr(bad + ":2:13: "));
  const std::string empty = Write("empty.textproto", "");
  EXPECT_THAT(LoadModelDesc(empty).status().message(),
              HasSubstr(empty + ": model '' needs a name"));
  EXPECT_THAT(LoadHardwareDesc(empty).status().message(),
              HasSubstr(empty + ": needs peak_tensor_flops"));
  const std::string no_bw =
      Write("no_bw.textproto",
            "peak_tensor_flops: 1 hbm_bandwidth: 1 gemm {} interconnect {}");
  EXPECT_THAT(LoadHardwareDesc(no_bw).status().message(),
              HasSubstr("allreduce_bus_bandwidth and p2p_bandwidth"));
  EXPECT_EQ(LoadModelDesc("/nonexistent.textproto").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadModelDescs("profiler/models", {"bert-99b"}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace multiplex
