#!/usr/bin/env bash
# Runs every end-to-end figure (//experiments:e2e) at a tiny duration scale,
# on its synthetic workloads and on a MAF1 day file (--trace), and checks
# that each figure the binary lists is a valid PDF with a TSV holding one row
# per policy and sweep point, attainments in [0, 100]. Also the flags'
# errors: a missing trace, a figure group without a trace form, a bad
# --simulator.
set -euo pipefail
e2e="$1"
motivation="$2"
trace="$3"
study="$4"
maf2_spec="$5"
maf2_trace="$6"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# stem | series (';'-separated) | x values | x values of the trace form
# (when they differ)
expected=(
  "e2e_s1_devices|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|6"
  "e2e_s1_rate|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|8"
  "e2e_s1_cv|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|5|7"
  "e2e_s1_slo|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|8"
  "e2e_s2_devices|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|7"
  "e2e_s2_rate|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|8"
  "e2e_s2_cv|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|5|7"
  "e2e_s2_slo|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search)|10"
  "e2e_s3_devices|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search-sep)|7"
  "e2e_s3_rate|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search-sep)|7|8"
  "e2e_s3_cv|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search-sep)|9|7"
  "e2e_s3_slo|Selective Replication (sr-greedy);Clockwork++ (sr-replace-60);AlpaServe (mp-search-sep)|8"
  "e2e_robustness_devices|Selective Replication (sr-greedy);Clockwork++ (sr-replace-120);AlpaServe (mp-search)|6"
  "e2e_robustness_rate|Selective Replication (sr-greedy);Clockwork++ (sr-replace-120);AlpaServe (mp-search)|8"
  "e2e_robustness_cv|Selective Replication (sr-greedy);Clockwork++ (sr-replace-120);AlpaServe (mp-search)|5|7"
  "e2e_robustness_slo|Selective Replication (sr-greedy);Clockwork++ (sr-replace-120);AlpaServe (mp-search)|8"
  "e2e_ablation_placement|Round Robin (mp-round-robin-4);Greedy Placement (mp-greedy-4);Full Search (mp-search-sep)|7"
  "e2e_ablation_placement_cv|Round Robin (mp-round-robin-4);Greedy Placement (mp-greedy-4);Full Search (mp-search-sep)|9|7"
  "e2e_ablation_partition|mp-greedy-8, manual stages;mp-greedy-8, DP stages;mp-search, manual stages;mp-search, DP stages|6"
)

