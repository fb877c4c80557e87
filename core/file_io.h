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

// The bytes of `path`. Refuses a directory (FailedPrecondition), anything
// else that is not a regular file (FailedPrecondition: a FIFO or a device
// would block or never end; no reader here takes a stream) and a file of
// more than `max_bytes` bytes (ResourceExhausted):
//   "cannot open 'x.tsv': No such file or directory"
//   "cannot read 'dir': Is a directory"
//   "cannot read 'p': not a regular file (a FIFO)"
absl::StatusOr<std::string> ReadFileToString(
    const std::string& path, int64_t max_bytes = kDefaultMaxFileBytes);

// OK when `path` is a regular file (or a link to one); otherwise the error
// ReadFileToString gives, for readers that open files themselves. Checked
// with stat(2), which does not block on a FIFO as open(2) does.
absl::Status CheckRegularInput(const std::string& path);

struct FileContents {
  std::string path;
  absl::string_view contents;  // borrowed for the call
};

// Replaces `path` by `contents` atomically: writes a unique temporary file
// in the same directory, flushes and fsyncs it, then renames it over `path`.
// On any error the temporary is removed and `path` is left as it was. A new
// file gets mode 0666 & ~umask; an existing one keeps its mode. A symbolic
// link to a regular file stays a link: the file it names is replaced.
// An existing target that is not a regular file (a device such as
// /dev/null, a FIFO, a terminal) is written through, never replaced: no
// temporary, no rename, and its errors are reported ("cannot write
// '/dev/full': No space left on device"). A directory, a socket or anything
// else that cannot be opened for writing is an error.
// Errors: "cannot write 'out/x.pdf': No such file or directory".
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// A set of files written together, as the three databases, a figure's
// PDF, TSV and PNG or every output of a study: every file is first written
// in full to a temporary beside it and flushed (Stage), and only then are
// they renamed over their targets, one after the other (Commit). A failure
// while staging leaves every target as it was; only a crash amid the final
// renames (microseconds) can mix old and new. Targets that are not regular
// files are written through at Commit, before any rename. Temporaries not
// committed are removed by the destructor.
//
// Temporaries are named "<target>.tmp-<pid>-<host>-XXXXXX". They are removed
// when the process is stopped by SIGINT, SIGTERM or SIGHUP (where that
// signal's action was the default), and a temporary whose writer is gone
// (same host, no such process: killed by SIGKILL, a crash, a power loss) is
// removed by the next write into its directory.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();

  absl::Status Stage(const std::string& path, absl::string_view contents);
  absl::Status Commit();
  // The targets staged so far, in order.
  std::vector<std::string> paths() const;

 private:
  struct Entry {
    std::string path;           // the target as given
    std::string target;         // what is replaced (a link resolved)
    std::string tmp;            // the staged temporary; empty: write through
    std::string write_through;  // the bytes for a non-regular target
    int slot = -1;              // its entry in the signal handler's list
  };
  void Discard();
  std::vector<Entry> entries_;
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

// The same for every output; an input that is a directory also covers the
// regular files directly inside it (a directory of trace day files).
absl::Status CheckNoOutputIsAnInput(const std::vector<NamedPath>& outputs,
                                    const std::vector<NamedPath>& inputs);

namespace file_io_testing {
// Replaces write(2) for every later write of the file contents (nullptr:
// write(2) again), so that tests can inject ENOSPC, EFBIG or a short write.
using WriteFunction = long (*)(int fd, const void* data, unsigned long size);
void SetWriteFunction(WriteFunction write);
}  // namespace file_io_testing

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_FILE_IO_H_
