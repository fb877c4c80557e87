#include "render/gallery.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

namespace multiplex::render {
namespace {

// A tiny fixed generator so the data is the same everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  double Uniform() {  // in (0, 1)
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((s_ >> 11) + 0.5) / 9007199254740992.0;
  }
  double Exponential(double mean) { return -mean * std::log(Uniform()); }

 private:
  uint64_t s_;
};

GalleryChart LatencyCdf() {
  GalleryChart c{"latency_cdf", Figure(3.5, 2.5)};
  Axes& ax = c.fig.axes();
  ax.xlabel = "Latency (s)";
  ax.ylabel = "CDF";
  Rng rng(7);
  const char* names[] = {"Simple Placement", "Model Parallelism"};
  const double means[] = {4.0, 0.6};
  for (int s = 0; s < 2; ++s) {
    std::vector<double> samples;
    double sum = 0;
    for (int i = 0; i < 400; ++i) {
      const double v = 0.2 + rng.Exponential(means[s]);
      samples.push_back(v);
      sum += v;
    }
    const Color color = ax.AddCdf(samples, names[s]).color;
    RefLine& mean =
        ax.AddVLine(sum / samples.size(), std::string(names[s]) + " Mean");
    mean.color = color;
  }
  ax.legend.loc = LegendLoc::kLowerRight;
  return c;
}

GalleryChart Utilization() {
  GalleryChart c{"utilization", Figure(3.5, 2.5)};
  Axes& ax = c.fig.axes();
  ax.xlabel = "Time (s)";
  ax.ylabel = "Utilization (%)";
  ax.legend.loc = LegendLoc::kAbove;
  ax.legend.ncols = 2;
  Rng rng(11);
  const char* names[] = {"Simple Placement", "Model Parallelism"};
  const Color colors[] = {Tab10(1), Tab10(0)};
  for (int s = 0; s < 2; ++s) {
    std::vector<double> t, u;
    double level = 0;
    for (int i = 0; i <= 270; ++i) {
      if (i % 6 == 0) {
        const double r = rng.Uniform();
        level = s == 0 ? (r < 0.5 ? 50 : 0) : (r < 0.35 ? 100 : 0);
      }
      t.push_back(i * 0.1);
      u.push_back(level);
    }
    Line& line = ax.AddLine(t, u, names[s], Marker::kNone);
    line.color = colors[s];
    ax.AddArea(t, u, "", 0.2).color = colors[s];
  }
  return c;
}

GalleryChart MemoryBudget() {
  GalleryChart c{"memory_budget", Figure(3.0, 2.0)};
  c.markers = 15;  // 7 + 8 points
  Axes& ax = c.fig.axes();
  ax.xlabel = "Memory Budget (GB)";
  ax.ylabel = "Mean Latency (s)";
  ax.AddLine({7, 12, 22, 28, 33, 38, 44},
             {0.9, 0.57, 0.47, 0.44, 0.42, 0.41, 0.40}, "Model Parallelism");
  ax.AddLine({5.5, 11, 16.5, 22, 27.5, 33, 38.5, 44},
             {2.45, 0.98, 0.66, 0.52, 0.45, 0.42, 0.41, 0.40}, "Replication");
  ax.AddVLine(13, "GPU Memory Bound");
  return c;
}

GalleryChart SloAttainment() {
  GalleryChart c{"slo_attainment", Figure(3.0, 2.5)};
  c.markers = 100;  // 5 lines x 20 points
  Axes& ax = c.fig.axes();
  ax.xlabel = "SLO Scale";
  ax.ylabel = "SLO Attainment (%)";
  ax.legend.font_size = 6;
  ax.legend.loc = LegendLoc::kAbove;
  ax.legend.ncols = 2;
  std::vector<double> x;
  for (int i = 1; i <= 20; ++i) x.push_back(i);
  for (int k = 0; k < 4; ++k) {
    const double alpha = 1.0 + 0.2 * k;
    std::vector<double> y;
    for (double s : x) {
      y.push_back(s <= 1 ? 0 : (99 - 8 * k) * (1 - std::exp(-(s - 1) / alpha)));
    }
    Line& line =
        ax.AddLine(x, y, absl::StrFormat("Model Parallelism (α=%.1f)", alpha));
    line.color = Tab10(0);
    line.alpha = 1.0 - 0.2 * k;
  }
  std::vector<double> y;
  for (double s : x)
    y.push_back(s <= 1 ? 0 : 98 * (1 - std::exp(-(s - 1) / 2.5)));
  ax.AddLine(x, y, "Replication").color = Tab10(1);
  return c;
}

