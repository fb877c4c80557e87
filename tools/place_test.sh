#!/usr/bin/env bash
# End-to-end checks of //tools:place: the Figure 2 two-model case picks the
# 2-stage pipeline, --out is read back by //tools:simulate (which reports the
# recorded policy in --summary_out), mixed model sets on the analytical cost
# model trained on a trace or any arrival process, a spinner only on a
# terminal, and bad input giving a clear message and exit status 1.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
PLACE="$(abs "$1")"
SIM="$(abs "$2")"
ROOT="$(pwd)"  # the runfiles tree: profiler/hardware, profiler/models
enter_tmpdir

# bert-6.7b-like: 13.4 GiB and 0.395 s on one GPU; a 2-stage pipeline holds
# 6.7 GiB per GPU at 0.2 s per stage.
cat > db.textproto <<'DB'
provenance { method: "test" hardware: "none" sequence_length: 1024 partition: "manual" tool_version: "t" }
model {
  name: "big"
  config { op: 1 pp: 1 stage_weight_bytes: 14388140032
    batch { batch_size: 1 stage_latency_s: 0.395 stage_activation_bytes: 0 } }
  config { op: 1 pp: 2 stage_weight_bytes: [7194070016, 7194070016]
    batch { batch_size: 1 stage_latency_s: [0.2, 0.2] stage_activation_bytes: [0, 0] } }
}
DB
common=(--db=db.textproto --model_type=big --num_models=2 --num_devices=2
  --mem_budget_gb=14 --total_rate=3 --cv=3 --slo_scale=inf --duration=5000)

out=$("$PLACE" "${common[@]}" --policy=mp-search --out=p.textproto 2>&1) ||
  fail "mp-search failed: $out"
grep -q "group 0 (1,1,2): m. m." <<<"$out" || fail "no 2-stage pipeline: $out"
grep -q "^score: 0\.99" <<<"$out" || fail "score: $out"
grep -q "^solver time: [0-9.]* s" <<<"$out" || fail "solver time: $out"
grep -q 'instance { name: "m1" type: "big" }' p.textproto ||
  fail "instances in --out: $(cat p.textproto)"
grep -q "group { dp: 1 op: 1 pp: 2 model: " p.textproto ||
  fail "group in --out: $(cat p.textproto)"
printf 'arrival_s\tmodel\tslo_s\n0\tm0\tinf\n0\tm1\tinf\n' > trace.tsv
sim=$("$SIM" --db=db.textproto --placement=p.textproto --workload=trace.tsv \
  2>&1) || fail "simulate cannot read --out: $sim"

out=$("$PLACE" "${common[@]}" --policy=sr-greedy 2>&1) ||
  fail "sr-greedy failed: $out"
grep -q "group 1 (1,1,1): m." <<<"$out" || fail "sr-greedy: $out"

# sr-replace-60 on a trace whose hot model changes at 120 s (a request every
# 0.25 s): windows start at 0, 60.25 and 120.5 s (each at the first arrival
# more than 60 s after the last start); both GPUs host m0, then m1 from just
# after 120.5 s (the original switches at the first arrival after a window's
# first); a schedule (phases in --out) that //tools:simulate serves phase by
# phase.
awk 'BEGIN { print "arrival_s\tmodel\tslo_s";
  for (i = 0; i < 960; ++i) printf "%g\t%s\t2\n", i / 4, i < 480 ? "m0" : "m1" }' \
  > hot.tsv
out=$("$PLACE" --db=db.textproto --model_type=big --num_models=2 --num_devices=2 \
  --mem_budget_gb=14 --policy=sr-replace-60 --workload=hot.tsv \
  --out=s.textproto 2>&1) || fail "sr-replace-60 failed: $out"
grep -q "^schedule: 2 phases, switching at 120.5 s$" <<<"$out" ||
  fail "no schedule: $out"
grep -q "^phase 0 from 0 s: placement: 2 groups, 2 GPUs" <<<"$out" ||
  fail "no phase 0: $out"
grep -q "^training workload served by the schedule: goodput 0\.[0-9]*" \
  <<<"$out" || fail "no goodput: $out"
grep -q "^  start_s: 120.50000000000001$" s.textproto || fail "no phase in --out: $(cat s.textproto)"
grep -q 'description: "place --policy=sr-replace-60: .* 2 phases, goodput ' \
  s.textproto || fail "description: $(cat s.textproto)"
sim=$("$SIM" --db=db.textproto --placement=s.textproto --workload=hot.tsv \
  --warmup_s=0 --out=s_requests.tsv --summary_out=s_summary.tsv 2>&1) ||
  fail "simulate cannot serve the schedule: $sim"
grep -q "^  phase 1 from 120.5 s: group 0 (1,1,1): m1 | group 1 (1,1,1): m1$" \
  <<<"$sim" ||
  fail "simulate shows no phases: $sim"
