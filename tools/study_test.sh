#!/usr/bin/env bash
# End-to-end checks of //tools:study on a small spec (seconds): the files it
# writes, results.tsv's header and rows, study.textproto loading again to the
# same results, the same bytes from two runs and from --threads=1 and 2, and
# bad specs failing with status 1 and FILE:LINE: FIELD.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
STUDY="$(abs "$1")"
enter_tmpdir

cat > small.textproto <<'SPEC'
name: "small"
description: "end-to-end test"
cluster { num_devices: 4 }
models { type: "bert-1.3b" count: 2 }
models { type: "bert-2.6b" count: 2 }
workload { total_rate: 6 cv: 3 duration_s: 300 slo_scale: 4 }
policies { label: "Replication" spec: "sr-greedy" }
policies { label: "Model Parallelism" spec: "mp-search" }
sweep { fields { field: "workload.total_rate" values: [3, 6, 9] } }
sweep { fields { field: "workload.cv" values: [1, 3] } }
charts { metric: "slo_attainment" y_scale: 100 where: "workload.cv=3" }
charts { kind: "latency_cdf" per_model: true where: "workload.cv=3" where: "workload.total_rate=6" }
charts { kind: "utilization" where: "workload.cv=3" where: "workload.total_rate=9" window_s: 20 }
SPEC


"$STUDY" --spec=small.textproto --out_dir=a --quiet > a.log 2>&1 || fail "run a: $(cat a.log)"
for f in results.tsv study.textproto slo_attainment.pdf slo_attainment.tsv \
    latency_cdf.pdf latency_cdf.tsv utilization.pdf utilization.tsv; do
  [ -s "a/$f" ] || fail "a/$f missing or empty"
done
[ -e a/slo_attainment.png ] && fail "a PNG without --png"
head -c 5 a/slo_attainment.pdf | grep -q '%PDF-' || fail "not a PDF"

header="workload.total_rate	workload.cv	policy	policy_spec	placement	requests	slo_attainment	mean_latency_s	p50_latency_s	p90_latency_s	p99_latency_s	p99_all_latency_s	throughput_rps	solver_s"
grep -qx "$header" a/results.tsv || fail "results.tsv header: $(grep -v '^#' a/results.tsv | head -1)"
grep -qx '# study: small' a/results.tsv || fail "no study line"
grep -qx '# description: end-to-end test' a/results.tsv || fail "no description line"
grep -q '^# cost_model: database(' a/results.tsv || fail "no cost model line"
grep -qx '# spec: small.textproto' a/results.tsv || fail "no spec line"
# 3 rates x 2 cvs x 2 policies, first axis outermost, then the policies.
rows=$(grep -v '^#' a/results.tsv | tail -n +2)
[ "$(wc -l <<<"$rows")" -eq 12 ] || fail "want 12 rows, got $(wc -l <<<"$rows")"
[ "$(cut -f1,2,3 <<<"$rows" | head -3 | tr '\t\n' ',;')" = "3,1,Replication;3,1,Model Parallelism;3,3,Replication;" ] \
  || fail "row order: $(cut -f1-3 <<<"$rows" | head -3)"
awk -F'\t' '{
    if (NF != 14) { print "row " NR " has " NF " columns"; bad = 1 }
    if ($6 !~ /^[0-9]+$/ || $6 == 0) { print "row " NR ": requests " $6; bad = 1 }
    if ($7 < 0 || $7 > 1) { print "row " NR ": attainment " $7; bad = 1 }
    if ($5 !~ /^group 0 \(/) { print "row " NR ": placement " $5; bad = 1 }
  } END { exit bad }' <<<"$rows" || fail "row contents"
grep -q '^Replication	' a/slo_attainment.tsv || fail "chart TSV lacks the Replication line"
grep -q '^Model Parallelism Model 2	' a/latency_cdf.tsv || fail "CDF TSV lacks per-model series"