const std::vector<std::string> kGpus = {"1", "2", "4", "8"};
const std::vector<std::string> kComponents = {
    "Computation", "Communication overhead", "Uneven partition overhead"};

GalleryChart StackedBars() {
  GalleryChart c{"stacked_bars", Figure(3.0, 2.5)};
  Axes& ax = c.fig.axes();
  ax.xlabel = "Number of GPUs";
  ax.ylabel = "Latency (s)";
  ax.categories = kGpus;
  ax.grid = GridMode::kY;
  ax.AddStackedBars({0, 1, 2, 3},
                    {{0.238, 0.238, 0.238, 0.238},
                     {0.0, 0.007, 0.021, 0.05},
                     {0.0, 0.002, 0.004, 0.012}},
                    kComponents, 0.4);
  return c;
}

GalleryChart StackedCompare() {
  GalleryChart c{"stacked_compare", Figure(3.0, 2.5)};
  Axes& ax = c.fig.axes();
  ax.xlabel = "Number of GPUs";
  ax.ylabel = "Latency (s)";
  ax.categories = kGpus;
  ax.grid = GridMode::kY;
  ax.ylim = Limits{0.1, 0.25};
  const std::vector<std::vector<double>> manual = {{0.150, 0.150, 0.150, 0.150},
                                                   {0.0, 0.009, 0.018, 0.030},
                                                   {0.0, 0.004, 0.006, 0.010}};
  const std::vector<std::vector<double>> dp = {{0.150, 0.150, 0.150, 0.150},
                                               {0.0, 0.007, 0.014, 0.024},
                                               {0.0, 0.001, 0.002, 0.003}};
  ax.AddStackedBars({-0.175, 0.825, 1.825, 2.825}, manual, {}, 0.35, 0.5);
  ax.AddStackedBars({0.175, 1.175, 2.175, 3.175}, dp, kComponents, 0.35);
  return c;
}

GalleryChart GroupedBars() {
  GalleryChart c{"grouped_bars", Figure(3.0, 2.0)};
  Axes& ax = c.fig.axes();
  ax.xlabel = "Number of GPUs";
  ax.ylabel = "Throughput (req/s)";
  ax.categories = kGpus;
  ax.grid = GridMode::kY;
  ax.AddGroupedBars(
      {{4.2, 8.1, 15.5, 27.9}, {4.2, 7.7, 13.6, 21.4}, {4.2, 8.4, 16.8, 33.6}},
      {"Inter-op", "Intra-op", "Replication"}, 0.8, {1.0, 0.75, 0.5});
  return c;
}

GalleryChart PlainLines() {
  GalleryChart c{"plain_lines", Figure(3.0, 2.0)};
  Axes& ax = c.fig.axes();
  ax.xlabel = "Total Rates (req/s)";
  ax.ylabel = "Mean Latency (s)";
  std::vector<double> x, a, b;
  for (int i = 1; i <= 24; ++i) {
    x.push_back(i);
    a.push_back(0.33 + 0.0008 * i * i + (i > 20 ? 0.3 * (i - 20) : 0));
    b.push_back(0.3 + 0.03 * i + 0.0004 * i * i);
  }
  ax.AddLine(x, a, "Model Parallelism", Marker::kNone);
  ax.AddLine(x, b, "Replication", Marker::kNone).style = LineStyle::kDashed;
  ax.AddHLine(0.5).color = Color{0.5, 0.5, 0.5};
  return c;
}

