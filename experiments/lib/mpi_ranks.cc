#include "experiments/lib/mpi_ranks.h"

#include <algorithm>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#ifdef MULTIPLEX_HAVE_MPI
#include <mpi.h>
#endif

namespace multiplex {
namespace {

// The ranks an MPI launcher announces in the environment; 0: none.
int LauncherSize() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    int size;
    if (value != nullptr && absl::SimpleAtoi(value, &size) && size > 0) {
      return size;
    }
  }
  // Launchers that announce only the rank (srun with PMIx).
  if (std::getenv("PMIX_RANK") != nullptr || std::getenv("PMI_RANK")) return 1;
  return 0;
}

#ifdef MULTIPLEX_HAVE_MPI

// Pieces of at most 1 GiB: MPI counts are int.
constexpr size_t kPiece = size_t{1} << 30;

absl::Status Check(int code, const char* call) {
  if (code == MPI_SUCCESS) return absl::OkStatus();
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return absl::InternalError(
      absl::StrCat(call, " failed: ", std::string(text, length)));
}

#define MPI_CHECK(call)                              \
  do {                                               \
    absl::Status mpi_status_ = Check((call), #call); \
    if (!mpi_status_.ok()) return mpi_status_;       \
  } while (0)

size_t Pieces(size_t bytes) { return (bytes + kPiece - 1) / kPiece; }

#endif  // MULTIPLEX_HAVE_MPI

}  // namespace

bool HaveMpi() {
#ifdef MULTIPLEX_HAVE_MPI
  return true;
#else
  return false;
#endif
}

absl::StatusOr<std::unique_ptr<Ranks>> Ranks::Start() {
  const int launched = LauncherSize();
#ifdef MULTIPLEX_HAVE_MPI
  if (launched > 0) {
    int provided = 0;
    MPI_CHECK(
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided));
    // Errors come back as codes, to become messages, instead of aborting.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int rank = 0, size = 1;
    MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank));
    MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size));
    return std::unique_ptr<Ranks>(new Ranks(rank, size, /*mpi=*/true));
  }
#else
  if (launched > 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "started by an MPI launcher as one of ", launched,
        " ranks, but built without MPI (no mpi.h when it was built), so "
        "every rank would run every case: install MPI (tools/setup.sh) "
        "and rebuild, or run it without mpirun"));
  }
#endif
  return std::unique_ptr<Ranks>(new Ranks(0, 1, /*mpi=*/false));
}

Ranks::~Ranks() {
#ifdef MULTIPLEX_HAVE_MPI
  if (mpi_) MPI_Finalize();
#endif
}

absl::StatusOr<std::vector<std::string>> Ranks::Gather(
    const std::string& mine) {
  if (size_ == 1) return std::vector<std::string>{mine};
#ifdef MULTIPLEX_HAVE_MPI
  // The lengths in one collective, then each rank's bytes point to point.
  uint64_t length = mine.size();
  std::vector<uint64_t> lengths(rank_ == 0 ? size_ : 0);
  MPI_CHECK(MPI_Gather(&length, 1, MPI_UINT64_T, lengths.data(), 1,
                       MPI_UINT64_T, 0, MPI_COMM_WORLD));
  std::vector<std::string> all;
  if (rank_ != 0) {
    for (size_t at = 0; at < mine.size(); at += kPiece) {
      const size_t n = std::min(kPiece, mine.size() - at);
      MPI_CHECK(MPI_Send(mine.data() + at, static_cast<int>(n), MPI_CHAR, 0,
                         /*tag=*/0, MPI_COMM_WORLD));
    }
    traffic_.messages_sent += 1 + Pieces(mine.size());
    traffic_.bytes_sent += sizeof(length) + mine.size();
    return all;
  }
  all.resize(size_);
  all[0] = mine;
  for (int r = 1; r < size_; ++r) {
    all[r].resize(lengths[r]);
    for (size_t at = 0; at < lengths[r]; at += kPiece) {
      const size_t n = std::min<size_t>(kPiece, lengths[r] - at);
      MPI_CHECK(MPI_Recv(&all[r][at], static_cast<int>(n), MPI_CHAR, r,
                         /*tag=*/0, MPI_COMM_WORLD, MPI_STATUS_IGNORE));
    }
    traffic_.messages_received += 1 + Pieces(lengths[r]);
    traffic_.bytes_received += sizeof(length) + lengths[r];
  }
  return all;
#else
  return absl::InternalError("several ranks without MPI");
#endif
}

absl::Status Ranks::Broadcast(std::string* text) {
  if (size_ == 1) return absl::OkStatus();
#ifdef MULTIPLEX_HAVE_MPI
  uint64_t length = text->size();
  MPI_CHECK(MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD));
  text->resize(length);
  for (size_t at = 0; at < length; at += kPiece) {
    const size_t n = std::min<size_t>(kPiece, length - at);
    MPI_CHECK(MPI_Bcast(&(*text)[at], static_cast<int>(n), MPI_CHAR, 0,
                        MPI_COMM_WORLD));
  }
  const int64_t messages = 1 + Pieces(length);
  const int64_t bytes = sizeof(length) + length;
  if (rank_ == 0) {
    traffic_.messages_sent += messages * (size_ - 1);
    traffic_.bytes_sent += bytes * (size_ - 1);
  } else {
    traffic_.messages_received += messages;
    traffic_.bytes_received += bytes;
  }
  return absl::OkStatus();
#else
  return absl::InternalError("several ranks without MPI");
#endif
}

absl::Status Ranks::Barrier() {
  if (size_ == 1) return absl::OkStatus();
#ifdef MULTIPLEX_HAVE_MPI
  MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));
  return absl::OkStatus();
#else
  return absl::InternalError("several ranks without MPI");
#endif
}

}  // namespace multiplex
