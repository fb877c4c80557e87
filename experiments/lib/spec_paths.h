#ifndef MULTIPLEX_EXPERIMENTS_LIB_SPEC_PATHS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_SPEC_PATHS_H_

// Field paths into a StudySpec ("policies[1].sweep[0].fields[0].values"):
// naming a field in an error with the line the spec writes it on, and
// resolving a sweep path to the numeric field it sets, with that field's
// accepted values. The first stage of the study loader (study.h): every
// later stage reports through a Locator and reads or writes fields through a
// Target.

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "experiments/lib/study.pb.h"
#include "google/protobuf/text_format.h"

namespace multiplex {
namespace study_internal {

struct Segment {
  std::string name;
  int index = -1;  // element of a repeated field; -1: singular (or all)
};

class FieldPath {
 public:
  FieldPath F(absl::string_view name, int index = -1) const {
    FieldPath p = *this;
    p.segments_.push_back({std::string(name), index});
    return p;
  }
  std::string ToString() const;
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  std::vector<Segment> segments_;
};

// The spec's top level.
inline const FieldPath kRoot;

// Errors "<file>:<line>: <field>: <message>", the line being that of the
// field, or of its closest enclosing field the spec writes, or 1. For one of
// a file's `studies`, the field is looked up in the entry and in the file's
// top level (which it inherits from), whichever locates more of it (the
// entry on a tie), and named "studies[i].<field>" or "<field> (in
// studies[i])" accordingly.
class Locator {
 public:
  Locator(std::string file,
          const google::protobuf::TextFormat::ParseInfoTree* tree)
      : file_(std::move(file)), tree_(tree) {}
  // `entry` is the tree of studies[index], written at `entry_line`.
  Locator(std::string file,
          const google::protobuf::TextFormat::ParseInfoTree* tree,
          const google::protobuf::TextFormat::ParseInfoTree* entry, int index,
          int entry_line)
      : file_(std::move(file)),
        tree_(tree),
        entry_(entry),
        index_(index),
        entry_line_(entry_line) {}

  absl::Status Error(const FieldPath& path, absl::string_view message) const;

 private:
  struct Located {
    int line = 0;   // 0: not written
    int depth = 0;  // how many segments of the path were found
  };

  static Located Locate(const google::protobuf::TextFormat::ParseInfoTree* tree,
                        const FieldPath& path);

  std::string file_;
  const google::protobuf::TextFormat::ParseInfoTree* tree_;
  const google::protobuf::TextFormat::ParseInfoTree* entry_ = nullptr;
  int index_ = -1;
  int entry_line_ = 0;
};

// A numeric field reachable by a sweep path: "cluster.num_devices",
// "models[1].count": the fields to walk into and the numeric leaf.
struct Target {
  std::vector<std::pair<const google::protobuf::FieldDescriptor*, int>> chain;
  const google::protobuf::FieldDescriptor* leaf = nullptr;
  std::string key;  // the path without indices: "models.count"
};

bool IsInteger(const google::protobuf::FieldDescriptor* f);
bool IsNumeric(const google::protobuf::FieldDescriptor* f);

// Resolves a sweep path against StudySpec; with `base`, also checks that
// indices exist in it.
absl::StatusOr<Target> ResolveTarget(absl::string_view path,
                                     const study::StudySpec* base);

google::protobuf::Message* MutableAt(google::protobuf::Message* root,
                                     const Target& t);
// Null when an indexed element does not exist.
const google::protobuf::Message* ConstAt(const google::protobuf::Message& root,
                                         const Target& t);

void SetNumber(google::protobuf::Message* m,
               const google::protobuf::FieldDescriptor* f, double v);
double GetNumber(const google::protobuf::Message& m,
                 const google::protobuf::FieldDescriptor* f);
// Integers as integers, doubles in the shortest form that reads back.
std::string FormatNumber(const google::protobuf::Message& m,
                         const google::protobuf::FieldDescriptor* f);

// A sweep path that names a parameter of a plugin the case uses rather than
// a field of the spec: "workload.process.<param>" (the serving process),
// "training.process.<param>", "cost_model.<param>" and "simulator.<param>"
// (the case's: its policy's own, else the study's), "policy.<param>" (the
// case's policy spec; "policy.spec" itself is not one).
enum class PluginPlace {
  kNone,  // a field of the spec
  kProcess,
  kTrainingProcess,
  kCostModel,
  kSimulator,
  kPolicy,
};
struct PluginParamPath {
  PluginPlace place = PluginPlace::kNone;
  std::string param;
};
PluginParamPath ParsePluginParamPath(absl::string_view path);
// "workload.process", "cost_model", ...: the spec field naming the plugin.
const char* PluginPlaceField(PluginPlace place);

// The accepted values of a numeric field, by its key ("models.count"):
// "" when `v` is fine, else what is wrong.
std::string CheckNumber(const std::string& key,
                        const google::protobuf::FieldDescriptor* leaf,
                        double v);

}  // namespace study_internal
}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_SPEC_PATHS_H_
