"""Fuzz targets: a LLVMFuzzerTestOneInput source, two ways to build it.

    fuzz_target(
        name = "placement_io_fuzzer",
        srcs = ["placement_io_fuzzer.cc"],
        corpus = "testdata/placement_io_fuzzer",
        deps = [":placement_io"],
    )

declares
  :placement_io_fuzzer       the fuzzer. Normally a program that runs the
                             target on the files it is given (main() from
                             //core/testing:fuzz_main); under
                             `--config=fuzz` (.bazelrc, clang) a libFuzzer
                             binary. Tagged "fuzzer".
  :placement_io_fuzzer_test  a test running the target on every file of the
                             committed corpus directory, so `bazel test //...`
                             replays every seed and every past crash.

docs/fuzzing.md has the commands.
"""

_LIBFUZZER = "//core/testing:libfuzzer"

def fuzz_target(name, srcs, corpus, deps = [], data = [], size = "small", **kwargs):
    """A fuzzer and its corpus test; corpus is a directory of the package."""
    corpus_files = native.glob([corpus + "/**"])
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps + select({
            _LIBFUZZER: [],
            "//conditions:default": ["//core/testing:fuzz_main"],
        }),
        linkopts = select({
            _LIBFUZZER: ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        data = data,
        testonly = 1,
        tags = ["fuzzer"],
        **kwargs
    )
    native.cc_test(
        name = name + "_test",
        srcs = srcs,
        deps = deps + ["//core/testing:fuzz_main"],
        args = ["%s/%s" % (native.package_name(), corpus)],
        data = data + corpus_files,
        size = size,
        **kwargs
    )
