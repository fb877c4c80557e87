// Writes the gallery of chart kinds as PDF and PNG.
//
//   bazel run //render:gallery                      # -> out/gallery/
//   bazel run //render:gallery -- --out_dir=/tmp/g
//
// Regenerate the golden PNGs of //render:golden_test (then look at them):
//   bazel run //render:gallery -- --out_dir=$PWD/render/goldens --png_only

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "absl/flags/flag.h"
#include "render/gallery.h"
#include "render/write.h"
#include "tools/cli/cli.h"

ABSL_FLAG(std::string, out_dir, "",
          "folder for the gallery; default out/gallery in the workspace "
          "under bazel run, else in the current directory");
ABSL_FLAG(bool, png_only, false, "write only the PNGs (for goldens)");
ABSL_FLAG(double, dpi, multiplex::render::kDefaultDpi, "PNG resolution");

int main(int argc, char** argv) {
  multiplex::ParseFlagsOrFail(
      argc, argv, "gallery",
      "Draws the gallery of chart kinds (render/gallery.cc) as PDF and PNG.\n"
      "Usage: bazel run //render:gallery -- [--out_dir=DIR] [--png_only] "
      "[--dpi=N]\n"
      "A relative --out_dir is taken from the directory the command was run "
      "in.");
  std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (out_dir.empty()) out_dir = multiplex::ResolveWorkspacePath("out/gallery");
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "gallery: cannot create %s: %s\n", out_dir.c_str(),
                 ec.message().c_str());
    return 1;
  }
  int failures = 0;
  for (const auto& chart : multiplex::render::Gallery()) {
    const std::string base = out_dir + "/" + chart.name;
    absl::Status s = absl::GetFlag(FLAGS_png_only)
                         ? multiplex::render::WritePng(chart.fig, base + ".png",
                                                       absl::GetFlag(FLAGS_dpi))
                         : multiplex::render::WritePdfAndPng(
                               chart.fig, base, absl::GetFlag(FLAGS_dpi));
    if (!s.ok()) {
      std::fprintf(stderr, "gallery: %s\n", s.ToString().c_str());
      ++failures;
    } else {
      std::printf("wrote %s%s\n", base.c_str(),
                  absl::GetFlag(FLAGS_png_only) ? ".png" : ".{pdf,png}");
    }
  }
  return failures == 0 ? 0 : 1;
}
