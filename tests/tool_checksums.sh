#!/usr/bin/env bash
# The outputs of //tools:place, //tools:simulate and the example studies are
# pinned: the SHA-256 of each output on fixed inputs, against
# tests/tool_checksums.txt. What may change between two runs is left out:
# place's "solver time:" line, results.tsv's solver_s column (and
# results_summary.tsv's solver_s_mean and solver_s_ci95), and every
# "# key: value" header line (they name the commit and the spec's path).
#
# A change that means to move an output updates the file on purpose, in one
# command, and the diff of the file shows which outputs moved:
#   bazel run //tests:tool_checksums -- --update
#
# Usage: tool_checksums.sh PLACE SIMULATE STUDY CHECKSUM_FILE [--update]
set -euo pipefail
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
place="$(abs "$1")"
simulate="$(abs "$2")"
study="$(abs "$3")"
expected="$(abs "$4")"
update="${5:-}"
if [ -n "$update" ] && [ "$update" != "--update" ]; then
  echo "usage: $0 PLACE SIMULATE STUDY CHECKSUM_FILE [--update], got" \
    "'$update'" >&2
  exit 2
fi
root="$(pwd)"  # the runfiles tree: profiler/, examples/
# Under `bazel run` the tools would take relative paths from the user's
# directory: this script's scratch directory is theirs.
workspace="${BUILD_WORKSPACE_DIRECTORY:-}"
unset BUILD_WORKSPACE_DIRECTORY BUILD_WORKING_DIRECTORY

out="$(mktemp -d "${TEST_TMPDIR:-/tmp}/tool_checksums.XXXXXX")"
trap 'rm -rf "$out"' EXIT
cd "$out"
# Relative paths in the commands, so that the outputs (which print them)
# are the same wherever the test runs.
ln -s "$root/profiler" profiler
ln -s "$root/examples" examples
db=profiler/data/profiling_result.textproto
analytical="analytical:hardware=profiler/hardware/v100-sxm2-16gb.textproto,models_dir=profiler/models"

# Two traces: six models (model i every i + 1 half-seconds over 200 s, no
# SLO), and two models whose hot one changes at 120 s (SLO 2 s).
awk 'BEGIN { print "arrival_s\tmodel\tslo_s"
  for (t = 0; t < 200; t += 0.5) for (m = 0; m < 6; m++)
    if (int(t * 2) % (2 * (m + 1)) == 0) print t "\tm" m "\tinf" }' > six.tsv
awk 'BEGIN { print "arrival_s\tmodel\tslo_s";
  for (i = 0; i < 960; ++i) printf "%g\t%s\t2\n", i / 4, i < 480 ? "m0" : "m1" }' \
  > hot.tsv
# Four models at 4 req/s each for 300 s, SLO 1 s.
awk 'BEGIN { print "arrival_s\tmodel\tslo_s";
  for (i = 0; i < 4800; ++i) printf "%g\tm%d\t1\n", i / 16, i % 4 }' > four.tsv

mkdir runs
run() {  # run NAME COMMAND...: its stdout and stderr, then its exit status
  local name="$1"
  shift
  local rc=0
  "$@" > "runs/$name.out" 2>&1 || rc=$?
  echo "exit $rc" >> "runs/$name.out"
}

# //tools:place: generated workloads (gamma, poisson, MMPP), a trace with
# and without its own SLOs, mixed models, the batching simulator, a schedule.
run place_gamma "$place" --db=$db --model_type=bert-1.3b --num_models=4 \
  --num_devices=4 --mem_budget_gb=13 --policy=mp-search --total_rate=20 \
  --cv=3 --slo_scale=5 --duration=200 --out=runs/place_gamma.textproto
run place_inf_slo "$place" --db=$db --models=bert-1.3b:2,bert-2.6b:2 \
  --num_devices=4 --mem_budget_gib=13 --policy=mp-greedy-4 --total_rate=10 \
  --rate_split=power_law --duration=300 --seed=7 \
  --out=runs/place_inf_slo.textproto
run place_poisson "$place" --cost_model="$analytical" \
  --models=bert-1.3b:4,bert-6.7b:2 --num_devices=8 --mem_budget_gb=13 \
  --policy=sr-greedy --process=poisson --total_rate=15 --slo_scale=8 \
  --duration=200 --simulator=batching:max_batch_size=4 \
  --out=runs/place_poisson.textproto
run place_mmpp "$place" --db=$db --model_type=bert-2.6b --num_models=4 \
  --num_devices=4 --policy=sr-greedy \
  --process=uniform-mmpp:durations=10/20,rates=1/5 --slo_scale=4 \
  --duration=200
