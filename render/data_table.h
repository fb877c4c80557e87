#ifndef MULTIPLEX_RENDER_DATA_TABLE_H_
#define MULTIPLEX_RENDER_DATA_TABLE_H_

// The data behind a figure as a long-form TSV, written beside its PDF so
// that anyone can re-plot or check the numbers:
//
//   # figure: changing_rate_cv_slo_1
//   # <key>: <value>            (one line per parameter)
//   series<TAB>x<TAB>y
//   Model Parallelism<TAB>0.8<TAB>0.31
//
// One row per plotted point: lines and areas give their points (a CDF its
// step points), bars give (the label of the category they stand in, or x;
// height), a vertical
// reference line gives (value, nan) and a horizontal one (nan, value).
// Unlabelled series are named "<kind><index>" (area2, bars3, ...); with
// several axes, names are prefixed "<row>,<col>/". Numbers are written in
// the shortest form that reads back exactly.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "render/chart.h"

namespace multiplex::render {

using DataParams = std::vector<std::pair<std::string, std::string>>;

std::string FormatDataTable(const Figure& fig, const DataParams& params);

absl::Status WriteDataTable(const Figure& fig, const DataParams& params,
                            const std::string& path);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_DATA_TABLE_H_
