"""Detects the CUDA toolkit at /usr/local/cuda (or $CUDA_PATH).

Creates @local_cuda with:
  //:defs.bzl   if_cuda(yes, no): picks `yes` only where the toolkit exists.
  //:cuda       headers + static cudart and cuBLAS (empty where absent).
  //:nvcc       the compiler (a filegroup; empty where absent).
Builds and tests pass without CUDA: every CUDA target is guarded by if_cuda.
"""

def _cuda_configure_impl(ctx):
    root = ctx.os.environ.get("CUDA_PATH", "/usr/local/cuda")
    have = ctx.path(root + "/bin/nvcc").exists and ctx.path(root + "/include/cuda_runtime.h").exists
    ctx.file("WORKSPACE", "workspace(name = \"local_cuda\")\n")
    ctx.file("defs.bzl", """
CUDA_ROOT = "{root}"
HAVE_CUDA = {have}

def if_cuda(yes, no = []):
    return yes if HAVE_CUDA else no
""".format(root = root, have = "True" if have else "False"))
    if have:
        ctx.symlink(root, "cuda")
        build = """
package(default_visibility = ["//visibility:public"])

cc_library(
    name = "cuda",
    hdrs = glob(["cuda/include/**/*.h", "cuda/include/**/*.hpp"]),
    includes = ["cuda/include"],
    linkopts = [
        "-L{root}/lib64",
        "-Wl,-Bstatic", "-lcublas_static", "-lcublasLt_static", "-lculibos", "-lcudart_static",
        "-Wl,-Bdynamic", "-ldl", "-lpthread", "-lrt",
    ],
)

filegroup(name = "nvcc", srcs = ["cuda/bin/nvcc"])
""".format(root = root)
    else:
        build = """
package(default_visibility = ["//visibility:public"])

cc_library(name = "cuda")

filegroup(name = "nvcc")
"""
    ctx.file("BUILD", build)

cuda_configure = repository_rule(
    implementation = _cuda_configure_impl,
    environ = ["CUDA_PATH"],
    local = True,
)
