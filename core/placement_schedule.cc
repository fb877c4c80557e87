#include "core/placement_schedule.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

// "phase 2 (from 120 s): " for phases after the first; "" for the first, so a
// static placement's errors read as before.
std::string PhasePrefix(const PlacementSchedule& s, size_t p) {
  if (p == 0 && s.phases.size() == 1) return "";
  return absl::StrCat("phase ", p, " (from ",
                      FormatDoubleExact(s.phases[p].start_s), " s): ");
}

absl::Status InPhase(const PlacementSchedule& s, size_t p,
                     const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(PhasePrefix(s, p), status.message()));
}

}  // namespace

PlacementSchedule PlacementSchedule::Static(Placement placement) {
  PlacementSchedule s;
  s.phases.push_back({0.0, std::move(placement)});
  return s;
}

int PlacementSchedule::PhaseAt(double t) const {
  // The last phase whose start <= t; phase 0 before every start.
  auto it = std::upper_bound(
      phases.begin() + 1, phases.end(), t,
      [](double x, const PlacementPhase& p) { return x < p.start_s; });
  return static_cast<int>(it - phases.begin()) - 1;
}

std::string PlacementSchedule::ToString(
    const std::vector<ModelSpec>& models) const {
  if (phases.empty()) return "";
  std::string out = phases[0].placement.ToString(models);
  if (phases.size() == 2) {
    absl::StrAppend(&out, " [+1 phase at ",
                    FormatDoubleExact(phases[1].start_s), " s]");
  } else if (phases.size() > 2) {
    absl::StrAppend(&out, " [+", phases.size() - 1, " phases, ",
                    FormatDoubleExact(phases[1].start_s), " s to ",
                    FormatDoubleExact(phases.back().start_s), " s]");
  }
  return out;
}

absl::Status VerifyScheduleGroups(const PlacementSchedule& schedule,
                                  const std::vector<std::string>& model_names) {
  const size_t n = schedule.phases.size();
  if (n == 0) {
    return absl::InvalidArgumentError("the placement schedule has no phase");
  }
  if (n > static_cast<size_t>(kMaxPhases)) {
    return absl::InvalidArgumentError(
        absl::StrCat(n, " placement phases, over the limit of ", kMaxPhases,
                     " (kMaxPhases)"));
  }
  if (schedule.phases[0].start_s != 0.0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "phase 0 starts at ", FormatDoubleExact(schedule.phases[0].start_s),
        " s; the first phase starts at 0"));
  }
  for (size_t p = 1; p < n; ++p) {
    const double start = schedule.phases[p].start_s;
    const double before = schedule.phases[p - 1].start_s;
    if (!std::isfinite(start) || !(start > before)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "phase ", p, " starts at ", FormatDoubleExact(start),
          " s, not after phase ", p - 1, "'s ", FormatDoubleExact(before),
          " s (start times must be finite and strictly increasing)"));
    }
  }
  for (size_t p = 0; p < n; ++p) {
    RETURN_IF_ERROR(InPhase(
        schedule, p, VerifyGroups(schedule.phases[p].placement, model_names)));
  }
  return absl::OkStatus();
}

absl::Status VerifySchedule(const PlacementSchedule& schedule,
                            const std::vector<ModelSpec>& models,
                            const Cluster& cluster,
                            const CostModel& cost_model) {
  const std::vector<std::string> names = ModelNames(models);
  RETURN_IF_ERROR(VerifyScheduleGroups(schedule, names));
  for (size_t p = 0; p < schedule.phases.size(); ++p) {
    RETURN_IF_ERROR(InPhase(schedule, p,
                            VerifyPlacement(schedule.phases[p].placement,
                                            models, cluster, cost_model)));
  }
  return absl::OkStatus();
}

}  // namespace multiplex
