#ifndef MULTIPLEX_CORE_TEXT_PROTO_ERRORS_H_
#define MULTIPLEX_CORE_TEXT_PROTO_ERRORS_H_

// The text-format parser's first complaint, as "line:column: message" (both
// 1-based), for the readers' error messages. Warnings are ignored.

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"

namespace multiplex {

// Text protos nesting deeper than this are refused (every parser here sets
// it with Parser::SetRecursionLimit): the parser recurses once per level,
// and a 200 KB spec of 20,000 nested blocks overflowed the stack. The
// deepest file the project reads nests about 6 levels.
inline constexpr int kMaxTextProtoDepth = 64;

class FirstTextProtoError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (first_.empty()) {
      first_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
    }
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber,
                  const std::string&) override {}
  // "" when the parser complained of nothing.
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_TEXT_PROTO_ERRORS_H_
