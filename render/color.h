#ifndef MULTIPLEX_RENDER_COLOR_H_
#define MULTIPLEX_RENDER_COLOR_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex::render {

// An sRGB colour with components in [0, 1].
struct Color {
  double r = 0.0;
  double g = 0.0;
  double b = 0.0;

  // Parses "#rrggbb" (the '#' is optional).
  static absl::StatusOr<Color> FromHex(absl::string_view hex);
  bool operator==(const Color& o) const {
    return r == o.r && g == o.g && b == o.b;
  }
};

// Opaque black, white and the light grey of grids and legend frames.
Color Black();
Color White();

// The classic ten-colour cycle (#1f77b4, #ff7f0e, ...); `i` wraps around.
Color Tab10(int i);

// Hands out Tab10 colours in order.
class ColorCycle {
 public:
  Color Next() { return Tab10(next_++); }
  void Reset() { next_ = 0; }
  int position() const { return next_; }

 private:
  int next_ = 0;
};

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_COLOR_H_
