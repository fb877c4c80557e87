// Fuzz target of the study-spec reader (experiments/lib/study.h ParseStudy:
// parse, check, fill defaults, create the cost models, expand the cases):
// any bytes give a study or an error, never a crash, a hang or an
// out-of-memory; what it accepts has cases, and its filled spec
// (study.textproto, FormatFilledSpec) reads back to the same study.
// Corpus: testdata/study_fuzzer/ (docs/fuzzing.md).
//
// Relative paths in a spec are taken from the working directory, which
// must be the workspace root (as under `bazel test`, or tools/fuzz.sh): the
// seeds name profiler/hardware/, profiler/models/ and workloads/testdata/
// files. The default cost model is testdata/study_fuzzer_db.textproto, a
// small database, so that each input loads fast.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/testing/fuzz_check.h"
#include "experiments/lib/study.h"

namespace {

constexpr char kDatabase[] =
    "experiments/lib/testdata/study_fuzzer_db.textproto";

std::string& Root() {
  static std::string* root = new std::string;
  return *root;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr || access(kDatabase, R_OK) != 0) {
    std::fprintf(stderr,
                 "study_fuzzer: run it from the workspace root (no %s here)\n",
                 kDatabase);
    std::exit(1);
  }
  Root() = cwd;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace multiplex;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  StudyOptions options;
  options.default_cost_model =
      absl::StrCat("database:path=", Root(), "/", kDatabase);
  const std::string path = Root() + "/fuzz.textproto";
  absl::StatusOr<Study> study = ParseStudy(text, path, options);
  if (!study.ok()) {
    FUZZ_CHECK(!study.status().message().empty(), "an error without a message");
    return 0;
  }
  FUZZ_CHECK(!study->cases.empty(), "a study without cases");
  const std::string filled = FormatFilledSpec(*study);
  absl::StatusOr<Study> again = ParseStudy(filled, path, options);
  FUZZ_CHECK(again.ok(),
             "the filled spec does not read back: ", again.status().message(),
             "\n", filled);
  FUZZ_CHECK(again->cases.size() == study->cases.size(), "the filled spec has ",
             again->cases.size(), " cases, not ", study->cases.size());
  return 0;
}
