#!/usr/bin/env bash
# End-to-end checks of //tools:workload: the trace format, the requested
# rates within statistical bounds, byte-identical output for a seed, trace
# replay keeping each model's stream, and a clear message plus exit status 1
# for bad flags (and flags a trace cannot honour).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
WL="$(abs "$1")"
AZURE_HAND="$(abs workloads/testdata/azure/maf2_hand.txt)"
enter_tmpdir

args=(--num_models=4 --total_rate=40 --rate_split=1:1:1:5 --process=gamma
      --cv=2 --duration=2000 --seed=7 --slo=1.5)
"$WL" "${args[@]}" --out=a.tsv > a.log 2>&1 || fail "generation failed: $(cat a.log)"
"$WL" "${args[@]}" --out=b.tsv > /dev/null 2>&1
cmp -s a.tsv b.tsv || fail "same seed, different bytes"
"$WL" "${args[@]/--seed=7/--seed=8}" --out=c.tsv > /dev/null 2>&1
cmp -s a.tsv c.tsv && fail "different seeds, same bytes"

[ "$(head -1 a.tsv)" = $'arrival_s\tmodel\tslo_s' ] || fail "bad header: $(head -1 a.tsv)"
# Sorted times, known models, the SLO given; m3 gets 5/8 of 40 req/s.
awk -F'\t' 'NR > 1 {
    if ($1 < prev) { print "unsorted at line " NR; bad = 1 }
    prev = $1
    if ($2 !~ /^m[0-3]$/ || $3 != "1.5") { print "bad row " NR ": " $0; bad = 1 }
    n[$2]++
  }
  END {
    # Expected counts 10000 (m0-m2) and 50000 (m3); cv 2 gives a relative
    # standard error of about 2/sqrt(count): allow 5 of them.
    split("10000 10000 10000 50000", want, " ")
    for (i = 0; i < 4; i++) {
      m = "m" i; w = want[i + 1]; tol = 5 * 2 * sqrt(w)
      if (n[m] < w - tol || n[m] > w + tol) { print m ": " n[m] " requests, want " w; bad = 1 }
    }
    exit bad
  }' a.tsv || fail "trace content"

# Trace replay keeps each model's own stream: a 12-model trace replayed for
# two models gives m0 the trace's m0 and m1 its m1, not the whole trace twice.
"$WL" --num_models=12 --total_rate=24 --duration=100 --seed=3 --out=t12.tsv \
  > /dev/null 2>&1 || fail "12-model trace"
rows() { awk -F'\t' -v m="$2" 'NR > 1 && $2 == m { print $1 }' "$1"; }
"$WL" --num_models=2 --process=trace:path=t12.tsv --duration=100 \
  --out=r.tsv > r.log 2>&1 || fail "trace replay: $(cat r.log)"
[ "$(rows r.tsv m0)" = "$(rows t12.tsv m0)" ] || fail "m0 does not replay m0"
[ "$(rows r.tsv m1)" = "$(rows t12.tsv m1)" ] || fail "m1 does not replay m1"
[ "$(rows r.tsv m0)" != "$(rows r.tsv m1)" ] || fail "m0 and m1 identical"
grep -q "trace(t12.tsv,model=m1)" r.log || fail "process column: $(cat r.log)"
# No name matches: model i replays the trace's i-th (m2 before m10).
"$WL" --num_models=3 --model_names=a,b,c --process=trace:path=t12.tsv \
  --duration=100 --out=abc.tsv > /dev/null 2>&1 || fail "by position"
[ "$(rows abc.tsv c)" = "$(rows t12.tsv m2)" ] || fail "c does not replay m2"
expect_error "$WL" "trace 't12.tsv' has no stream for model 'm12'" \
  --num_models=13 --process=trace:path=t12.tsv --duration=100
