#ifndef MULTIPLEX_EXPERIMENTS_LIB_CASE_RESULT_CODEC_H_
#define MULTIPLEX_EXPERIMENTS_LIB_CASE_RESULT_CODEC_H_

// Study results as bytes, to send the cases one process ran to the process
// that writes the outputs (//tools:study under mpirun). Every double travels
// as its 8 raw bytes, so the receiver's outputs are byte for byte those of
// a single-process run.
//
//   std::string bytes = EncodeCaseResults(results, my_cases);
//   ... send, receive ...
//   RETURN_IF_ERROR(DecodeCaseResults(bytes, &all));  // fills those slots

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "experiments/lib/study_run.h"

namespace multiplex {

// results.cases[i] for each i of `cases` (each < results.cases.size()),
// with its index: the summary, the placement, the latencies and the
// utilization a chart needs. Native byte order (the processes of one run
// share an architecture).
std::string EncodeCaseResults(const StudyResults& results,
                              const std::vector<size_t>& cases);

// Stores each encoded case into its slot of `results` (whose size is the
// study's case count). Errors on truncated or malformed bytes, or an index
// outside `results`; appends the indices decoded to `decoded` if not null.
absl::Status DecodeCaseResults(absl::string_view bytes, StudyResults* results,
                               std::vector<size_t>* decoded = nullptr);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_CASE_RESULT_CODEC_H_
