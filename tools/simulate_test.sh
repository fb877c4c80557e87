#!/usr/bin/env bash
# End-to-end checks of //tools:simulate: a hand-checkable run (--out with its
# header, --summary_out with results.tsv's columns), byte-identical --out
# files across runs, --cost_model, and a clear message plus exit status 1 for
# each kind of bad input.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
SIM="$(abs "$1")"
WL="$(abs "$2")"
enter_tmpdir

cat > db.textproto <<'DB'
provenance { method: "test" hardware: "none" sequence_length: 1024 partition: "manual" tool_version: "t" }
model {
  name: "bert"
  config { op: 1 pp: 1 stage_weight_bytes: 4294967296
    batch { batch_size: 1 stage_latency_s: 0.5 stage_activation_bytes: 0 } }
  config { op: 1 pp: 2 stage_weight_bytes: [2147483648, 2147483648]
    batch { batch_size: 1 stage_latency_s: [0.25, 0.25] stage_activation_bytes: [0, 0] } }
}
DB
cat > p.textproto <<'P'
cluster { num_devices: 2 mem_budget_gb: 4 }
instance { name: "m0" type: "bert" }
instance { name: "m1" type: "bert" }
group { pp: 2 model: "m0" model: "m1" }
P
# Three requests; the third has an SLO it cannot meet.
printf 'arrival_s\tmodel\tslo_s\n0\tm0\tinf\n0\tm1\tinf\n0.25\tm0\t0.5\n' \
  > trace.tsv

out=$("$SIM" --db=db.textproto --placement=p.textproto --workload=trace.tsv \
  --out=r1.tsv --summary_out=s1.tsv --fixed_overhead_s=0 --stage_slowdown=0 \
  --warmup_s=0 2>&1) || fail "good run failed: $out"
# m0: [0,.25][.25,.5] -> 0.5; m1: [.25,.5][.5,.75] -> 0.75; third would end
# at 1.0 > 0.75: rejected.
expected=$'index\tmodel\tgroup\tarrival_s\tfinish_s\tgood\n0\tm0\t0\t0\t0.5\t1\n1\tm1\t0\t0\t0.75\t1\n2\tm0\t-1\t0.25\t0.25\t0'
[ "$(cat r1.tsv)" == "$expected" ] || fail "unexpected --out: $(cat r1.tsv)"
grep -q "overall .* 3 .* 2 .*66.67%" <<<"$out" || fail "summary: $out"
# results.tsv's columns; no policy recorded in this hand-written file, no
# solver time. Latencies 0.5 and 0.75; 2 good requests over 0.25 s. Over
# all requests the rejected one counts at its deadline (SLO 0.5): p99 of
# {0.5, 0.5, 0.75} at index 1.98 = 0.5 + 0.98 x 0.25 = 0.745.
header=$'policy\tpolicy_spec\tplacement\trequests\tslo_attainment\tmean_latency_s\tp50_latency_s\tp90_latency_s\tp99_latency_s\tp99_all_latency_s\tthroughput_rps\tsolver_s'
row=$'\t\tgroup 0 (1,1,2): m0 m1\t3\t0.6666666666666666\t0.625\t0.625\t0.725\t0.7475\t0.745\t8\t'
[ "$(cat s1.tsv)" == "$header"$'\n'"$row" ] ||
  fail "unexpected --summary_out: $(cat -A s1.tsv)"
grep -q "^wrote s1.tsv$" <<<"$out" || fail "no 'wrote s1.tsv': $out"

# --cost_model=database:path=... is what --db is short for.
"$SIM" --db=db.textproto --placement=p.textproto --workload=trace.tsv \
  --warmup_s=0 > db.out 2>&1 || fail "--db run"
"$SIM" --cost_model=database:path=db.textproto --placement=p.textproto \
  --workload=trace.tsv --warmup_s=0 > spec.out 2>&1 || fail "--cost_model run"
