#include "core/placement_io.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/status_macros.h"
#include "core/text_proto_errors.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace multiplex {

std::vector<std::string> PlacementFile::ModelNames() const {
  return multiplex::ModelNames(models);
}

PlacementSchedule PlacementFile::Schedule() const {
  PlacementSchedule schedule = PlacementSchedule::Static(placement);
  for (const PlacementPhase& phase : later_phases) {
    schedule.phases.push_back(phase);
  }
  return schedule;
}

void PlacementFile::SetSchedule(const PlacementSchedule& schedule) {
  placement =
      schedule.phases.empty() ? Placement() : schedule.phases[0].placement;
  later_phases.assign(
      schedule.phases.begin() + (schedule.phases.empty() ? 0 : 1),
      schedule.phases.end());
}

namespace {

using google::protobuf::TextFormat;

// "source:line:col: " for a field the parser saw, else "source: ".
class Locator {
 public:
  Locator(absl::string_view source, const TextFormat::ParseInfoTree* tree)
      : source_(source), tree_(tree) {}

  std::string At(const char* field, int index = -1) const {
    return At(tree_, PlacementProto::descriptor(), field, index);
  }
  // A field of the index-th element of repeated message field `parent`.
  std::string AtNested(const char* parent, int parent_index, const char* field,
                       int index = -1) const {
    return AtPath({{parent, parent_index}}, field, index);
  }
  // A field inside nested messages: path lists (field, index) from the top,
  // e.g. {{"phase", 2}, {"group", 0}}; the innermost message the parser
  // recorded when it has no deeper location.
  std::string AtPath(std::initializer_list<std::pair<const char*, int>> path,
                     const char* field, int index = -1) const {
    const TextFormat::ParseInfoTree* tree = tree_;
    const google::protobuf::Descriptor* d = PlacementProto::descriptor();
    for (const auto& [parent, parent_index] : path) {
      const google::protobuf::FieldDescriptor* p = d->FindFieldByName(parent);
      const TextFormat::ParseInfoTree* nested =
          tree == nullptr ? nullptr : tree->GetTreeForNested(p, parent_index);
      if (nested == nullptr) return At(tree, d, parent, parent_index);
      tree = nested;
      d = p->message_type();
    }
    return At(tree, d, field, index);
  }

 private:
  std::string At(const TextFormat::ParseInfoTree* tree,
                 const google::protobuf::Descriptor* d, const char* field,
                 int index) const {
    if (tree != nullptr) {
      const google::protobuf::FieldDescriptor* f = d->FindFieldByName(field);
      if (f != nullptr) {
        TextFormat::ParseLocation loc = tree->GetLocation(f, index);
        if (loc.line >= 0) {
          return absl::StrCat(source_, ":", loc.line + 1, ":", loc.column + 1,
                              ": ");
        }
      }
    }
    return absl::StrCat(source_, ": ");
  }

  std::string source_;
  const TextFormat::ParseInfoTree* tree_;
};

// The groups of phase 0 (phase < 0: the top-level `group` fields) or of the
// phase-th `phase` field (the file's phase phase + 1).
absl::StatusOr<Placement> ConvertGroups(
    const google::protobuf::RepeatedPtrField<PlacementProto::Group>& groups,
    const absl::flat_hash_map<std::string, int>& index, const Locator& at,
    int phase) {
  const std::string in_phase =
      phase < 0 ? "" : absl::StrCat("phase ", phase + 1, " ");
  auto at_group = [&](int g) {
    return phase < 0 ? at.At("group", g)
                     : at.AtNested("phase", phase, "group", g);
  };
  auto at_model = [&](int g, int j) {
    return phase < 0 ? at.AtNested("group", g, "model", j)
                     : at.AtPath({{"phase", phase}, {"group", g}}, "model", j);
  };
  Placement placement;
  int64_t devices = 0;  // each group adds at most kMaxDevices: no overflow
  for (int g = 0; g < groups.size(); ++g) {
    const PlacementProto::Group& pg = groups.Get(g);
    Group group;
    group.config = {pg.dp(), pg.op(), pg.pp()};
    if (absl::Status s = CheckParallelConfig(group.config); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at_group(g), in_phase, "group ", g, " ",
                       group.config.ToString(), ": ", s.message()));
    }
    devices += group.config.NumDevices();
    if (devices > kMaxDevices) {
      return absl::InvalidArgumentError(
          absl::StrCat(at_group(g), in_phase, "groups 0 to ", g, " use ",
                       devices, " devices, over the limit of ", kMaxDevices,
                       " devices per placement (kMaxDevices)"));
    }
    for (int j = 0; j < pg.model_size(); ++j) {
      auto it = index.find(pg.model(j));
      if (it == index.end()) {
        return absl::InvalidArgumentError(absl::StrCat(
            at_model(g, j), in_phase, "group ", g, ": unknown model instance '",
            pg.model(j),
            "' (declare it with instance { name: ... type: ... })"));
      }
      for (int m : group.models) {
        if (m == it->second) {
          return absl::InvalidArgumentError(
              absl::StrCat(at_model(g, j), in_phase, "group ", g,
                           ": names instance '", pg.model(j), "' twice"));
        }
      }
      group.models.push_back(it->second);
    }
    placement.groups.push_back(std::move(group));
  }
  return placement;
}

