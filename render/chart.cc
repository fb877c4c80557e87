#include "render/chart.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace multiplex::render {

Line& Axes::AddLine(std::vector<double> x, std::vector<double> y,
                    std::string label, Marker marker) {
  Line line;
  line.x = std::move(x);
  line.y = std::move(y);
  line.label = std::move(label);
  line.marker = marker;
  line.color = cycle_.Next();
  series.emplace_back(std::move(line));
  return std::get<Line>(series.back());
}

Line& Axes::AddCdf(std::vector<double> samples, std::string label,
                   int max_steps) {
  samples.erase(std::remove_if(samples.begin(), samples.end(),
                               [](double v) { return !std::isfinite(v); }),
                samples.end());
  std::sort(samples.begin(), samples.end());
  std::vector<double> x, y;
  const double n = samples.size();
  for (size_t i = 0; i < samples.size(); ++i) {
    // One point per distinct value, at its highest rank.
    if (i + 1 < samples.size() && samples[i + 1] == samples[i]) continue;
    const double level = (i + 1) / n;
    const bool last = i + 1 == samples.size();
    if (max_steps > 0 && !last && !y.empty() &&
        std::floor(level * max_steps) <= std::floor(y.back() * max_steps)) {
      continue;
    }
    x.push_back(samples[i]);
    y.push_back(level);
  }
  Line& line =
      AddLine(std::move(x), std::move(y), std::move(label), Marker::kNone);
  line.step = true;
  return line;
}

Area& Axes::AddArea(std::vector<double> x, std::vector<double> y,
                    std::string label, double alpha) {
  Area area;
  area.x = std::move(x);
  area.y = std::move(y);
  area.label = std::move(label);
  area.alpha = alpha;
  area.color = cycle_.Next();
  series.emplace_back(std::move(area));
  return std::get<Area>(series.back());
}

RefLine& Axes::AddVLine(double x, std::string label) {
  RefLine ref;
  ref.vertical = true;
  ref.value = x;
  ref.label = std::move(label);
  series.emplace_back(std::move(ref));
  return std::get<RefLine>(series.back());
}

RefLine& Axes::AddHLine(double y, std::string label) {
  RefLine& ref = AddVLine(y, std::move(label));
  ref.vertical = false;
  return ref;
}

Bars& Axes::AddBars(std::vector<double> x, std::vector<double> height,
                    std::string label) {
  Bars bars;
  bars.x = std::move(x);
  bars.height = std::move(height);
  bars.label = std::move(label);
  bars.color = cycle_.Next();
  series.emplace_back(std::move(bars));
  return std::get<Bars>(series.back());
}

std::vector<Bars*> Axes::AddStackedBars(
    const std::vector<double>& x,
    const std::vector<std::vector<double>>& components,
    const std::vector<std::string>& labels, double width, double alpha,
    const std::vector<Color>& colors) {
  std::vector<Bars*> out;
  std::vector<double> bottom(x.size(), 0.0);
  for (size_t k = 0; k < components.size(); ++k) {
    Bars bars;
    bars.x = x;
    bars.height = components[k];
    bars.height.resize(x.size(), 0.0);
    bars.bottom = bottom;
    bars.width = width;
    bars.alpha = alpha;
    bars.color = k < colors.size() ? colors[k] : Tab10(k);
    if (k < labels.size()) bars.label = labels[k];
    for (size_t i = 0; i < x.size(); ++i) {
      // A missing (non-finite) component adds nothing to the stack.
      if (std::isfinite(bars.height[i])) bottom[i] += bars.height[i];
    }
    series.emplace_back(std::move(bars));
    out.push_back(&std::get<Bars>(series.back()));
  }
  return out;
}

std::vector<Bars*> Axes::AddGroupedBars(
    const std::vector<std::vector<double>>& values,
    const std::vector<std::string>& labels, double group_width,
    const std::vector<double>& alphas) {
  std::vector<Bars*> out;
  const int n = values.size();
  if (n == 0) return out;
  const double w = group_width / n;
  for (int s = 0; s < n; ++s) {
    std::vector<double> x;
    for (size_t c = 0; c < values[s].size(); ++c) {
      x.push_back(c - group_width / 2 + (s + 0.5) * w);
    }
    Bars& bars =
        AddBars(std::move(x), values[s], s < labels.size() ? labels[s] : "");
    bars.width = w;
    if (s < alphas.size()) bars.alpha = alphas[s];
    out.push_back(&bars);
  }
  return out;
}

Figure::Figure(double width_in, double height_in, int rows, int cols)
    : width_in_(width_in),
      height_in_(height_in),
      rows_(std::max(rows, 1)),
      cols_(std::max(cols, 1)),
      axes_(rows_ * cols_) {}

}  // namespace multiplex::render
