#!/usr/bin/env bash
# Proves that a cc_binary (not only a cc_test) sees every plugin: plugin
# libraries register from static initialisers and are alwayslink, so the
# //tools:plugins binary must list each of them.
set -euo pipefail
listing=$("$1")
status=0
for name in "${@:2}"; do
  if ! grep -qE "^  ${name}( |$)" <<<"$listing"; then
    echo "plugin '${name}' missing from //tools:plugins output" >&2
    status=1
  fi
done
if [ $status -ne 0 ]; then echo "$listing" >&2; fi
exit $status
