#include "workloads/trace_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/file_io.h"
#include "core/status_macros.h"
#include "workloads/trace_internal.h"

namespace multiplex {
namespace {

using trace_internal::ByteSource;
using trace_internal::kBinaryMagic;
using trace_internal::kChunkBytes;
using trace_internal::TextParser;

bool IsBinary(absl::string_view start) {
  return absl::StartsWith(start, kBinaryMagic);
}

class StringSource : public ByteSource {
 public:
  explicit StringSource(absl::string_view bytes) : bytes_(bytes) {}
  uint64_t Remaining() const override { return bytes_.size(); }
  absl::Status Read(void* dst, size_t n) override {
    if (n == 0) return absl::OkStatus();  // dst may be null (empty column)
    std::memcpy(dst, bytes_.data(), n);
    bytes_.remove_prefix(n);
    return absl::OkStatus();
  }

 private:
  absl::string_view bytes_;
};

// An open regular file of known size whose first bytes were already read
// into `prefix`.
class FileSource : public ByteSource {
 public:
  FileSource(const std::string& path, int fd, uint64_t size,
             absl::string_view prefix)
      : path_(path), fd_(fd), remaining_(size), prefix_(prefix) {}
  uint64_t Remaining() const override { return remaining_; }
  absl::Status Read(void* dst, size_t n) override {
    if (n == 0) return absl::OkStatus();  // dst may be null (empty column)
    char* out = static_cast<char*>(dst);
    const size_t from_prefix = std::min(n, prefix_.size());
    std::memcpy(out, prefix_.data(), from_prefix);
    prefix_.remove_prefix(from_prefix);
    size_t done = from_prefix;
    while (done < n) {
      const ssize_t got = ::read(fd_, out + done, n - done);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        return absl::ErrnoToStatus(errno,
                                   absl::StrCat("cannot read '", path_, "'"));
      }
      if (got == 0) {
        return absl::DataLossError(absl::StrCat(
            "cannot read '", path_, "': it ended early (changed while read?)"));
      }
      done += static_cast<size_t>(got);
    }
    remaining_ -= n;
    return absl::OkStatus();
  }

 private:
  const std::string& path_;
  int fd_;
  uint64_t remaining_;
  absl::string_view prefix_;
};

// Closes a descriptor on every return path.
struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// Fills buf[*filled, size) from fd unless it ends first; *eof when it did.
absl::Status Fill(const std::string& path, int fd, char* buf, size_t size,
                  size_t* filled, bool* eof) {
  while (*filled < size) {
    const ssize_t got = ::read(fd, buf + *filled, size - *filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      return absl::ErrnoToStatus(errno,
                                 absl::StrCat("cannot read '", path, "'"));
    }
    if (got == 0) {
      *eof = true;
      break;
    }
    *filled += static_cast<size_t>(got);
  }
  return absl::OkStatus();
}

// The rows a text trace of `file_bytes` bytes holds, guessed from the
// lines of its first chunk (generously: unused reservation is address
// space, not memory).
size_t EstimateRows(absl::string_view first_chunk, uint64_t file_bytes,
                    bool whole_file) {
  const size_t lines = static_cast<size_t>(
      std::count(first_chunk.begin(), first_chunk.end(), '\n'));
  if (whole_file || lines < 2) return lines;
  const double per_line =
      static_cast<double>(first_chunk.size()) / static_cast<double>(lines);
  return static_cast<size_t>(1.1 * static_cast<double>(file_bytes) / per_line) +
         16;
}

// Streams a regular text file through the parser a chunk at a time.
absl::StatusOr<Workload> ReadTextFile(const std::string& path, int fd,
                                      uint64_t size,
                                      const std::vector<std::string>& known,
                                      std::unique_ptr<char[]> buf,
                                      size_t filled, bool eof) {
  Workload w;
  TextParser parser(path, &w);
  RETURN_IF_ERROR(parser.Start(known));
  parser.Reserve(EstimateRows(absl::string_view(buf.get(), filled), size, eof));
  while (true) {
    const absl::string_view bytes(buf.get(), filled);
    const size_t last = bytes.rfind('\n');
    if (last == absl::string_view::npos) {
      // No newline in a full chunk: a line far over kMaxTraceLineBytes,
      // which Finish reports.
      if (eof || filled == kChunkBytes) {
        RETURN_IF_ERROR(parser.Finish(bytes));
        return w;
      }
    } else {
      RETURN_IF_ERROR(parser.Feed(bytes.substr(0, last + 1)));
      filled = bytes.size() - last - 1;
      std::memmove(buf.get(), bytes.data() + last + 1, filled);
      if (eof) {
        RETURN_IF_ERROR(parser.Finish(absl::string_view(buf.get(), filled)));
        return w;
      }
    }
    RETURN_IF_ERROR(Fill(path, fd, buf.get(), kChunkBytes, &filled, &eof));
  }
}

}  // namespace

absl::StatusOr<Workload> ParseTrace(
    absl::string_view text, absl::string_view source,
    const std::vector<std::string>& known_models) {
  if (IsBinary(text)) {
    StringSource in(text);
    return trace_internal::ParseBinary(in, source, known_models);
  }
  Workload w;
  TextParser parser(source, &w);
  RETURN_IF_ERROR(parser.Start(known_models));
  const size_t last = text.rfind('\n');
  const size_t whole = last == absl::string_view::npos ? 0 : last + 1;
  parser.Reserve(EstimateRows(text, text.size(), /*whole_file=*/true));
  RETURN_IF_ERROR(parser.Feed(text.substr(0, whole)));
  RETURN_IF_ERROR(parser.Finish(text.substr(whole)));
  return w;
}

absl::StatusOr<Workload> ReadTrace(
    const std::string& path, const std::vector<std::string>& known_models) {
  // A FIFO would block open(2) forever; no tool reads a trace stream.
  RETURN_IF_ERROR(CheckRegularInput(path));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot open '", path, "'"));
  }
  FdCloser closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot read '", path, "'"));
  }
  if (!S_ISREG(st.st_mode)) {  // replaced since it was checked
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read '", path, "': not a regular file"));
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  std::unique_ptr<char[]> buf(new char[kChunkBytes]);
  size_t filled = 0;
  bool eof = false;
  RETURN_IF_ERROR(Fill(path, fd, buf.get(), kChunkBytes, &filled, &eof));
  const absl::string_view first(buf.get(), filled);
  if (IsBinary(first)) {
    // Checked against the size fstat gave: one that changes while read
    // fails in FileSource::Read.
    FileSource in(path, fd, std::max<uint64_t>(size, filled), first);
    return trace_internal::ParseBinary(in, path, known_models);
  }
  return ReadTextFile(path, fd, size, known_models, std::move(buf), filled,
                      eof);
}

TraceFormat TraceFormatForPath(absl::string_view path) {
  return absl::EndsWith(path, kBinaryTraceExtension) ? TraceFormat::kBinary
                                                     : TraceFormat::kText;
}

absl::Status WriteTrace(const std::string& path, const Workload& workload,
                        TraceFormat format) {
  ASSIGN_OR_RETURN(const std::string bytes, format == TraceFormat::kBinary
                                                ? FormatTraceBinary(workload)
                                                : FormatTrace(workload));
  return WriteFileAtomically(path, bytes);
}

}  // namespace multiplex
