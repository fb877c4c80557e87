// The committed databases are exactly what //profiler:build_databases writes,
// so they never drift from the code and the calibration.
#include "profiler/databases.h"

#include "core/file_io.h"
#include "gtest/gtest.h"
#include "profiler/database_io.h"
#include "profiler/descs.h"

namespace multiplex {
namespace {

TEST(DatabasesTest, CommittedFilesAreUpToDate) {
  absl::StatusOr<HardwareDesc> hw = LoadHardwareDesc(kDefaultHardware);
  ASSERT_TRUE(hw.ok()) << hw.status();
  std::vector<DatabaseSpec> specs = StudyDatabaseSpecs();
  ASSERT_EQ(specs.size(), 3u);
  for (const DatabaseSpec& spec : specs) {
    absl::StatusOr<ProfilingDatabase> db =
        BuildDatabase(spec, *hw, "profiler/models");
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_TRUE(ValidateDatabase(*db, spec.name).ok());
    const std::string path = "profiler/data/" + spec.name + ".textproto";
    EXPECT_TRUE(FormatDatabase(*db) == ReadFileToString(path).value_or(""))
        << path << " is stale: run bazel run //profiler:build_databases";
    absl::StatusOr<ProfilingDatabase> loaded = LoadDatabase(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->provenance().method(), "modelled");
    EXPECT_EQ(loaded->provenance().calibration(), hw->calibration());
  }
}

TEST(DatabasesTest, Shapes) {
  absl::StatusOr<HardwareDesc> hw = LoadHardwareDesc(kDefaultHardware);
  ASSERT_TRUE(hw.ok());
  std::vector<DatabaseSpec> specs = StudyDatabaseSpecs();
  absl::StatusOr<ProfilingDatabase> main =
      BuildDatabase(specs[0], *hw, "profiler/models");
  ASSERT_TRUE(main.ok());
  ASSERT_EQ(main->model_size(), 6);
  // bert-1.3b: 24 layers -> pp up to 16: 4 op x 5 pp; others 4 x 6.
  EXPECT_EQ(main->model(0).config_size(), 20);
  EXPECT_EQ(main->model(1).config_size(), 24);
  EXPECT_EQ(main->model(2).config_size(), 24);
  // The MoE models: 16 layers, like bert-1.3b 4 op x 5 pp, batches 1..16.
  for (int i = 3; i < 6; ++i) {
    EXPECT_EQ(main->model(i).name().substr(0, 4), "moe-");
    EXPECT_EQ(main->model(i).config_size(), 20);
    EXPECT_EQ(main->model(i).config(0).batch_size(), 5);
  }
  EXPECT_NE(main->provenance().notes().find("MoE models"), std::string::npos);
  absl::StatusOr<ProfilingDatabase> manual =
      BuildDatabase(specs[1], *hw, "profiler/models");
  ASSERT_TRUE(manual.ok());
  ASSERT_EQ(manual->model_size(), 2);
  EXPECT_EQ(manual->model(0).config_size(), 16);
  EXPECT_EQ(manual->provenance().notes().find("MoE"), std::string::npos);
  EXPECT_EQ(manual->provenance().partition(), "manual");
}

}  // namespace
}  // namespace multiplex
