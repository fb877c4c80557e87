#ifndef MULTIPLEX_CORE_WORKLOAD_H_
#define MULTIPLEX_CORE_WORKLOAD_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace multiplex {

// All requests of all models, sorted by arrival time, stored as columns so a
// million requests cost 20 MB. Request i arrives at arrival_s[i] (seconds)
// for model index model[i] (into model_names) and must finish within
// slo_s[i] seconds (+infinity: no deadline).
//
// LLM requests also carry token counts: with has_tokens, request i has a
// prompt of prompt_tokens[i] tokens and generates output_tokens[i] tokens
// (both vectors one entry per request). Without (one-shot models), both
// are empty; the other columns and their fast paths are the same either
// way, and code that builds a sub-workload without copying the tokens
// leaves has_tokens false.
struct Workload {
  std::vector<std::string> model_names;
  std::vector<double> arrival_s;
  std::vector<int32_t> model;
  std::vector<double> slo_s;
  bool has_tokens = false;
  std::vector<int32_t> prompt_tokens;
  std::vector<int32_t> output_tokens;

  size_t size() const { return arrival_s.size(); }
  bool empty() const { return arrival_s.empty(); }
  int num_models() const { return static_cast<int>(model_names.size()); }
};

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_WORKLOAD_H_
