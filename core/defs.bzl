"""Plugin libraries, the sets that link them, and the layer check's view.

A plugin registers itself from a static initialiser in its own .cc file, so
its cc_library must be alwayslink or a cc_binary silently drops it.
`plugin_library(name, srcs, set = "plugins")` declares such a library and
names the set it belongs to; `plugin_set(name = "plugins")` makes the target
that links every plugin_library naming it. //tools:all_plugins links each
package's set, and every binary and test that creates plugins by name links
//tools:all_plugins. So a new plugin is one .cc file and one plugin_library
entry.

Membership is declared on the plugin, never inferred from its place in the
file: a Bazel macro sees only the rules declared before it, so plugin_set
must come last, and a plugin_library that names a set declared above it
fails the package's loading with a message instead of silently leaving
every binary. //tests:membership_test checks the rest: every plugin_library
of every plugin package is linked by //tools:all_plugins, and every
cc_library of a layered package is in its package_libraries target.
"""

_TAG = "multiplex_plugin"

def _set_tag(set):
    return "multiplex_plugin_set=" + set

def plugin_library(name, srcs, set, deps = [], tags = [], **kwargs):
    """An alwayslink plugin library in the plugin_set `set`.

    set: the name of this package's plugin_set that links it ("plugins"),
    or None for a test-only plugin that only the tests naming it link.
    """
    if set == None:
        if not kwargs.get("testonly"):
            fail("plugin_library %s: set = None is for testonly plugins; " %
                 name + "a plugin every binary links names its set " +
                 "(set = \"plugins\")")
        set_tags = []
    else:
        if native.existing_rule(set) != None:
            fail(("plugin_library %s is declared after its plugin_set %s, " +
                  "which therefore would not link it: declare it above") %
                 (name, set))
        set_tags = [_set_tag(set)]
    native.cc_library(
        name = name,
        srcs = srcs,
        deps = deps,
        tags = tags + [_TAG] + set_tags,
        alwayslink = 1,
        **kwargs
    )

def plugin_set(name, **kwargs):
    """Links every plugin_library declared with set = name (all above it)."""
    plugins = []
    for rule in native.existing_rules().values():
        if _set_tag(name) in rule.get("tags", []):
            plugins.append(":" + rule["name"])
    if not plugins:
        fail("plugin_set %s: no plugin_library names it (set = \"%s\")" %
             (name, name))
    native.cc_library(name = name, deps = sorted(plugins), **kwargs)

def package_libraries(name):
    """Last in a BUILD file: one target depending on every cc_library above.

    //tests:layers_test queries the dependencies of these targets to check
    that a package's libraries depend only on the layers below it;
    //tests:membership_test checks that no cc_library of the package is
    declared below it.
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
