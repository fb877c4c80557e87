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
};

std::vector<GalleryChart> Gallery();

}  // namespace multiplex::render

#endif  // MULTIPLEX_RENDER_GALLERY_H_
