"""Figure groups: a library that registers the experiment, and a binary.

`figure_experiment` declares both; `all_figures`, last in the BUILD file,
makes the binary that runs every figure group declared above it. So a new
figure group is one .cc file and one figure_experiment entry.
"""

_TAG = "multiplex_figure"

_COMMON_DEPS = [
    "//experiments/lib:experiment",
    "//experiments/lib:figure_output",
    "//experiments/lib:sweep",
    "//render",
    "@com_google_absl//:absl",
]

_MAIN_DEPS = [
    "//experiments/lib:experiment_main",
    "//tools:all_plugins",
]

def figure_experiment(name, deps = []):
    native.cc_library(
        name = name + "_experiment",
        srcs = [name + ".cc"],
        alwayslink = 1,
        tags = [_TAG],
        deps = deps + _COMMON_DEPS,
    )
    native.cc_binary(
        name = name,
        deps = [":" + name + "_experiment"] + _MAIN_DEPS,
        data = ["//profiler:shipped_databases"],
    )

def all_figures(name):
    experiments = []
    for rule in native.existing_rules().values():
        if _TAG in rule.get("tags", []):
            experiments.append(":" + rule["name"])
    native.cc_binary(
        name = name,
        deps = sorted(experiments) + _MAIN_DEPS,
        data = ["//profiler:shipped_databases"],
    )