GalleryChart Subplots() {
  GalleryChart c{"subplots", Figure(6.0, 4.0, 2, 2)};
  c.markers = 88;  // 4 axes x 2 lines x 11 points
  const char* titles[] = {"CV = 1", "CV = 2", "CV = 4", "CV = 8"};
  for (int k = 0; k < 4; ++k) {
    Axes& ax = c.fig.axes(k / 2, k % 2);
    ax.title = titles[k];
    ax.xlabel = "Rate (req/s)";
    ax.ylabel = "SLO Attainment (%)";
    ax.ylim = Limits{0, 105};
    std::vector<double> x, mp, rep;
    for (int i = 0; i <= 10; ++i) {
      x.push_back(i * 2.5);
      mp.push_back(100 / (1 + std::exp((i * 2.5 - 18 + 2 * k) / 3.0)));
      rep.push_back(100 / (1 + std::exp((i * 2.5 - 14 + 3 * k) / 2.0)));
    }
    ax.AddLine(x, mp, "Model Parallelism");
    ax.AddLine(x, rep, "Replication");
    ax.legend.loc = k == 0 ? LegendLoc::kBest : LegendLoc::kNone;
  }
  return c;
}

GalleryChart SmallDecimals() {
  GalleryChart c{"small_decimals", Figure(3.0, 2.0)};
  c.markers = 8;  // the measured line; the fit has none
  Axes& ax = c.fig.axes();
  ax.xlabel = "Pipeline stages";
  ax.ylabel = "Overhead (ms)";
  ax.grid = GridMode::kY;
  ax.AddLine({1, 2, 3, 4, 5, 6, 7, 8},
             {0.0012, 0.0018, 0.0021, 0.0030, 0.0041, 0.0043, 0.0052, 0.0060},
             "Measured");
  Line& fit = ax.AddLine({1, 8}, {0.0010, 0.0059}, "Linear fit", Marker::kNone);
  fit.style = LineStyle::kDotted;
  return c;
}

// Data everywhere: the "best" legend raises the y range to sit above it.
GalleryChart LegendRoom() {
  GalleryChart c{"legend_room", Figure(3.0, 2.0)};
  c.markers = 26;  // 2 lines x 13 points
  Axes& ax = c.fig.axes();
  ax.xlabel = "Rate (req/s)";
  ax.ylabel = "Goodput (req/s)";
  std::vector<double> x, a, b;
  for (int i = 0; i <= 12; ++i) {
    x.push_back(i);
    a.push_back(10 + 6 * std::sin(i * 0.9));
    b.push_back(10 + 6 * std::cos(i * 0.7));
  }
  ax.AddLine(x, a, "Model Parallelism");
  ax.AddLine(x, b, "Replication");
  return c;
}

// Latencies over four decades on a log y axis (ticks at the decades), with
// a 1 s reference line.
GalleryChart LogLatency() {
  GalleryChart c{"log_latency", Figure(3.0, 2.2)};
  c.markers = 24;  // 2 lines x 12 points
  Axes& ax = c.fig.axes();
  ax.xlabel = "Total Rate (req/s)";
  ax.ylabel = "P99 Latency (s)";
  ax.ylog = true;
  std::vector<double> x, mp, rep;
  for (int i = 1; i <= 12; ++i) {
    x.push_back(5 * i);
    // Flat while the GPUs keep up, then queueing: exponential growth.
    mp.push_back(0.05 * std::exp(std::max(0.0, 5.0 * i - 35) / 4.0));
    rep.push_back(0.02 * std::exp(std::max(0.0, 5.0 * i - 20) / 5.0));
  }
  ax.AddLine(x, mp, "Model Parallelism", Marker::kCircle);
  Line& r = ax.AddLine(x, rep, "Replication", Marker::kSquare);
  r.style = LineStyle::kDashed;
  ax.AddHLine(1.0, "SLO").color = Color{0.5, 0.5, 0.5};
  return c;
}

}  // namespace

std::vector<GalleryChart> Gallery() {
  return {LatencyCdf(),  Utilization(),    MemoryBudget(), SloAttainment(),
          StackedBars(), StackedCompare(), GroupedBars(),  PlainLines(),
          Subplots(),    SmallDecimals(),  LegendRoom(),   LogLatency()};
}

}  // namespace multiplex::render
