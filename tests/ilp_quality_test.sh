#!/usr/bin/env bash
# Runs two problems of //policies/quality:ilp_quality (the ILP policies
# against the heuristics; docs/study.md 5.11): one row per policy, both
# programs proven optimal, mp-ilp's objective at least that of every
# placement in its space, and the usage error.
set -uo pipefail
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
status=0
fail() { echo "FAIL: $*" >&2; status=1; }

out=$("$BIN" quality q02 q04) || fail "exit $?"
echo "$out"
rows=$(grep -c '^| q0[24]:' <<< "$out")
[ "$rows" -eq 14 ] || fail "$rows rows, want 14 (2 problems x 7 policies)"
optimal=$(grep -E '^\| q0[24]:[^|]*\| (sr|mp)-ilp' <<< "$out" | grep -c '| optimal |$')
[ "$optimal" -eq 8 ] || fail "$optimal ILP solves proven optimal, want 8"
# On these two every other placement is made of pipelines, inside mp-ilp's
# space.
grep -qx "mp-ilp's objective >= every other policy's on 2 of 2" <<< "$out" \
  || fail "mp-ilp's objective below another policy's"

"$BIN" bogus > /dev/null 2> err.txt && fail "bogus mode accepted"
grep -q "usage: ilp_quality quality" err.txt || fail "no usage line"
[ "$status" -eq 0 ] && echo PASS
exit "$status"
