#ifndef MULTIPLEX_RENDER_TEXT_H_
#define MULTIPLEX_RENDER_TEXT_H_

// Text measuring and drawing with cairo's toy font API (UTF-8, so "α"
// works with DejaVu Sans). Hinting is off so that measurements are the same
// on PDF and PNG surfaces at any resolution.

#include <cairo/cairo.h>

#include <string>

#include "absl/strings/string_view.h"
#include "render/color.h"

namespace multiplex::render {

enum class HAlign { kLeft, kCenter, kRight };
// kCenter centres the cap height (digits, capitals) on the anchor; kTop and
// kBottom use the text box (cap height above the baseline, the font's
// descent below).
enum class VAlign { kTop, kCenter, kBaseline, kBottom };

struct TextSize {
  double w = 0.0;
  double h = 0.0;  // cap height + descent
  double cap = 0.0;
  double descent = 0.0;
};

class TextPainter {
 public:
  TextPainter(cairo_t* cr, std::string family);

  TextSize Measure(absl::string_view text, double size);
  // Draws at anchor (x, y); rotated 90 degrees counter-clockwise when
  // `vertical` (alignment then refers to the rotated text's own axes).
  void Draw(absl::string_view text, double size, double x, double y, HAlign h,
            VAlign v, const Color& color, bool vertical = false);

 private:
  void SetFont(double size);

  cairo_t* cr_;
  std::string family_;
};

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_TEXT_H_
