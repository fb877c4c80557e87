#include "render/data_table.h"

#include <cmath>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/file_io.h"
#include "core/number_format.h"

namespace multiplex::render {
namespace {

// Tabs and newlines would break the columns.
std::string Clean(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\t", " "}, {"\n", " "}});
}

std::string Name(const std::string& label, const char* kind, size_t index,
                 const std::string& prefix) {
  return prefix + (label.empty() ? absl::StrCat(kind, index) : Clean(label));
}

void AppendRow(std::string* out, const std::string& series,
               const std::string& x, double y) {
  absl::StrAppend(out, series, "\t", x, "\t", FormatDoubleExact(y), "\n");
}

void AppendAxes(const Axes& axes, const std::string& prefix, std::string* out) {
  size_t index = 0;
  for (const Series& series : axes.series) {
    std::visit(
        [&](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<T, Line>) {
            const std::string name = Name(s.label, "line", index, prefix);
            for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
              AppendRow(out, name, FormatAxisValue(s.x[i]), s.y[i]);
            }
          } else if constexpr (std::is_same_v<T, Area>) {
            const std::string name = Name(s.label, "area", index, prefix);
            for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
              AppendRow(out, name, FormatAxisValue(s.x[i]), s.y[i]);
            }
          } else if constexpr (std::is_same_v<T, RefLine>) {
            const std::string name = Name(s.label, "refline", index, prefix);
            if (s.vertical) {
              AppendRow(out, name, FormatAxisValue(s.value), NAN);
            } else {
              AppendRow(out, name, "nan", s.value);
            }
          } else if constexpr (std::is_same_v<T, Bars>) {
            const std::string name = Name(s.label, "bars", index, prefix);
            for (size_t i = 0; i < s.x.size() && i < s.height.size(); ++i) {
              // Bars offset within a category (side by side) still name it.
              const double x = s.x[i];
              const double nearest = std::round(x);
              const bool categorical = !axes.categories.empty() &&
                                       nearest >= 0 &&
                                       nearest < axes.categories.size() &&
                                       std::abs(x - nearest) < 0.5;
              AppendRow(out, name,
                        categorical ? Clean(axes.categories[size_t(nearest)])
                                    : FormatDoubleExact(x),
                        s.height[i]);
            }
          }
        },
        series);
    ++index;
  }
}

}  // namespace

std::string FormatDataTable(const Figure& fig, const DataParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    absl::StrAppend(&out, "# ", Clean(key), ": ", Clean(value), "\n");
  }
  absl::StrAppend(&out, "series\tx\ty\n");
  const bool several = fig.rows() * fig.cols() > 1;
  for (int r = 0; r < fig.rows(); ++r) {
    for (int c = 0; c < fig.cols(); ++c) {
      AppendAxes(fig.axes(r, c), several ? absl::StrCat(r, ",", c, "/") : "",
                 &out);
    }
  }
  return out;
}

absl::Status WriteDataTable(const Figure& fig, const DataParams& params,
                            const std::string& path) {
  return WriteFileAtomically(path, FormatDataTable(fig, params));
}

}  // namespace multiplex::render
