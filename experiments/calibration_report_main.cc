// The calibration report with Figure 5 simulated: every target of
// `bazel run //profiler:calibrate -- --report` (profiler/calibration_report.h)
// on a hardware description, then Figure 5's own shape on a database: the
// rate study of experiments/specs/changing_rate_cv_slo.textproto (8 x
// bert-2.6b, cv 3, total rate up to 24 req/s), with the first rate at which
// model parallelism's mean (and p99) latency reaches replication's. The
// paper's curves meet near the top of the range.
//
//   bazel run //experiments:calibration_report [-- --db=FILE --hardware=FILE]

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status_macros.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study_run.h"
#include "profiler/calibration.h"
#include "profiler/calibration_report.h"
#include "profiler/descs.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, hardware, "profiler/hardware/v100-sxm2-16gb.textproto",
          "hardware description of the profiler's targets");
ABSL_FLAG(std::string, db, "profiler/data/profiling_result.textproto",
          "database Figure 5 is simulated on");
ABSL_FLAG(double, duration_scale, 1, "multiplies Figure 5's 1000 s");

namespace multiplex {
namespace {

std::string Path(const char* flag, const std::string& value) {
  return FlagGiven(flag) ? value : ResolveWorkspacePath(value);
}

// Figure 5's lines: where model parallelism's curve of `metric` first
// reaches replication's (the rate, or beyond the range), and both at the
// top rate.
absl::StatusOr<std::vector<TargetLine>> Figure5Targets(const std::string& db,
                                                       double duration_scale) {
  StudyOptions options;
  options.default_cost_model = absl::StrCat("database:path=", db);
  options.duration_scale = duration_scale;
  ASSIGN_OR_RETURN(
      std::vector<Study> studies,
      LoadStudies(ResolveWorkspacePath(
                      "experiments/specs/changing_rate_cv_slo.textproto"),
                  options));
  const Study* rate = nullptr;
  for (const Study& s : studies) {
    if (s.spec.name() == "rate") rate = &s;
  }
  if (rate == nullptr) {
    return absl::NotFoundError("changing_rate_cv_slo: no study 'rate'");
  }
  ParallelOptions parallel;
  parallel.quiet = true;
  ASSIGN_OR_RETURN(const StudyResults results, RunStudy(*rate, parallel));
  // metric -> policy label -> rate -> value
  std::map<std::string, std::map<std::string, std::map<double, double>>> curves;
  for (size_t i = 0; i < rate->cases.size(); ++i) {
    const StudyCase& c = rate->cases[i];
    double x = 0;
    if (!absl::SimpleAtod(CaseValue(c, "workload.total_rate"), &x)) continue;
    const std::string& label = rate->spec.policies(c.policy).label();
    for (const char* metric : {"mean_latency_s", "p99_latency_s"}) {
      curves[metric][label][x] = MetricValue(results.cases[i], metric);
    }
  }
  std::vector<TargetLine> lines;
  const std::string group = "Figure 5 (simulated on the database)";
  for (const auto& [metric, by_policy] : curves) {
    const auto mp = by_policy.find("Model Parallelism");
    const auto rep = by_policy.find("Replication");
    if (mp == by_policy.end() || rep == by_policy.end()) {
      return absl::NotFoundError("changing_rate_cv_slo: policy labels changed");
    }
    double top = 0, meet = -1;
    for (const auto& [x, y] : mp->second) {
      top = std::max(top, x);
      if (meet < 0 && y >= rep->second.at(x)) meet = x;
    }
    TargetLine t;
    t.group = group;
    t.name = absl::StrFormat(
        "%s: first rate where MP >= replication (top: %.3g vs %.3g s)", metric,
        mp->second.at(top), rep->second.at(top));
    t.modelled = meet < 0 ? top + 1 : meet;  // beyond the range: missed
    t.is_range = true;
    t.lo = 0.75 * top;
    t.hi = top;
    t.unit = "req/s";
    t.source = "paper: the curves meet near the top rate";
    lines.push_back(t);
  }
  return lines;
}

int Main() {
  const std::string hardware = Path("hardware", absl::GetFlag(FLAGS_hardware));
  const std::string db = Path("db", absl::GetFlag(FLAGS_db));
  absl::StatusOr<HardwareDesc> hw = LoadHardwareDesc(hardware);
  auto models =
      LoadModelDescs(ResolveWorkspacePath("profiler/models"),
                     {"bert-1.3b", "bert-2.6b", "bert-6.7b", "bert-15b"});
  auto stage = LoadStageTable(ResolveWorkspacePath(
      "profiler/reference/v100_bert1.3b_stage_latency.tsv"));
  auto pipe = LoadPipelineTable(
      ResolveWorkspacePath("profiler/reference/v100_pipeline_latency.tsv"));
  if (!hw.ok() || !models.ok() || !stage.ok() || !pipe.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(!hw.ok() ? hw.status().message()
                                      : "cannot load the models or the "
                                        "reference tables")
                     .c_str());
    return 1;
  }
  absl::StatusOr<CalibrationReport> report =
      Evaluate(*hw, *models, *stage, *pipe);
  absl::StatusOr<std::vector<TargetLine>> figures =
      FigureTargets(*hw, *models, "block");
  absl::StatusOr<std::vector<TargetLine>> figure5 =
      Figure5Targets(db, absl::GetFlag(FLAGS_duration_scale));
  for (const absl::Status& s :
       {report.status(), figures.status(), figure5.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      return 1;
    }
  }
  std::vector<TargetLine> lines = ReferenceTargets(*report);
  lines.insert(lines.end(), figures->begin(), figures->end());
  lines.insert(lines.end(), figure5->begin(), figure5->end());
  std::printf("calibration: %s\ndatabase: %s\n%s", hw->calibration().c_str(),
              db.c_str(), FormatTargets(lines).c_str());
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(
      argc, argv, "calibration_report",
      "Every calibration target with its residual (as bazel run "
      "//profiler:calibrate -- --report),\nand Figure 5 simulated on a "
      "database.\n"
      "Usage: bazel run //experiments:calibration_report -- [--db=FILE] "
      "[--hardware=FILE] [--duration_scale=X]\n"
      "Given files are taken from the directory the command was run in.");
  return multiplex::Main();
}
