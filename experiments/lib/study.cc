// The study loader: parses a spec file and runs each study through the
// stages (study_load_state.h says what each reads and writes).

#include "experiments/lib/study.h"

#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/number_format.h"
#include "core/status_macros.h"
#include "core/text_proto_errors.h"
#include "experiments/lib/spec_paths.h"
#include "experiments/lib/study_chart_plan.h"
#include "experiments/lib/study_checks.h"
#include "experiments/lib/study_defaults.h"
#include "experiments/lib/study_expand.h"
#include "experiments/lib/study_load_state.h"
#include "experiments/lib/study_plugin_sweeps.h"
#include "experiments/lib/study_plugins.h"
#include "experiments/lib/study_sweeps.h"
#include "google/protobuf/text_format.h"

namespace multiplex {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::TextFormat;
using study::StudySpec;
using study_internal::ConstAt;
using study_internal::FieldPath;
using study_internal::FileStem;
using study_internal::FormatNumber;
using study_internal::kPolicySpecField;
using study_internal::LoadState;
using study_internal::Locator;
using study_internal::ResolveTarget;
using study_internal::Target;

bool IsPathParam(const std::string& key) {
  return key == "path" || key == "hardware" || key == "models_dir" ||
         absl::EndsWith(key, "_path") || absl::EndsWith(key, "_dir") ||
         absl::EndsWith(key, "_file");
}

namespace {

// One study of a file through the stages, in order.
absl::StatusOr<Study> LoadOne(const std::string& path,
                              const StudyOptions& options, Locator locator,
                              int entry, StudySpec spec) {
  if (!(options.duration_scale > 0) || !std::isfinite(options.duration_scale)) {
    return absl::InvalidArgumentError(
        absl::StrCat("duration scale must be a finite number > 0, got ",
                     options.duration_scale));
  }
  using namespace study_internal;  // the stages
  LoadState load(path, options, std::move(locator), entry);
  load.spec = std::move(spec);
  load.dir = AbsoluteDirOf(path);
  load.study.path = path;
  load.study.entry = entry;
  load.study.options = options;

  RETURN_IF_ERROR(CheckBasics(load));
  RETURN_IF_ERROR(CheckWorkload(load));
  RETURN_IF_ERROR(CheckTraining(load));
  RETURN_IF_ERROR(ResolveSweeps(load));
  RETURN_IF_ERROR(CheckPolicies(load));
  RETURN_IF_ERROR(CreateCostModels(load));
  RETURN_IF_ERROR(CreateSimulators(load));
  RETURN_IF_ERROR(CheckWorkloadPlugins(load));
  RETURN_IF_ERROR(CheckPluginSweeps(load));
  FillDefaults(load);
  RETURN_IF_ERROR(Expand(load));
  RETURN_IF_ERROR(PlanCharts(load));
  load.study.spec = std::move(load.spec);
  return std::move(load.study);
}

}  // namespace

const std::vector<std::string>& StudyMetrics() {
  static const std::vector<std::string>* metrics = new std::vector<std::string>{
      "slo_attainment", "mean_latency_s", "p50_latency_s",
      "p90_latency_s",  "p99_latency_s",  "p99_all_latency_s",
      "throughput_rps", "requests",       "solver_s"};
  return *metrics;
}

absl::StatusOr<std::vector<Study>> ParseStudies(absl::string_view text,
                                                const std::string& path,
                                                const StudyOptions& options) {
  StudySpec file;
  TextFormat::ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.SetRecursionLimit(kMaxTextProtoDepth);
  FirstTextProtoError errors;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), &file)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ":", errors.first().empty() ? " parse error" : errors.first(),
        " (a multiplex.study.StudySpec text proto, see "
        "experiments/lib/study.proto)"));
  }
  std::vector<Study> studies;
  if (file.studies_size() == 0) {
    ASSIGN_OR_RETURN(Study study, LoadOne(path, options, Locator(path, &tree),
                                          -1, std::move(file)));
    studies.push_back(std::move(study));
    return studies;
  }
  const FieldDescriptor* studies_field =
      StudySpec::descriptor()->FindFieldByName("studies");
  StudySpec top = file;
  top.clear_studies();
  const std::string top_name = top.has_name() ? top.name() : FileStem(path);
  std::map<std::string, int> names, stems;
  for (int i = 0; i < file.studies_size(); ++i) {
    const StudySpec& entry = file.studies(i);
    const Locator locator(path, &tree, tree.GetTreeForNested(studies_field, i),
                          i, tree.GetLocation(studies_field, i).line + 1);
    const FieldPath at;
    if (entry.studies_size() > 0) {
      return locator.Error(at.F("studies"),
                           "studies do not nest: give every study of the "
                           "file at its top level");
    }
    // Proto merging, except that a repeated field the entry sets replaces
    // the top level's instead of adding to it.
    StudySpec merged = top;
    std::vector<const FieldDescriptor*> fields;
    entry.GetReflection()->ListFields(entry, &fields);
    for (const FieldDescriptor* f : fields) {
      if (f->is_repeated()) merged.GetReflection()->ClearField(&merged, f);
    }
    merged.MergeFrom(entry);
    if (!entry.has_name()) merged.set_name(absl::StrCat(top_name, "_", i + 1));
    const std::string& name = merged.name();
    if (name.empty() || name == "." || name == ".." ||
        name.find_first_of("/\t\n") != std::string::npos) {
      return locator.Error(at.F("name"),
                           absl::StrCat("'", name,
                                        "' cannot name a study of a file "
                                        "(a directory name: non-empty, no "
                                        "'/')"));
    }
    if (auto [it, inserted] = names.emplace(name, i); !inserted) {
      return locator.Error(at.F("name"),
                           absl::StrCat("'", name, "' also names studies[",
                                        it->second, "]; names must be unique"));
    }
    ASSIGN_OR_RETURN(Study study,
                     LoadOne(path, options, locator, i, std::move(merged)));
    for (int c = 0; c < study.spec.charts_size(); ++c) {
      const std::string& stem = study.spec.charts(c).stem();
      if (auto [it, inserted] = stems.emplace(stem, i); !inserted) {
        return locator.Error(
            at.F("charts", c).F("stem"),
            absl::StrCat("studies[", it->second, "] already writes '", stem,
                         "'; chart stems must be unique in the file"));
      }
    }
    studies.push_back(std::move(study));
  }
  return studies;
}

