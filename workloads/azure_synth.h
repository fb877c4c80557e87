#ifndef MULTIPLEX_WORKLOADS_AZURE_SYNTH_H_
#define MULTIPLEX_WORKLOADS_AZURE_SYNTH_H_

// Synthetic traces in the exact raw formats of the public Azure Functions
// traces (azure_trace.h), for tests, examples and benchmarks where the real
// datasets (gigabytes, not in the repository) are not at hand. Written by
// //tools:make_azure_trace.
//
// The model: num_functions functions in num_apps apps, hashes of 64 hex
// digits (as published); function popularity heavy-tailed, the function of
// popularity rank r (1 = busiest; ranks a random permutation of the
// functions) invoked with weight 1 / r^zipf; all functions together an
// inhomogeneous Poisson process of rate
//   mean_rate x (1 + diurnal x sin(2 pi (t / 86400 - 1/3)))
// (quietest around 02:00, busiest around 14:00 of each day). MAF2: one row
// per invocation in invocation order, duration log-normal per function
// (median 0.05 s to 5 s); MAF1: per function and minute a Poisson count of
// the same rate. Deterministic: the same spec gives the same bytes.

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace multiplex {

struct AzureSynthSpec {
  int num_functions = 200;
  int num_apps = 0;          // 0: num_functions / 3 + 1
  double zipf = 1.2;         // popularity exponent, >= 0
  double diurnal = 0.5;      // amplitude in [0, 1)
  double mean_rate = 10;     // invocations per second, all functions
  double duration_s = 7200;  // MAF2: trace length
  int64_t max_rows = -1;     // MAF2: stop after this many rows (-1: none)
  int days = 1;              // MAF1: day files d01..
  uint64_t seed = 0;
};

// Writes a MAF2 file (header app,func,end_timestamp,duration).
absl::Status WriteSyntheticMaf2(const AzureSynthSpec& spec,
                                const std::string& path);

// Writes MAF1 day files invocations_per_function_md.anon.dNN.csv into the
// existing directory `dir`.
absl::Status WriteSyntheticMaf1(const AzureSynthSpec& spec,
                                const std::string& dir);

}  // namespace multiplex

#endif  // MULTIPLEX_WORKLOADS_AZURE_SYNTH_H_
