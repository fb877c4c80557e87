#!/usr/bin/env bash
# //tools:study under mpirun (declared only where @local_mpi found MPI):
# the outputs of 2 and 3 ranks, with 1 or 2 threads each, have the same
# checksums as a single process's (results.tsv without its wall-clock
# solver_s column); a file of several studies; --timing; a failing case
# stops every rank with status 1 and one message naming the case and the
# rank, writing nothing; a bad spec says so once.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
STUDY="$(abs "$1")"
SUPPRESSIONS="$(abs "$2")"
enter_tmpdir

# mpirun refuses root without these (CI runs as root); its session files go
# under the test's scratch directory; shared memory between the ranks, no
# network.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export TMPDIR="$PWD" OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
# Under --config=asan, what OpenMPI allocates and keeps until exit is no
# leak of ours: suppressed where an OpenMPI library is on the allocation's
# stack (testdata/mpi_lsan_suppressions.txt). That needs full stacks, as
# OpenMPI is built without frame pointers: slow (about 10 s to start and
# stop the ranks), so the sanitized run makes only the launches that cover
# other code: 3 ranks of 2 threads, --timing, and a failing case.
RUNS=("2 1" "2 2" "3 1" "3 2")
sanitized=0
if [ -n "${ASAN_OPTIONS:-}" ]; then
  export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
  export LSAN_OPTIONS="suppressions=$SUPPRESSIONS:print_suppressions=0"
  RUNS=("3 2")
  sanitized=1
fi
MPIRUN=(mpirun -q --oversubscribe)

cat > small.textproto <<'SPEC'
name: "small"
cluster { num_devices: 4 }
models { type: "bert-1.3b" count: 2 }
models { type: "bert-2.6b" count: 2 }
workload { total_rate: 6 cv: 3 duration_s: 150 slo_scale: 4 }
policies { label: "Replication" spec: "sr-greedy" }
policies { label: "Model Parallelism" spec: "mp-search" }
sweep { fields { field: "workload.total_rate" values: [3, 6, 9] } }
sweep { fields { field: "workload.cv" values: [1, 3] } }
charts { metric: "slo_attainment" y_scale: 100 where: "workload.cv=3" }
charts { kind: "latency_cdf" per_model: true where: "workload.cv=3" where: "workload.total_rate=6" }
charts { kind: "utilization" where: "workload.cv=3" where: "workload.total_rate=9" window_s: 20 }
SPEC

# The checksum of every file under a directory, results.tsv without its
# last column (solver_s).
checksums() {
  (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
    if [ "$(basename "$f")" = results.tsv ]; then
      strip_solver "$f" | sha256sum | sed "s|-\$|$f|"
    else
      sha256sum "$f"
    fi
  done)
}

"$STUDY" --spec=small.textproto --out_dir=single --quiet --threads=2 > single.log 2>&1 \
  || fail "single process: $(cat single.log)"
checksums single > single.sums
[ "$(wc -l < single.sums)" -eq 8 ] || fail "single run wrote $(wc -l < single.sums) files, want 8"

for run in "${RUNS[@]}"; do
  set -- $run
  out="np$1_t$2"
  "${MPIRUN[@]}" -np "$1" "$STUDY" --spec=small.textproto --out_dir="$out" \
    --quiet --threads="$2" > "$out.log" 2>&1 || fail "-np $1 --threads=$2: $(cat "$out.log")"
  checksums "$out" > "$out.sums"
  diff single.sums "$out.sums" > /dev/null \
    || fail "-np $1 --threads=$2: checksums differ: $(diff single.sums "$out.sums")"
done

