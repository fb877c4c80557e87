#!/usr/bin/env bash
# Draws every chart the repository ships (the motivation figures, the
# end-to-end figures and the examples' charts), shortened, with
# --strict_layout: a chart fails on text clipped at the canvas edge, a
# legend over a marker or a line, or a y axis past its bound
# (render/inspect.h). Also checks that the check is on: a chart that broke
# an invariant would name it on stderr.
set -uo pipefail
motivation="$1"
e2e="$2"
study="$3"
examples="$(cd examples && pwd)"
tmp="${TEST_TMPDIR:-$(mktemp -d)}"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

run() {  # run NAME COMMAND...
  local name="$1"
  shift
  if ! "$@" --strict_layout --quiet > "$tmp/$name.log" 2>&1; then
    fail "$name: $(grep -E 'error|layout' "$tmp/$name.log" | head -5)"
  fi
  if grep -q "layout problem\|is clipped\|covers .* data point\|past its bound" \
      "$tmp/$name.log"; then
    fail "$name: $(grep 'error' "$tmp/$name.log" | head -5)"
  fi
}

run motivation "$motivation" --out_dir="$tmp/motivation" --duration_scale=0.1
run e2e "$e2e" --out_dir="$tmp/e2e" --duration_scale=0.03
for spec in "$examples"/*.textproto; do
  name="$(basename "$spec" .textproto)"
  run "$name" "$study" --spec="$spec" --out_dir="$tmp/$name" \
    --duration_scale=0.1
done

# Every figure came out (the binaries list theirs; each example a chart).
n=$(find "$tmp" -name '*.pdf' | wc -l)
[ "$n" -ge 45 ] || fail "only $n charts drawn"

[ "$failures" -eq 0 ] || exit 1
echo "PASS: $n charts, no layout problem"
