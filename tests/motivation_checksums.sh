#!/usr/bin/env bash
# The 21 motivation figures' data are pinned: the SHA-256 of each TSV's data
# rows (every line but the "# key: value" header, which names the commit and
# may change on purpose) at the study's full parameters, against
# tests/motivation_checksums.txt.
#
# A change that means to move a figure updates the file on purpose, in one
# command, and the diff of the file shows which figures moved:
#   bazel run //tests:motivation_checksums -- --update
#
# Usage: motivation_checksums.sh MOTIVATION_BINARY CHECKSUM_FILE [--update]
set -euo pipefail
binary="$1"
expected="$2"
update="${3:-}"
if [ -n "$update" ] && [ "$update" != "--update" ]; then
  echo "usage: $0 MOTIVATION_BINARY CHECKSUM_FILE [--update], got '$update'" >&2
  exit 2
fi

out="$(mktemp -d "${TEST_TMPDIR:-/tmp}/motivation.XXXXXX")"
trap 'rm -rf "$out"' EXIT
"$binary" --out_dir="$out" --quiet >"$out/log" 2>&1 ||
  { cat "$out/log" >&2; echo "FAIL: $binary exited non-zero" >&2; exit 1; }

# Every figure the binary says it draws has its TSV, and nothing else.
listed=$("$binary" --list | sort)
written=$(cd "$out" && ls -- *.tsv | sed 's/\.tsv$//' | sort)
if [ "$listed" != "$written" ]; then
  echo "FAIL: the TSVs written differ from --list (--list < > written):" >&2
  diff <(echo "$listed") <(echo "$written") >&2 || true
  exit 1
fi

actual="$out/checksums.txt"
while IFS= read -r stem; do
  sum=$(grep -v '^#' "$out/$stem.tsv" | sha256sum | cut -d' ' -f1)
  printf '%s  %s.tsv\n' "$sum" "$stem"
done <<<"$listed" >"$actual"

if [ "$update" = "--update" ]; then
  [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ] ||
    { echo "--update writes the checked-in file: run it with bazel run" >&2; exit 2; }
  target="$BUILD_WORKSPACE_DIRECTORY/tests/motivation_checksums.txt"
  if cmp -s "$actual" "$target"; then
    echo "tests/motivation_checksums.txt: unchanged ($(wc -l <"$actual") figures)"
  else
    diff "$target" "$actual" || true
    cp "$actual" "$target"
    echo "tests/motivation_checksums.txt: updated ($(wc -l <"$actual") figures)"
  fi
  exit 0
fi

if ! diff "$expected" "$actual" >&2; then
  echo "FAIL: the data of the motivation figures above moved (< checked in," \
    "> now). If the change means to move them:" >&2
  echo "  bazel run //tests:motivation_checksums -- --update" >&2
  exit 1
fi
echo "ok: the data rows of $(wc -l <"$actual") motivation figures equal their checksums"