cmp -s db.out spec.out || fail "--cost_model=database:path= differs from --db"

# Determinism with the default constants.
"$SIM" --db=db.textproto --placement=p.textproto --workload=trace.tsv \
  --warmup_s=0 --out=a.tsv >/dev/null 2>&1 || fail "run a"
"$SIM" --db=db.textproto --placement=p.textproto --workload=trace.tsv \
  --warmup_s=0 --out=b.tsv >/dev/null 2>&1 || fail "run b"
cmp -s a.tsv b.tsv || fail "--out differs between identical runs"

# Robustness: statistics over no request (a trace shorter than twice the
# warm-up) and non-finite constants are refused, not printed as 0%.
expect_error "$SIM" "no request is counted: the warm-up of 10 s" \
  --db=db.textproto --placement=p.textproto --workload=trace.tsv
expect_error "$SIM" "--warmup_s must be finite" --db=db.textproto \
  --placement=p.textproto --workload=trace.tsv --warmup_s=inf
expect_error "$SIM" "must be finite and >= 0" --db=db.textproto \
  --placement=p.textproto --workload=trace.tsv --fixed_overhead_s=inf

# A schedule: from 0.2 s each model on a GPU of its own. The third request
# (m0 at 0.25) is served by the new phase's first group (number 1 across
# phases), on GPU 0 once the pipeline's first stage frees it at 0.5:
# [0.5, 1.0].
cp p.textproto s.textproto
printf 'phase {\n  start_s: 0.2\n  group { model: "m0" }\n  group { model: "m1" }\n}\n' \
  >> s.textproto
printf 'arrival_s\tmodel\tslo_s\n0\tm0\tinf\n0\tm1\tinf\n0.25\tm0\tinf\n' \
  > trace_inf.tsv
out=$("$SIM" --db=db.textproto --placement=s.textproto --workload=trace_inf.tsv \
  --out=r_s.tsv --fixed_overhead_s=0 --stage_slowdown=0 --warmup_s=0 2>&1) ||
  fail "schedule run failed: $out"
expected=$'index\tmodel\tgroup\tarrival_s\tfinish_s\tgood\n0\tm0\t0\t0\t0.5\t1\n1\tm1\t0\t0\t0.75\t1\n2\tm0\t1\t0.25\t1\t1'
[ "$(cat r_s.tsv)" == "$expected" ] || fail "unexpected schedule --out: $(cat r_s.tsv)"
# Without --out the run keeps no per-request group (the same statistics).
out2=$("$SIM" --db=db.textproto --placement=s.textproto --workload=trace_inf.tsv \
  --fixed_overhead_s=0 --stage_slowdown=0 --warmup_s=0 2>&1) ||
  fail "schedule run without --out failed: $out2"
[ "$(echo "$out" | grep -v '^wrote')" == "$(echo "$out2" | grep -v '^wrote')" ] ||
  fail "schedule statistics differ without --out: $out2"
sed 's/group { model: "m1" }/group { model: "m1" model: "m0" }/' s.textproto \
  > s_big.textproto
expect_error "$SIM" "s_big.textproto: phase 1 (from 0.2 s): group 1 (1,1,1): needs 8.000 GiB per device, over the budget of 4.000 GiB" \
  --db=db.textproto --workload=trace.tsv --placement=s_big.textproto

base=(--db=db.textproto --workload=trace.tsv --warmup_s=0)
expect_error "$SIM" "over the budget of 1.000 GiB" "${base[@]}" \
  --placement=p.textproto --mem_budget_gb=1
sed 's/pp: 2/op: 2/' p.textproto > cfg.textproto
expect_error "$SIM" "has no config (1,2,1) for model m0 (bert)" "${base[@]}" \
  --placement=cfg.textproto
sed 's/"bert"/"gpt"/' p.textproto > type.textproto
expect_error "$SIM" "instance 'm0' has model type 'gpt'" "${base[@]}" \
  --placement=type.textproto