for flag in --total_rate=5 --rate_split=2:8; do
  expect_error "$WL" "${flag%%=*} does not apply to process 'trace:path=t12.tsv': it takes no rate" \
    --num_models=2 --process=trace:path=t12.tsv --duration=100 "$flag"
done
expect_error "$WL" "--cv does not apply to process 'trace:path=t12.tsv'" \
  --num_models=2 --process=trace:path=t12.tsv --duration=100 --cv=2
expect_error "$WL" "--seed does not apply to process 'trace:path=t12.tsv': a trace draws nothing at random" \
  --num_models=2 --process=trace:path=t12.tsv --duration=100 --seed=1

# The azure process: the hand-written MAF2 file's first hour, its functions
# dealt busiest first (stripe) to two models: m0 gets a3,f4 (40, 41, 42) and
# a1,f2 (20), m1 a1,f1 (10, 60) and a2,f3 (29).
"$WL" --num_models=2 --duration=3600 \
  --process="azure:path=$AZURE_HAND,end=0.1.0" --out=az.tsv > az.log 2>&1 \
  || fail "azure replay failed: $(cat az.log)"
got=$(awk -F'\t' 'NR > 1 { printf "%s:%g ", $2, $1 }' az.tsv)
[ "$got" = "m1:10 m0:20 m1:29 m0:40 m0:41 m0:42 m1:60 " ] \
  || fail "azure replay: got '$got'"
grep -q "^all  *7 " az.log || fail "azure replay: no overall row: $(cat az.log)"
expect_error "$WL" "maf2_hand.txt:1: not a MAF1 header" --num_models=2 \
  --duration=10 --process="azure:path=$AZURE_HAND,format=maf1"

expect_error "$WL" "rate" --num_models=2 --total_rate=-1 --duration=10
expect_error "$WL" "unknown arrival_process 'gama'" --num_models=2 --total_rate=1 --process=gama --duration=10
expect_error "$WL" "split" --num_models=2 --total_rate=1 --rate_split=zipf --duration=10
expect_error "$WL" "seed" --num_models=2 --total_rate=1 --seed=abc --duration=10
expect_error "$WL" "/nonexistent/dir/t.tsv" --num_models=2 --total_rate=1 --duration=10 --out=/nonexistent/dir/t.tsv

# Robustness: --out never replaces the trace being replayed.
"$WL" --num_models=2 --total_rate=2 --duration=50 --out=replayed.tsv > /dev/null ||
  fail "making replayed.tsv"
cp replayed.tsv replayed.before
expect_error "$WL" "--out replayed.tsv is the same file as --process path=replayed.tsv" \
  --num_models=2 --process=trace:path=replayed.tsv --out=replayed.tsv
cmp -s replayed.tsv replayed.before || fail "the replayed trace was changed"
# Robustness: a huge model count is a clear error, not bad_alloc.
expect_error "$WL" "--num_models=2147483647 is over the limit of 1048576" \
  --num_models=2147483647 --total_rate=1 --duration=10

# The binary format. An --out ending in .bin is binary (magic
# MPXTRACE); --convert copies a trace between the formats exactly, and a
# binary trace replays as its text does.
"$WL" "${args[@]}" --out=a.bin > /dev/null 2>&1 || fail "binary generation"
[ "$(head -c 8 a.bin)" = "MPXTRACE" ] || fail "a.bin has no magic"
"$WL" "${args[@]}" --out=a_bin.tsv --format=binary > /dev/null 2>&1 ||
  fail "--format=binary"
cmp -s a.bin a_bin.tsv || fail "--format=binary differs from the .bin name"
"$WL" --convert=a.bin --out=back.tsv > conv.log 2>&1 || fail "convert: $(cat conv.log)"
cmp -s a.tsv back.tsv || fail "tsv -> binary -> tsv is not byte-exact"
grep -q "^converted [0-9]* requests of 4 models from a.bin to back.tsv (tsv)$" conv.log ||
  fail "convert message: $(cat conv.log)"