# A file of several studies, each into its own directory.
cat > two.textproto <<'SPEC'
name: "two"
cluster { num_devices: 4 }
models { type: "bert-1.3b" count: 4 }
workload { total_rate: 6 cv: 3 duration_s: 300 }
policies { label: "Replication" spec: "sr-greedy" }
policies { label: "Pipelines" spec: "mp-greedy-2" }
studies { name: "low" workload { total_rate: 3 } charts { stem: "cdf_low" kind: "latency_cdf" } }
studies { sweep { fields { field: "workload.cv" values: [1, 2, 3] } } charts { stem: "p99" metric: "p99_latency_s" } }
SPEC
if [ $sanitized -eq 0 ]; then
  "$STUDY" --spec=two.textproto --out_dir=two_single --quiet > two.log 2>&1 || fail "two: $(cat two.log)"
  "${MPIRUN[@]}" -np 3 "$STUDY" --spec=two.textproto --out_dir=two_np3 --quiet > two_np3.log 2>&1 \
    || fail "two -np 3: $(cat two_np3.log)"
  diff <(checksums two_single) <(checksums two_np3) > /dev/null || fail "two: -np 3 differs"
  [ -s two_np3/two_2/p99.pdf ] || fail "two: no two_2/p99.pdf"
fi

# --timing: one line per rank, the cases adding up to the study's 12.
"${MPIRUN[@]}" -np 2 "$STUDY" --spec=small.textproto --out_dir=timed --quiet --timing \
  > timing.log 2>&1 || fail "--timing: $(cat timing.log)"
awk 'NF == 9 && $1 ~ /^[0-9]+$/ { n++; cases += $2 } END { exit !(n == 2 && cases == 12) }' timing.log \
  || fail "--timing table: $(cat timing.log)"
# Rank 1 sent its results to rank 0.
awk 'NF == 9 && $1 == 1 && $7 > 1000 { ok = 1 } END { exit !ok }' timing.log || fail "rank 1 sent no results: $(cat timing.log)"

# A failing case: sr-greedy cannot fit a model in 1 GiB. The 6 cases cost
# the same, so case i runs on rank i mod 3: case 2 on rank 2.
cat > failing.textproto <<'SPEC'
name: "failing"
cluster { num_devices: 4 }
models { type: "bert-1.3b" count: 2 }
models { type: "bert-2.6b" count: 2 }
workload { total_rate: 6 cv: 3 duration_s: 100 slo_scale: 4 }
policies { label: "Replication" spec: "sr-greedy" }
policies { label: "Model Parallelism" spec: "mp-search" }
sweep { fields { field: "cluster.mem_budget_gib" values: [13, 1, 14] } }
SPEC
want="study: failing.textproto: rank 2 of 3: case 2 (Replication, cluster.mem_budget_gib=1): sr-greedy: no model fits"
"${MPIRUN[@]}" -np 3 "$STUDY" --spec=failing.textproto --out_dir=failed --quiet > failed.log 2>&1
rc=$?
[ $rc -ne 0 ] || fail "a failing case: mpirun exits 0"
grep -qF -- "$want" failed.log || fail "a failing case: want '$want', got: $(cat failed.log)"
[ "$(grep -c '^study: ' failed.log)" -eq 1 ] || fail "a failing case: not one message: $(cat failed.log)"
[ -z "$(ls -A failed 2>/dev/null)" ] || fail "a failing case wrote $(ls failed)"
# Every rank's own status (mpirun told not to stop the others first).
if [ $sanitized -eq 0 ]; then
  "${MPIRUN[@]}" --mca orte_abort_on_non_zero_status 0 -np 3 sh -c \
    '"$0" --spec=failing.textproto --out_dir=failed2 --quiet 2>/dev/null; echo "rank $OMPI_COMM_WORLD_RANK: $?" > "status.$OMPI_COMM_WORLD_RANK"' \
    "$STUDY" > /dev/null 2>&1
  [ "$(cat status.0 status.1 status.2 2>/dev/null | tr '\n' ';')" = "rank 0: 1;rank 1: 1;rank 2: 1;" ] \
    || fail "every rank exits 1: $(cat status.* 2>/dev/null)"
fi

# A bad spec: one message, not one per rank.
if [ $sanitized -eq 0 ]; then
  sed 's/total_rate: 6 /total_rate: -6 /' small.textproto > bad.textproto
  "${MPIRUN[@]}" -np 2 "$STUDY" --spec=bad.textproto --out_dir=bad --quiet > bad.log 2>&1 \
    && fail "a bad spec: mpirun exits 0"
  [ "$(grep -c '^study: bad.textproto:5: workload.total_rate: must be a finite number > 0' bad.log)" -eq 1 ] \
    || fail "a bad spec: $(cat bad.log)"
  [ -e bad ] && fail "a bad spec created the output directory"
fi

finish
