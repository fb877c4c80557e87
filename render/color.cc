#include "render/color.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace multiplex::render {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Color FromRgb(int rgb) {
  return {((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
          (rgb & 0xff) / 255.0};
}

}  // namespace

absl::StatusOr<Color> Color::FromHex(absl::string_view hex) {
  absl::string_view digits = hex;
  if (!digits.empty() && digits[0] == '#') digits.remove_prefix(1);
  if (digits.size() != 6) {
    return absl::InvalidArgumentError(
        absl::StrCat("colour '", hex, "' is not of the form #rrggbb"));
  }
  int rgb = 0;
  for (char c : digits) {
    int d = HexDigit(c);
    if (d < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("colour '", hex, "' has a non-hex digit"));
    }
    rgb = rgb * 16 + d;
  }
  return FromRgb(rgb);
}

Color Black() { return {0, 0, 0}; }
Color White() { return {1, 1, 1}; }

Color Tab10(int i) {
  static constexpr int kTab10[10] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
                                     0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
                                     0xbcbd22, 0x17becf};
  int k = i % 10;
  if (k < 0) k += 10;
  return FromRgb(kTab10[k]);
}

}  // namespace multiplex::render