# Generated, the names are m0..m3; from text, in order of first use.
"$WL" --convert=a.tsv --out=from_tsv.bin > /dev/null 2>&1 || fail "to .bin"
"$WL" --convert=from_tsv.bin --out=back2.tsv > /dev/null 2>&1 || fail "to .tsv"
"$WL" --convert=back2.tsv --out=again.bin > /dev/null 2>&1 || fail "to .bin again"
cmp -s from_tsv.bin again.bin || fail "binary -> tsv -> binary is not byte-exact"
"$WL" --num_models=4 --process=trace:path=a.bin --out=replay_bin.tsv > /dev/null 2>&1 &&
  "$WL" --num_models=4 --process=trace:path=a.tsv --out=replay_tsv.tsv > /dev/null 2>&1 ||
  fail "replaying"
cmp -s replay_bin.tsv replay_tsv.tsv || fail "a binary trace replays differently"
head -c 100 a.bin > cut.bin
expect_error "$WL" "cut.bin: truncated binary trace" --convert=cut.bin --out=x.tsv
expect_error "$WL" "--format must be tsv, binary or auto" "${args[@]}" --out=x.tsv --format=csv
expect_error "$WL" "--convert needs --out" --convert=a.tsv
expect_error "$WL" "--seed does not apply to --convert" --convert=a.tsv --out=x.bin --seed=3
expect_error "$WL" "--out a.tsv is the same file as --convert a.tsv" --convert=a.tsv --out=a.tsv

# An --out that exists and is not a regular file (a FIFO here, /dev/null or
# /dev/full elsewhere) is written through, never replaced by a rename.
mkfifo pipe.tsv
cat pipe.tsv > from_pipe.tsv &
reader=$!
"$WL" "${args[@]}" --out=pipe.tsv > pipe.log 2>&1 || fail "--out=FIFO: $(cat pipe.log)"
wait "$reader"
[ -p pipe.tsv ] || fail "--out replaced the FIFO"
cmp -s from_pipe.tsv a.tsv || fail "the FIFO's reader got other bytes"
cat pipe.tsv > from_pipe.bin &
reader=$!
"$WL" --convert=a.tsv --out=pipe.tsv --format=binary > pipe.log 2>&1 || fail "--convert --out=FIFO: $(cat pipe.log)"
wait "$reader"
[ -p pipe.tsv ] || fail "--convert --out replaced the FIFO"
[ -s from_pipe.bin ] || fail "--convert wrote nothing through the FIFO"
ls | grep -q 'tmp-' && fail "temporaries left: $(ls)"
# A FIFO as input is refused at once instead of blocking.
expect_error "$WL" "not a regular file (a FIFO)" --convert=pipe.tsv --out=y.tsv

# Empty workloads are refused with the reason; one model carrying every
# request is a warning.
expect_error "$WL" "the workload has no requests: the models' processes give" \
  --num_models=2 --duration=60 --out=e.tsv \
  "--process=azure:path=$AZURE_HAND,arrival=poisson,interval_s=600,time_scale=1e-300"
[ -e e.tsv ] && fail "an empty workload was written"
printf 'app,func,end_timestamp,duration\na1,f1,10.5,0.5\na1,f1,20,0.5\n' > one_function.txt
printf 'app,func,end_timestamp,duration\n' > header_only.txt
expect_error "$WL" "has no invocations (the file has no data rows, only its header)" \
  --num_models=2 --duration=60 --out=e.tsv --process=azure:path=header_only.txt,format=maf2
"$WL" --num_models=2 --duration=60 --out=one.tsv --process=azure:path=one_function.txt \
  > one.log 2> one.err || fail "one function: $(cat one.err)"
grep -qx "workload: warning: model m0 carries 2 of the 2 requests (100%, over 99%); the other 1 models have 0: a chart of this workload compares one model's serving" one.err ||
  fail "no warning for one model with every request: $(cat one.err)"
finish
