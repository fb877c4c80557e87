#ifndef MULTIPLEX_CORE_NUMBER_FORMAT_H_
#define MULTIPLEX_CORE_NUMBER_FORMAT_H_

#include <charconv>
#include <cmath>
#include <string>

namespace multiplex {

// The shortest text that reads back (absl::SimpleAtod, strtod) to exactly
// `value`: "20", "0.1", "6.666666666666667", "1e-05"; "inf"/"-inf"/"nan".
// (absl::StrCat(double) keeps only six significant digits.) Every exact
// number the project writes (traces, data tables, plugin arguments,
// parameter bounds) goes through here.
inline std::string FormatDoubleExact(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, r.ptr);
}

// An axis value as a person wrote it: its text at 12 significant digits
// when that is within a few units in the last place of
// `value` (8 x 0.1 x ... accumulates "8.100000000000001": written "8.1"),
// else FormatDoubleExact. For the x values of data tables and sweep
// values in messages: a few ulps off the exact value, at most.
inline std::string FormatAxisValue(double value) {
  if (!std::isfinite(value) || value == 0) return FormatDoubleExact(value);
  char buf[64];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), value,
                                         std::chars_format::general, 12);
  const std::string rounded(buf, r.ptr);
  double back = 0;
  std::from_chars(rounded.data(), rounded.data() + rounded.size(), back);
  const std::string exact = FormatDoubleExact(value);
  if (std::fabs(back - value) <= 4 * std::fabs(value) * 2.220446049250313e-16 &&
      rounded.size() < exact.size()) {
    return rounded;
  }
  return exact;
}

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_NUMBER_FORMAT_H_
