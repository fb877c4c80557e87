#!/bin/bash
# The whole GPU-side job of the CUDA profiler in one run (about 2-5 minutes on an H100;
# give it timeout_s 600): kernel check, then the measured profiling database
# of bert-1.3b, bert-2.6b and bert-6.7b.
#
# Prepare HERE (a machine with bazel + CUDA toolkit, no GPU needed):
#   profiler/cuda/stage_prebuilt.sh        # -> profiler/cuda/prebuilt/
# Then on the GPU machine (it has the driver and CUDA 13, but maybe no bazel
# and no Debian -dev packages), from the repository root:
#   device tool: run(command="bash profiler/cuda/run_on_gpu.sh",
#                    carry=["profiler/cuda/prebuilt"], timeout_s=600)
# The binaries are static except for glibc; they dlopen the driver's
# libcuda.so.1 and cuBLAS (libcublas.so.13: LD_LIBRARY_PATH, ldconfig,
# /usr/local/cuda, or PyTorch's nvidia-cublas wheel; MULTIPLEX_CUBLAS=path
# overrides).
#
# Fallbacks when prebuilt/ is missing: bazel-bin/profiler/cuda/ (if built
# here), else `bazel build` (if bazel exists).
#
# Writes profiler/data/profiling_result_<gpu>_measured.textproto (dp stages),
# ..._measured_manual.textproto (manual stages), ..._measured.units.tsv (per
# unit and op timing statistics), and logs; copies them to $OUT when set (the
# device tool brings $OUT back). Environment: MODELS (default
# bert-1.3b,bert-2.6b,bert-6.7b), HARDWARE (interconnect description, default
# h100), REPEATS (30), WARMUP (5), DTYPE (fp16).
set -uo pipefail
cd "$(dirname "$0")/../.."
models="${MODELS:-bert-1.3b,bert-2.6b,bert-6.7b}"
hardware="${HARDWARE:-h100}"
repeats="${REPEATS:-30}"
warmup="${WARMUP:-5}"
dtype="${DTYPE:-fp16}"
logdir="${OUT:-profiler/data}"
mkdir -p "$logdir" profiler/data
log="$logdir/run_on_gpu.log"
exec > >(tee "$log") 2>&1
t0=$(date +%s)
echo "== run_on_gpu.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

bin=""
for d in profiler/cuda/prebuilt bazel-bin/profiler/cuda; do
  if [[ -x "$d/cuda_profile" && -x "$d/kernel_check" ]]; then bin="$d"; break; fi
done
if [[ -z "$bin" ]] && command -v bazel >/dev/null; then
  bazel build //profiler/cuda:cuda_profile //profiler/cuda:kernel_check &&
    bin=bazel-bin/profiler/cuda
fi
if [[ -z "$bin" ]]; then
  echo "run_on_gpu: no binaries: run profiler/cuda/stage_prebuilt.sh where" \
       "bazel and CUDA exist and carry profiler/cuda/prebuilt"
  exit 3
fi
echo "binaries: $bin"
[[ -f "$bin/BUILDINFO" ]] && cat "$bin/BUILDINFO"
echo "ldd:"; ldd "$bin/cuda_profile" || true
echo "glibc here: $(ldd --version 2>&1 | head -1) (the binaries need >= 2.36)"
kc_bin="$bin/kernel_check"
# Started correctly it complains about the missing --out.
"$bin/cuda_profile" >/dev/null 2>"$logdir/start.err"
if ! grep -q -- "--out is required" "$logdir/start.err"; then
  echo "run_on_gpu: the prebuilt binaries do not start here:"
  cat "$logdir/start.err"
  # kernel_check needs no Abseil/Protobuf: rebuild it with this machine's nvcc.
  if command -v nvcc >/dev/null; then
    echo "building kernel_check with $(command -v nvcc)"
    nvcc -std=c++17 -O2 -I. -gencode arch=compute_90,code=sm_90 \
      -gencode arch=compute_80,code=sm_80 profiler/cuda/gpu_runner.cu \
      profiler/cuda/gpu_runner_common.cc profiler/cuda/reference_kernels.cc \
      profiler/cuda/kernel_check_main.cc -o /tmp/kernel_check -ldl &&
      kc_bin=/tmp/kernel_check
  fi
  "$kc_bin" | tee "$logdir/kernel_check.log"
  echo "run_on_gpu: cuda_profile cannot run; rebuild it on an older glibc"
  exit 4
fi

echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm,clocks.max.mem,clocks.sm,memory.total,power.limit \
  --format=csv 2>&1 || echo "(nvidia-smi unavailable)"
gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
case "$gpu_name" in
  *H200*) gpu=h200 ;;
  *H100*) gpu=h100 ;;
  *A100*) gpu=a100 ;;
  *) gpu=gpu ;;
esac
# cuBLAS from PyTorch's wheel if the loader cannot find one.
if [[ -z "${MULTIPLEX_CUBLAS:-}" ]] && ! ldconfig -p 2>/dev/null | grep -q libcublas.so.13 &&
   [[ ! -e /usr/local/cuda/lib64/libcublas.so.13 ]]; then
  w=$(python3 -c 'import nvidia.cublas, os; print(os.path.dirname(nvidia.cublas.__file__) + "/lib/libcublas.so.13")' 2>/dev/null || true)
  [[ -n "$w" && -e "$w" ]] && export MULTIPLEX_CUBLAS="$w" && echo "cuBLAS: $w"
fi

echo "== kernel check"
"$kc_bin" | tee "$logdir/kernel_check.log"
kc=${PIPESTATUS[0]}
echo "kernel_check exit $kc"
if [[ $kc -eq 2 ]]; then echo "run_on_gpu: no usable GPU"; exit 2; fi

echo "== profile ($models; dtype $dtype, warm-up $warmup, repeats $repeats)"
base="profiler/data/profiling_result_${gpu}_measured"
"$bin/cuda_profile" --model="$models" --hardware="$hardware" \
  --out="$base.textproto" --other_partition_out="${base}_manual.textproto" \
  --units_out="$base.units.tsv" --partition=dp --dtype="$dtype" \
  --warmup="$warmup" --repeats="$repeats"
pc=$?
echo "cuda_profile exit $pc"
if [[ -n "${OUT:-}" && $pc -eq 0 ]]; then
  cp "$base.textproto" "${base}_manual.textproto" "$base.units.tsv" "$OUT/"
fi
echo "== done in $(( $(date +%s) - t0 )) s (kernel_check $kc, cuda_profile $pc)"
[[ $kc -eq 0 && $pc -eq 0 ]]
