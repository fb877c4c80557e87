#!/usr/bin/env bash
# The README's code that claims to be a file of the repository is that file:
# each fenced block after a "<!-- readme_test: PATH -->" marker must equal
# PATH (a .cc file) or appear verbatim in it (a BUILD file).
set -euo pipefail
readme="$1"
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
[ $status -eq 0 ] && echo "ok: $checked README blocks equal their files"
exit $status