absl::StatusOr<PlacementFile> Convert(const PlacementProto& proto,
                                      const Locator& at) {
  PlacementFile file;
  file.description = proto.description();
  if (proto.has_cluster()) {
    const PlacementProto::Cluster& c = proto.cluster();
    if (c.num_devices() < 1 || c.num_devices() > kMaxDevices) {
      return absl::InvalidArgumentError(
          absl::StrCat(at.AtNested("cluster", -1, "num_devices"),
                       "cluster num_devices must be in [1, ", kMaxDevices,
                       "] (kMaxDevices), got ", c.num_devices()));
    }
    if (!(c.mem_budget_gb() > 0) || !std::isfinite(c.mem_budget_gb())) {
      return absl::InvalidArgumentError(
          absl::StrCat(at.AtNested("cluster", -1, "mem_budget_gb"),
                       "cluster mem_budget_gb must be a positive number, got ",
                       c.mem_budget_gb()));
    }
    // Found by placement_io_fuzzer: 8e307 GiB is finite, its bytes are not.
    if (!std::isfinite(c.mem_budget_gb() * kGiB)) {
      return absl::InvalidArgumentError(absl::StrCat(
          at.AtNested("cluster", -1, "mem_budget_gb"), "cluster mem_budget_gb ",
          c.mem_budget_gb(), " is too large: its bytes overflow a double"));
    }
    if (c.devices_per_node() < 1 || c.devices_per_node() > kMaxDevices) {
      return absl::InvalidArgumentError(
          absl::StrCat(at.AtNested("cluster", -1, "devices_per_node"),
                       "cluster devices_per_node must be in [1, ", kMaxDevices,
                       "] (kMaxDevices), got ", c.devices_per_node()));
    }
    file.has_cluster = true;
    file.cluster.num_devices = c.num_devices();
    file.cluster.mem_budget_bytes = c.mem_budget_gb() * kGiB;
    file.cluster.devices_per_node = c.devices_per_node();
  }
  if (proto.instance_size() > kMaxModels) {
    return absl::InvalidArgumentError(absl::StrCat(
        at.At("instance", kMaxModels), proto.instance_size(),
        " instances, over the limit of ", kMaxModels, " (kMaxModels)"));
  }
  absl::flat_hash_map<std::string, int> declared;
  for (int i = 0; i < proto.instance_size(); ++i) {
    const PlacementProto::Instance& inst = proto.instance(i);
    if (inst.name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at.At("instance", i), "instance ", i, " has no name"));
    }
    if (inst.type().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at.At("instance", i), "instance '", inst.name(),
                       "' has no type (the model in the cost model)"));
    }
    if (!declared.emplace(inst.name(), i).second) {
      return absl::InvalidArgumentError(absl::StrCat(at.At("instance", i),
                                                     "instance '", inst.name(),
                                                     "' is declared twice"));
    }
    ModelSpec spec;
    spec.name = inst.name();
    spec.type = inst.type();
    file.models.push_back(std::move(spec));
  }
  absl::flat_hash_map<std::string, int> index;
  for (size_t i = 0; i < file.models.size(); ++i) {
    index.emplace(file.models[i].name, static_cast<int>(i));
  }
  ASSIGN_OR_RETURN(file.placement, ConvertGroups(proto.group(), index, at, -1));
  if (proto.phase_size() >= kMaxPhases) {
    return absl::InvalidArgumentError(absl::StrCat(
        at.At("phase", kMaxPhases - 1), proto.phase_size() + 1,
        " phases, over the limit of ", kMaxPhases, " (kMaxPhases)"));
  }
  double before = 0.0;
  for (int p = 0; p < proto.phase_size(); ++p) {
    const PlacementProto::Phase& phase = proto.phase(p);
    const double start = phase.start_s();
    if (!std::isfinite(start) || !(start > before)) {
      return absl::InvalidArgumentError(absl::StrCat(
          at.AtNested("phase", p, "start_s"), "phase ", p + 1, " start_s ",
          FormatDoubleExact(start), " is not after ", FormatDoubleExact(before),
          " (start times are finite, > 0 and strictly increasing)"));
    }
    before = start;
    PlacementPhase converted;
    converted.start_s = start;
    ASSIGN_OR_RETURN(converted.placement,
                     ConvertGroups(phase.group(), index, at, p));
    file.later_phases.push_back(std::move(converted));
  }
  return file;
}

}  // namespace