mapfile -t stems < <("$e2e" --list)
[ ${#stems[@]} -eq ${#expected[@]} ] ||
  fail "--list prints ${#stems[@]} figures, want ${#expected[@]}: ${stems[*]}"

check() {  # out_dir, what
  local out="$1" what="$2"
  for entry in "${expected[@]}"; do
    IFS='|' read -r stem series points trace_points <<< "$entry"
    [ "$what" = trace ] && [ -n "$trace_points" ] && points=$trace_points
    local pdf="$out/$stem.pdf" tsv="$out/$stem.tsv"
    [ -s "$pdf" ] || { fail "$what: $stem.pdf missing"; continue; }
    [ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "$what: $stem.pdf is not a PDF"
    [ -s "$tsv" ] || { fail "$what: $stem.tsv missing"; continue; }
    IFS=';' read -ra names <<< "$series"
    for s in "${names[@]}"; do
      local rows
      rows=$(awk -F'\t' -v s="$s" '$1 == s && $3 >= 0 && $3 <= 100' "$tsv" | wc -l)
      [ "$rows" -eq "$points" ] ||
        fail "$what: $stem.tsv has $rows rows of '$s' in [0, 100], want $points"
    done
    # The 99% line, and where a curve reaches it a dotted mark named after
    # it (reference lines: one coordinate is nan).
    grep -q $'^99%\tnan\t99$' "$tsv" || fail "$what: $stem.tsv has no 99% line"
    awk -F'\t' '$1 ~ / first at 99$/ && !($3 == "nan" && $2 != "nan")' \
      "$tsv" | grep -q . && fail "$what: $stem.tsv: malformed 99% marks"
    local all
    all=$(awk -F'\t' '!/^#/ && $1 != "series" && $2 != "nan" && $3 != "nan"' \
      "$tsv" | wc -l)
    [ "$all" -eq $(( ${#names[@]} * points )) ] ||
      fail "$what: $stem.tsv has $all rows, want $(( ${#names[@]} * points ))"
  done
}

# Synthetic: the 200 s runs keep 30 s (min_scaled_duration_s) at scale 0.03.
"$e2e" --out_dir="$tmp/synthetic" --duration_scale=0.03 --quiet \
  > "$tmp/synthetic.log" 2>&1 || { cat "$tmp/synthetic.log" >&2; exit 1; }
check "$tmp/synthetic" synthetic
grep -q "workload: process gamma" "$tmp/synthetic/e2e_s1_rate.tsv" ||
  fail "synthetic: e2e_s1_rate.tsv is not a Gamma workload"

# The trace forms: 36 s of the hour, from a MAF1 day file busy enough for
# the artifact's rate scales on the trace's own rate (2e-3: about 64 req/s).
# Instrumented (MULTIPLEX_SANITIZED, set by .bazelrc's asan_ubsan config)
# they take over ten minutes; the Azure readers and the study code they run
# are instrumented in their own tests and in the synthetic runs here.
if [ -z "${MULTIPLEX_SANITIZED:-}" ]; then
  "$e2e" --out_dir="$tmp/trace" --duration_scale=0.01 --quiet --trace="$trace" \
    > "$tmp/trace.log" 2>&1 || { cat "$tmp/trace.log" >&2; exit 1; }
  check "$tmp/trace" trace
  grep -q "workload: process azure:path=/.*,interval_s=60, .*rate_scale swept" \
    "$tmp/trace/e2e_s1_rate.tsv" ||
    fail "trace: e2e_s1_rate.tsv does not replay the trace by absolute path" \
      "in 60 s windows on its own rate"
  grep -q "sweep: workload.rate_scale = 5e-04 0.001 0.002 0.004" \
    "$tmp/trace/e2e_s1_rate.tsv" ||
    fail "trace: e2e_s1_rate.tsv does not sweep the artifact's rate scales"
  grep -q "rate_scale 0.002" "$tmp/trace/e2e_robustness_cv.tsv" ||
    fail "trace: e2e_robustness_cv.tsv is not at the artifact's rate scale 2e-3"
  grep -q "sweep: workload.cv_scale" "$tmp/trace/e2e_s2_cv.tsv" ||
    fail "trace: e2e_s2_cv.tsv does not sweep the CV scale"
fi

# The MAF2 form (not an e2e target; //tools:study with the trace beside the
# spec): day 13 in 5400 s windows, rate scale 32 on the trace's own rate,
# Clockwork++ every 21600 s; 86 s of the day, where the test file's traffic is.
mkdir -p "$tmp/maf2"
cp "$maf2_spec" "$tmp/maf2/"
ln -sf "$PWD/$maf2_trace" \
  "$tmp/maf2/AzureFunctionsInvocationTraceForTwoWeeksJan2021.txt"
"$study" --spec="$tmp/maf2/$(basename "$maf2_spec")" --out_dir="$tmp/maf2/out" \
  --duration_scale=0.001 --quiet > "$tmp/maf2.log" 2>&1 ||
  { cat "$tmp/maf2.log" >&2; exit 1; }
maf2_series="Selective Replication (sr-greedy);Clockwork++ (sr-replace-21600);AlpaServe (mp-search)"
for entry in devices:5 rate:9 cv:7 slo:8; do
  IFS=: read -r axis points <<< "$entry"
  tsv="$tmp/maf2/out/$axis/e2e_s1_maf2_$axis.tsv"
  [ -s "$tsv" ] || { fail "maf2: e2e_s1_maf2_$axis.tsv missing"; continue; }
  IFS=';' read -ra names <<< "$maf2_series"
  for s in "${names[@]}"; do
    rows=$(awk -F'\t' -v s="$s" '$1 == s && $3 >= 0 && $3 <= 100' "$tsv" | wc -l)
    [ "$rows" -eq "$points" ] ||
      fail "maf2: e2e_s1_maf2_$axis.tsv has $rows rows of '$s', want $points"
  done
done
grep -q "end=14.0.0,interval_s=5400,.*start=13.0.0, .*cv_scale 1" \
  "$tmp/maf2/out/rate/e2e_s1_maf2_rate.tsv" ||
  fail "maf2: e2e_s1_maf2_rate.tsv is not day 13 in 5400 s windows at CV scale 1"
grep -q "rate_scale 32" "$tmp/maf2/out/cv/e2e_s1_maf2_cv.tsv" ||
  fail "maf2: e2e_s1_maf2_cv.tsv is not at rate scale 32"
# Traffic reached the models: requests counted at the default point.
awk -F'\t' '$1 == 32 && $5 > 1000' "$tmp/maf2/out/rate/results.tsv" | grep -q . ||
  fail "maf2: fewer than 1000 requests at rate scale 32"

# --simulator reaches the cases (the TSV header names it).
"$e2e" --out_dir="$tmp/batching" --duration_scale=0.03 --quiet \
  --only=e2e_s2 --simulator=batching:max_batch_size=8 \
  > "$tmp/batching.log" 2>&1 || { cat "$tmp/batching.log" >&2; exit 1; }
grep -q "batching" "$tmp/batching/e2e_s2_rate.tsv" ||
  fail "--simulator: e2e_s2_rate.tsv does not name the batching simulator"

# Errors: exit 1 and a message naming the flag.
expect_error() {  # want, command...
  local want="$1"; shift
  local msg rc=0
  msg=$("$@" --out_dir="$tmp/err" --quiet 2>&1 > /dev/null) || rc=$?
  [ $rc -eq 1 ] || fail "'$*' exits $rc (want 1)"
  grep -qF -- "$want" <<< "$msg" || fail "'$*' says: $msg (want '$want')"
}
expect_error "--trace: no such file" "$e2e" --trace=/no/such/trace.txt
expect_error "--trace: the path" "$e2e" --trace=a,b.txt
expect_error "has no trace form" "$motivation" --trace="$trace" \
  --only=batching
expect_error "--simulator:" "$e2e" --only=e2e_s2 --simulator=no-such-sim

if [ $failures -ne 0 ]; then exit 1; fi
echo "all ${#expected[@]} end-to-end figures written with their rows, synthetic and trace"
