#include "experiments/lib/case_assignment.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <utility>

namespace multiplex {
namespace {

// Rows of a trace that arrive before `duration` (its arrivals are sorted).
double TraceRequests(const Workload& trace, double duration) {
  return static_cast<double>(std::lower_bound(trace.arrival_s.begin(),
                                              trace.arrival_s.end(), duration) -
                             trace.arrival_s.begin());
}

// Requests per second of a generated workload: total_rate when the spec
// sets it (a process such as azure takes its rate from a file: 1 then),
// times rate_scale.
double GeneratedRate(const study::WorkloadSpec& w) {
  double rate = w.has_total_rate() ? w.total_rate() : 1.0;
  if (w.has_rate_scale()) rate *= w.rate_scale();
  return rate;
}

}  // namespace

CaseRequests EstimateCaseRequests(const Study& study, const StudyCase& c) {
  const study::WorkloadSpec& w = c.spec.workload();
  const study::TrainingSpec& t = c.spec.training();
  const double duration =
      study.ScaledDuration(w.duration_s(), w.min_scaled_duration_s());
  CaseRequests r;
  r.serving = w.has_trace() && study.serving_trace != nullptr
                  ? TraceRequests(*study.serving_trace, duration)
                  : GeneratedRate(w) * duration;
  r.training = r.serving;
  if (t.has_trace() && study.training_trace != nullptr) {
    r.training = TraceRequests(
        *study.training_trace,
        study.ScaledDuration(t.duration_s(), w.min_scaled_duration_s()));
    r.separate_training = true;
  } else if (t.has_seed() || t.has_process()) {
    r.training = GeneratedRate(w) *
                 study.ScaledDuration(
                     t.has_duration_s() ? t.duration_s() : w.duration_s(),
                     w.min_scaled_duration_s());
    r.separate_training = true;
  }
  return r;
}

double CaseWork(double served, double placed, double models, double devices) {
  return 1 + served + placed * models * devices;
}

std::vector<double> EstimateCaseCosts(const Study& study) {
  std::vector<double> cost;
  cost.reserve(study.cases.size());
  for (const StudyCase& c : study.cases) {
    const CaseRequests r = EstimateCaseRequests(study, c);
    cost.push_back(CaseWork(r.serving, r.training,
                            static_cast<double>(c.models.size()),
                            c.spec.cluster().num_devices()));
  }
  return cost;
}

std::vector<int> AssignmentUnits(const Study& study, int ranks) {
  std::map<std::vector<std::pair<std::string, std::string>>, int> points;
  std::vector<int> unit;
  unit.reserve(study.cases.size());
  for (const StudyCase& c : study.cases) {
    unit.push_back(
        points.emplace(c.point, static_cast<int>(points.size())).first->second);
  }
  if (points.size() < 4 * static_cast<size_t>(std::max(1, ranks))) {
    std::iota(unit.begin(), unit.end(), 0);
  }
  return unit;
}

std::vector<std::vector<size_t>> AssignCases(const std::vector<double>& cost,
                                             const std::vector<int>& unit,
                                             int ranks) {
  ranks = std::max(1, ranks);
  // Each unit's cases (in order) and summed cost, units by first case.
  std::map<int, size_t> index_of;
  std::vector<std::vector<size_t>> members;
  std::vector<double> unit_cost;
  for (size_t i = 0; i < cost.size(); ++i) {
    auto [it, added] = index_of.emplace(unit[i], members.size());
    if (added) {
      members.emplace_back();
      unit_cost.push_back(0);
    }
    members[it->second].push_back(i);
    unit_cost[it->second] += cost[i];
  }
  std::vector<size_t> order(members.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return unit_cost[a] > unit_cost[b];
  });
  std::vector<double> load(ranks, 0);
  std::vector<std::vector<size_t>> share(ranks);
  for (size_t u : order) {
    const int r = static_cast<int>(std::min_element(load.begin(), load.end()) -
                                   load.begin());
    load[r] += unit_cost[u];
    share[r].insert(share[r].end(), members[u].begin(), members[u].end());
  }
  for (std::vector<size_t>& s : share) std::sort(s.begin(), s.end());
  return share;
}

std::vector<std::vector<size_t>> AssignCases(const std::vector<double>& cost,
                                             int ranks) {
  std::vector<int> unit(cost.size());
  std::iota(unit.begin(), unit.end(), 0);
  return AssignCases(cost, unit, ranks);
}

std::vector<std::vector<size_t>> AssignStudy(const Study& study, int ranks) {
  return AssignCases(EstimateCaseCosts(study), AssignmentUnits(study, ranks),
                     ranks);
}

}  // namespace multiplex
