#include "experiments/lib/figure_output.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/status_macros.h"
#include "render/data_table.h"
#include "render/inspect.h"
#include "render/write.h"
#include "tools/stamp/build_stamp.h"

namespace multiplex {

std::string WorkspaceCommit() { return BuildCommit(); }

void AddProvenance(const std::string& key, const CostModel& cost,
                   render::DataParams* params) {
  const std::vector<std::string> lines = cost.Provenance();
  if (lines.empty()) {
    params->push_back({key, "none recorded"});
    return;
  }
  for (const std::string& line : lines) params->push_back({key, line});
}

absl::Status WriteFigure(const ExperimentContext& context,
                         const std::string& stem, const render::Figure& fig,
                         render::DataParams params) {
  const std::string base = context.out_dir + "/" + stem;
  params.insert(params.begin(), {"figure", stem});
  params.insert(params.begin() + 1, {"commit", WorkspaceCommit()});
  params.push_back({"duration_scale", absl::StrCat(context.duration_scale)});
  params.push_back({"seed", absl::StrCat(context.seed)});
  // The PDF, TSV and PNG are written together: all new or all old.
  auto named = [](const std::string& path, const absl::Status& s) {
    return absl::Status(s.code(), absl::StrCat(path, ": ", s.message()));
  };
  // The layout invariants: warned about, or with strict_layout an error.
  const std::vector<render::AxesReport> report = render::InspectFigure(fig);
  for (const std::string& w : render::LayoutWarnings(fig, report)) {
    std::cerr << "warning: " << stem << ": " << w << "\n";
  }
  const std::vector<std::string> problems = render::LayoutProblems(fig, report);
  for (const std::string& p : problems) {
    std::cerr << (context.strict_layout ? "error: " : "warning: ") << stem
              << ": " << p << "\n";
  }
  if (context.strict_layout && !problems.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(stem, ": ", problems.size(),
                     " layout problem(s), first: ", problems[0]));
  }
  absl::StatusOr<std::string> pdf = render::RenderPdf(fig);
  if (!pdf.ok()) return named(base + ".pdf", pdf.status());
  const std::string tsv = render::FormatDataTable(fig, params);
  std::vector<FileContents> files = {{base + ".pdf", *pdf},
                                     {base + ".tsv", tsv}};
  absl::StatusOr<std::string> png;
  if (context.png) {
    png = render::RenderPng(fig);
    if (!png.ok()) return named(base + ".png", png.status());
    files.push_back({base + ".png", *png});
  }
  if (context.staged == nullptr) return WriteFilesTogether(files);
  for (const FileContents& f : files) {
    RETURN_IF_ERROR(context.staged->Stage(f.path, f.contents));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
