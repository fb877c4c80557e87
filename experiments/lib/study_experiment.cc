#include "experiments/lib/study_experiment.h"

#include <unistd.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/registry.h"
#include "core/simulator_interface.h"
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

// The spec text to run (the trace form with the trace's path already in
// place of its placeholder, or the synthetic spec): the context's
// long-sequence databases in place of ${DB_MANUAL} and ${DB_DP}, and
// context.simulator appended.
absl::StatusOr<std::string> SpecToRun(const std::string& spec_path,
                                      const std::string& text,
                                      const ExperimentContext& context) {
  // The databases of --db_manual and --db_dp (specs that compare stage
  // partitions name them so).
  const std::pair<const char*, const std::string*> databases[] = {
      {"${DB_MANUAL}", &context.db_manual_path},
      {"${DB_DP}", &context.db_dp_path}};
  std::string run = text;
  for (const auto& [placeholder, path] : databases) {
    if (run.find(placeholder) == std::string::npos) continue;
    if (path->find_first_of(",=\"\\") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("the database path '", *path,
                       "' holds one of , = \" \\, which a cost-model spec "
                       "cannot"));
    }
    // Absolute: the spec takes relative paths from its own directory.
    std::string absolute = *path;
    char cwd[4096];
    if (!absolute.empty() && absolute[0] != '/' &&
        getcwd(cwd, sizeof(cwd)) != nullptr) {
      absolute = absl::StrCat(cwd, "/", absolute);
    }
    run = absl::StrReplaceAll(run, {{placeholder, absolute}});
  }
  if (!context.simulator.empty()) {
    study::StudySpec spec;
    if (!google::protobuf::TextFormat::ParseFromString(text, &spec)) {
      return absl::InvalidArgumentError(
          absl::StrCat(spec_path, ": not a multiplex.study.StudySpec"));
    }
    if (spec.has_simulator()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--simulator: ", spec_path, " names its own simulator '",
                       spec.simulator(), "'"));
    }
    absl::StatusOr<std::unique_ptr<Simulator>> simulator =
        Registry<Simulator>::Global().Create(context.simulator);
    if (!simulator.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--simulator: ", simulator.status().message()));
    }
    if (context.simulator.find_first_of("\"\\\n") != std::string::npos) {
      return absl::InvalidArgumentError(
          "--simulator: the spec must not hold quotes, backslashes or "
          "newlines");
    }
    absl::StrAppend(&run, "\n# --simulator\nsimulator: \"", context.simulator,
                    "\"\n");
  }
  return run;
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
  ASSIGN_OR_RETURN(const std::string run, SpecToRun(spec_path, text, context));
  ASSIGN_OR_RETURN(const std::vector<Study> studies,
                   ParseStudies(run, ResolveWorkspacePath(spec_path), options));
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
                             const char* spec_text,
                             const std::string& trace_spec_path,
                             const char* trace_spec_text) {
  PluginEntry<Experiment> entry;
  entry.name = name;
  entry.help = help;
  entry.example = name;
  const std::string text = spec_text;
  const bool takes_trace = trace_spec_text != nullptr;
  const std::string trace_text = takes_trace ? trace_spec_text : "";
  entry.factory =
      [name, spec_path, text, takes_trace, trace_spec_path, trace_text](
          const PluginValues&) -> absl::StatusOr<std::unique_ptr<Experiment>> {
    ASSIGN_OR_RETURN(std::vector<std::string> stems,
                     ChartStems(spec_path, text));
    if (takes_trace) {
      ASSIGN_OR_RETURN(std::vector<std::string> trace_stems,
                       ChartStems(trace_spec_path, trace_text));
      if (trace_stems != stems) {
        return absl::InvalidArgumentError(
            absl::StrCat(trace_spec_path, ": draws other charts than ",
                         spec_path, " (they must name the same stems)"));
      }
      if (trace_text.find(kTracePlaceholder) == std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(
            trace_spec_path, ": never names the trace, ", kTracePlaceholder));
      }
    }
    return std::make_unique<Experiment>(
        name, std::move(stems),
        [name, spec_path, text, trace_spec_path,
         trace_text](const ExperimentContext& context) {
          if (context.trace_path.empty()) {
            return RunStudies(name, spec_path, text, context);
          }
          if (trace_text.empty()) {
            return absl::InvalidArgumentError(
                absl::StrCat(name, " has no trace form"));
          }
          return RunStudies(
              name, trace_spec_path,
              absl::StrReplaceAll(trace_text,
                                  {{kTracePlaceholder, context.trace_path}}),
              context);
        },
        takes_trace);
  };
  return RegisterPlugin<Experiment>(std::move(entry));
}

}  // namespace multiplex
