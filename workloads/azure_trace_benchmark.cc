// Ingest rate and peak memory of the streaming MAF2 reader (azure_trace.h).
//
//   bazel run -c opt //workloads:azure_trace_benchmark -- [ROWS] [DIR]
//
// Writes synthetic MAF2 files (azure_synth.h; 64-hex-digit hashes as in the
// dataset, 5000 functions) of ROWS / 10 and ROWS rows (default 10^7) into
// DIR (default /tmp) unless they are there, then reads each with ReadMaf2
// (every row parsed, its function looked up in a hash map and its arrival
// time computed), timing the read and printing the process's peak resident
// memory after each: a streaming reader's peak does not grow with the file.
// Also times BuildAzureReplay for the first hour of the long file.

#include <sys/resource.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "workloads/azure_synth.h"
#include "workloads/azure_trace.h"

namespace multiplex {
namespace {

double PeakRssMiB() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// User + system CPU seconds of this process so far: rates per CPU second
// do not depend on what else the machine runs.
double CpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec * 1e-6;
}

void Die(const absl::Status& s) {
  std::fprintf(stderr, "azure_trace_benchmark: %s\n",
               std::string(s.message()).c_str());
  std::exit(1);
}

std::string EnsureFile(const std::string& dir, int64_t rows) {
  const std::string path = absl::StrCat(dir, "/maf2_bench_", rows, ".txt");
  struct stat st;
  if (stat(path.c_str(), &st) == 0) return path;
  AzureSynthSpec spec;
  spec.num_functions = 5000;
  spec.mean_rate = 1000;
  spec.duration_s = 1e9;
  spec.max_rows = rows;
  spec.seed = 1;
  std::printf("writing %s ...\n", path.c_str());
  std::fflush(stdout);
  absl::Status s = WriteSyntheticMaf2(spec, path);
  if (!s.ok()) Die(s);
  return path;
}

void Read(const std::string& path) {
  struct stat st;
  stat(path.c_str(), &st);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  int64_t rows = 0;
  double sum = 0;
  absl::flat_hash_map<std::string, int64_t> per_function;
  absl::Status s = ReadMaf2(path, [&](const Maf2Row& r) {
    ++rows;
    sum += r.end_timestamp - r.duration;
    auto it = per_function.find(r.key);
    if (it == per_function.end()) {
      per_function.emplace(std::string(r.key), 1);
    } else {
      ++it->second;
    }
    return absl::OkStatus();
  });
  if (!s.ok()) Die(s);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const double cpu = CpuSeconds() - c0;
  std::printf(
      "ReadMaf2 %s: %lld rows (%zu functions, %.0f MB) in %.3f s: %.2f M "
      "rows/s, %.0f MB/s; %.3f CPU s: %.2f M rows per CPU s; peak RSS %.1f "
      "MiB (checksum %.6g)\n",
      path.c_str(), static_cast<long long>(rows), per_function.size(),
      st.st_size / 1e6, secs, rows / secs / 1e6, st.st_size / 1e6 / secs, cpu,
      rows / cpu / 1e6, PeakRssMiB(), sum);
}

int Main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  const std::string small = EnsureFile(dir, rows / 10);
  const std::string large = EnsureFile(dir, rows);
  std::printf("peak RSS before reading: %.1f MiB\n", PeakRssMiB());
  Read(small);
  Read(large);
  Read(large);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = CpuSeconds();
  absl::StatusOr<AzureReplay> r =
      BuildAzureReplay(large, AzureFormat::kMaf2, 0, 3600, "stripe", 8);
  if (!r.ok()) Die(r.status());
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const double cpu = CpuSeconds() - c0;
  int64_t kept = 0;
  for (const auto& t : r->model_times) kept += t.size();
  std::printf(
      "BuildAzureReplay (first hour, 8 models): %lld rows read, %lld kept, "
      "%.3f s: %.2f M rows/s; %.2f M rows per CPU s; peak RSS %.1f MiB\n",
      static_cast<long long>(r->rows_read), static_cast<long long>(kept), secs,
      r->rows_read / secs / 1e6, r->rows_read / cpu / 1e6, PeakRssMiB());
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) { return multiplex::Main(argc, argv); }
