#ifndef MULTIPLEX_WORKLOADS_LINE_READER_H_
#define MULTIPLEX_WORKLOADS_LINE_READER_H_

// Streams a text file's lines for the trace readers (Azure Functions, Azure
// LLM, BurstGPT): fixed memory, FILE:LINE errors.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<LineReader> r, LineReader::Open(path));
//   absl::string_view line;
//   while (true) {
//     ASSIGN_OR_RETURN(bool more, r->Next(&line));
//     if (!more) break;
//     if (bad) return r->Error("what is wrong");  // "path:17: what is wrong"
//   }

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

class LineReader {
 public:
  // A line may be at most this long: memory stays one read chunk plus
  // this, whatever the file says.
  static constexpr size_t kDefaultMaxLineBytes = size_t{1} << 20;

  // Directories, FIFOs (which would block) and devices are refused.
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(
      const std::string& path, size_t max_line_bytes = kDefaultMaxLineBytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line in *line, without its line end (a trailing '\r' is
  // dropped too), valid until the next call; false at the end of the file.
  // A line longer than max_line_bytes is an error at its line.
  absl::StatusOr<bool> Next(absl::string_view* line);

  // The number of the line Next returned last (1-based).
  int64_t line_no() const { return line_no_; }
  const std::string& path() const { return path_; }

  // InvalidArgument "path:line: what".
  absl::Status Error(absl::string_view what) const;

 private:
  LineReader(std::string path, FILE* f, size_t max_line_bytes);

  std::string path_;
  FILE* file_;
  size_t max_line_bytes_;
  std::vector<char> buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  int64_t line_no_ = 0;
};

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_LINE_READER_H_
