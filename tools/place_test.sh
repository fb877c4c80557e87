#!/usr/bin/env bash
# End-to-end checks of //tools:place: the Figure 2 two-model case picks the
# 2-stage pipeline, --out is read back by //tools:simulate, and bad input
# gives a clear message and exit status 1.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
PLACE="$(abs "$1")"
SIM="$(abs "$2")"
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
expect_error "$PLACE" "--db is required" --policy=mp-search

finish
