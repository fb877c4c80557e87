#include "experiments/lib/study_bounds.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "experiments/lib/case_assignment.h"

namespace multiplex {

absl::Status CheckStudyBounds(const Study& study, int threads,
                              const StudyBounds& bounds) {
  if (study.cases.empty()) return absl::OkStatus();
  std::vector<double> requests;
  for (const StudyCase& c : study.cases) {
    const CaseRequests r = EstimateCaseRequests(study, c);
    requests.push_back(r.serving + (r.separate_training ? r.training : 0));
  }
  std::sort(requests.begin(), requests.end(), std::greater<double>());
  const size_t at_once =
      std::min(requests.size(), static_cast<size_t>(std::max(threads, 1)));
  double held = 0;
  for (size_t i = 0; i < at_once; ++i) held += requests[i];
  const double gb = held * kStudyBytesPerRequest / 1e9;
  if (!(gb <= bounds.max_memory_gb)) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s: the study would hold about %.3g GB (%.0f requests in the %d "
        "largest cases running at once, about %.0f bytes each), more than "
        "--max_memory_gb=%g; shorten workload.duration_s, lower "
        "total_rate, pass --duration_scale or --threads, or raise "
        "--max_memory_gb",
        study.spec.name(), gb, held, static_cast<int>(at_once),
        kStudyBytesPerRequest, bounds.max_memory_gb));
  }
  const std::vector<double> cost = EstimateCaseCosts(study);
  const size_t largest = static_cast<size_t>(
      std::max_element(cost.begin(), cost.end()) - cost.begin());
  const StudyCase& c = study.cases[largest];
  return CheckCaseHours(
      absl::StrFormat("%s: case %d (%s)", study.spec.name(),
                      static_cast<int>(largest), c.policy_spec),
      cost[largest], EstimateCaseRequests(study, c).training,
      static_cast<int>(c.models.size()), c.spec.cluster().num_devices(),
      bounds.max_case_hours);
}

absl::Status CheckCaseHours(const std::string& what, double work, double placed,
                            int models, int devices, double max_case_hours) {
  const double hours = work / kStudyWorkPerSecond / 3600;
  if (!(hours <= max_case_hours)) {
    return absl::ResourceExhaustedError(absl::StrFormat(
        "%s would run for about %.3g hours on one core (%.0f requests placed "
        "over %d models x %d GPUs), more than --max_case_hours=%g; shrink "
        "the cluster or the workload, or raise --max_case_hours",
        what, hours, placed, models, devices, max_case_hours));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
