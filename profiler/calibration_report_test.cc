// The calibration report's targets on the committed V100 description: which
// are met is the fit's result (docs/study.md §2.3), so a change to the cost
// model or the description that loses one fails here.
#include "profiler/calibration_report.h"

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "profiler/analytical_cost_model.h"
#include "profiler/databases.h"
#include "profiler/descs.h"
#include "profiler/interconnect.h"

namespace multiplex {
namespace {

class CalibrationReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<HardwareDesc> hw = LoadHardwareDesc(kDefaultHardware);
    ASSERT_TRUE(hw.ok()) << hw.status();
    hw_ = new HardwareDesc(*hw);
    auto models = LoadModelDescs(
        "profiler/models", {"bert-1.3b", "bert-2.6b", "bert-6.7b", "bert-15b"});
    ASSERT_TRUE(models.ok()) << models.status();
    models_ = new std::vector<TransformerModelDesc>(*models);
    auto stage =
        LoadStageTable("profiler/reference/v100_bert1.3b_stage_latency.tsv");
    auto pipe =
        LoadPipelineTable("profiler/reference/v100_pipeline_latency.tsv");
    ASSERT_TRUE(stage.ok() && pipe.ok());
    absl::StatusOr<CalibrationReport> r = Evaluate(*hw, *models, *stage, *pipe);
    ASSERT_TRUE(r.ok()) << r.status();
    lines_ = new std::vector<TargetLine>(ReferenceTargets(*r));
    absl::StatusOr<std::vector<TargetLine>> figures =
        FigureTargets(*hw, *models, "block");
    ASSERT_TRUE(figures.ok()) << figures.status();
    lines_->insert(lines_->end(), figures->begin(), figures->end());
    std::printf("%s", FormatTargets(*lines_).c_str());
  }
  static bool AllMet(const std::string& group_prefix, int* count) {
    bool all = true;
    *count = 0;
    for (const TargetLine& t : *lines_) {
      if (t.group.rfind(group_prefix, 0) != 0) continue;
      ++*count;
      if (!t.Met()) {
        ADD_FAILURE() << t.group << ": " << t.name << " modelled " << t.modelled
                      << " residual " << t.Residual();
        all = false;
      }
    }
    return all;
  }
  static HardwareDesc* hw_;
  static std::vector<TransformerModelDesc>* models_;
  static std::vector<TargetLine>* lines_;
};
HardwareDesc* CalibrationReportTest::hw_ = nullptr;
std::vector<TransformerModelDesc>* CalibrationReportTest::models_ = nullptr;
std::vector<TargetLine>* CalibrationReportTest::lines_ = nullptr;

// The targets: Table 1 within 0.5%, Figure 14's DP cut within 10
// points of the paper's, Figure 5's pipeline capacity, the reference medians
// no worse than the previous fit's, and every figure check.
TEST_F(CalibrationReportTest, TheFittedTargetsAreMet) {
  for (const char* group :
       {"Table 1", "Figure 5", "Figure 8", "Figure 9", "Figure 14",
        "Reference pipeline table", "Stage shares (op = 1"}) {
    int count = 0;
    EXPECT_TRUE(AllMet(group, &count)) << group;
    EXPECT_GT(count, 0) << group;
  }
  for (const TargetLine& t : *lines_) {
    if (t.name.rfind("median |err| (", 0) == 0) EXPECT_TRUE(t.Met()) << t.group;
  }
}

// Every reference row and every figure has its line.
TEST_F(CalibrationReportTest, EveryRowAndFigureHasALine) {
  int stage_rows = 0, pipeline_rows = 0;
  std::set<std::string> groups;
  for (const TargetLine& t : *lines_) {
    groups.insert(t.group);
    if (t.group == "Reference stage table (bert-1.3b)") ++stage_rows;
    if (t.group == "Reference pipeline table") ++pipeline_rows;
  }
  EXPECT_EQ(stage_rows, 75);
  EXPECT_EQ(pipeline_rows, 44);
  for (const char* g : {"Figure 5 (pipeline capacity, bert-2.6b)",
                        "Figure 8a (bert-2.6b pipeline, manual stages)",
                        "Figure 8b (bert-2.6b operator parallelism)",
                        "Figure 9 (bert-2.6b, relative to one GPU)",
                        "Figure 14 (DP against manual stages, 8 GPUs)",
                        "Table 1 (seq 2048, batch 1, one GPU)"}) {
    EXPECT_TRUE(groups.count(g)) << g;
  }
  const std::string text = FormatTargets(*lines_);
  EXPECT_NE(text.find("== all: "), std::string::npos);
}

