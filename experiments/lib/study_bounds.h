#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_BOUNDS_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_BOUNDS_H_

// What a study will cost, estimated before anything runs, so that a size
// typed by mistake (2e8 requests, 100,000 GPUs) is refused with the
// estimate and the bound instead of exhausting the machine.

#include <string>

#include "absl/status/status.h"
#include "experiments/lib/study.h"

namespace multiplex {

// Bytes per request a running case holds at its peak (its workloads and the
// simulator's state per request): measured with //tools:study at 2e6 and
// 8e6 requests (111 MB and 404 MB peak RSS, about 49 bytes per request),
// rounded up for the charts' latencies.
inline constexpr double kStudyBytesPerRequest = 64;

// Work units (EstimateCaseCosts: requests served plus requests placed times
// models x devices) per second of one core: measured with sr-greedy on 256
// and 1,024 GPUs (3.4e7 and 3.0e7 per second), rounded down.
inline constexpr double kStudyWorkPerSecond = 2.5e7;

struct StudyBounds {
  double max_memory_gb = 8;   // estimated peak over the cases running at once
  double max_case_hours = 1;  // estimated CPU time of the largest case
};

// Fails (ResourceExhausted) when the `threads` largest cases together would
// hold more than bounds.max_memory_gb, or the largest case would run for
// more than bounds.max_case_hours; the message gives the estimate, the bound
// and the flag that raises it.
absl::Status CheckStudyBounds(const Study& study, int threads,
                              const StudyBounds& bounds);

// Fails (ResourceExhausted) when `work` (CaseWork of `placed` requests over
// `models` x `devices`) would take more than max_case_hours of one core;
// the message starts with `what` and gives the estimate, the bound and the
// flag that raises it (--max_case_hours, in every tool that checks this).
absl::Status CheckCaseHours(const std::string& what, double work, double placed,
                            int models, int devices, double max_case_hours);

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_BOUNDS_H_
