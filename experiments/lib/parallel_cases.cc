#include "experiments/lib/parallel_cases.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace multiplex {

std::string FormatProgress(const std::string& label, size_t done, size_t total,
                           double elapsed_s, int width) {
  const int filled =
      total == 0 ? width : static_cast<int>(width * done / total);
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  return absl::StrFormat("%s%s[%s] %zu/%zu cases  %.1f s", label,
                         label.empty() ? "" : " ", bar, done, total, elapsed_s);
}

absl::Status RunCases(size_t n, const std::function<absl::Status(size_t)>& run,
                      const ParallelOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         begin)
        .count();
  };
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n)));

  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  absl::Mutex mu;
  size_t done = 0;
  size_t first_error_index = n;
  absl::Status first_error;

  // Redraw at most every 0.2 s on a terminal; in a log, only the last line.
  const bool terminal = isatty(fileno(stderr));
  double last_drawn = -1;
  auto report = [&](size_t finished) {
    if (options.quiet) return;
    const double now = elapsed();
    const bool last = finished == n;
    if (!last && (!terminal || now - last_drawn < 0.2)) return;
    last_drawn = now;
    std::fprintf(stderr, "%s%s", terminal ? "\r" : "",
                 FormatProgress(options.label, finished, n, now).c_str());
    if (last) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  };

  auto worker = [&] {
    for (;;) {
      if (failed.load()) return;
      const size_t i = next.fetch_add(1);
      if (i >= n) return;
      absl::Status s = run(i);
      absl::MutexLock lock(&mu);
      if (!s.ok()) {
        failed.store(true);
        if (i < first_error_index) {
          first_error_index = i;
          first_error = s;
        }
      }
      report(++done);
    }
  };

  report(0);
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (!options.quiet && done < n) std::fprintf(stderr, "\n");
  return first_error;
}

}  // namespace multiplex
