#!/usr/bin/env bash
# The README's code that claims to be a file of the repository is that file:
# each fenced block after a "<!-- readme_test: PATH -->" marker must equal
# PATH (a .cc file) or appear verbatim in it (a BUILD file).
# And its figure tables and counts are the registry's: each row naming
# //experiments:NAME lists exactly the files `BINARY --only=NAME --list`
# prints, for the motivation binary (rows "bazel run //experiments:NAME",
# the count in "draw all N motivation figures") and the e2e one (rows
# "| `//experiments:NAME`", the count in "draws all N charts"), and the
# rows cover every figure the binary draws.
# Usage: readme_test.sh README.md MOTIVATION_BINARY E2E_BINARY
set -euo pipefail
readme="$1"
motivation="$2"
e2e="$3"
root="$(dirname "$readme")"
status=0
checked=0
while IFS= read -r path; do
  block=$(awk -v marker="<!-- readme_test: $path -->" '
      $0 == marker { found = 1; next }
      found && /^```/ { if (inside) exit; inside = 1; next }
      inside { print }' "$readme")
  file="$root/$path"
  [ -f "$file" ] || { echo "FAIL: $path (named in README.md) does not exist" >&2; status=1; continue; }
  if [[ "$path" == *.cc ]]; then
    if ! diff <(printf '%s\n' "$block") "$file" >&2; then
      echo "FAIL: README.md's copy of $path differs (diff above)" >&2; status=1
    fi
  else
    content=$(cat "$file")
    if [[ "$content" != *"$block"* ]]; then
      echo "FAIL: README.md's block for $path is not in that file:" >&2; printf '%s\n' "$block" >&2; status=1
    fi
  fi
  checked=$((checked + 1))
done < <(sed -n 's/^<!-- readme_test: \(.*\) -->$/\1/p' "$readme")
[ "$checked" -gt 0 ] || { echo "FAIL: no readme_test markers in README.md" >&2; exit 1; }

# check_table BINARY ROW_REGEX COUNT_REGEX: the rows matching ROW_REGEX
# (the group's name in its first capture) against BINARY --list.
check_table() {
  local binary="$1" row_regex="$2" count_regex="$3" rows=0 listed=""
  while IFS= read -r line; do
    [[ "$line" =~ $row_regex ]] || continue
    local name="${BASH_REMATCH[1]}"
    # The last cell's `stem` patterns, brace-expanded (checked characters).
    local cell="${line%|}"; cell="${cell##*|}"
    local patterns
    patterns=$(grep -o '`[^`]*`' <<<"$cell" | tr -d '`' | tr '\n' ' ')
    if [[ ! "$patterns" =~ ^[A-Za-z0-9_.,{}\ -]+$ ]]; then
      echo "FAIL: README row for $name: odd characters in '$patterns'" >&2; status=1; continue
    fi
    local readme_stems
    readme_stems=$(for p in $patterns; do eval "printf '%s\\n' $p"; done | sort)
    local actual
    if ! actual=$("$binary" --only="$name" --list 2>&1); then
      echo "FAIL: README names $name, which $(basename "$binary") does not have: $actual" >&2
      status=1; continue
    fi
    actual=$(sort <<<"$actual")
    if [ "$readme_stems" != "$actual" ]; then
      echo "FAIL: README's files for $name differ from its --list (README < > registry):" >&2
      diff <(echo "$readme_stems") <(echo "$actual") >&2 || true
      status=1
    fi
    listed+="$actual"$'\n'
    rows=$((rows + 1))
  done <"$readme"
  local all
  all=$("$binary" --list | sort)
  if [ "$(sed '/^$/d' <<<"$listed" | sort)" != "$all" ]; then
    echo "FAIL: README's $(basename "$binary") table misses figures of its --list:" >&2
    diff <(sed '/^$/d' <<<"$listed" | sort) <(echo "$all") >&2 || true
    status=1
  fi
  local count
  count=$(grep -oE "$count_regex" "$readme" | grep -oE '[0-9]+' | head -1)
  if [ "$count" != "$(wc -l <<<"$all")" ]; then
    echo "FAIL: README says '$count' for $(basename "$binary"), whose --list has $(wc -l <<<"$all") figures" >&2
    status=1
  fi
  [ "$rows" -gt 0 ] || { echo "FAIL: no README table rows for $(basename "$binary")" >&2; status=1; }
  echo "checked $rows README rows and the count $count against $(basename "$binary") --list"
}
check_table "$motivation" '^\| .*bazel run //experiments:([a-z0-9_]+)`' 'draw all [0-9]+ motivation figures'
check_table "$e2e" '^\| `//experiments:([a-z0-9_]+)`' 'draws all [0-9]+ charts'

[ $status -eq 0 ] && echo "ok: $checked README blocks equal their files; figure tables match --list"
exit $status
