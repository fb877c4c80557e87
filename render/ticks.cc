#include "render/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace multiplex::render {
namespace {

// Removes trailing zeros after a decimal point, and the point itself.
std::string TrimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string NoNegativeZero(std::string s) {
  if (s.size() > 1 && s[0] == '-' &&
      s.find_first_not_of("0.", 1) == std::string::npos) {
    s.erase(0, 1);
  }
  return s;
}

}  // namespace

constexpr double kMaxTicks = 1000;

std::vector<double> NiceTicks(double lo, double hi, int max_bins) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return {};
  max_bins = std::max(1, max_bins);
  const double range = hi - lo;
  const double raw = range / max_bins;
  const int exponent = static_cast<int>(std::floor(std::log10(raw)));
  const double pow10 = std::pow(10.0, std::abs(exponent));  // inf below 1e-308
  // step(i) = kSteps[i] * 10^exponent; 0.5 is the finer fallback below 1.
  const double kSteps[] = {0.5, 1.0, 2.0, 2.5, 5.0, 10.0};
  auto value = [&](double k, int i) {
    // k * kSteps[i] is exact; one multiplication or division by an exact
    // power of ten then gives the double nearest the decimal tick (0.6, not
    // 0.6000000000000001).
    const double m = k * kSteps[i];
    return exponent >= 0 ? m * pow10 : m / pow10;
  };
  int istep = 5;
  for (int i = 1; i < 6; ++i) {
    if (value(1, i) >= raw * (1 - 1e-10)) {
      istep = i;
      break;
    }
  }
  const double tol = range * 1e-10;
  std::vector<double> best;
  // Like MaxNLocator: take the smallest step that keeps within max_bins,
  // then fall back to finer steps until at least two ticks are visible.
  for (int i = istep; i >= 0; --i) {
    const double step = value(1, i);
    const double first = std::ceil((lo - tol) / step);
    const double last = std::floor((hi + tol) / step);
    // A range near the end of the doubles (subnormal, 1e-320) gives a step
    // of 0 or inf and a loop without end: at most kMaxTicks ticks.
    if (!(step > 0) || !std::isfinite(first) || !std::isfinite(last) ||
        !(last - first < kMaxTicks)) {
      continue;
    }
    std::vector<double> ticks;
    for (double k = first; k <= last; k += 1.0) {
      ticks.push_back(k == 0 ? 0.0 : value(k, i));
    }
    best = std::move(ticks);
    if (best.size() >= 2) break;
  }
  return best;
}

int MaxBinsForAxis(double length_pt, double font_size_pt, bool is_x) {
  const double per_bin = font_size_pt * (is_x ? 3.0 : 2.0);
  if (!(per_bin > 0) || !std::isfinite(length_pt)) return 1;
  return std::clamp(static_cast<int>(std::floor(length_pt / per_bin)), 1, 9);
}

int CommonDecimals(const std::vector<double>& values) {
  for (int d = 0; d <= 12; ++d) {
    const double p = std::pow(10.0, d);
    bool ok = true;
    for (double v : values) {
      if (!std::isfinite(v)) continue;
      const double scaled = v * p;
      if (std::fabs(scaled - std::round(scaled)) >
          1e-6 * std::max(1.0, std::fabs(scaled) * 1e-3)) {
        ok = false;
        break;
      }
    }
    if (ok) return d;
  }
  return 12;
}

std::vector<std::string> FormatTicks(const std::vector<double>& values) {
  double max_abs = 0.0;
  for (double v : values) {
    if (std::isfinite(v)) max_abs = std::max(max_abs, std::fabs(v));
  }
  std::vector<std::string> out;
  const bool use_g = max_abs >= 1e6 || (max_abs > 0 && max_abs < 1e-4);
  const int decimals = CommonDecimals(values);
  for (double v : values) {
    if (!std::isfinite(v)) {
      out.push_back(FormatNumber(v));
    } else if (use_g) {
      out.push_back(NoNegativeZero(absl::StrFormat("%g", v)));
    } else {
      out.push_back(NoNegativeZero(absl::StrFormat("%.*f", decimals, v)));
    }
  }
  return out;
}

std::string FormatNumber(double value, int significant) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0.0) return "0";
  significant = std::clamp(significant, 1, 15);
  const double mag = std::floor(std::log10(std::fabs(value)));
  if (mag < -12 || mag >= 15) {
    return absl::StrFormat("%.*g", significant, value);
  }
  const int decimals =
      std::clamp(significant - 1 - static_cast<int>(mag), 0, 15);
  return NoNegativeZero(TrimZeros(absl::StrFormat("%.*f", decimals, value)));
}

std::string FormatPercent(double fraction, int significant) {
  if (!std::isfinite(fraction)) return FormatNumber(fraction);
  return absl::StrCat(FormatNumber(fraction * 100.0, significant), "%");
}

}  // namespace multiplex::render
