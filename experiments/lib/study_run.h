#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_RUN_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_RUN_H_

// Running a loaded study (study.h) and writing its outputs:
//
//   ASSIGN_OR_RETURN(StudyResults results, RunStudy(study, parallel));
//   RETURN_IF_ERROR(WriteStudyOutputs(study, results, "out/my_study", png));
//
// writes results.tsv, study.textproto and every chart (PDF, TSV, PNG with
// `png`), all of them as one set.
//
// Reproducibility: every case's randomness comes from its own spec (the
// workload seeds), so the same spec and options give the same bytes
// whatever the thread count; the one exception is the solver_s column (and
// a chart of it), which is measured wall-clock time.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/stats.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/parallel_cases.h"
#include "experiments/lib/results_row.h"
#include "experiments/lib/study.h"
#include "render/chart.h"

namespace multiplex {

// A case's statistics (its row of results.tsv, results_row.h) and what its
// charts need.
struct CaseResult : ServingSummary {
  // Only for cases a chart draws (StudyCase::keep_latencies, ...): the good
  // latencies in workload order, per model too, and the utilization per
  // chart index.
  std::vector<double> good_latencies;
  std::vector<std::vector<double>> model_latencies;
  std::map<int, Utilization> utilization;
};

struct StudyResults {
  std::vector<CaseResult> cases;  // one per Study::cases
};

// Runs every case on a pool of threads (with a progress bar unless
// options.quiet). The serving and training workloads of a workload group
// are drawn once, shared by its cases and dropped when the last one ends.
// Errors name the case: "case 3 (mp-search, workload.total_rate=20): ...".
absl::StatusOr<StudyResults> RunStudy(const Study& study,
                                      const ParallelOptions& options);

// The same for some of the cases (indices into Study::cases, each at most
// once): their slots of the results are filled, the others left default.
// A case's result does not depend on which others run beside it.
absl::StatusOr<StudyResults> RunStudyCases(const Study& study,
                                           const std::vector<size_t>& cases,
                                           const ParallelOptions& options);

// A metric of StudyMetrics() of a case.
double MetricValue(const CaseResult& r, const std::string& metric);

// The text of results.tsv: "# key: value" lines (study, description, cost
// model, spec, duration scale), the column names, one row per case.
std::string FormatResultsTsv(const Study& study, const StudyResults& results);

// The figure of chart `index` of the spec.
absl::StatusOr<render::Figure> MakeChart(const Study& study,
                                         const StudyResults& results,
                                         int index);

// Writes every chart into context.out_dir (which must exist) as the figure
// targets write theirs (figure_output.h): PDF, TSV (PNG with context.png),
// the TSV headed by "# figure: <stem>", the study's parameters (spec, cost
// models, models, cluster, workload, serving, sweeps, policies), the
// chart's own (kind, metric, x, where, placements drawn, utilization
// window), context.duration_scale and context.seed.
absl::Status WriteStudyCharts(const Study& study, const StudyResults& results,
                              const ExperimentContext& context);

// The mean of `values` and the half-width of its 95% confidence interval
// (Student's t with n - 1 degrees of freedom; 0 for fewer than two values).
std::pair<double, double> MeanAndCi95(const std::vector<double>& values);

// With StudySpec.repetitions > 1: per case (repetition 0's row, without the
// repetition column) the mean and 95% CI half-width of every metric
// ("<metric>_mean", "<metric>_ci95").
std::string FormatResultsSummaryTsv(const Study& study,
                                    const StudyResults& results);

// Defaults that mislead, one sentence each: a policy that fills by the
// requests left unserved within the SLO (sr-greedy, mp-greedy-<G>,
// mp-search) in a study whose SLO is infinite. Written to stderr and to
// results.tsv's header ("# warning: ...").
std::vector<std::string> StudyWarnings(const Study& study);

// Those, then one for the cases whose serving workload has one model
// carrying nearly all requests (ServingSummary::workload_warning): how many
// and the first of them. Both written to stderr and to the headers of
// results.tsv and the chart TSVs.
std::vector<std::string> StudyWarnings(const Study& study,
                                       const StudyResults& results);

// "case 3 (SR, workload.total_rate=20)": a case's index, policy label and
// sweep values.
std::string DescribeCase(const Study& study, size_t i);

// A PanelFigureSpec: its charts (MakeChart) as the panels of a grid, row
// by row, with one shared legend above.
absl::StatusOr<render::Figure> MakePanelFigure(
    const Study& study, const StudyResults& results,
    const study::PanelFigureSpec& spec);

// results.tsv (or any TSV with '#' header lines) as CSV (header lines kept,
// cells quoted where needed) and as JSON ({"header": [...], "rows": [{column:
// value}, ...]}, numbers as numbers).
std::string TsvToCsv(const std::string& tsv);
std::string TsvToJson(const std::string& tsv);

// Writes results.tsv (and results_summary.tsv), study.textproto, the
// charts and panel figures, and the results in every extra format of
// `formats` ("csv", "json") into out_dir (which must exist), as one set
// (StagedFiles): all new, or on any error all as they were.
absl::Status WriteStudyOutputs(const Study& study, const StudyResults& results,
                               const std::string& out_dir, bool png,
                               bool strict_layout = false,
                               const std::vector<std::string>& formats = {});

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_RUN_H_
