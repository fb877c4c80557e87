#include "core/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace multiplex {
namespace {

absl::Status Error(int error_number, absl::string_view what,
                   const std::string& path) {
  return absl::ErrnoToStatus(error_number,
                             absl::StrCat("cannot ", what, " '", path, "'"));
}

// The process's umask, read without changing it (umask(2) can only be read
// by setting it, which would race with other threads creating files).
mode_t Umask() {
  static const mode_t mask = [] {
    if (std::FILE* f = std::fopen("/proc/self/status", "re")) {
      char line[256];
      unsigned int value;
      while (std::fgets(line, sizeof(line), f) != nullptr) {
        if (std::sscanf(line, "Umask: %o", &value) == 1) {
          std::fclose(f);
          return static_cast<mode_t>(value);
        }
      }
      std::fclose(f);
    }
    const mode_t m = ::umask(022);
    ::umask(m);
    return m;
  }();
  return mask;
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path,
                                             int64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error(errno, "open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Error(err, "read", path);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Error(EISDIR, "read", path);
  }
  auto too_large = [&](int64_t size) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot read '", path, "': ", size,
                     " bytes, more than the limit of ", max_bytes));
  };
  if (S_ISREG(st.st_mode) && st.st_size > max_bytes) {
    ::close(fd);
    return too_large(st.st_size);
  }
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Error(err, "read", path);
    }
    if (static_cast<int64_t>(text.size()) + n > max_bytes) {
      ::close(fd);
      return too_large(static_cast<int64_t>(text.size()) + n);
    }
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

absl::Status CheckNotAnInput(const NamedPath& output,
                             const std::vector<NamedPath>& inputs) {
  struct stat out;
  if (output.path.empty() || stat(output.path.c_str(), &out) != 0) {
    return absl::OkStatus();
  }
  for (const NamedPath& input : inputs) {
    struct stat in;
    if (input.path.empty() || stat(input.path.c_str(), &in) != 0) continue;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
      // A spec's parameter reads "--process path=x.tsv".
      const char* gap = absl::EndsWith(input.what, "=") ? "" : " ";
      return absl::InvalidArgumentError(absl::StrCat(
          output.what, " ", output.path, " is the same file as ", input.what,
          gap, input.path, "; refusing to overwrite an input"));
    }
  }
  return absl::OkStatus();
}

namespace {

// Writes `contents` to a new unique temporary beside `path` (so the rename
// stays on one file system), flushed to disk; sets *tmp to its name. On error
// nothing is left behind.
absl::Status StageFile(const std::string& path, absl::string_view contents,
                       std::string* tmp) {
  *tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(&(*tmp)[0]);
  if (fd < 0) return Error(errno, "write", path);
  auto fail = [&](int err, absl::string_view what) {
    ::close(fd);
    ::unlink(tmp->c_str());
    return Error(err, what, path);
  };
  struct stat st;
  const mode_t mode = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)
                          ? st.st_mode & 07777
                          : 0666 & ~Umask();
  if (::fchmod(fd, mode) != 0) return fail(errno, "write");
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(errno, "write");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail(errno, "write");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp->c_str());
    return Error(err, "write", path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  return WriteFilesTogether({{path, contents}});
}

absl::Status WriteFilesTogether(const std::vector<FileContents>& files) {
  // Every file is staged before any is replaced: a failed write (full disk,
  // missing directory) leaves all the old files in place.
  std::vector<std::string> staged;
  for (const FileContents& f : files) {
    std::string tmp;
    absl::Status s = StageFile(f.path, f.contents, &tmp);
    if (!s.ok()) {
      for (const std::string& t : staged) ::unlink(t.c_str());
      return s;
    }
    staged.push_back(std::move(tmp));
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (::rename(staged[i].c_str(), files[i].path.c_str()) != 0) {
      const int err = errno;
      for (size_t j = i; j < staged.size(); ++j) ::unlink(staged[j].c_str());
      return Error(err, "replace", files[i].path);
    }
  }
  return absl::OkStatus();
}

}  // namespace multiplex