# The same bytes again, and with one or two threads.
"$STUDY" --spec=small.textproto --out_dir=b --quiet --threads=1 || fail "run b"
"$STUDY" --spec=small.textproto --out_dir=c --quiet --threads=2 --png || fail "run c"
for f in study.textproto slo_attainment.pdf slo_attainment.tsv latency_cdf.pdf \
    latency_cdf.tsv utilization.pdf utilization.tsv; do
  cmp -s "a/$f" "b/$f" || fail "$f differs between runs"
  cmp -s "b/$f" "c/$f" || fail "$f differs between --threads=1 and 2"
done
cmp -s <(strip_solver a/results.tsv) <(strip_solver b/results.tsv) || fail "results.tsv differs between runs"
cmp -s <(strip_solver b/results.tsv) <(strip_solver c/results.tsv) || fail "results.tsv differs between --threads=1 and 2"
[ -s c/utilization.png ] || fail "--png wrote no PNG"

# study.textproto loads again and gives the same results.
"$STUDY" --spec=a/study.textproto --out_dir=d --quiet > d.log 2>&1 || fail "study.textproto does not load: $(cat d.log)"
cmp -s <(strip_solver a/results.tsv | grep -v '^# spec:') \
       <(strip_solver d/results.tsv | grep -v '^# spec:') || fail "study.textproto gives other results"
cmp -s a/slo_attainment.pdf d/slo_attainment.pdf || fail "study.textproto draws another chart"
grep -q 'same_as_serving: true' a/study.textproto || fail "defaults not filled"

# --seed changes the workload; --duration_scale shortens it.
"$STUDY" --spec=small.textproto --out_dir=e --quiet --seed=5 --duration_scale=0.5 || fail "run e"
grep -qx '# seed: 5' e/results.tsv || fail "--seed not recorded"
grep -qx '# duration_scale: 0.5' e/results.tsv || fail "--duration_scale not recorded"
cmp -s <(strip_solver a/results.tsv) <(strip_solver e/results.tsv) && fail "--seed changed nothing"

# A file of several studies (studies { ... }): each into its own directory.
cat > two.textproto <<'SPEC'
name: "two"
cluster { num_devices: 4 }
models { type: "bert-1.3b" count: 4 }
workload { total_rate: 6 cv: 3 duration_s: 300 }
policies { label: "Replication" spec: "sr-greedy" }
studies { name: "low" workload { total_rate: 3 } charts { stem: "cdf_low" kind: "latency_cdf" } }
studies { sweep { fields { field: "workload.cv" values: [1, 3] } } charts { stem: "p99" metric: "p99_latency_s" } }
SPEC
"$STUDY" --spec=two.textproto --out_dir=t --quiet > t.log 2>&1 || fail "run t: $(cat t.log)"
for f in low/results.tsv low/study.textproto low/cdf_low.pdf two_2/results.tsv \
    two_2/p99.pdf two_2/p99.tsv; do
  [ -s "t/$f" ] || fail "t/$f missing or empty"
done
grep -qxF '# spec: two.textproto (studies[1])' t/two_2/results.tsv || fail "no entry in the spec line"
grep -qx '  total_rate: 3' t/low/study.textproto || fail "low: not the entry's rate"
sed 's/total_rate: 3 /total_rate: -3 /' two.textproto > bad_two.textproto
expect_error "$STUDY" "bad_two.textproto:6: studies[0].workload.total_rate: must be a finite number > 0, got -3" \
  --spec=bad_two.textproto --out_dir=x

# A spec mixing the default database's MoE and BERT models.
cat > moe.textproto <<'SPEC'
name: "moe"
cluster { num_devices: 8 }
models { type: "moe-1.3b" count: 2 }
models { type: "moe-5.3b" count: 2 }
models { type: "bert-1.3b" count: 2 }
workload { total_rate: 8 cv: 3 duration_s: 200 slo_scale: 5 }
policies { label: "Model Parallelism" spec: "mp-search" }
SPEC
"$STUDY" --spec=moe.textproto --out_dir=moe --quiet > moe.log 2>&1 ||
  fail "moe spec: $(cat moe.log)"