run place_trace "$place" --cost_model="$analytical" \
  --models=bert-1.3b:4,bert-6.7b:2 --num_devices=8 --mem_budget_gb=13 \
  --policy=sr-greedy --workload=six.tsv --slo_scale=5 \
  --out=runs/place_trace.textproto
run place_trace_slos "$place" --db=$db --model_type=bert-1.3b --num_models=4 \
  --num_devices=4 --policy=mp-search --workload=four.tsv \
  --out=runs/place_trace_slos.textproto
run place_schedule "$place" --db=$db --model_type=bert-6.7b --num_models=2 \
  --num_devices=2 --mem_budget_gb=14 --policy=sr-replace-60 \
  --workload=hot.tsv --out=runs/place_schedule.textproto
run place_bad_flag "$place" --db=$db --num_models=0

# //tools:simulate on those placements: per-request and summary files, the
# batching simulator, a schedule, the cluster overridden, serving constants.
run simulate_gamma "$simulate" --db=$db \
  --placement=runs/place_gamma.textproto --workload=four.tsv \
  --out=runs/simulate_gamma.requests.tsv \
  --summary_out=runs/simulate_gamma.summary.tsv
run simulate_batching "$simulate" --cost_model="$analytical" \
  --placement=runs/place_poisson.textproto --workload=six.tsv \
  --simulator=batching:max_batch_size=4 \
  --summary_out=runs/simulate_batching.summary.tsv
run simulate_schedule "$simulate" --db=$db \
  --placement=runs/place_schedule.textproto --workload=hot.tsv \
  --warmup_s=0 --out=runs/simulate_schedule.requests.tsv
run simulate_constants "$simulate" --db=$db \
  --placement=runs/place_trace_slos.textproto --workload=four.tsv \
  --num_devices=6 --mem_budget_gb=15 --fixed_overhead_s=0.01 \
  --stage_slowdown=0.1 --warmup_s=10
run simulate_bad_memory "$simulate" --db=$db \
  --placement=runs/place_gamma.textproto --workload=four.tsv \
  --mem_budget_gb=1

# The example studies, shortened as examples_test runs them.
for name in mixed_16gpu s3_mixed h100_analytical trace_driven azure_functions \
  paper_panels; do
  "$study" --spec="examples/$name.textproto" --out_dir="runs/$name" \
    --duration_scale=0.2 --quiet > "runs/$name.log" 2>&1 ||
    { cat "runs/$name.log" >&2; echo "FAIL: $name exited non-zero" >&2; exit 1; }
  rm "runs/$name.log"
done

# One checksum per output, without what differs between runs.
data_rows() {  # data_rows FILE: what of it is pinned
  case "$1" in
    runs/place_*.out) grep -v '^solver time: ' "$1" ;;
    runs/*/results.tsv) grep -v '^#' "$1" | awk -F'\t' -v OFS='\t' '{ NF--; print }' ;;
    runs/*/results_summary.tsv) grep -v '^#' "$1" | awk -F'\t' -v OFS='\t' '{ NF -= 2; print }' ;;
    runs/*/*.tsv) grep -v '^#' "$1" ;;
    *) cat "$1" ;;
  esac
}
actual="$out/checksums.txt"
find runs -type f \( -name '*.out' -o -name '*.tsv' -o -name '*.textproto' \) \
  ! -name study.textproto | LC_ALL=C sort | while IFS= read -r file; do
  printf '%s  %s\n' "$(data_rows "$file" | sha256sum | cut -d' ' -f1)" \
    "${file#runs/}"
done > "$actual"

if [ "$update" = "--update" ]; then
  [ -n "$workspace" ] ||
    { echo "--update writes the checked-in file: run it with bazel run" >&2; exit 2; }
  target="$workspace/tests/tool_checksums.txt"
  if cmp -s "$actual" "$target"; then
    echo "tests/tool_checksums.txt: unchanged ($(wc -l <"$actual") outputs)"
  else
    diff "$target" "$actual" || true
    cp "$actual" "$target"
    echo "tests/tool_checksums.txt: updated ($(wc -l <"$actual") outputs)"
  fi
  exit 0
fi

if ! diff "$expected" "$actual" >&2; then
  echo "FAIL: the outputs above of the tools or the examples moved" \
    "(< checked in, > now). If the change means to move them:" >&2
  echo "  bazel run //tests:tool_checksums -- --update" >&2
  exit 1
fi
echo "ok: $(wc -l <"$actual") outputs of place, simulate and the examples" \
  "equal their checksums"
