#include "profiler/cuda/descs.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace multiplex {
namespace cuda {

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

class Collector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) {
      first = absl::StrCat(line + 1, ":", column + 1, ": ", message);
    }
  }
  std::string first;
};

template <typename Proto>
absl::StatusOr<Proto> ReadTextProto(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  Proto proto;
  google::protobuf::TextFormat::Parser parser;
  Collector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(ss.str(), &proto)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ":", errors.first));
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

absl::StatusOr<TransformerModelDesc> ReadModelDesc(const std::string& path) {
  absl::StatusOr<TransformerModelDesc> m =
      ReadTextProto<TransformerModelDesc>(path);
  if (!m.ok()) return m.status();
  if (m->name().empty() || m->num_layers() < 1 || m->hidden() < 1 ||
      m->heads() < 1 || m->vocab() < 1 || m->hidden() % m->heads() != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": a model needs a name, layers, hidden, heads (dividing "
                     "hidden) and vocab"));
  }
  return m;
}

absl::StatusOr<HardwareDesc> ReadHardwareDesc(const std::string& path) {
  absl::StatusOr<HardwareDesc> h = ReadTextProto<HardwareDesc>(path);
  if (!h.ok()) return h.status();
  const Interconnect& ic = h->interconnect();
  if (!h->has_interconnect() || ic.allreduce_bus_bandwidth() <= 0 ||
      ic.p2p_bandwidth() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": the interconnect needs allreduce_bus_bandwidth and "
                     "p2p_bandwidth (communication is taken from it)"));
  }
  return h;
}

}  // namespace cuda
}  // namespace multiplex
