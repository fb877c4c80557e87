#!/usr/bin/env bash
# Installs every Debian package multiplex needs to build, test and draw its figures.
# Idempotent: packages already present are left alone; safe to run twice.
#   tools/setup.sh          what the build, the tests and CI need (with
#                           --config=asan/ubsan: the sanitizers come with g++)
#   tools/setup.sh --fuzz   also clang and libFuzzer, for --config=fuzz
#                           (docs/fuzzing.md)
set -euo pipefail

PACKAGES=(
  bazel-bootstrap        # Bazel 4.2.3 (WORKSPACE mode, fully offline)
  g++                    # C++17 compiler
  libabsl-dev            # Abseil 20220623
  libprotobuf-dev        # Protobuf 3.21 runtime and headers
  protobuf-compiler      # protoc
  libgtest-dev           # GoogleTest / GoogleMock
  libgmock-dev
  libbenchmark-dev       # Google Benchmark
  libre2-dev             # re2 (plugin-name parameters)
  libcairo2-dev          # cairo (PDF and PNG charts)
  fonts-dejavu-core      # DejaVu Sans for chart text
  poppler-utils          # pdftoppm/pdfinfo, used to check the figures
  libopenmpi-dev         # OpenMPI: //tools:study on several machines (README)
  openmpi-bin            # mpirun
  coinor-libcbc-dev      # COIN-OR CBC: the sr-ilp and mp-ilp policies (README)
)

case "${1:-}" in
  "") ;;
  --fuzz)
    PACKAGES+=(
      clang-14               # the fuzz config's compiler (//third_party/clang_toolchain)
      libclang-rt-14-dev     # libFuzzer and clang's sanitizer runtimes
    ) ;;
  *) echo "usage: tools/setup.sh [--fuzz]" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
echo "setup: apt-get update"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