grep -q $'^sr-replace-60\tsr-replace-60\tgroup 0 (1,1,1): m0 | group 1 (1,1,1): m0 \[+1 phase at 120.50000000000001 s\]\t960\t' \
  s_summary.tsv || fail "summary: $(cat s_summary.tsv)"
# The last request (m1 at 239.75 s) is served by a group of a later phase.
last_group=$(tail -1 s_requests.tsv | cut -f3)
[ "$last_group" -ge 2 ] || fail "last request on group $last_group"

# Robustness: a policy is not optimised on an empty training workload.
expect_error "$PLACE" "--duration must be a finite number of seconds > 0, got 0" \
  "${common[@]}" --policy=sr-greedy --duration=0
expect_error "$PLACE" "the training workload has no request" "${common[@]}" \
  --policy=sr-greedy --duration=0.001 --total_rate=0.001
expect_error "$PLACE" "no model fits the memory budget of 5.000 GiB" "${common[@]}" \
  --policy=mp-search --mem_budget_gb=5
expect_error "$PLACE" "no model fits" "${common[@]}" --policy=sr-uniform \
  --mem_budget_gb=5
expect_error "$PLACE" "2 devices cannot be split into 3-GPU" "${common[@]}" \
  --policy=mp-greedy-3
expect_error "$PLACE" "unknown placement_policy 'mp-nope'" "${common[@]}" \
  --policy=mp-nope
expect_error "$PLACE" "has no config (1,1,4)" "${common[@]}" --policy=mp-greedy-4 \
  --num_devices=4
expect_error "$PLACE" "has no model 'tiny'" "${common[@]}" --model_type=tiny \
  --policy=mp-search
expect_error "$PLACE" "a cost model is required: --db=PATH" --policy=mp-search

# simulate --summary_out names the policy the placement file records.
"$SIM" --db=db.textproto --placement=p.textproto --workload=trace.tsv \
  --summary_out=summary.tsv > /dev/null 2>&1 || fail "simulate --summary_out"
[ "$(tail -1 summary.tsv | cut -f1,2)" = $'mp-search\tmp-search' ] ||
  fail "policy in --summary_out: $(cat summary.tsv)"

# --process: any arrival process for the training workload.
out=$("$PLACE" --db=db.textproto --model_type=big --num_models=2 \
  --num_devices=2 --mem_budget_gb=14 --total_rate=3 --duration=5000 \
  --policy=sr-greedy --process=poisson --out=poisson.textproto 2>&1) ||
  fail "--process=poisson: $out"
grep -q "^problem: 2 x big on 2 GPUs, 14.000 GiB each; 3 req/s (uniform), process poisson, SLO inf; training workload [0-9]* requests over 5000 s$" <<<"$out" ||
  fail "--process=poisson problem line: $out"
grep -q 'description: "place --policy=sr-greedy: 2 x big, 2 GPUs, 14 GiB, 3 req/s uniform, process poisson, slo_scale inf, duration 5000 s, seed 0; score' \
  poisson.textproto || fail "--process=poisson description: $(cat poisson.textproto)"

# A trace of six models (m0..m5, model i every i+1 seconds over 200 s: 491
# requests) for --workload and --process=trace.
awk 'BEGIN { print "arrival_s\tmodel\tslo_s"
  for (t = 0; t < 200; t += 0.5) for (m = 0; m < 6; m++)
    if (int(t * 2) % (2 * (m + 1)) == 0) print t "\tm" m "\tinf" }' > six.tsv
# --process=trace: each instance replays its own model.
out=$("$PLACE" --db=db.textproto --model_type=big --num_models=2 \
  --num_devices=2 --mem_budget_gb=14 --policy=sr-greedy \
  --process=trace:path=six.tsv --duration=100 2>&1) ||
  fail "--process=trace: $out"
# m0: 100 requests in [0, 100), m1: 50.
grep -q "training workload 150 requests over 100 s" <<<"$out" ||
  fail "--process=trace replays per model: $out"

# Mixed models on the analytical cost model, trained on the trace.
hw="$ROOT/profiler/hardware/v100-sxm2-16gb.textproto"
analytical="analytical:hardware=$hw,models_dir=$ROOT/profiler/models"
mixed=(--cost_model="$analytical" --models=bert-1.3b:4,bert-6.7b:2
  --num_devices=8 --mem_budget_gb=13 --policy=sr-greedy --workload=six.tsv)
out=$("$PLACE" "${mixed[@]}" --slo_scale=5 --out=mixed.textproto 2>&1) ||
  fail "mixed models: $out"
grep -q "^problem: 4 x bert-1.3b + 2 x bert-6.7b on 8 GPUs, 13.000 GiB each; trace six.tsv, SLO 5 x L1 (bert-1.3b 0.[0-9]* s, bert-6.7b [0-9.]* s); training workload 491 requests of the trace's 491$" <<<"$out" ||
  fail "mixed problem line: $out"
