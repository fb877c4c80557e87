#!/usr/bin/env bash
# Membership is declared, and every declared member is reached. A Bazel
# macro sees only the rules above it, so a library declared below its set
# would be silently left out of every binary; this test reads the BUILD
# files themselves and fails on any such library:
#   plugins:PKG:BUILD:QUERY   every plugin_library of PKG with a set (not
#                             set = None) is in QUERY, deps(//tools:all_plugins)
#   layers:PKG:BUILD:QUERY    every cc_library / plugin_library of PKG is in
#                             QUERY, deps(//PKG:libraries) (what layers_test sees)
#   figures:PKG:BUILD:QUERY:GROUPS  every study_figure / figure_experiment
#                             with a group is in QUERY, the deps of the
#                             all_figures binaries GROUPS (comma-separated),
#                             and every all_figures of the file is in GROUPS
set -euo pipefail

# Prints "KIND NAME SETTING" for each block of the given rule kinds, SETTING
# being the value of its `set =` or `group =` attribute ("-" if absent).
blocks() {
  local build="$1" kinds="$2"
  awk -v kinds="$kinds" '
    BEGIN { n = split(kinds, k, ","); for (i = 1; i <= n; i++) want[k[i]] = 1 }
    match($0, /^[a-z_]+\(/) {
      kind = substr($0, 1, RLENGTH - 1)
      if (kind in want) { inside = 1; name = ""; setting = "-" }
      if ($0 ~ /\)$/ && inside) {
        if (match($0, /name = "[^"]+"/)) name = substr($0, RSTART + 8, RLENGTH - 9)
        print kind, name, setting; inside = 0
      }
      next
    }
    inside && /^    name = "/ { split($0, q, "\""); name = q[2] }
    inside && /^    (set|group) = / {
      setting = $0; sub(/^    (set|group) = /, "", setting); sub(/,$/, "", setting)
      gsub(/"/, "", setting)
    }
    inside && /^\)/ { print kind, name, setting; inside = 0 }
  ' "$build"
}

status=0
checked=0
fail() { echo "FAIL: $*" >&2; status=1; }

for arg in "$@"; do
  IFS=: read -r mode pkg build query groups <<<"$arg"
  case "$mode" in
    plugins)
      while read -r kind name setting; do
        [ "$setting" = "None" ] && continue
        checked=$((checked + 1))
        grep -qx "//$pkg:$name" "$query" ||
          fail "//$pkg:$name (plugin_library, set = $setting) is not linked by //tools:all_plugins: declare it above its plugin_set, name that set, and list the package's set in //tools:all_plugins"
      done < <(blocks "$build" plugin_library)
      ;;
    layers)
      while read -r kind name setting; do
        checked=$((checked + 1))
        grep -qx "//$pkg:$name" "$query" ||
          fail "//$pkg:$name ($kind) is not in //$pkg:libraries, so //tests:layers_test does not see it: declare it above package_libraries"
      done < <(blocks "$build" cc_library,plugin_library)
      ;;
    figures)
      while read -r kind name setting; do
        if [ "$kind" = all_figures ]; then
          [[ ",$groups," == *",$name,"* ]] ||
            fail "all_figures $name (//$pkg) is not in FIGURE_GROUPS of tests/BUILD"
          continue
        fi
        [ "$setting" = "None" ] && continue
        checked=$((checked + 1))
        [ "$setting" != "-" ] || fail "//$pkg:$name ($kind) names no group"
        grep -qx "//$pkg:${name}_experiment" "$query" ||
          fail "//$pkg:$name ($kind, group = $setting) is not linked by any all_figures binary: declare it above all_figures($setting)"
      done < <(blocks "$build" study_figure,figure_experiment,all_figures)
      ;;
    *) fail "unknown check '$arg'" ;;
  esac
done
[ "$checked" -gt 0 ] || { echo "FAIL: no rules checked" >&2; exit 1; }
[ $status -eq 0 ] && echo "ok: $checked declared members reached by their sets"
exit $status
