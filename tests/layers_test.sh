#!/usr/bin/env bash
# Checks the layers: each argument is PACKAGE=ALLOWED,...:FILE where FILE is a
# genquery listing every transitive dependency of the package's libraries.
# A repository label (//...) outside the allowed prefixes is a layer breach;
# external repositories (@...) are third_party and always allowed.
set -euo pipefail
status=0
for arg in "$@"; do
  package="${arg%%=*}"
  rest="${arg#*=}"
  allowed="${rest%%:*}"
  file="${rest#*:}"
  [ -s "$file" ] || { echo "FAIL: $package: empty query result $file" >&2; status=1; continue; }
  pattern="^($(sed 's#,#|#g' <<<"$allowed"))[:/]"
  breaches=$(grep '^//' "$file" | grep -Ev "$pattern" || true)
  if [ -n "$breaches" ]; then
    echo "FAIL: //$package libraries depend on targets outside ${allowed}:" >&2
    sed 's/^/  /' <<<"$breaches" >&2
    status=1
  else
    echo "ok: //$package -> $(grep -c '^//' "$file") labels, all under $allowed"
  fi
done
exit $status
