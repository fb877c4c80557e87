#ifndef MULTIPLEX_CORE_SERVING_CONSTANTS_H_
#define MULTIPLEX_CORE_SERVING_CONSTANTS_H_

#include <string>

namespace multiplex {

// Calibration constants of the original AlpaServe simulator
// (docs/study.md §3.3).
// Every request pays `fixed_overhead_s` after its last stage; every stage
// latency of a pp-stage pipeline is multiplied by (1 + stage_slowdown * pp).
struct ServingConstants {
  double fixed_overhead_s = 0.011;
  double stage_slowdown = 0.009;

  double StageFactor(int pp) const { return 1.0 + stage_slowdown * pp; }
  std::string ToString() const {
    return "fixed_overhead_s=" + std::to_string(fixed_overhead_s) +
           " stage_slowdown=" + std::to_string(stage_slowdown);
  }
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_SERVING_CONSTANTS_H_
