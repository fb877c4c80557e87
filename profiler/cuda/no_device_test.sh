#!/bin/bash
# The profiler binaries on this machine. Without a usable GPU (no driver, no
# device, or built without CUDA) each must exit non-zero with exactly one line
# containing "no CUDA device" and write nothing. With a GPU, a tiny profile
# must produce a database.
set -u
profile="$1"
check="$2"
profile_fake="$3"
check_fake="$4"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
out="$tmp/db.textproto"
fail() { echo "FAIL: $*"; exit 1; }

"$profile" --model=bert-1.3b --hardware=h100 --out="$out" --seq=64 \
  --batch_sizes=1 --op_degrees=1,2 --pp_degrees=1,2 --warmup=1 --repeats=3 \
  >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
if [[ $rc -eq 0 ]]; then
  echo "cuda_profile ran on a GPU:"; cat "$tmp/stdout"
  [[ -s "$out" ]] || fail "exit 0 but no database"
  grep -q 'method: "measured"' "$out" || fail "no measured provenance"
else
  lines=$(wc -l <"$tmp/stderr")
  [[ $lines -eq 1 ]] || { cat "$tmp/stderr"; fail "stderr has $lines lines"; }
  grep -q "no CUDA device" "$tmp/stderr" || {
    cat "$tmp/stderr"; fail "no 'no CUDA device' message"; }
  [[ ! -s "$tmp/stdout" ]] || { cat "$tmp/stdout"; fail "stdout not empty"; }
  [[ $rc -eq 1 ]] || fail "exit status $rc, want 1"
  ls "$tmp"/db* 2>/dev/null && fail "partial output written"
  echo "cuda_profile: $(cat "$tmp/stderr") (exit $rc)"
fi

"$check" >"$tmp/check_out" 2>"$tmp/check_err"
rc=$?
if [[ $rc -ne 0 && $rc -ne 2 ]]; then
  cat "$tmp/check_out" "$tmp/check_err"; fail "kernel_check exit $rc"
fi
if [[ $rc -eq 2 ]]; then
  [[ $(wc -l <"$tmp/check_err") -eq 1 ]] || fail "kernel_check stderr lines"
  grep -q "no CUDA device" "$tmp/check_err" || fail "kernel_check message"
  echo "kernel_check: $(cat "$tmp/check_err") (exit $rc)"
else
  cat "$tmp/check_out"
fi

# Bad arguments are reported before the GPU is touched (exit 2).
"$profile" --model=no-such-model --out="$out" 2>"$tmp/bad"
[[ $? -eq 2 ]] || fail "bad model: want exit 2"
grep -q "no-such-model" "$tmp/bad" || fail "bad model message"
# Mixture-of-experts models are the analytical model's only.
"$profile" --model=moe-1.3b --out="$out" 2>"$tmp/bad"
[[ $? -eq 2 ]] || fail "moe model: want exit 2"
grep -q "moe-1.3b is a mixture-of-experts model" "$tmp/bad" ||
  fail "moe model message: $(cat "$tmp/bad")"
"$profile" --model=bert-1.3b 2>"$tmp/bad"
[[ $? -eq 2 ]] || fail "missing --out: want exit 2"
# The whole pipeline on the fake (roofline) GPU: database, other partition,
# TSV, provenance.
fo="$tmp/fake/profiling_result_fake_measured.textproto"
mkdir -p "$tmp/fake"
"$profile_fake" --model=bert-1.3b,bert-2.6b --hardware=h100 --out="$fo" \
  --other_partition_out="$tmp/fake/manual.textproto" --repeats=5 \
  >"$tmp/fake_out" 2>&1 || { cat "$tmp/fake_out"; fail "fake profile"; }
for f in "$fo" "$tmp/fake/manual.textproto" \
  "$tmp/fake/profiling_result_fake_measured.units.tsv"; do
  [[ -s "$f" ]] || fail "missing $f"
done
grep -q 'method: "measured"' "$fo" || fail "method"
grep -q 'partition: "dp"' "$fo" || fail "dp partition"
grep -q 'partition: "manual"' "$tmp/fake/manual.textproto" || fail "manual"
grep -q 'Fake GPU' "$fo" || fail "device name in provenance"
grep -q 'NOT measured' "$fo" || fail "communication note"
grep -q 'name: "bert-2.6b"' "$fo" || fail "second model"
grep -q 'largest GEMMs' "$tmp/fake_out" || fail "GEMM report"
grep -q 'TFLOP/s' "$tmp/fake_out" || fail "TFLOP/s"
# 2 models x 4 op x 5 batches x 4 units x (1 + ops) rows + header.
rows=$(wc -l <"$tmp/fake/profiling_result_fake_measured.units.tsv")
[[ $rows -gt 160 ]] || fail "units tsv has $rows rows"
"$check_fake" >"$tmp/kc" || { cat "$tmp/kc"; fail "fake kernel_check"; }
grep -q "PASS (0 failures)" "$tmp/kc" || fail "kernel_check summary"
echo PASS
