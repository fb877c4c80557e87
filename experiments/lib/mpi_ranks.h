#ifndef MULTIPLEX_EXPERIMENTS_LIB_MPI_RANKS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_MPI_RANKS_H_

// The processes of one run of a tool: under an MPI launcher (mpirun) each is
// one rank of MPI_COMM_WORLD; started any other way there is one rank and
// MPI is never initialised. This file's .cc is the only one that calls MPI;
// built without MPI (@local_mpi found no mpi.h: third_party/
// mpi_configure.bzl) it is the one-rank fallback.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Ranks> ranks, Ranks::Start());
//   ASSIGN_OR_RETURN(std::vector<std::string> all, ranks->Gather(mine));
//   // all[r] is rank r's string at rank 0; empty elsewhere.
//
// Only the thread that called Start may call the others, and all ranks
// must make the same calls in the same order (they are collective).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace multiplex {

// Whether this binary was built with MPI.
bool HaveMpi();

// Payload traffic of this rank, counted as point-to-point messages: a
// gather is one message from each other rank to rank 0, a broadcast one
// from rank 0 to each other rank (however MPI routes them).
struct Traffic {
  int64_t messages_sent = 0;
  int64_t bytes_sent = 0;
  int64_t messages_received = 0;
  int64_t bytes_received = 0;
};

class Ranks {
 public:
  // Initialises MPI when the environment shows an MPI launcher started the
  // process (OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK); else one rank.
  // Fails when launched with several ranks by a binary built without MPI
  // (each would run every case), or when MPI_Init_thread fails. At most one
  // Ranks per process.
  static absl::StatusOr<std::unique_ptr<Ranks>> Start();
  ~Ranks();  // MPI_Finalize, if Start initialised MPI

  Ranks(const Ranks&) = delete;
  Ranks& operator=(const Ranks&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Every rank's `mine`, in rank order, at rank 0; an empty vector at the
  // others. Strings of any length (sent in pieces of at most 1 GiB).
  absl::StatusOr<std::vector<std::string>> Gather(const std::string& mine);

  // Sets *text at every rank to rank 0's.
  absl::Status Broadcast(std::string* text);

  // Returns once every rank has called it (no payload: not in traffic()).
  absl::Status Barrier();

  const Traffic& traffic() const { return traffic_; }

 private:
  Ranks(int rank, int size, bool mpi) : rank_(rank), size_(size), mpi_(mpi) {}

  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;  // MPI initialised by Start
  Traffic traffic_;
};

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_MPI_RANKS_H_
