#include "render/text.h"

#include <string>
#include <utility>

namespace multiplex::render {

TextPainter::TextPainter(cairo_t* cr, std::string family)
    : cr_(cr), family_(std::move(family)) {
  cairo_font_options_t* opts = cairo_font_options_create();
  cairo_font_options_set_hint_style(opts, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(opts, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(opts, CAIRO_ANTIALIAS_GRAY);
  cairo_set_font_options(cr_, opts);
  cairo_font_options_destroy(opts);
}

void TextPainter::SetFont(double size) {
  cairo_select_font_face(cr_, family_.c_str(), CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr_, size);
}

TextSize TextPainter::Measure(absl::string_view text, double size) {
  SetFont(size);
  const std::string s(text);
  cairo_text_extents_t te;
  cairo_text_extents(cr_, s.c_str(), &te);
  cairo_text_extents_t zero;
  cairo_text_extents(cr_, "0", &zero);
  cairo_font_extents_t fe;
  cairo_font_extents(cr_, &fe);
  TextSize out;
  out.w = s.empty() ? 0.0 : te.x_advance;
  out.cap = -zero.y_bearing;
  out.descent = fe.descent;
  out.h = out.cap + out.descent;
  return out;
}

void TextPainter::Draw(absl::string_view text, double size, double x, double y,
                       HAlign h, VAlign v, const Color& color, bool vertical) {
  if (text.empty()) return;
  const TextSize m = Measure(text, size);
  double dx = 0.0;
  if (h == HAlign::kCenter) dx = -m.w / 2;
  if (h == HAlign::kRight) dx = -m.w;
  double dy = 0.0;  // from the anchor to the baseline
  switch (v) {
    case VAlign::kTop:
      dy = m.cap;
      break;
    case VAlign::kCenter:
      dy = m.cap / 2;
      break;
    case VAlign::kBaseline:
      break;
    case VAlign::kBottom:
      dy = -m.descent;
      break;
  }
  cairo_save(cr_);
  cairo_translate(cr_, x, y);
  if (vertical) cairo_rotate(cr_, -M_PI / 2);
  cairo_move_to(cr_, dx, dy);
  cairo_set_source_rgb(cr_, color.r, color.g, color.b);
  const std::string s(text);
  cairo_show_text(cr_, s.c_str());
  cairo_restore(cr_);
}

}  // namespace multiplex::render
