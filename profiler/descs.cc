#include "profiler/descs.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/file_io.h"
#include "core/status_macros.h"
#include "core/text_proto_errors.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace multiplex {
namespace {

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> ListTextprotos(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (absl::EndsWith(n, ".textproto")) names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

template <typename Proto>
absl::StatusOr<Proto> ReadTextProto(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  Proto proto;
  google::protobuf::TextFormat::Parser parser;
  parser.SetRecursionLimit(kMaxTextProtoDepth);
  FirstTextProtoError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, &proto)) {
    return absl::InvalidArgumentError(
        errors.first().empty()
            ? absl::StrCat(path, ": not a valid ",
                           Proto::descriptor()->full_name(), " text proto")
            : absl::StrCat(path, ":", errors.first()));
  }
  return proto;
}

}  // namespace

absl::StatusOr<std::string> ResolveDescPath(const std::string& dir,
                                            const std::string& name) {
  if (name.empty()) return absl::InvalidArgumentError("empty name");
  if (IsFile(name)) return name;
  const std::string exact = absl::StrCat(dir, "/", name, ".textproto");
  if (IsFile(exact)) return exact;
  const std::vector<std::string> all = ListTextprotos(dir);
  std::vector<std::string> matches;
  for (const std::string& n : all) {
    if (absl::StartsWith(n, name + "-")) matches.push_back(n);
  }
  if (matches.size() == 1) return absl::StrCat(dir, "/", matches[0]);
  if (matches.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no description '", name, "' in ", dir,
                     " (have: ", absl::StrJoin(all, ", "), ")"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", name, "' is ambiguous in ", dir, ": ",
                   absl::StrJoin(matches, ", ")));
}

absl::Status ValidateModelDesc(const TransformerModelDesc& m,
                               absl::string_view source) {
  if (m.name().empty() || m.num_layers() < 1 || m.hidden() < 1 ||
      m.heads() < 1 || m.vocab() < 1 || m.hidden() % m.heads() != 0 ||
      m.sequence_length() < 1 || m.dtype_bytes() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": model '", m.name(),
        "' needs a name, num_layers, hidden (a multiple of heads), heads, "
        "vocab, sequence_length and dtype_bytes >= 1"));
  }
  if (m.num_experts() < 0 ||
      (m.num_experts() > 0 &&
       (m.moe_layer_interval() < 1 || m.expert_top_k() < 1 ||
        m.expert_top_k() > m.num_experts()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": model '", m.name(),
        "': num_experts must be >= 0 and, for a mixture of experts, "
        "moe_layer_interval >= 1 and expert_top_k in [1, num_experts]"));
  }
  return absl::OkStatus();
}

absl::Status ValidateHardwareDesc(const HardwareDesc& hw,
                                  absl::string_view source) {
  if (hw.peak_tensor_flops() <= 0 || hw.hbm_bandwidth() <= 0 ||
      !hw.has_gemm() || !hw.has_interconnect()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": needs peak_tensor_flops, hbm_bandwidth, gemm and "
                     "interconnect"));
  }
  if (hw.interconnect().allreduce_bus_bandwidth() <= 0 ||
      hw.interconnect().p2p_bandwidth() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": the interconnect needs allreduce_bus_bandwidth and "
                     "p2p_bandwidth (communication is taken from it)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<HardwareDesc> LoadHardwareDesc(const std::string& path) {
  ASSIGN_OR_RETURN(HardwareDesc hw, ReadTextProto<HardwareDesc>(path));
  RETURN_IF_ERROR(ValidateHardwareDesc(hw, path));
  return hw;
}

absl::StatusOr<TransformerModelDesc> LoadModelDesc(const std::string& path) {
  ASSIGN_OR_RETURN(TransformerModelDesc m,
                   ReadTextProto<TransformerModelDesc>(path));
  RETURN_IF_ERROR(ValidateModelDesc(m, path));
  return m;
}

absl::StatusOr<std::vector<TransformerModelDesc>> LoadModelDescs(
    const std::string& dir, const std::vector<std::string>& names) {
  std::vector<TransformerModelDesc> models;
  for (const std::string& name : names) {
    ASSIGN_OR_RETURN(const std::string path, ResolveDescPath(dir, name));
    ASSIGN_OR_RETURN(TransformerModelDesc m, LoadModelDesc(path));
    models.push_back(std::move(m));
  }
  return models;
}

}  // namespace multiplex
