#ifndef MULTIPLEX_TOOLS_CLI_PROGRESS_H_
#define MULTIPLEX_TOOLS_CLI_PROGRESS_H_

// A progress line for a long call that reports nothing while it runs (a
// placement policy's search, a simulation): while a Spinner lives, and only
// when stderr is a terminal, stderr shows "<label> | 12.3 s" with a turning
// spinner, redrawn ten times a second; the destructor erases the line. With
// stderr redirected (a log, a test) it writes nothing.
//
//   {
//     Spinner spinner("place: mp-search");
//     placement = policy->Place(problem);
//   }  // the line is gone

#include <string>
#include <thread>

#include "absl/synchronization/notification.h"

namespace multiplex {

class Spinner {
 public:
  explicit Spinner(std::string label);
  ~Spinner();

  Spinner(const Spinner&) = delete;
  Spinner& operator=(const Spinner&) = delete;

 private:
  void Run();

  std::string label_;
  absl::Notification done_;
  std::thread thread_;  // only on a terminal
};

// The text of one frame (no carriage return): the label, the spinner
// character of `frame` and the elapsed seconds.
std::string SpinnerLine(const std::string& label, int frame, double elapsed_s);

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_CLI_PROGRESS_H_