for i in 0 1 2 3; do
  grep -q "instance { name: \"m$i\" type: \"bert-1.3b\" }" mixed.textproto ||
    fail "m$i is not bert-1.3b: $(cat mixed.textproto)"
done
for i in 4 5; do
  grep -q "instance { name: \"m$i\" type: \"bert-6.7b\" }" mixed.textproto ||
    fail "m$i is not bert-6.7b: $(cat mixed.textproto)"
done
grep -q 'description: "place --policy=sr-greedy: 4 x bert-1.3b + 2 x bert-6.7b, 8 GPUs, 13 GiB, trace six.tsv, slo_scale 5; score' \
  mixed.textproto || fail "mixed description: $(cat mixed.textproto)"
out=$("$PLACE" "${mixed[@]}" 2>&1) || fail "mixed, the trace's SLOs: $out"
grep -q "SLO the trace's;" <<<"$out" || fail "trace SLOs: $out"
"$SIM" --cost_model="$analytical" --placement=mixed.textproto \
  --workload=six.tsv > /dev/null 2>&1 || fail "simulate the mixed placement"

# The MoE models of the shipped database, mixed with bert, on the
# database and on the analytical model (whose default models include them).
shipped="$ROOT/profiler/data/profiling_result.textproto"
for cm in --db="$shipped" --cost_model="$analytical"; do
  out=$("$PLACE" "$cm" --models=moe-1.3b:4,bert-1.3b:4 --num_devices=8 \
    --mem_budget_gb=13 --policy=mp-search --total_rate=20 --cv=3 \
    --duration=200 --out=moe.textproto 2>&1) || fail "moe models ($cm): $out"
  grep -q "^problem: 4 x moe-1.3b + 4 x bert-1.3b on 8 GPUs" <<<"$out" ||
    fail "moe problem line ($cm): $out"
  grep -q 'instance { name: "m0" type: "moe-1.3b" }' moe.textproto &&
    grep -q 'instance { name: "m7" type: "bert-1.3b" }' moe.textproto ||
    fail "moe instances ($cm): $(cat moe.textproto)"
  grep -q '^group {' moe.textproto || fail "moe: no group ($cm)"
done

# The analytical cost model's default files are the workspace's, wherever
# `bazel run` starts; relative --out is the user's directory.
mkdir -p elsewhere
user_dir="$(pwd -P)/elsewhere"
out=$(cd / && BUILD_WORKSPACE_DIRECTORY="$ROOT" \
  BUILD_WORKING_DIRECTORY="$user_dir" "$PLACE" \
  --cost_model=analytical --models=bert-1.3b:2 --num_devices=2 \
  --policy=sr-greedy --duration=100 --out=p.textproto 2>&1) ||
  fail "analytical defaults from the workspace: $out"
[ -s elsewhere/p.textproto ] || fail "--out not in the user's directory"

# Nothing on stderr without a terminal (with a finite SLO); a spinner,
# erased, on one.
"$PLACE" "${common[@]}" --slo_scale=5 --policy=sr-greedy > /dev/null 2> err.txt
[ -s err.txt ] && fail "stderr without a terminal: $(cat err.txt)"
# An infinite SLO leaves a fill by unserved requests nothing to order by:
# warned on stderr and in the placement's description.
"$PLACE" "${common[@]}" --policy=sr-greedy --out=inf.textproto > /dev/null \
  2> err.txt
grep -q "^warning: --policy=sr-greedy places by the requests it leaves unserved" \
  err.txt || fail "no infinite-SLO warning: $(cat err.txt)"
grep -q "orders models arbitrarily" inf.textproto \
  || fail "the placement file does not carry the infinite-SLO warning"
# --mem_budget_gib is --mem_budget_gb.
"$PLACE" "${common[@]}" --slo_scale=5 --policy=sr-greedy --out=gb.textproto \
  > /dev/null 2>&1
"$PLACE" --db=db.textproto --model_type=big --num_models=2 --num_devices=2 \
  --mem_budget_gib=14 --total_rate=3 --cv=3 --slo_scale=5 --duration=5000 \
  --policy=sr-greedy --out=gib.textproto > /dev/null 2>&1
cmp -s <(grep -v '^#' gb.textproto) <(grep -v '^#' gib.textproto) \
  || fail "--mem_budget_gib=14 places differently from --mem_budget_gb=14"
if command -v script > /dev/null; then
  script -qec "'$PLACE' --db=db.textproto --model_type=big --num_models=2 \
    --num_devices=2 --mem_budget_gb=14 --policy=sr-greedy > /dev/null" \
    /dev/null > tty.txt 2>&1
  grep -q "place: sr-greedy on [0-9]* requests . [0-9.]* s" tty.txt ||
    fail "no spinner on a terminal: $(od -c tty.txt | head)"
  grep -q $'\r\033\[K$' tty.txt || fail "the spinner is not erased"
