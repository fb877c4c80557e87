#ifndef MULTIPLEX_RENDER_TICKS_H_
#define MULTIPLEX_RENDER_TICKS_H_

// Tick positions and number formatting. Pure functions, no cairo.

#include <string>
#include <vector>

namespace multiplex::render {

// "Nice" ticks inside [lo, hi] like matplotlib's MaxNLocator: steps of
// 1, 2, 2.5 or 5 times a power of ten, at most max_bins + 1 ticks, at least
// two where the range allows. Ticks are multiples of the step, so 0 is a
// tick whenever it lies in the range. Returns {} when hi <= lo or either
// bound is not finite, and at most 1000 ticks for any range (a subnormal
// one, 1e-320 wide, has no step that a double can hold: {} or a few).
std::vector<double> NiceTicks(double lo, double hi, int max_bins);

// The number of bins matplotlib aims for on an axis `length_pt` long whose
// tick labels are `font_size_pt`: one per 3 font sizes along x, one per 2
// along y, between 1 and 9.
int MaxBinsForAxis(double length_pt, double font_size_pt, bool is_x);

// The fewest decimals (0..12) that show every value exactly (up to rounding
// noise): {0, 0.25, 0.5} -> 2, {0, 5, 10} -> 0.
int CommonDecimals(const std::vector<double>& values);

// Tick labels with one number of decimals across the set, e.g.
// {0, 0.2, 0.4} -> "0.0", "0.2", "0.4" and {0.2, 0.22} -> "0.20", "0.22".
// Very large or tiny magnitudes use %g. Never prints "-0".
std::vector<std::string> FormatTicks(const std::vector<double>& values);

// A value with `significant` significant digits and no trailing zeros:
// 0.000123456 -> "0.000123", 12.345 -> "12.3", 1234.5 -> "1235",
// 2.50 -> "2.5". Non-finite values print as "nan", "inf", "-inf".
std::string FormatNumber(double value, int significant = 3);

// A fraction as a percentage: 0.953 -> "95.3%", 1 -> "100%".
std::string FormatPercent(double fraction, int significant = 3);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_TICKS_H_
