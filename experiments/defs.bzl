"""One figure group: a library that registers the experiment, and a binary."""

def figure_experiment(name, deps = []):
    native.cc_library(
        name = name + "_experiment",
        srcs = [name + ".cc"],
        alwayslink = 1,
        deps = deps + [
            "//core/experiment",
            "//core/experiment:figure_output",
            "//core/experiment:sweep",
            "//render",
            "@com_google_absl//:absl",
        ],
    )
    native.cc_binary(
        name = name,
        deps = [
            ":" + name + "_experiment",
            "//core/experiment:experiment_main",
            "//tools:all_plugins",
        ],
        data = ["//profiler:shipped_databases"],
    )
