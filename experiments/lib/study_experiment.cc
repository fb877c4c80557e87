#include "experiments/lib/study_experiment.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "experiments/lib/experiment.h"
#include "experiments/lib/study.h"
#include "experiments/lib/study.pb.h"
#include "experiments/lib/study_run.h"
#include "google/protobuf/text_format.h"
#include "tools/cli/paths.h"

namespace multiplex {
namespace {

// The chart stems of the spec's studies, in order, without loading them;
// every chart must name its stem.
absl::StatusOr<std::vector<std::string>> ChartStems(
    const std::string& spec_path, const std::string& text) {
  study::StudySpec spec;
  if (!google::protobuf::TextFormat::ParseFromString(text, &spec)) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_path, ": not a multiplex.study.StudySpec"));
  }
  std::vector<const study::StudySpec*> studies;
  for (const study::StudySpec& entry : spec.studies()) {
    studies.push_back(&entry);
  }
  if (studies.empty()) studies.push_back(&spec);
  std::vector<std::string> stems;
  for (const study::StudySpec* s : studies) {
    const auto& charts = s->charts_size() > 0 ? s->charts() : spec.charts();
    for (const study::ChartSpec& chart : charts) {
      if (!chart.has_stem()) {
        return absl::InvalidArgumentError(
            absl::StrCat(spec_path,
                         ": a figure spec names the stem of every chart "
                         "(its output files)"));
      }
      stems.push_back(chart.stem());
    }
  }
  return stems;
}

absl::Status RunStudies(const std::string& name, const std::string& spec_path,
                        const std::string& text,
                        const ExperimentContext& context) {
  if (context.db_path.find_first_of(",=") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("the database path '", context.db_path,
                     "' holds ',' or '=', which a cost-model spec cannot"));
  }
  StudyOptions options;
  options.default_cost_model = absl::StrCat("database:path=", context.db_path);
  options.seed = context.seed;
  options.duration_scale = context.duration_scale;
  ASSIGN_OR_RETURN(
      const std::vector<Study> studies,
      ParseStudies(text, ResolveWorkspacePath(spec_path), options));
  for (const Study& study : studies) {
    ParallelOptions parallel = context.parallel;
    if (studies.size() > 1) {
      parallel.label = absl::StrCat(name, "/", study.spec.name());
    }
    ASSIGN_OR_RETURN(const StudyResults results, RunStudy(study, parallel));
    RETURN_IF_ERROR(WriteStudyCharts(study, results, context));
  }
  return absl::OkStatus();
}

}  // namespace

bool RegisterStudyExperiment(const std::string& name, const std::string& help,
                             const std::string& spec_path,
                             const char* spec_text) {
  PluginEntry<Experiment> entry;
  entry.name = name;
  entry.help = help;
  entry.example = name;
  const std::string text = spec_text;
  entry.factory =
      [name, spec_path, text](
          const PluginValues&) -> absl::StatusOr<std::unique_ptr<Experiment>> {
    ASSIGN_OR_RETURN(std::vector<std::string> stems,
                     ChartStems(spec_path, text));
    return std::make_unique<Experiment>(
        name, std::move(stems),
        [name, spec_path, text](const ExperimentContext& context) {
          return RunStudies(name, spec_path, text, context);
        });
  };
  return RegisterPlugin<Experiment>(std::move(entry));
}

}  // namespace multiplex
