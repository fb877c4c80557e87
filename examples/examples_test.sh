#!/usr/bin/env bash
# Runs every example study with --duration_scale=0.2 and checks that each
# writes results.tsv with one row per case, study.textproto and its charts.
set -uo pipefail
STUDY="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
EXAMPLES="$(cd examples && pwd)"
cd "${TEST_TMPDIR:-$(mktemp -d)}" || exit 1
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

check() {  # check NAME ROWS CHART...
  local name="$1" rows="$2"
  shift 2
  "$STUDY" --spec="$EXAMPLES/$name.textproto" --out_dir="$name" \
    --duration_scale=0.2 --quiet > "$name.log" 2>&1 \
    || { fail "$name: $(cat "$name.log")"; return; }
  local got
  got=$(grep -v '^#' "$name/results.tsv" | tail -n +2 | wc -l)
  [ "$got" -eq "$rows" ] || fail "$name: $got rows in results.tsv, want $rows"
  grep -qx "# study: $name" "$name/results.tsv" || fail "$name: no study line"
  [ -s "$name/study.textproto" ] || fail "$name: no study.textproto"
  local chart
  for chart in "$@"; do
    [ -s "$name/$chart.pdf" ] || fail "$name: no $chart.pdf"
    [ -s "$name/$chart.tsv" ] || fail "$name: no $chart.tsv"
  done
}

check mixed_16gpu 30 slo_attainment p99_latency
check s3_mixed 21 slo_attainment p99_latency
check h100_analytical 60 slo_attainment_16gib slo_attainment_70gib p99_latency_16gib
check trace_driven 18 slo_attainment latency_cdf utilization
check azure_functions 12 slo_attainment p99_latency
check paper_panels 60 attainment_cv1 attainment_cv4 p99_cv1 p99_cv4 p99_all_log \
  panels
[ "$(grep -v '^#' paper_panels/results_summary.tsv | tail -n +2 | wc -l)" -eq 20 ] \
  || fail "paper_panels: results_summary.tsv should have 20 rows (60 / 3)"
grep -q '^# cost_model: analytical(H100' h100_analytical/results.tsv \
  || fail "h100_analytical: not the H100 analytical model"
grep -q "trace: \"$EXAMPLES/traces/bursty_6models.tsv\"" trace_driven/study.textproto \
  || fail "trace_driven: the trace path is not taken from the spec's directory"

grep -q "path=$EXAMPLES/traces/azure_maf2_2h.txt" azure_functions/study.textproto \
  || fail "azure_functions: the trace path is not taken from the spec's directory"

[ "$fails" -eq 0 ] || exit 1
echo PASS
