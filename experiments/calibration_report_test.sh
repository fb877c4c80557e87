#!/usr/bin/env bash
# The calibration report on the shipped description and database: the
# groups the fit meets (docs/study.md §2.3), Figure 5 simulated included, and
# a clear error for a missing database.
set -euo pipefail
report="$1"
out=$("$report") || { echo "FAIL: the report failed" >&2; exit 1; }
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
for group in \
  "Table 1 (seq 2048, batch 1, one GPU): 3 of 3 met" \
  "Reference stage table (bert-1.3b): 75 of 75 met" \
  "Reference pipeline table summary: 3 of 3 met" \
  "Figure 5 (pipeline capacity, bert-2.6b): 1 of 1 met" \
  "Figure 14 (DP against manual stages, 8 GPUs): 4 of 4 met" \
  "Figure 5 (simulated on the database): 2 of 2 met"; do
  grep -qF "== $group" <<<"$out" || fail "no '$group'"
done
grep -q "^== all: [0-9]* of [0-9]* targets met$" <<<"$out" || fail "no tally"
if err=$("$report" --db=/nonexistent/db.textproto 2>&1); then
  fail "a missing --db succeeded"
fi
grep -q "/nonexistent/db.textproto" <<<"$err" || fail "error lacks the path: $err"
[ "$failures" -eq 0 ] || { echo "$out" >&2; exit 1; }
echo PASS
