#ifndef MULTIPLEX_RENDER_GALLERY_H_
#define MULTIPLEX_RENDER_GALLERY_H_

// One chart of each kind the study needs, on made-up deterministic data.
// Shared by the `gallery` binary and the golden test.

#include <string>
#include <vector>

#include "render/chart.h"

namespace multiplex::render {

struct GalleryChart {
  std::string name;  // file name without extension
  Figure fig;
  // How many markers it draws, counted from its data by hand: the golden
  // test checks it, so a chart that loses its markers fails.
  int markers = 0;
};

std::vector<GalleryChart> Gallery();

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_GALLERY_H_
