#!/usr/bin/env bash
# Bazel's --workspace_status_command (set in .bazelrc). Prints one stable key:
#   STABLE_GIT_COMMIT <40 hex digits>          the checked-out commit
#   STABLE_GIT_COMMIT <40 hex digits>-dirty    ... with tracked files changed
#   STABLE_GIT_COMMIT unknown                  no git, or not a repository
#                                              (a tarball of the sources)
# Bazel runs it before every build; a stable key's change reruns only the
# actions that read it (//tools/stamp:build_commit_cc). It must never fail:
# a failing status command fails the build, so every git error means
# "unknown" and the script always exits 0.
#
# Usage: workspace_status.sh [DIR]   (DIR: the workspace; default: the
# current directory, which is the workspace root when Bazel runs it)
dir="${1:-.}"
commit=unknown
if command -v git > /dev/null 2>&1; then
  # safe.directory on the command line (where git honours it): a clone
  # owned by another user, as CI's clone run as root may be, is still read
  # instead of refused as of "dubious ownership".
  git_here() { git -C "$dir" -c safe.directory='*' "$@" 2> /dev/null; }
  head=$(git_here rev-parse --verify --quiet HEAD)
  if [[ "$head" =~ ^[0-9a-f]{40}$ ]]; then
    commit="$head"
    # Tracked files only: build outputs and scratch files are untracked.
    # A status that cannot be read is not taken for a clean tree.
    if ! changes=$(git_here status --porcelain --untracked-files=no) ||
      [ -n "$changes" ]; then
      commit="$head-dirty"
    fi
  fi
fi
echo "STABLE_GIT_COMMIT $commit"
exit 0