fi

# Refusals.
expect_error "$PLACE" "give --models=TYPE:COUNT,... or --model_type and --num_models, not both" \
  "${common[@]}" --models=big:2
expect_error "$PLACE" "give --models=TYPE:COUNT,... or --model_type and --num_models, not both" \
  --db=db.textproto --models=big:2 --num_models=2
expect_error "$PLACE" "--models: 'big:0' is not TYPE or TYPE:COUNT" \
  --db=db.textproto --models=big:0
expect_error "$PLACE" "give --cost_model=SPEC or --db=PATH (short for --cost_model=database:path=PATH), not both" \
  "${common[@]}" --cost_model=analytical
expect_error "$PLACE" "unknown cost_model 'nope'" --cost_model=nope --models=big:2
for flag in --total_rate=3 --rate_split=2:8 --process=poisson --cv=2 \
    --duration=10 --seed=1; do
  expect_error "$PLACE" "${flag%%=*} does not apply with --workload: the trace gives the training arrivals" \
    --db=db.textproto --models=big:2 --num_devices=2 --workload=six.tsv "$flag"
done
expect_error "$PLACE" "--cv does not apply to process 'poisson'" \
  --db=db.textproto --models=big:2 --process=poisson --cv=2
for flag in --total_rate=3 --rate_split=2:8; do
  expect_error "$PLACE" "${flag%%=*} does not apply to process 'trace:path=six.tsv': it takes no rate" \
    --db=db.textproto --models=big:2 --process=trace:path=six.tsv "$flag"
done
expect_error "$PLACE" "--seed does not apply to process 'trace:path=six.tsv': a trace draws nothing at random" \
  --db=db.textproto --models=big:2 --process=trace:path=six.tsv --seed=0
expect_error "$PLACE" "unknown arrival_process 'gama'" --db=db.textproto \
  --models=big:2 --process=gama
expect_error "$PLACE" "cannot open 'missing.tsv'" --db=db.textproto --models=big:2 \
  --workload=missing.tsv

# Robustness: --out never replaces the database it read.
cp db.textproto db.before
expect_error "$PLACE" "--out db.textproto is the same file as --db db.textproto" \
  "${common[@]}" --policy=sr-greedy --out=db.textproto
cmp -s db.textproto db.before || fail "the database was changed"
# Robustness: huge counts are clear errors, not bad_alloc.
expect_error "$PLACE" "over the limit of 1048576 devices (kMaxDevices)" \
  "${common[@]}" --policy=sr-greedy --num_devices=2147483647
expect_error "$PLACE" "2147483647 model instances are over the limit" \
  "${common[@]}" --policy=sr-greedy --num_models=2147483647
# Robustness: a search estimated past --max_case_hours (as //tools:study
# estimates a case: 1 + 500000 served + 500000 placed x 2 models x 100000
# GPUs, at 2.5e7 per second: 1.11 hours) is refused before it starts, with
# the estimate and the bound; --max_case_hours moves the bound either way.
awk 'BEGIN { print "arrival_s\tmodel\tslo_s";
  for (i = 0; i < 500000; ++i) printf "%g\tm%d\tinf\n", i / 100, i % 2 }' \
  > big.tsv
start=$SECONDS
expect_error "$PLACE" "--policy=sr-greedy on 100000 GPUs would run for about 1.11 hours on one core (500000 requests placed over 2 models x 100000 GPUs), more than --max_case_hours=1; shrink the cluster or the workload, or raise --max_case_hours" \
  --db=db.textproto --models=big:2 --num_devices=100000 --policy=sr-greedy \
  --workload=big.tsv
(( SECONDS - start < 20 )) || fail "the refusal took $((SECONDS - start)) s"
expect_error "$PLACE" "--max_case_hours must be > 0" "${common[@]}" \
  --policy=sr-greedy --max_case_hours=0
# hot.tsv: 1 + 960 + 960 x 2 x 2 = 4801 units, 5.33e-08 hours.
expect_error "$PLACE" "would run for about 5.33e-08 hours on one core (960 requests placed over 2 models x 2 GPUs), more than --max_case_hours=1e-08" \
  --db=db.textproto --models=big:2 --num_devices=2 --mem_budget_gb=14 \
  --policy=sr-greedy --workload=hot.tsv --max_case_hours=1e-8
out=$("$PLACE" --db=db.textproto --models=big:2 --num_devices=2 \
  --mem_budget_gb=14 --policy=sr-greedy --workload=hot.tsv \
  --max_case_hours=1e-7 2>&1) || fail "raised --max_case_hours refused: $out"
grep -q "^placement: 2 groups" <<<"$out" || fail "raised bound placed: $out"
finish
