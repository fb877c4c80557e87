#ifndef MULTIPLEX_TOOLS_STAMP_BUILD_STAMP_H_
#define MULTIPLEX_TOOLS_STAMP_BUILD_STAMP_H_

namespace multiplex {

// The commit the binary was built from, stamped at build time: 40 hex
// digits, with "-dirty" appended when tracked files differed from it, or
// "unknown" when the sources were not a git checkout (a tarball). The same
// under `bazel run`, `bazel test`, bazel-bin/... and mpirun. Defined in a
// generated file of its own (//tools/stamp:build_stamp), so a new commit
// recompiles that one file and relinks, nothing else.
const char* BuildCommit();

}  // namespace multiplex

#endif  // MULTIPLEX_TOOLS_STAMP_BUILD_STAMP_H_
