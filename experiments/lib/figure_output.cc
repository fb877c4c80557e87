#include "experiments/lib/figure_output.h"

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/status_macros.h"
#include "render/data_table.h"
#include "render/inspect.h"
#include "render/write.h"

namespace multiplex {

namespace {

// The file's bytes, or "" when it cannot be read (a checkout without git).
std::string ReadSmallFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFileToString(path, 1 << 24);
  return text.ok() ? *text : "";
}

bool IsHex40(absl::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s) {
    if (!absl::ascii_isxdigit(c)) return false;
  }
  return true;
}

}  // namespace

std::string WorkspaceCommit() {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  if (ws == nullptr || *ws == '\0') return "unknown";
  const std::string git = std::string(ws) + "/.git";
  std::string head(absl::StripAsciiWhitespace(ReadSmallFile(git + "/HEAD")));
  if (IsHex40(head)) return head;  // detached
  if (!absl::StartsWith(head, "ref: ")) return "unknown";
  const std::string ref = head.substr(5);
  std::string sha(absl::StripAsciiWhitespace(ReadSmallFile(git + "/" + ref)));
  if (IsHex40(sha)) return sha;
  // Packed refs: "<sha> <ref>" lines.
  std::istringstream packed(ReadSmallFile(git + "/packed-refs"));
  std::string line;
  while (std::getline(packed, line)) {
    if (line.size() > 41 && line.substr(41) == ref &&
        IsHex40(line.substr(0, 40))) {
      return line.substr(0, 40);
    }
  }
  return "unknown";
}

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
