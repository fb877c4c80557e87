#ifndef MULTIPLEX_CORE_FILE_IO_H_
#define MULTIPLEX_CORE_FILE_IO_H_

// Reading a whole file and writing one atomically. Errors name the path and
// carry the system's reason (strerror of errno); their codes follow errno
// (absl::ErrnoToStatusCode: NotFound, PermissionDenied, ...).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace multiplex {

// Files larger than this are refused by default: everything the project
// reads (descriptions, databases, placements, traces) is far smaller.
inline constexpr int64_t kDefaultMaxFileBytes = int64_t{1} << 30;  // 1 GiB

// The bytes of `path`. Refuses a directory (FailedPrecondition) and a file
// of more than `max_bytes` bytes (ResourceExhausted):
//   "cannot open 'x.tsv': No such file or directory"
//   "cannot read 'dir': Is a directory"
absl::StatusOr<std::string> ReadFileToString(
    const std::string& path, int64_t max_bytes = kDefaultMaxFileBytes);

// Replaces `path` by `contents` atomically: writes a unique temporary file
// in the same directory (mkstemp), flushes and fsyncs it, then renames it
// over `path`. On any error the temporary is removed and `path` is left as
// it was. A new file gets mode 0666 & ~umask; an existing one keeps its
// mode. Errors: "cannot write 'out/x.pdf': No such file or directory".
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// A set of files written together, as the three databases or a figure's
// PDF, TSV and PNG: every file is first written in full to a temporary
// beside it and flushed, and only then are they renamed over their targets,
// one after the other. A failure while writing leaves every target as it
// was; only a crash amid the final renames (microseconds) can mix old and
// new.
struct FileContents {
  std::string path;
  absl::string_view contents;  // borrowed for the call
};
absl::Status WriteFilesTogether(const std::vector<FileContents>& files);

// An input a command reads, by the flag (or spec) that named it.
struct NamedPath {
  std::string what;  // "--db", "--workload", "trace:path"
  std::string path;
};

// Fails (InvalidArgument) when `output` is the same file as one of `inputs`
// (same device and inode, so links and other spellings count), since
// writing it would destroy what the command reads: "--out x.tsv is the
// same file as --workload x.tsv; refusing to overwrite an input". Paths
// that do not exist (yet) never match.
absl::Status CheckNotAnInput(const NamedPath& output,
                             const std::vector<NamedPath>& inputs);

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_FILE_IO_H_
