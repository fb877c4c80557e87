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
#include "core/placement_schedule.h"

namespace multiplex {

struct PlacementFile {
  std::vector<ModelSpec> models;  // instances in file order; only name and
                                  // type are set
  Placement placement;            // model indices into `models`; phase 0
  // The phases after the first (`phase` in the file), start_s > 0 and
  // increasing; empty for a static placement.
  std::vector<PlacementPhase> later_phases;
  bool has_cluster = false;
  Cluster cluster;  // valid when has_cluster
  std::string description;

  std::vector<std::string> ModelNames() const;
  // `placement` from 0, then later_phases.
  PlacementSchedule Schedule() const;
  // Sets `placement` and later_phases from a schedule (phases non-empty).
  void SetSchedule(const PlacementSchedule& schedule);
};

// Parses and checks text (`source` names it in errors): instance names
// non-empty and unique, types non-empty, every group config valid
// (CheckParallelConfig), every group model a known instance named once in
// that group, cluster values positive; counts within core/limits.h (at most
// kMaxModels instances, kMaxDevices devices in the cluster, per node and in
// each phase's groups together, kMaxPhases phases), the message naming the
// bound; phase start times finite, > 0 and strictly increasing.
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
