#include "workloads/rate_split.h"

#include <cmath>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/status_macros.h"

namespace multiplex {

absl::StatusOr<std::vector<double>> ParseNumberList(absl::string_view text,
                                                    char sep) {
  std::vector<double> values;
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) {
    return absl::InvalidArgumentError("empty list of numbers");
  }
  for (absl::string_view item : absl::StrSplit(text, sep)) {
    double value;
    if (!absl::SimpleAtod(item, &value) || !std::isfinite(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad number '", item, "' in list '", text,
                       "' (items separated by '", std::string(1, sep), "')"));
    }
    values.push_back(value);
  }
  return values;
}

absl::StatusOr<std::vector<double>> SplitWeights(absl::string_view spec,
                                                 int n) {
  if (n < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("rate split needs at least one model, got ", n));
  }
  spec = absl::StripAsciiWhitespace(spec);
  std::vector<double> w(n);
  if (spec == "uniform") {
    for (double& x : w) x = 1.0;
    return w;
  }
  if (spec == "power_law" || absl::StartsWith(spec, "power_law:")) {
    double alpha = 0.5;
    if (spec != "power_law") {
      absl::string_view a = spec.substr(sizeof("power_law:") - 1);
      if (!absl::SimpleAtod(a, &alpha) || !std::isfinite(alpha) || alpha < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("rate split '", spec,
                         "': the power-law exponent must be a number >= 0"));
      }
    }
    for (int i = 0; i < n; ++i) w[i] = std::pow(i + 1.0, -alpha);
    return w;
  }
  if (spec == "triangle_decay") {
    int i = 0;
    for (int tier = 0; i < n; ++tier) {
      const double weight = std::ldexp(1.0, -tier);
      for (int j = 0; j <= tier && i < n; ++j) w[i++] = weight;
    }
    return w;
  }
  // Explicit weights.
  absl::StatusOr<std::vector<double>> weights = ParseNumberList(spec, ':');
  if (!weights.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown rate split '", spec,
        "'; known: uniform, power_law, power_law:<exponent>, triangle_decay, "
        "or explicit weights like 2:8"));
  }
  if (static_cast<int>(weights->size()) != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("rate split '", spec, "' has ", weights->size(),
                     " weights but there are ", n, " models"));
  }
  double sum = 0;
  for (double x : *weights) {
    if (x < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "rate split '", spec, "': weights must be >= 0, got ", x));
    }
    sum += x;
  }
  if (!(sum > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rate split '", spec, "': the weights sum to zero"));
  }
  return weights;
}

absl::StatusOr<std::vector<double>> SplitRate(absl::string_view spec,
                                              double total, int n) {
  if (!std::isfinite(total) || !(total > 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the total rate must be a finite number > 0, got ", total));
  }
  ASSIGN_OR_RETURN(const std::vector<double> w, SplitWeights(spec, n));
  double sum = 0;
  for (double x : w) sum += x;
  std::vector<double> rates(n);
  for (int i = 0; i < n; ++i) rates[i] = total * (w[i] / sum);
  return rates;
}

}  // namespace multiplex
