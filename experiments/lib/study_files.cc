#include "experiments/lib/study_files.h"

#include "absl/strings/str_cat.h"
#include "core/plugin_name_matcher.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace multiplex {
namespace {

using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

void AddPluginFiles(const std::string& what, const std::string& spec,
                    std::vector<NamedPath>* files) {
  if (spec.find(':') == std::string::npos) return;
  absl::StatusOr<PluginSpec> parsed = ParsePluginSpec(spec);
  if (!parsed.ok()) return;
  for (const auto& [key, value] : parsed->args.values()) {
    if (IsPathParam(key) && !value.empty()) {
      files->push_back({absl::StrCat(what, " ", key, "="), value});
    }
  }
}

// Every string field, however deep: `trace` fields name files, the others
// may be plugin specs.
void AddSpecFiles(const Message& message, const std::string& prefix,
                  std::vector<NamedPath>* files) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string name = absl::StrCat(prefix, field->name());
    const int n =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < n; ++i) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& sub =
            field->is_repeated()
                ? reflection->GetRepeatedMessage(message, field, i)
                : reflection->GetMessage(message, field);
        AddSpecFiles(sub, name + ".", files);
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        const std::string value =
            field->is_repeated()
                ? reflection->GetRepeatedString(message, field, i)
                : reflection->GetString(message, field);
        if (field->name() == "trace") {
          if (!value.empty()) files->push_back({name, value});
        } else {
          AddPluginFiles(name, value, files);
        }
      }
    }
  }
}

}  // namespace

std::vector<NamedPath> StudyInputFiles(const Study& study) {
  std::vector<NamedPath> files = {{"the spec", study.path}};
  AddPluginFiles("the default cost model", study.options.default_cost_model,
                 &files);
  AddSpecFiles(study.spec, "", &files);
  return files;
}

std::vector<NamedPath> StudyOutputFiles(
    const Study& study, const std::string& out_dir, bool png,
    const std::vector<std::string>& formats) {
  std::vector<std::string> results_stems = {"results"};
  if (study.spec.repetitions() > 1) results_stems.push_back("results_summary");
  std::vector<NamedPath> files;
  for (const std::string& stem : results_stems) {
    files.push_back({stem + ".tsv", absl::StrCat(out_dir, "/", stem, ".tsv")});
    for (const std::string& format : formats) {
      if (format == "tsv") continue;
      files.push_back({absl::StrCat(stem, ".", format),
                       absl::StrCat(out_dir, "/", stem, ".", format)});
    }
  }
  files.push_back(
      {"study.textproto", absl::StrCat(out_dir, "/study.textproto")});
  std::vector<std::string> figure_stems;
  for (const auto& chart : study.spec.charts()) {
    figure_stems.push_back(chart.stem());
  }
  for (const auto& figure : study.spec.figures()) {
    figure_stems.push_back(figure.stem());
  }
  for (const std::string& stem : figure_stems) {
    for (const char* ext : {".pdf", ".tsv", ".png"}) {
      if (!png && std::string(ext) == ".png") continue;
      const std::string file = absl::StrCat(stem, ext);
      files.push_back(
          {absl::StrCat("chart ", file), absl::StrCat(out_dir, "/", file)});
    }
  }
  return files;
}

}  // namespace multiplex
