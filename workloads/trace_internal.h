#ifndef MULTIPLEX_WORKLOADS_TRACE_INTERNAL_H_
#define MULTIPLEX_WORKLOADS_TRACE_INTERNAL_H_

// Internals of workloads/trace_io.h shared by its files: the model-name
// table, the streaming text parser (trace_text.cc) and the binary reader
// and writer (trace_binary.cc). Not for use outside workloads/trace_*.cc.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/workload.h"

namespace multiplex {
namespace trace_internal {

// Bytes read from a file at a time; a text line may not be longer than
// kMaxTraceLineBytes (trace_io.h), so a whole line always fits.
inline constexpr size_t kChunkBytes = size_t{1} << 20;

// a == b for short strings, inline: a call to memcmp costs more than the
// few bytes of a model name or an SLO.
inline bool SameShort(const char* a, const char* b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Model name -> index, looked up from a string_view without allocating.
// Few names (the common case) are compared in turn, which is faster than
// hashing; many use a hash map.
class ModelTable {
 public:
  // -1 when absent.
  int32_t Find(absl::string_view name) const {
    if (map_.empty()) {
      for (size_t i = 0; i < views_.size(); ++i) {
        if (views_[i].size() == name.size() &&
            SameShort(views_[i].data(), name.data(), name.size())) {
          return static_cast<int32_t>(i);
        }
      }
      return -1;
    }
    auto it = map_.find(name);
    return it == map_.end() ? -1 : it->second;
  }
  // Appends `name` (absent) with the next index; returns it.
  int32_t Add(absl::string_view name);
  size_t size() const { return views_.size(); }

 private:
  static constexpr size_t kLinearMax = 16;
  std::deque<std::string> names_;  // stable addresses for the views
  std::vector<absl::string_view> views_;
  absl::flat_hash_map<absl::string_view, int32_t> map_;
};

// Parses trace text handed over in pieces of whole lines; Finish takes what
// follows the last newline. Rows go into `*out`, whose model_names are the
// known models (if any) or the names in order of first appearance.
class TextParser {
 public:
  TextParser(absl::string_view source, Workload* out) noexcept
      : source_(source), out_(out) {}
  // Must be called first; fails on duplicate or too many known names.
  absl::Status Start(const std::vector<std::string>& known_models);
  // Reserves the columns for about `rows` rows.
  void Reserve(size_t rows);
  // `lines` ends with '\n' (or is empty).
  absl::Status Feed(absl::string_view lines);
  // `rest`: the bytes after the last newline; non-empty means truncated.
  absl::Status Finish(absl::string_view rest);
  size_t lines() const { return line_; }

 private:
  // The common row (three columns, numbers std::from_chars reads whole, a
  // known or new name, '\n' ending) parsed and appended in one pass:
  // returns what follows its newline, or nullptr (nothing changed) for the
  // careful path, Row, to accept or reject it.
  const char* FastRow(const char* row, const char* end);
  absl::Status Row(const char* begin, const char* end);

  absl::string_view source_;
  Workload* out_;
  ModelTable models_;
  bool accept_any_ = true;
  size_t line_ = 0;
  double previous_ = 0;
  bool tokens_ = false;  // the header has the two token columns
  // The last SLO text FastRow parsed and its value.
  char slo_text_[32];
  size_t slo_text_len_ = 0;
  double slo_value_ = 0;
};

// The binary format's magic bytes (trace_io.h); text traces start with the
// header "arrival_s", so the two never mix up.
inline constexpr absl::string_view kBinaryMagic("MPXTRACE", 8);

// Where binary trace bytes come from.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Bytes not yet read.
  virtual uint64_t Remaining() const = 0;
  // Reads exactly n <= Remaining() bytes.
  virtual absl::Status Read(void* dst, size_t n) = 0;
};

// Reads a binary trace (magic included) from `in`.
absl::StatusOr<Workload> ParseBinary(ByteSource& in, absl::string_view source,
                                     const std::vector<std::string>& known);

// Checks a workload a writer is given (column lengths, model indices, names
// a text trace can hold).
absl::Status CheckWritable(const Workload& w);

}  // namespace trace_internal
}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_TRACE_INTERNAL_H_
