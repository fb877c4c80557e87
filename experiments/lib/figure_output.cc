#include "experiments/lib/figure_output.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "render/write.h"

namespace multiplex {

namespace {

std::string ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
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
  RETURN_IF_ERROR(render::WritePdf(fig, base + ".pdf"));
  RETURN_IF_ERROR(render::WriteDataTable(fig, params, base + ".tsv"));
  if (context.png) RETURN_IF_ERROR(render::WritePng(fig, base + ".png"));
  return absl::OkStatus();
}

}  // namespace multiplex
