#include "workloads/line_reader.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 22;  // 4 MiB per read

}  // namespace

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(
    const std::string& path, size_t max_line_bytes) {
  RETURN_IF_ERROR(CheckRegularInput(path));
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    return absl::ErrnoToStatus(err, absl::StrCat("cannot open '", path, "'"));
  }
  return std::unique_ptr<LineReader>(new LineReader(path, f, max_line_bytes));
}

LineReader::LineReader(std::string path, FILE* f, size_t max_line_bytes)
    : path_(std::move(path)),
      file_(f),
      max_line_bytes_(max_line_bytes),
      buf_(kChunkBytes + max_line_bytes) {}

LineReader::~LineReader() { std::fclose(file_); }

absl::StatusOr<bool> LineReader::Next(absl::string_view* line) {
  while (true) {
    const char* begin = buf_.data() + pos_;
    const char* nl =
        static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
    if (nl != nullptr || (eof_ && pos_ < end_)) {
      size_t len =
          nl != nullptr ? static_cast<size_t>(nl - begin) : end_ - pos_;
      pos_ += nl != nullptr ? len + 1 : len;
      ++line_no_;
      if (len > max_line_bytes_) {
        return Error(
            absl::StrCat("line longer than ", max_line_bytes_, " bytes"));
      }
      if (len > 0 && begin[len - 1] == '\r') --len;
      *line = absl::string_view(begin, len);
      return true;
    }
    if (eof_) return false;
    if (end_ - pos_ > max_line_bytes_) {
      ++line_no_;
      return Error(
          absl::StrCat("line longer than ", max_line_bytes_, " bytes"));
    }
    // Keep the partial line, then read more (the buffer holds a chunk plus
    // the longest line allowed).
    std::memmove(buf_.data(), begin, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    const size_t n =
        std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
    if (n == 0) {
      if (std::ferror(file_)) {
        return absl::ErrnoToStatus(errno,
                                   absl::StrCat("cannot read '", path_, "'"));
      }
      eof_ = true;
    }
    end_ += n;
  }
}

absl::Status LineReader::Error(absl::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat(path_, ":", line_no_, ": ", what));
}

}  // namespace multiplex
