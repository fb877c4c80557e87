#!/usr/bin/env bash
# workspace_status.sh prints the commit, "-dirty" for changed tracked files,
# and "unknown" (never a failure) without git or a repository; stamp_cc.sh
# turns only a well-formed value into the C++ constant.
set -uo pipefail
here="$(dirname "$0")"
status="$here/workspace_status.sh"
stamp_cc="$here/stamp_cc.sh"
tmp="$(mktemp -d "${TEST_TMPDIR:-/tmp}/status.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# git must not find a repository above the temporary directory.
export GIT_CEILING_DIRECTORIES="$tmp"
failures=0
expect() {  # expect NAME WANT GOT
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: want '$2', got '$3'" >&2
    failures=$((failures + 1))
  fi
}

# Not a repository (a tarball of the sources): unknown, exit 0.
mkdir "$tmp/tarball"
out=$("$status" "$tmp/tarball"); rc=$?
expect "no repository" "STABLE_GIT_COMMIT unknown" "$out"
expect "no repository, exit status" 0 "$rc"

# No git at all: unknown, exit 0.
out=$(PATH=/nonexistent /bin/bash "$status" "$tmp/tarball"); rc=$?
expect "no git" "STABLE_GIT_COMMIT unknown" "$out"
expect "no git, exit status" 0 "$rc"

if command -v git > /dev/null 2>&1; then
  repo="$tmp/repo"
  g() { git -C "$repo" -c user.name=t -c user.email=t@t "$@"; }
  git init -q "$repo" && echo a > "$repo/f" && g add f && g commit -qm one
  head=$(g rev-parse HEAD)
  expect "clean" "STABLE_GIT_COMMIT $head" "$("$status" "$repo")"
  echo scratch > "$repo/untracked"
  expect "untracked file only" "STABLE_GIT_COMMIT $head" "$("$status" "$repo")"
  echo b >> "$repo/f"
  expect "changed tracked file" "STABLE_GIT_COMMIT $head-dirty" \
    "$("$status" "$repo")"
  # A clone owned by another user (CI's checkout read as root): git refuses
  # it as of "dubious ownership" unless safe.directory says otherwise.
  if [ "$(id -u)" = 0 ] && chown -R nobody "$repo" 2> /dev/null; then
    expect "owned by another user" "STABLE_GIT_COMMIT $head-dirty" \
      "$("$status" "$repo")"
    chown -R 0 "$repo"
  fi
else
  echo "no git here: the repository cases are skipped"
fi

# stamp_cc.sh: a hash, with or without -dirty, is written; anything else
# (no file, no key, a malformed value) is "unknown".
stamp_value() {  # the string BuildCommit() returns in the generated source
  "$stamp_cc" "$1" | sed -n 's/.*return "\(.*\)";.*/\1/p'
}
hash=0123456789abcdef0123456789abcdef01234567
printf 'BUILD_EMBED_LABEL \nSTABLE_GIT_COMMIT %s\n' "$hash" > "$tmp/ok"
expect "stamp: hash" "$hash" "$(stamp_value "$tmp/ok")"
printf 'STABLE_GIT_COMMIT %s-dirty\n' "$hash" > "$tmp/dirty"
expect "stamp: dirty" "$hash-dirty" "$(stamp_value "$tmp/dirty")"
printf 'STABLE_GIT_COMMIT %s"; evil\n' "$hash" > "$tmp/bad"
expect "stamp: malformed" unknown "$(stamp_value "$tmp/bad")"
printf 'BUILD_EMBED_LABEL \n' > "$tmp/nokey"
expect "stamp: no key" unknown "$(stamp_value "$tmp/nokey")"
expect "stamp: no file" unknown "$(stamp_value "$tmp/missing")"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo PASS