absl::StatusOr<std::vector<Study>> LoadStudies(const std::string& path,
                                               const StudyOptions& options) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseStudies(text, path, options);
}

absl::StatusOr<Study> ParseStudy(absl::string_view text,
                                 const std::string& path,
                                 const StudyOptions& options) {
  ASSIGN_OR_RETURN(std::vector<Study> studies,
                   ParseStudies(text, path, options));
  if (studies.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " holds ", studies.size(),
                     " studies (studies { ... }): load it with LoadStudies"));
  }
  return std::move(studies.front());
}

absl::StatusOr<Study> LoadStudy(const std::string& path,
                                const StudyOptions& options) {
  ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return ParseStudy(text, path, options);
}

std::string CaseValue(const StudyCase& c, absl::string_view field) {
  if (field == kPolicySpecField) return c.policy_spec;
  if (field == "repetition") return absl::StrCat(c.repetition);
  if (study_internal::ParsePluginParamPath(field).place !=
      study_internal::PluginPlace::kNone) {
    for (const auto& [name, text] : c.point) {
      if (name == field) return text;
    }
    return "";
  }
  absl::StatusOr<Target> target = ResolveTarget(field, nullptr);
  if (!target.ok()) return "";
  const Message* m = ConstAt(c.spec, *target);
  if (m == nullptr) return "";
  if (!m->GetReflection()->HasField(*m, target->leaf)) return "";
  return FormatNumber(*m, target->leaf);
}

std::string FormatFilledSpec(const Study& study) {
  std::string text;
  TextFormat::Printer printer;
  printer.PrintToString(study.spec, &text);
  std::string header = absl::StrCat(
      "# The study of ", study.path,
      study.entry >= 0 ? absl::StrCat(" (studies[", study.entry, "])") : "",
      " with every default filled in and every\n"
      "# relative path made absolute, as //tools:study ran it. Run it again "
      "with\n"
      "#   bazel run //tools:study -- --spec=<this file> --out_dir=DIR\n");
  if (study.options.duration_scale != 1) {
    absl::StrAppend(&header, "# and --duration_scale=",
                    FormatDoubleExact(study.options.duration_scale),
                    " (durations below are unscaled).\n");
  }
  return absl::StrCat(header, text);
}

}  // namespace multiplex
