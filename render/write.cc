#include "render/write.h"

#include <cairo/cairo-pdf.h>
#include <cairo/cairo.h>

#include <cmath>
#include <variant>

#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/status_macros.h"
#include "render/draw.h"
#include "render/scale.h"

namespace multiplex::render {
namespace {

bool Finite(double v) { return std::isfinite(v); }

std::string Where(int r, int c, size_t k, const std::string& label) {
  return absl::StrCat("axes (", r, ",", c, ") series ", k,
                      label.empty() ? "" : absl::StrCat(" '", label, "'"));
}

absl::Status CheckSizes(const std::string& where, const char* a, size_t na,
                        const char* b, size_t nb) {
  if (na == nb) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      where, ": ", a, " has ", na, " values but ", b, " has ", nb));
}

absl::Status CheckLimits(const std::string& where, const char* name,
                         const std::optional<Limits>& lim) {
  if (!lim) return absl::OkStatus();
  if (!Finite(lim->lo) || !Finite(lim->hi) || !(lim->lo < lim->hi)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ", name, " [", lim->lo, ", ", lim->hi,
                     "] must be finite with lo < hi"));
  }
  return absl::OkStatus();
}

absl::Status CheckSeries(const std::string& where, const Series& s) {
  if (const Line* line = std::get_if<Line>(&s)) {
    return CheckSizes(where, "x", line->x.size(), "y", line->y.size());
  }
  if (const Area* area = std::get_if<Area>(&s)) {
    absl::Status st =
        CheckSizes(where, "x", area->x.size(), "y", area->y.size());
    if (st.ok() && !area->y0.empty()) {
      st = CheckSizes(where, "x", area->x.size(), "y0", area->y0.size());
    }
    return st;
  }
  if (const Bars* bars = std::get_if<Bars>(&s)) {
    absl::Status st =
        CheckSizes(where, "x", bars->x.size(), "height", bars->height.size());
    if (st.ok() && !bars->bottom.empty()) {
      st =
          CheckSizes(where, "x", bars->x.size(), "bottom", bars->bottom.size());
    }
    if (st.ok() && !(Finite(bars->width) && bars->width > 0)) {
      st = absl::InvalidArgumentError(
          absl::StrCat(where, ": bar width ", bars->width, " must be > 0"));
    }
    return st;
  }
  return absl::OkStatus();
}

cairo_status_t AppendToString(void* closure, const unsigned char* data,
                              unsigned int length) {
  static_cast<std::string*>(closure)->append(
      reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

absl::Status CairoError(const char* what, cairo_status_t status) {
  return absl::InternalError(
      absl::StrCat(what, ": cairo error: ", cairo_status_to_string(status)));
}

}  // namespace

absl::Status ValidateFigure(const Figure& fig) {
  const double w = fig.width_in(), h = fig.height_in();
  if (!Finite(w) || !Finite(h) || w < 0.5 || h < 0.5 || w > 100 || h > 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "figure size ", w, " x ", h, " in must be within 0.5..100 inches"));
  }
  const Style& st = fig.style;
  for (double v : {st.label_font_size, st.tick_font_size, st.title_font_size,
                   st.legend_font_size}) {
    if (!Finite(v) || v <= 0 || v > 200) {
      return absl::InvalidArgumentError(
          absl::StrCat("font size ", v, " must be within (0, 200] pt"));
    }
  }
  bool any_data = false;
  for (int r = 0; r < fig.rows(); ++r) {
    for (int c = 0; c < fig.cols(); ++c) {
      const Axes& ax = fig.axes(r, c);
      const std::string where = absl::StrCat("axes (", r, ",", c, ")");
      RETURN_IF_ERROR(CheckLimits(where, "xlim", ax.xlim));
      RETURN_IF_ERROR(CheckLimits(where, "ylim", ax.ylim));
      for (size_t k = 0; k < ax.series.size(); ++k) {
        const Series& s = ax.series[k];
        const std::string label =
            std::visit([](const auto& v) { return v.label; }, s);
        RETURN_IF_ERROR(CheckSeries(Where(r, c, k, label), s));
      }
      if (!XExtent(ax).empty || !YExtent(ax).empty) any_data = true;
    }
  }
  if (!any_data) {
    return absl::FailedPreconditionError(
        "figure has no finite data to draw: every series is empty or "
        "non-finite");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RenderPdf(const Figure& fig) {
  RETURN_IF_ERROR(ValidateFigure(fig));
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(
      AppendToString, &bytes, fig.width_in() * 72.0, fig.height_in() * 72.0);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                 kPdfDate);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE,
                                 kPdfDate);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                 "multiplex render");
  cairo_t* cr = cairo_create(surface);
  DrawFigure(cr, fig);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) return CairoError("PDF", status);
  return bytes;
}

absl::StatusOr<std::string> RenderPng(const Figure& fig, double dpi) {
  if (!Finite(dpi) || dpi < 10 || dpi > 1200) {
    return absl::InvalidArgumentError(
        absl::StrCat("dpi ", dpi, " must be within 10..1200"));
  }
  RETURN_IF_ERROR(ValidateFigure(fig));
  const int w = std::lround(fig.width_in() * dpi);
  const int h = std::lround(fig.height_in() * dpi);
  if (static_cast<double>(w) * h > 100e6) {
    return absl::InvalidArgumentError(
        absl::StrCat("PNG of ", w, " x ", h, " pixels is too large"));
  }
  cairo_surface_t* surface =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, dpi / 72.0, dpi / 72.0);
  DrawFigure(cr, fig);
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  std::string bytes;
  if (status == CAIRO_STATUS_SUCCESS) {
    cairo_surface_flush(surface);
    status = cairo_surface_write_to_png_stream(surface, AppendToString, &bytes);
  }
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) return CairoError("PNG", status);
  return bytes;
}

absl::Status WritePdf(const Figure& fig, const std::string& path) {
  absl::StatusOr<std::string> bytes = RenderPdf(fig);
  if (!bytes.ok()) {
    return absl::Status(bytes.status().code(),
                        absl::StrCat(path, ": ", bytes.status().message()));
  }
  return WriteFileAtomically(path, *bytes);
}

absl::Status WritePng(const Figure& fig, const std::string& path, double dpi) {
  absl::StatusOr<std::string> bytes = RenderPng(fig, dpi);
  if (!bytes.ok()) {
    return absl::Status(bytes.status().code(),
                        absl::StrCat(path, ": ", bytes.status().message()));
  }
  return WriteFileAtomically(path, *bytes);
}

absl::Status WritePdfAndPng(const Figure& fig, const std::string& base,
                            double dpi) {
  RETURN_IF_ERROR(WritePdf(fig, base + ".pdf"));
  return WritePng(fig, base + ".png", dpi);
}

}  // namespace multiplex::render