grep -v '^#' moe/results.tsv | tail -n +2 | awk -F'\t' '{
    if ($4 !~ /^[0-9]+$/ || $4 == 0 || $5 < 0.5 || $5 > 1) bad = 1
  } END { exit bad || NR != 1 }' || fail "moe results: $(cat moe/results.tsv)"
grep -q 'type: "moe-5.3b"' moe/study.textproto || fail "moe study.textproto"

# --help, and bad specs: status 1 and FILE:LINE: FIELD: message.
"$STUDY" --help > help.txt 2>&1; rc=$?
[ $rc -eq 0 ] || fail "--help exits $rc"
grep -q -- '--duration_scale' help.txt || fail "--help lists no flags"
sed 's/total_rate: 6 /total_rate: -6 /' small.textproto > bad_rate.textproto
expect_error "$STUDY" "bad_rate.textproto:6: workload.total_rate: must be a finite number > 0, got -6" \
  --spec=bad_rate.textproto --out_dir=x
sed 's/"mp-search"/"mp-serch"/' small.textproto > bad_policy.textproto
expect_error "$STUDY" "bad_policy.textproto:8: policies[1].spec: unknown placement_policy 'mp-serch'" \
  --spec=bad_policy.textproto --out_dir=x
printf 'models { type: "bert-1.3b" }\nmodles { }\n' > bad_field.textproto
expect_error "$STUDY" "bad_field.textproto:2:" --spec=bad_field.textproto --out_dir=x
expect_error "$STUDY" "cannot open 'missing.textproto'" --spec=missing.textproto --out_dir=x
expect_error "$STUDY" "--spec=FILE is required" --out_dir=x
[ -e x ] && fail "a bad spec created the output directory"

# Outputs never replace inputs: the spec named study.textproto in --out_dir
# and a trace named results.tsv there are refused before anything runs.
mkdir -p own
cp small.textproto own/study.textproto
expect_error "$STUDY" "study.textproto own/study.textproto is the same file as the spec own/study.textproto; refusing to overwrite an input" \
  --spec=own/study.textproto --out_dir=own --quiet
cmp -s own/study.textproto small.textproto || fail "the spec was replaced"
[ -e own/results.tsv ] && fail "a refused run wrote results.tsv"
mkdir -p traced
printf 'arrival_s\tmodel\tslo_s\n0.5\tm0\tinf\n1.5\tm1\tinf\n' > traced/results.tsv
cp traced/results.tsv trace_copy.tsv
printf 'cluster { num_devices: 2 }\nmodels { type: "bert-1.3b" count: 2 }\nworkload { trace: "traced/results.tsv" }\npolicies { spec: "sr-greedy" }\n' > traced.textproto
expect_error "$STUDY" "results.tsv traced/results.tsv is the same file as workload.trace $PWD/traced/results.tsv" \
  --spec=traced.textproto --out_dir=traced --quiet
cmp -s traced/results.tsv trace_copy.tsv || fail "the trace was replaced"

# All or nothing: when one file of a study cannot be written, every output
# of the previous run stays as it was, and no temporary is left.
cp -r a keep
rm a/latency_cdf.tsv && mkdir a/latency_cdf.tsv
expect_error "$STUDY" "latency_cdf.tsv': Is a directory" \
  --spec=small.textproto --out_dir=a --quiet --seed=7
for f in results.tsv study.textproto slo_attainment.pdf slo_attainment.tsv \
    latency_cdf.pdf utilization.pdf utilization.tsv; do
  cmp -s "a/$f" "keep/$f" || fail "a failed run replaced a/$f"
done
ls a | grep -q 'tmp-' && fail "temporaries left: $(ls a)"

finish
