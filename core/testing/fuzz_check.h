#ifndef MULTIPLEX_CORE_TESTING_FUZZ_CHECK_H_
#define MULTIPLEX_CORE_TESTING_FUZZ_CHECK_H_

// FUZZ_CHECK(condition, message...): a property a fuzz target asserts of
// what a reader accepted. On failure it prints the condition, the place and
// the message (absl::StrCat arguments) and aborts, which libFuzzer and the
// corpus test both report as a crash with the input that caused it.

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

#define FUZZ_CHECK(condition, ...)                                         \
  do {                                                                     \
    if (!(condition)) {                                                    \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", __FILE__, \
                   __LINE__, #condition,                                   \
                   absl::StrCat("", __VA_ARGS__).c_str());                 \
      std::abort();                                                        \
    }                                                                      \
  } while (false)

#endif  // MULTIPLEX_CORE_TESTING_FUZZ_CHECK_H_