TEST(TargetLineTest, NumericAndRangeResiduals) {
  TargetLine n;
  n.modelled = 38;
  n.target = 33;
  n.tolerance = 10;
  EXPECT_DOUBLE_EQ(n.Residual(), 5);
  EXPECT_TRUE(n.Met());
  n.modelled = 44;
  EXPECT_FALSE(n.Met());
  TargetLine r;
  r.is_range = true;
  r.lo = 1;
  r.hi = std::numeric_limits<double>::infinity();
  r.modelled = 0.7;
  EXPECT_DOUBLE_EQ(r.Residual(), -0.3);
  EXPECT_FALSE(r.Met());
  r.modelled = 5;
  EXPECT_EQ(r.Residual(), 0);
  EXPECT_TRUE(r.Met());
}

// Collectives use the group's own bus bandwidth where the description gives
// one, else the node's.
TEST_F(CalibrationReportTest, GroupSizedCollectiveBandwidth) {
  Interconnect ic;
  ic.set_allreduce_latency_s(1e-5);
  ic.set_allreduce_bus_bandwidth(100e9);
  Interconnect::GroupBandwidth* g = ic.add_allreduce_group_bandwidth();
  g->set_group_size(2);
  g->set_bus_bandwidth(25e9);
  EXPECT_DOUBLE_EQ(CollectiveBusBandwidth(ic, 2), 25e9);
  EXPECT_DOUBLE_EQ(CollectiveBusBandwidth(ic, 8), 100e9);
  EXPECT_DOUBLE_EQ(AllReduceSeconds(ic, 1e9, 2), 1e-5 + 1e9 / 25e9);
  EXPECT_DOUBLE_EQ(AllReduceSeconds(ic, 1e9, 8), 1e-5 + 1.75e9 / 100e9);
  EXPECT_DOUBLE_EQ(AllToAllSeconds(ic, 1e9, 2), 1e-5 + 0.5e9 / 25e9);
  // The shipped V100: two GPUs share far less bandwidth than the node.
  EXPECT_LT(CollectiveBusBandwidth(hw_->interconnect(), 2),
            0.5 * CollectiveBusBandwidth(hw_->interconnect(), 8));
  EXPECT_LE(CollectiveBusBandwidth(hw_->interconnect(), 8),
            hw_->interconnect().nvlink_bandwidth());
}

// With whole layers as the DP's units every stage boundary is at a layer's
// start (or the head); with blocks the DP may cut between a layer's
// attention and FFN.
TEST_F(CalibrationReportTest, DpUnitsWholeLayers) {
  AnalyticalOptions layer, block;
  layer.sequence_length = block.sequence_length = 2048;
  layer.dp_unit = "layer";
  const AnalyticalCostModel by_layer(*hw_, *models_, layer);
  const AnalyticalCostModel by_block(*hw_, *models_, block);
  const TransformerModelDesc* m = *by_layer.FindModel("bert-1.3b");
  const std::vector<UnitCost> units = by_layer.Units(*m, 1, 1, 2048);
  bool block_cuts_a_layer = false;
  for (int pp : {2, 4, 8}) {
    absl::StatusOr<std::vector<int>> b = by_layer.Partition(*m, 1, pp);
    ASSERT_TRUE(b.ok()) << b.status();
    ASSERT_EQ(b->size(), static_cast<size_t>(pp + 1));
    for (int s = 1; s < pp; ++s) {
      EXPECT_NE(units[(*b)[s]].kind, UnitKind::kFfn) << "pp=" << pp;
    }
    absl::StatusOr<std::vector<int>> c = by_block.Partition(*m, 1, pp);
    ASSERT_TRUE(c.ok());
    for (int s = 1; s < pp; ++s) {
      block_cuts_a_layer |= units[(*c)[s]].kind == UnitKind::kFfn;
    }
    // The finer units never make the slowest stage slower.
    auto slowest = [&](const AnalyticalCostModel& cm) {
      return cm.Stages("bert-1.3b", {1, 1, pp}, 1)->MaxLatency();
    };
    EXPECT_LE(slowest(by_block), slowest(by_layer) * (1 + 1e-12));
  }
  EXPECT_TRUE(block_cuts_a_layer);
}

}  // namespace
}  // namespace multiplex
