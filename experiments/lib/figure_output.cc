#include "experiments/lib/figure_output.h"

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "render/write.h"

namespace multiplex {

absl::Status WriteFigure(const ExperimentContext& context,
                         const std::string& stem, const render::Figure& fig,
                         render::DataParams params) {
  const std::string base = context.out_dir + "/" + stem;
  params.insert(params.begin(), {"figure", stem});
  params.push_back({"duration_scale", absl::StrCat(context.duration_scale)});
  params.push_back({"seed", absl::StrCat(context.seed)});
  RETURN_IF_ERROR(render::WritePdf(fig, base + ".pdf"));
  RETURN_IF_ERROR(render::WriteDataTable(fig, params, base + ".tsv"));
  if (context.png) RETURN_IF_ERROR(render::WritePng(fig, base + ".png"));
  return absl::OkStatus();
}

}  // namespace multiplex
