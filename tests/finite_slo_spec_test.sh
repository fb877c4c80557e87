#!/usr/bin/env bash
# Runs policies/quality/finite_slo.textproto at a fiftieth of its duration
# and its table script: 12 problems x 4 policies x 4 serving draws, and one
# table row per problem and policy. (The numbers mean nothing this short.)
set -euo pipefail
STUDY="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
SPEC="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
TABLE="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
cd "${TEST_TMPDIR:-$(mktemp -d)}"
"$STUDY" --spec="$SPEC" --out_dir=out --duration_scale=0.02 --quiet
status=0
studies=$(ls out | wc -l)
[ "$studies" -eq 12 ] || { echo "FAIL: $studies studies, want 12" >&2; status=1; }
for tsv in out/*/results.tsv; do
  rows=$(grep -v '^#' "$tsv" | tail -n +2 | wc -l)
  [ "$rows" -eq 16 ] || { echo "FAIL: $tsv: $rows rows, want 16" >&2; status=1; }
done
"$TABLE" out > table.md
rows=$(grep -c '^| p[0-9]' table.md)
[ "$rows" -eq 24 ] || { echo "FAIL: $rows table rows, want 24" >&2; status=1; }
for policy in sr-greedy mp-search; do
  grep -q "^$policy: mean difference .* over 12 problems; draws won: trimmed [0-9]*, original [0-9]*$" table.md \
    || { echo "FAIL: no summary line for $policy" >&2; cat table.md >&2; status=1; }
done
[ $status -eq 0 ] && echo "ok: 12 studies, 24 table rows"
exit $status
