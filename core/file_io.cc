#include "core/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <set>

#include "absl/base/const_init.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

absl::Status Error(int error_number, absl::string_view what,
                   const std::string& path) {
  return absl::ErrnoToStatus(error_number,
                             absl::StrCat("cannot ", what, " '", path, "'"));
}

const char* KindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a directory";
  return "not a file";
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
  // Non-blocking, so that opening a FIFO without a writer does not hang
  // before it can be refused.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
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
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat("cannot read '", path,
                                                      "': not a regular file (",
                                                      KindOf(st.st_mode), ")"));
  }
  auto too_large = [&](int64_t size) {
    return absl::ResourceExhaustedError(
        absl::StrCat("cannot read '", path, "': ", size,
                     " bytes, more than the limit of ", max_bytes));
  };
  if (st.st_size > max_bytes) {
    ::close(fd);
    return too_large(st.st_size);
  }
  std::string text;
  text.reserve(static_cast<size_t>(st.st_size));
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

absl::Status CheckRegularInput(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Error(errno, "open", path);
  if (S_ISREG(st.st_mode)) return absl::OkStatus();
  if (S_ISDIR(st.st_mode)) return Error(EISDIR, "read", path);
  return absl::FailedPreconditionError(absl::StrCat("cannot read '", path,
                                                    "': not a regular file (",
                                                    KindOf(st.st_mode), ")"));
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

absl::Status CheckNoOutputIsAnInput(const std::vector<NamedPath>& outputs,
                                    const std::vector<NamedPath>& inputs) {
  // A directory input stands for the files in it (not recursively).
  std::vector<NamedPath> files;
  for (const NamedPath& input : inputs) {
    files.push_back(input);
    struct stat st;
    if (input.path.empty() || ::stat(input.path.c_str(), &st) != 0 ||
        !S_ISDIR(st.st_mode)) {
      continue;
    }
    if (DIR* dir = ::opendir(input.path.c_str())) {
      while (const dirent* e = ::readdir(dir)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        files.push_back({input.what, absl::StrCat(input.path, "/", name)});
      }
      ::closedir(dir);
    }
  }
  for (const NamedPath& output : outputs) {
    RETURN_IF_ERROR(CheckNotAnInput(output, files));
  }
  return absl::OkStatus();
}

namespace file_io_testing {
namespace {
std::atomic<WriteFunction> write_function{nullptr};
}  // namespace
void SetWriteFunction(WriteFunction write) { write_function.store(write); }
}  // namespace file_io_testing

namespace {

ssize_t WriteSome(int fd, const char* data, size_t size) {
  if (file_io_testing::WriteFunction f =
          file_io_testing::write_function.load()) {
    return static_cast<ssize_t>(f(fd, data, size));
  }
  return ::write(fd, data, size);
}

// Writes all of `contents` to fd; 0 or the errno of the failure.
int WriteAll(int fd, absl::string_view contents) {
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = WriteSome(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;  // no progress: would loop forever
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Temporaries alive in this process, for the signal handler: fixed slots
// (no allocation, no locks in the handler), each a name and a state.

constexpr int kSlots = 64;
constexpr int kSlotFree = 0, kSlotFilling = 1, kSlotLive = 2;
std::atomic<int> slot_state[kSlots];
char slot_name[kSlots][PATH_MAX];
std::atomic<bool> handlers_installed{false};

void RemoveLiveTemporaries() {
  for (int i = 0; i < kSlots; ++i) {
    if (slot_state[i].load() == kSlotLive) ::unlink(slot_name[i]);
  }
}

extern "C" void RemoveTemporariesAndDie(int sig) {
  RemoveLiveTemporaries();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

// Installs the handler for each of SIGINT, SIGTERM and SIGHUP whose action
// is still the default (a program that handles one keeps its own).
void InstallHandlers() {
  if (handlers_installed.exchange(true)) return;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction old;
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL ||
        (old.sa_flags & SA_SIGINFO) != 0) {
      continue;
    }
    struct sigaction action = {};
    action.sa_handler = RemoveTemporariesAndDie;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

// The slot now holding `name`, or -1 when all are taken (the temporary is
// then left to the next writer's stale cleanup).
int Remember(const std::string& name) {
  if (name.size() >= PATH_MAX) return -1;
  InstallHandlers();
  for (int i = 0; i < kSlots; ++i) {
    int expected = kSlotFree;
    if (slot_state[i].compare_exchange_strong(expected, kSlotFilling)) {
      std::memcpy(slot_name[i], name.c_str(), name.size() + 1);
      slot_state[i].store(kSlotLive);
      return i;
    }
  }
  return -1;
}

void Forget(int slot) {
  if (slot >= 0) slot_state[slot].store(kSlotFree);
}

// ---------------------------------------------------------------------------
// Names of temporaries: "<target>.tmp-<pid>-<host>-XXXXXX".

const std::string& HostName() {
  static const std::string host = [] {
    char buf[256] = {};
    if (::gethostname(buf, sizeof(buf) - 1) != 0) buf[0] = '\0';
    std::string h = buf;
    for (char& c : h) {
      if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') c = '_';
    }
    return h.empty() ? std::string("localhost") : h;
  }();
  return host;
}

// The writer's pid when `name` is a temporary of a writer on this host.
bool TemporaryOfThisHost(absl::string_view name, pid_t* pid) {
  const size_t tag = name.rfind(".tmp-");
  if (tag == absl::string_view::npos) return false;
  absl::string_view rest = name.substr(tag + 5);  // <pid>-<host>-XXXXXX
  if (rest.size() < 8 || rest[rest.size() - 7] != '-') return false;
  const size_t dash = rest.find('-');
  if (dash == absl::string_view::npos) return false;
  if (rest.substr(dash + 1, rest.size() - 7 - dash - 1) != HostName()) {
    return false;
  }
  int value;
  if (!absl::SimpleAtoi(rest.substr(0, dash), &value) || value <= 0) {
    return false;
  }
  *pid = value;
  return true;
}

// Removes the temporaries in `dir` whose writer, on this host, is gone.
// Once per directory and process: a study writes hundreds of files into one.
void RemoveStaleTemporaries(const std::string& dir) {
  static absl::Mutex mu(absl::kConstInit);
  static auto* done = new std::set<std::string>();
  {
    absl::MutexLock lock(&mu);
    if (!done->insert(dir).second) return;
  }
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (const dirent* e = ::readdir(d)) {
    pid_t pid;
    if (!TemporaryOfThisHost(e->d_name, &pid) || pid == ::getpid()) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or unsure
    const std::string path = absl::StrCat(dir, "/", e->d_name);
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      ::unlink(path.c_str());
    }
  }
  ::closedir(d);
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Writes `contents` to a new unique temporary beside `target` (so the
// rename stays on one file system), flushed to disk; sets *tmp to its name
// and *slot to its signal-handler slot. On error nothing is left behind.
// Errors name `path`, the target as the caller gave it.
absl::Status StageFile(const std::string& path, const std::string& target,
                       absl::string_view contents, std::string* tmp,
                       int* slot) {
  RemoveStaleTemporaries(DirectoryOf(target));
  *tmp = absl::StrCat(target, ".tmp-", ::getpid(), "-", HostName(), "-XXXXXX");
  // Remembered before it exists, so that a signal between mkstemp and the
  // slot cannot strand it (unlinking a name not yet created is harmless).
  *slot = Remember(*tmp);
  const int fd = ::mkostemp(&(*tmp)[0], O_CLOEXEC);
  if (*slot >= 0) std::memcpy(slot_name[*slot], tmp->c_str(), tmp->size() + 1);
  if (fd < 0) {
    const int err = errno;
    Forget(*slot);
    return Error(err, "write", path);
  }
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp->c_str());
    Forget(*slot);
    return Error(err, "write", path);
  };
  struct stat st;
  const mode_t mode = ::stat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode)
                          ? st.st_mode & 07777
                          : 0666 & ~Umask();
  if (::fchmod(fd, mode) != 0) return fail(errno);
  if (const int err = WriteAll(fd, contents)) return fail(err);
  if (::fsync(fd) != 0) return fail(errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp->c_str());
    Forget(*slot);
    return Error(err, "write", path);
  }
  return absl::OkStatus();
}

// Writes through an existing target that is not a regular file.
absl::Status WriteThrough(const std::string& path, absl::string_view contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return Error(errno, "write", path);
  if (const int err = WriteAll(fd, contents)) {
    ::close(fd);
    return Error(err, "write", path);
  }
  if (::close(fd) != 0) return Error(errno, "write", path);
  return absl::OkStatus();
}

}  // namespace

StagedFiles::~StagedFiles() { Discard(); }

void StagedFiles::Discard() {
  for (Entry& e : entries_) {
    if (!e.tmp.empty()) ::unlink(e.tmp.c_str());
    Forget(e.slot);
  }
  entries_.clear();
}

std::vector<std::string> StagedFiles::paths() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) out.push_back(e.path);
  return out;
}