printf 'instance { name: "m0" type: "bert" }\ngroup { model: "m5" }\n' \
  > unknown.textproto
expect_error "$SIM" "unknown.textproto:2:" "${base[@]}" --placement=unknown.textproto
printf 'group { pp: 2 model: m3 }\n' > syntax.textproto
expect_error "$SIM" "syntax.textproto:1:" "${base[@]}" --placement=syntax.textproto
printf 'arrival_s\tmodel\tslo_s\n0\tm0\tinf\n1\tm9\tinf\n' > bad.tsv
expect_error "$SIM" "bad.tsv:3" --db=db.textproto --placement=p.textproto \
  --workload=bad.tsv
expect_error "$SIM" "a cost model is required: --db=PATH" --placement=p.textproto \
  --workload=trace.tsv
expect_error "$SIM" "give --cost_model=SPEC or --db=PATH" "${base[@]}" \
  --placement=p.textproto --cost_model=database:path=db.textproto
expect_error "$SIM" "unknown cost_model 'nope'" --cost_model=nope \
  --placement=p.textproto --workload=trace.tsv
expect_error "$SIM" "/nonexistent/s.tsv" "${base[@]}" --placement=p.textproto \
  --summary_out=/nonexistent/s.tsv
# Nothing on stderr without a terminal.
"$SIM" "${base[@]}" --placement=p.textproto > /dev/null 2> err.txt
[ -s err.txt ] && fail "stderr without a terminal: $(cat err.txt)"
expect_error "$SIM" "cannot open" --db=missing.textproto --placement=p.textproto \
  --workload=trace.tsv

# Robustness: an output is never one of the inputs.
cp trace.tsv trace.before
expect_error "$SIM" "--out trace.tsv is the same file as --workload trace.tsv" \
  "${base[@]}" --placement=p.textproto --out=trace.tsv
expect_error "$SIM" "--summary_out ./db.textproto is the same file as --db db.textproto" \
  "${base[@]}" --placement=p.textproto --summary_out=./db.textproto
cmp -s trace.tsv trace.before || fail "the workload was changed"

# The binary trace format: a binary trace (//tools:workload --convert) serves exactly as its
# text; without --out the statistics come from finish and good alone and
# print the same as with it.
"$WL" --num_models=2 --total_rate=6 --duration=200 --slo=0.9/1.2 \
  --out=gen.tsv > /dev/null 2>&1 || fail "generating gen.tsv"
"$WL" --convert=gen.tsv --out=gen.bin > /dev/null 2>&1 || fail "converting"
gen=(--db=db.textproto --placement=p.textproto --warmup_s=5)
"$SIM" "${gen[@]}" --workload=gen.tsv --out=rt.tsv --summary_out=st.tsv \
  > tsv.out 2>&1 || fail "gen.tsv: $(cat tsv.out)"
"$SIM" "${gen[@]}" --workload=gen.bin --out=rb.tsv --summary_out=sb.tsv \
  > bin.out 2>&1 || fail "gen.bin: $(cat bin.out)"
"$SIM" "${gen[@]}" --workload=gen.bin > lean.out 2>&1 || fail "no --out"
cmp -s rt.tsv rb.tsv || fail "--out differs between gen.tsv and gen.bin"
cmp -s st.tsv sb.tsv || fail "--summary_out differs between gen.tsv and gen.bin"
diff <(grep -v '^wrote ' tsv.out | sed 's/gen.tsv/X/') \
  <(grep -v '^wrote ' bin.out | sed 's/gen.bin/X/') >&2 ||
  fail "the printed statistics differ between gen.tsv and gen.bin"
diff <(grep -v '^wrote ' bin.out) lean.out >&2 ||
  fail "without --out the statistics differ"
grep -q "overall .*%" lean.out && ! grep -q "overall .* 0 .* 0.00%" lean.out ||
  fail "no good request in the check: $(cat lean.out)"
finish
