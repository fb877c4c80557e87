#!/usr/bin/env bash
# Fuzzes one reader with libFuzzer (docs/fuzzing.md):
#
#   tools/fuzz.sh //core:placement_io_fuzzer [SECONDS] [LIBFUZZER_FLAG...]
#
# builds the target under --config=fuzz (clang, libFuzzer, ASan, UBSan; needs
# `tools/setup.sh --fuzz`) and runs it from the workspace root for SECONDS
# (default 300) on a scratch corpus in $FUZZ_DIR (default /tmp/multiplex-fuzz)
# seeded with the committed one, with the target's dictionary. A crash, hang
# or out-of-memory leaves crash-*/timeout-*/oom-* in $FUZZ_DIR/<target>/;
# copy it into the committed corpus as a regression once the reader is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

label=${1:?usage: tools/fuzz.sh //pkg:name_fuzzer [SECONDS] [FLAGS...]}
seconds=${2:-300}
shift $(($# < 2 ? $# : 2))
package=${label#//}
package=${package%%:*}
name=${label##*:}

bazel build --config=fuzz "$label"
bin="$(bazel info --config=fuzz bazel-bin 2>/dev/null)/$package/$name"
work="${FUZZ_DIR:-/tmp/multiplex-fuzz}/$name"
mkdir -p "$work/corpus"
flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
       -artifact_prefix="$work/" -print_final_stats=1)
if [ -f "$package/$name.dict" ]; then flags+=(-dict="$package/$name.dict"); fi
exec "$bin" "${flags[@]}" "$@" "$work/corpus" "$package/testdata/$name"