absl::StatusOr<PlacementFile> PlacementFromProto(const PlacementProto& proto,
                                                 absl::string_view source) {
  return Convert(proto, Locator(source, nullptr));
}

absl::StatusOr<PlacementFile> ParsePlacement(absl::string_view text,
                                             absl::string_view source) {
  PlacementProto proto;
  TextFormat::Parser parser;
  parser.SetRecursionLimit(kMaxTextProtoDepth);
  FirstTextProtoError errors;
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (!parser.ParseFromString(std::string(text), &proto)) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":", errors.first().empty() ? " parse error" : errors.first(),
        " (placement text proto, see core/placement.proto)"));
  }
  return Convert(proto, Locator(source, &tree));
}

absl::StatusOr<PlacementFile> ReadPlacementFile(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  return ParsePlacement(text, path);
}

namespace {

// Fails on a model index out of range.
absl::Status GroupsToProto(
    const Placement& placement, const std::vector<ModelSpec>& models,
    const std::string& in_phase,
    google::protobuf::RepeatedPtrField<PlacementProto::Group>* out) {
  for (size_t g = 0; g < placement.groups.size(); ++g) {
    const Group& group = placement.groups[g];
    PlacementProto::Group* pg = out->Add();
    pg->set_dp(group.config.dp);
    pg->set_op(group.config.op);
    pg->set_pp(group.config.pp);
    for (int m : group.models) {
      if (m < 0 || m >= static_cast<int>(models.size())) {
        return absl::InvalidArgumentError(
            absl::StrCat(in_phase, "group ", g, ": model index ", m,
                         " out of range [0, ", models.size(), ")"));
      }
      pg->add_model(models[m].name);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<PlacementProto> PlacementToProto(const PlacementFile& file) {
  PlacementProto proto;
  if (!file.description.empty()) proto.set_description(file.description);
  if (file.has_cluster) {
    PlacementProto::Cluster* c = proto.mutable_cluster();
    c->set_num_devices(file.cluster.num_devices);
    c->set_mem_budget_gb(file.cluster.mem_budget_bytes / kGiB);
    c->set_devices_per_node(file.cluster.devices_per_node);
  }
  for (const ModelSpec& m : file.models) {
    PlacementProto::Instance* inst = proto.add_instance();
    inst->set_name(m.name);
    inst->set_type(m.type);
  }
  RETURN_IF_ERROR(
      GroupsToProto(file.placement, file.models, "", proto.mutable_group()));
  for (size_t p = 0; p < file.later_phases.size(); ++p) {
    PlacementProto::Phase* phase = proto.add_phase();
    phase->set_start_s(file.later_phases[p].start_s);
    RETURN_IF_ERROR(GroupsToProto(file.later_phases[p].placement, file.models,
                                  absl::StrCat("phase ", p + 1, " "),
                                  phase->mutable_group()));
  }
  return proto;
}

absl::StatusOr<std::string> FormatPlacement(const PlacementFile& file) {
  ASSIGN_OR_RETURN(const PlacementProto proto, PlacementToProto(file));
  TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  auto line = [&printer](absl::string_view field,
                         const google::protobuf::Message& m) {
    std::string body;
    printer.PrintToString(m, &body);
    return absl::StrCat(field, " { ", absl::StripTrailingAsciiWhitespace(body),
                        " }\n");
  };
  std::string out =
      "# proto-file: core/placement.proto\n"
      "# proto-message: multiplex.PlacementProto\n";
  if (proto.has_description()) {
    PlacementProto d;
    d.set_description(proto.description());
    std::string body;
    printer.PrintToString(d, &body);
    absl::StrAppend(&out, absl::StripTrailingAsciiWhitespace(body), "\n");
  }
  if (proto.has_cluster())
    absl::StrAppend(&out, line("cluster", proto.cluster()));
  for (const auto& inst : proto.instance()) {
    absl::StrAppend(&out, line("instance", inst));
  }
  for (const auto& group : proto.group()) {
    absl::StrAppend(&out, line("group", group));
  }
  // A phase over several lines, one group a line.
  for (const auto& phase : proto.phase()) {
    absl::StrAppend(
        &out, "phase {\n  start_s: ", FormatDoubleExact(phase.start_s()), "\n");
    for (const auto& group : phase.group()) {
      absl::StrAppend(&out, "  ", line("group", group));
    }
    absl::StrAppend(&out, "}\n");
  }
  return out;
}

absl::Status WritePlacementFile(const std::string& path,
                                const PlacementFile& file) {
  ASSIGN_OR_RETURN(const std::string text, FormatPlacement(file));
  return WriteFileAtomically(path, text);
}

}  // namespace multiplex
