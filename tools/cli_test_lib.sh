# Shared by the tools' end-to-end tests; `source` it after `set -uo pipefail`.
#   abs PATH                      PATH made absolute
#   enter_tmpdir                  cd into the test's scratch directory
#   fail MESSAGE                  record a failure (reported on stderr)
#   expect_error BIN WANT ARGS... BIN ARGS exits 1 and says WANT on stderr
#   finish                        exit 1 if anything failed, else print PASS
#   strip_solver RESULTS_TSV      results.tsv without its wall-clock column

# solver_s is results.tsv's last column and differs between any two runs.
strip_solver() { awk -F'\t' -v OFS='\t' '/^#/ { print; next } { NF--; print }' "$1"; }

abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }

enter_tmpdir() { cd "${TEST_TMPDIR:-$(mktemp -d)}" || exit 1; }

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

expect_error() {
  local bin="$1" want="$2"
  shift 2
  local msg
  msg=$("$bin" "$@" 2>&1 >/dev/null)
  local rc=$?
  [ $rc -eq 1 ] || fail "rc $rc (want 1) for $*"
  grep -qF -- "$want" <<<"$msg" || fail "want '$want' for $*, got: $msg"
}

finish() {
  [ "$fails" -eq 0 ] || exit 1
  echo PASS
}
