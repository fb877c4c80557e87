#ifndef MULTIPLEX_PROFILER_CALIBRATION_REPORT_H_
#define MULTIPLEX_PROFILER_CALIBRATION_REPORT_H_

// Every target the V100 description is checked against, with its residual:
// the reference rows (calibration.h), the stage shares, Table 1, and the
// values the paper's Figures 8, 9 and 14 publish (their bars, axis ranges
// and stated savings), computed from the analytical model on the study's
// database options (sequence 2048, batch 1, manual and DP stages).
//   bazel run //profiler:calibrate -- --report

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "profiler/calibration.h"
#include "profiler/hardware_desc.pb.h"
#include "profiler/model_desc.pb.h"

namespace multiplex {

// One checked value. A target is either a number (residual = modelled -
// target, met when |residual| <= tolerance) or a range [lo, hi] (residual =
// distance outside it, met when 0).
struct TargetLine {
  std::string group;  // e.g. "Figure 14 (DP cut at 8 stages)"
  std::string name;   // e.g. "bert-1.3b"
  double modelled = 0;
  double target = 0, tolerance = 0;  // numeric target
  double lo = 0, hi = 0;             // range target when is_range
  bool is_range = false;
  std::string unit;    // "%", "ms", "x", ...
  std::string source;  // where the target comes from
  double Residual() const;
  bool Met() const;
};

// The figure targets (Figures 8, 9, 14) of `hw` for bert-1.3b and bert-2.6b
// (both must be in `models`).
// `dp_unit` is AnalyticalOptions::dp_unit of the DP stages.
absl::StatusOr<std::vector<TargetLine>> FigureTargets(
    const HardwareDesc& hw, const std::vector<TransformerModelDesc>& models,
    const std::string& dp_unit);

// The reference-row, stage-share and Table 1 targets of a report, one line
// per row (residual = relative error) plus the table summaries.
std::vector<TargetLine> ReferenceTargets(const CalibrationReport& report);

// The grouped text of `lines`: per group a header, one line per target
// (modelled, target, residual, met), and a closing tally.
std::string FormatTargets(const std::vector<TargetLine>& lines);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_CALIBRATION_REPORT_H_
