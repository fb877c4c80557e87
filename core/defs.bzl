"""Plugin libraries, the one list of them, and the layer check's view.

A plugin registers itself from a static initialiser in its own .cc file, so
its cc_library must be alwayslink or a cc_binary silently drops it.
`plugin_library` declares such a library; `plugin_set`, called at the end of a
BUILD file, makes one target that links every non-testonly plugin_library
declared above it. //tools:all_plugins links each package's set, and every
binary and test that creates plugins by name links //tools:all_plugins. So a
new plugin is one .cc file and one plugin_library entry.
"""

_TAG = "multiplex_plugin"

def plugin_library(name, srcs, deps = [], tags = [], **kwargs):
    native.cc_library(
        name = name,
        srcs = srcs,
        deps = deps,
        tags = tags + [_TAG],
        alwayslink = 1,
        **kwargs
    )

def plugin_set(name, **kwargs):
    plugins = []
    for rule in native.existing_rules().values():
        if _TAG in rule.get("tags", []) and not rule.get("testonly", False):
            plugins.append(":" + rule["name"])
    native.cc_library(name = name, deps = sorted(plugins), **kwargs)

def package_libraries(name):
    """Last in a BUILD file: one target depending on every cc_library above.

    //tests:layers_test queries the dependencies of these targets to check
    that a package's libraries depend only on the layers below it.
    """
    libraries = []
    for rule in native.existing_rules().values():
        if rule["kind"] == "cc_library":
            libraries.append(":" + rule["name"])
    native.cc_library(
        name = name,
        testonly = 1,
        deps = sorted(libraries),
        visibility = ["//tests:__pkg__"],
    )
