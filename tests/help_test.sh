#!/usr/bin/env bash
# Every binary's command line, checked the same way (tools/cli's
# ParseFlagsOrFail; kernel_check by hand): --help and -h print the usage and
# the binary's own flags (not Abseil's) to stdout and exit 0, --helpfull
# exits 0 too, and a stray positional argument is an error (exit 1).
# Arguments: BINARY::FRAGMENT, where FRAGMENT must appear in its --help.
set -uo pipefail
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

for arg in "$@"; do
  bin="${arg%%::*}"
  want="${arg#*::}"
  name="$(basename "$bin")"
  "$bin" --help > "$tmp/help.out" 2> "$tmp/help.err"
  rc=$?
  [ $rc -eq 0 ] || fail "$name --help exits $rc: $(cat "$tmp/help.err")"
  [ -s "$tmp/help.err" ] && fail "$name --help writes stderr: $(cat "$tmp/help.err")"
  grep -qF -- "$want" "$tmp/help.out" ||
    fail "$name --help does not mention '$want': $(cat "$tmp/help.out")"
  grep -qF -- "--flagfile" "$tmp/help.out" &&
    fail "$name --help lists Abseil's flags"
  grep -qF "No flags matched" "$tmp/help.out" && fail "$name: No flags matched"
  "$bin" -h > "$tmp/h.out" 2>&1 || fail "$name -h exits $?"
  cmp -s "$tmp/help.out" "$tmp/h.out" || fail "$name -h differs from --help"
  "$bin" --helpfull > /dev/null 2>&1 || fail "$name --helpfull exits $?"
  msg=$("$bin" one two three 2>&1 > /dev/null)
  rc=$?
  [ $rc -eq 1 ] || fail "$name with stray arguments exits $rc (want 1)"
  grep -q "unexpected argument '" <<<"$msg" ||
    fail "$name with stray arguments says: $msg"
done
[ $# -ge 12 ] || fail "only $# binaries checked"
[ "$fails" -eq 0 ] || exit 1
echo "PASS ($# binaries)"
