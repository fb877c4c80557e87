#include "tools/cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace multiplex {

std::string SpinnerLine(const std::string& label, int frame, double elapsed_s) {
  static constexpr char kFrames[] = "|/-\\";
  return absl::StrFormat("%s %c %.1f s", label, kFrames[frame % 4], elapsed_s);
}

Spinner::Spinner(std::string label) : label_(std::move(label)) {
  if (isatty(fileno(stderr))) thread_ = std::thread([this] { Run(); });
}

Spinner::~Spinner() {
  done_.Notify();
  if (thread_.joinable()) thread_.join();
}

void Spinner::Run() {
  const auto begin = std::chrono::steady_clock::now();
  int frame = 0;
  do {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
            .count();
    // Carriage return, the frame, erase to the end of the line.
    std::fprintf(stderr, "\r%s\033[K",
                 SpinnerLine(label_, frame++, elapsed).c_str());
    std::fflush(stderr);
  } while (!done_.WaitForNotificationWithTimeout(absl::Milliseconds(100)));
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace multiplex
