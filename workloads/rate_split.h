#ifndef MULTIPLEX_WORKLOADS_RATE_SPLIT_H_
#define MULTIPLEX_WORKLOADS_RATE_SPLIT_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

// Splits `total` requests/s over `n` models. Specs:
//   "uniform"          total / n each.
//   "power_law"        rate_i proportional to (i+1)^-0.5 (the study's split).
//   "power_law:A"      rate_i proportional to (i+1)^-A, A >= 0.
//   "triangle_decay"   halving tiers of growing size: tier k (k = 0, 1, ...)
//                      holds the next k+1 models (1, 2, 3, ... models: a
//                      triangle) and each of them weighs 2^-k; the last tier
//                      may be partial.
//   "W0:W1:...:Wn-1"   explicit non-negative weights, one per model, e.g.
//                      "2:8" (a single model takes a bare number, "5").
// Every split is rate_i = total * w_i / sum(w). total must be finite and
// > 0, n >= 1; the result sums to `total` up to rounding.
absl::StatusOr<std::vector<double>> SplitRate(absl::string_view spec,
                                              double total, int n);

// The weights SplitRate normalises (before scaling), for documentation and
// tests.
absl::StatusOr<std::vector<double>> SplitWeights(absl::string_view spec, int n);

// Parses a list of finite numbers separated by `sep` ("10/20/5" with '/').
// The list syntax plugin parameters use, since ',' and '=' are taken by the
// registry's "k=v,k=v".
absl::StatusOr<std::vector<double>> ParseNumberList(absl::string_view text,
                                                    char sep);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_RATE_SPLIT_H_
