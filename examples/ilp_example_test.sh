#!/usr/bin/env bash
# Runs examples/ilp_vs_heuristics.textproto (it needs the ILP policies, so
# CBC) with --duration_scale=0.2 and checks its outputs: one row per case,
# study.textproto and both charts.
set -uo pipefail
STUDY="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
EXAMPLES="$(cd examples && pwd)"
cd "${TEST_TMPDIR:-$(mktemp -d)}" || exit 1
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
name=ilp_vs_heuristics
"$STUDY" --spec="$EXAMPLES/$name.textproto" --out_dir="$name" \
  --duration_scale=0.2 --quiet > "$name.log" 2>&1 \
  || { echo "FAIL: $(cat "$name.log")" >&2; exit 1; }
rows=$(grep -v '^#' "$name/results.tsv" | tail -n +2 | wc -l)
[ "$rows" -eq 25 ] || fail "$rows rows in results.tsv, want 25"
for policy in sr-ilp mp-ilp; do
  n=$(grep -v '^#' "$name/results.tsv" | cut -f3 | grep -cx "$policy")
  [ "$n" -eq 5 ] || fail "$n $policy rows, want 5"
done
[ -s "$name/study.textproto" ] || fail "no study.textproto"
for chart in slo_attainment solver_time; do
  [ -s "$name/$chart.pdf" ] || fail "no $chart.pdf"
  [ -s "$name/$chart.tsv" ] || fail "no $chart.tsv"
done
[ "$fails" -eq 0 ] || exit 1
echo PASS
