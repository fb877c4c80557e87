#include "experiments/lib/figure_output.h"

#include "absl/strings/str_cat.h"
#include "render/write.h"

namespace multiplex {

absl::Status WriteFigure(const ExperimentContext& context,
                         const std::string& stem, const render::Figure& fig,
                         render::DataParams params) {
  const std::string base = context.out_dir + "/" + stem;
  params.insert(params.begin(), {"figure", stem});
  params.push_back({"duration_scale", absl::StrCat(context.duration_scale)});
  params.push_back({"seed", absl::StrCat(context.seed)});
  absl::Status s = render::WritePdf(fig, base + ".pdf");
  if (s.ok()) s = render::WriteDataTable(fig, params, base + ".tsv");
  if (s.ok() && context.png) s = render::WritePng(fig, base + ".png");
  return s;
}

}  // namespace multiplex
