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

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_NUMBER_FORMAT_H_
