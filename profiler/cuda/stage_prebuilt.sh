#!/bin/bash
# Builds the static CUDA profiler binaries here (where bazel, the CUDA 13
# toolkit and Debian's static Abseil/Protobuf exist) and copies them to
# profiler/cuda/prebuilt/, which git ignores. A GPU machine gets them by
# carrying that folder (device tool: carry ["profiler/cuda/prebuilt"]); they
# need only glibc, the NVIDIA driver (libcuda.so.1, loaded at run time) and
# cuBLAS 13 (libcublas.so.13, loaded at run time; see gpu_runner.cu for
# where it is looked for, or set MULTIPLEX_CUBLAS).
set -euo pipefail
cd "$(dirname "$0")/../.."
[[ -x /usr/local/cuda/bin/nvcc ]] || {
  echo "stage_prebuilt: no CUDA toolkit at /usr/local/cuda" >&2; exit 1; }
bazel build //profiler/cuda:cuda_profile //profiler/cuda:kernel_check
dest=profiler/cuda/prebuilt
rm -rf "$dest"
mkdir -p "$dest"
for b in cuda_profile kernel_check; do
  cp "bazel-bin/profiler/cuda/$b" "$dest/$b"
  chmod u+w,a+x "$dest/$b"
done
{
  echo "commit $(git rev-parse HEAD)$(git diff --quiet -- profiler || echo ' (+ local changes)')"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
  for b in cuda_profile kernel_check; do
    echo "== $b: $(sha256sum "$dest/$b" | cut -c1-16)"
    objdump -p "$dest/$b" | grep NEEDED || true
  done
} >"$dest/BUILDINFO"
cat "$dest/BUILDINFO"
du -sh "$dest"
