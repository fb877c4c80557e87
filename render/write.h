#ifndef MULTIPLEX_RENDER_WRITE_H_
#define MULTIPLEX_RENDER_WRITE_H_

// Turning a Figure into PDF (vector) and PNG bytes or files. Output is
// deterministic: the same figure gives byte-identical files on the same
// machine (the PDF's creation date is fixed to kPdfDate).

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "render/chart.h"

namespace multiplex::render {

inline constexpr char kPdfDate[] = "2023-01-01T00:00:00Z";
inline constexpr double kDefaultDpi = 150.0;

// Checks sizes, limits and series shapes; the message names the axes and
// series at fault. A figure without a single finite data point is an error
// too (it would draw an empty chart): FailedPrecondition.
absl::Status ValidateFigure(const Figure& fig);

absl::StatusOr<std::string> RenderPdf(const Figure& fig);
absl::StatusOr<std::string> RenderPng(const Figure& fig,
                                      double dpi = kDefaultDpi);

// Write the file (creating nothing on error). Errors name the path.
absl::Status WritePdf(const Figure& fig, const std::string& path);
absl::Status WritePng(const Figure& fig, const std::string& path,
                      double dpi = kDefaultDpi);
// Writes `base`.pdf and `base`.png.
absl::Status WritePdfAndPng(const Figure& fig, const std::string& base,
                            double dpi = kDefaultDpi);

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_WRITE_H_
