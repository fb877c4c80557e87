#ifndef MULTIPLEX_CORE_PLACEMENT_IO_H_
#define MULTIPLEX_CORE_PLACEMENT_IO_H_

// Placement files: text protos of multiplex.PlacementProto (see
// core/placement.proto).
//
//   absl::StatusOr<PlacementFile> f = ReadPlacementFile("p.textproto");
//   // f->models: the instances (name, type), f->placement: groups with
//   // indices into f->models, f->cluster when the file records one.
//   absl::Status s = WritePlacementFile("out.textproto", *f);
//
// Errors name the source and, where the parser knows it, the line and
// column: "p.textproto:7:3: group 1: unknown model instance 'm9'".

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/placement.h"
#include "core/placement.pb.h"

namespace multiplex {

struct PlacementFile {
  std::vector<ModelSpec> models;  // instances in file order; only name and
                                  // type are set
  Placement placement;            // model indices into `models`
  bool has_cluster = false;
  Cluster cluster;  // valid when has_cluster
  std::string description;

  std::vector<std::string> ModelNames() const;
};

// Parses and checks text (`source` names it in errors): instance names
// non-empty and unique, types non-empty, every group config valid
// (CheckParallelConfig), every group model a known instance named once in
// that group, cluster values positive; counts within core/limits.h (at most
// kMaxModels instances, kMaxDevices devices in the cluster, per node and in
// all groups together), the message naming the bound.
absl::StatusOr<PlacementFile> ParsePlacement(absl::string_view text,
                                             absl::string_view source);
absl::StatusOr<PlacementFile> ReadPlacementFile(const std::string& path);

// Conversions without text. FromProto checks as ParsePlacement (without
// line numbers).
absl::StatusOr<PlacementFile> PlacementFromProto(const PlacementProto& proto,
                                                 absl::string_view source);
// Fails on a model index out of range.
absl::StatusOr<PlacementProto> PlacementToProto(const PlacementFile& file);

// Text with a header comment; parses back to the same PlacementFile.
absl::StatusOr<std::string> FormatPlacement(const PlacementFile& file);
absl::Status WritePlacementFile(const std::string& path,
                                const PlacementFile& file);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_PLACEMENT_IO_H_