absl::Status StagedFiles::Stage(const std::string& path,
                                absl::string_view contents) {
  Entry e;
  e.path = path;
  e.target = path;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Error(EISDIR, "write", path);
    if (S_ISSOCK(st.st_mode)) return Error(ENXIO, "write", path);
    if (!S_ISREG(st.st_mode)) {
      e.write_through = std::string(contents);
      entries_.push_back(std::move(e));
      return absl::OkStatus();
    }
    struct stat link;
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      // Replace the file the link names, not the link.
      char resolved[PATH_MAX];
      if (::realpath(path.c_str(), resolved) != nullptr) e.target = resolved;
    }
  }
  RETURN_IF_ERROR(StageFile(path, e.target, contents, &e.tmp, &e.slot));
  entries_.push_back(std::move(e));
  return absl::OkStatus();
}

absl::Status StagedFiles::Commit() {
  // Devices and FIFOs first: their errors (a full device) stop the set
  // before any regular file is replaced.
  for (const Entry& e : entries_) {
    if (!e.tmp.empty()) continue;
    absl::Status s = WriteThrough(e.path, e.write_through);
    if (!s.ok()) {
      Discard();
      return s;
    }
  }
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry& e = entries_[i];
    if (e.tmp.empty()) continue;
    // Checked again just before the rename: the target may have become a
    // device or directory since it was staged.
    struct stat st;
    if (::stat(e.target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
      const std::string kind = KindOf(st.st_mode);
      Discard();
      return absl::FailedPreconditionError(
          absl::StrCat("cannot replace '", e.path, "': it became ", kind,
                       " while being written"));
    }
    if (::rename(e.tmp.c_str(), e.target.c_str()) != 0) {
      const int err = errno;
      Discard();
      return Error(err, "replace", e.path);
    }
    e.tmp.clear();
    Forget(e.slot);
    e.slot = -1;
  }
  entries_.clear();
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  return WriteFilesTogether({{path, contents}});
}

absl::Status WriteFilesTogether(const std::vector<FileContents>& files) {
  StagedFiles staged;
  for (const FileContents& f : files) {
    RETURN_IF_ERROR(staged.Stage(f.path, f.contents));
  }
  return staged.Commit();
}

}  // namespace multiplex
