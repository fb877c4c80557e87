"""Detects the CUDA toolkit at /usr/local/cuda (or $CUDA_PATH).

Creates @local_cuda with a defs.bzl holding
  CUDA_ROOT   the toolkit's directory;
  HAVE_CUDA   whether nvcc and the runtime headers are there;
  if_cuda(yes, no = [])   `yes` only where the toolkit exists.
Builds and tests pass without CUDA: every CUDA target is guarded by if_cuda
(see profiler/cuda/BUILD, which compiles .cu files with a genrule calling
nvcc and links cudart statically, loading cuBLAS at run time).
"""

def _cuda_configure_impl(ctx):
    root = ctx.os.environ.get("CUDA_PATH", "/usr/local/cuda")
    have = ctx.path(root + "/bin/nvcc").exists and ctx.path(root + "/include/cuda_runtime.h").exists
    ctx.file("WORKSPACE", "workspace(name = \"local_cuda\")\n")
    ctx.file("BUILD", "exports_files([\"defs.bzl\"])\n")
    ctx.file("defs.bzl", """
CUDA_ROOT = "{root}"
HAVE_CUDA = {have}

def if_cuda(yes, no = []):
    return yes if HAVE_CUDA else no
""".format(root = root, have = "True" if have else "False"))

cuda_configure = repository_rule(
    implementation = _cuda_configure_impl,
    environ = ["CUDA_PATH"],
    local = True,
)
