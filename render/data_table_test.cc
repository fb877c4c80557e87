#include "render/data_table.h"

#include "gtest/gtest.h"

namespace multiplex::render {
namespace {

TEST(DataTableTest, LongFormRowsForEverySeriesKind) {
  Figure fig(3, 2);
  Axes& ax = fig.axes();
  ax.AddLine({1, 2}, {0.5, 0.25}, "Model Parallelism");
  ax.AddVLine(13, "GPU Memory Bound");
  ax.AddHLine(0.1);
  ax.AddArea({0, 1}, {1, 0});
  EXPECT_EQ(FormatDataTable(fig, {{"figure", "f"}, {"cv", "3"}}),
            "# figure: f\n# cv: 3\nseries\tx\ty\n"
            "Model Parallelism\t1\t0.5\nModel Parallelism\t2\t0.25\n"
            "GPU Memory Bound\t13\tnan\nrefline2\tnan\t0.1\n"
            "area3\t0\t1\narea3\t1\t0\n");
}

TEST(DataTableTest, BarsUseCategoryLabels) {
  Figure fig;
  Axes& ax = fig.axes();
  ax.categories = {"1", "2", "4"};
  ax.AddStackedBars({0, 1, 2}, {{0.2, 0.1, 0.05}, {0, 0.01, 0.02}},
                    {"Computation", "Communication"});
  EXPECT_EQ(FormatDataTable(fig, {}),
            "series\tx\ty\nComputation\t1\t0.2\nComputation\t2\t0.1\n"
            "Computation\t4\t0.05\nCommunication\t1\t0\n"
            "Communication\t2\t0.01\nCommunication\t4\t0.02\n");
}

TEST(DataTableTest, SideBySideBarsNameTheirCategory) {
  Figure fig;
  Axes& ax = fig.axes();
  ax.categories = {"1", "2"};
  ax.AddBars({-0.2, 0.8}, {3, 4}, "manual");
  ax.AddBars({0.2, 1.2}, {5, 6}, "dp");
  EXPECT_EQ(FormatDataTable(fig, {}),
            "series\tx\ty\nmanual\t1\t3\nmanual\t2\t4\ndp\t1\t5\ndp\t2\t6\n");
}

TEST(DataTableTest, CdfRowsArePlottedPointsAndNumbersRoundTrip) {
  Figure fig;
  fig.axes().AddCdf({0.3, 0.1, 0.2}, "lat\tency");
  std::string table = FormatDataTable(fig, {});
  EXPECT_NE(table.find("lat ency\t"), std::string::npos);
  EXPECT_NE(table.find("\t0.1\t"), std::string::npos);
}

TEST(DataTableTest, SeveralAxesArePrefixed) {
  Figure fig(6, 2, 1, 2);
  fig.axes(0, 1).AddLine({1}, {2}, "b");
  EXPECT_EQ(FormatDataTable(fig, {}), "series\tx\ty\n0,1/b\t1\t2\n");
}

}  // namespace
}  // namespace multiplex::render
