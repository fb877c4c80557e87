"""Link options that make a binary independent of the project's shared
libraries: Debian's static Abseil/Protobuf archives and a static libstdc++.

The deps' `-l` options still follow on the command line; `--as-needed` keeps
their shared objects out of DT_NEEDED because the archives already resolved
every symbol. Only glibc (libc, libm, and libdl/libpthread/librt stubs)
remains dynamic; libcuda is dlopened at run time by cudart_static.
"""

_LIB = "/usr/lib/x86_64-linux-gnu/"

# Bazel's toolchain names -lstdc++ explicitly, which -static-libstdc++ does
# not turn static; the archive itself does (GCC 12, Debian 12).
_LIBSTDCXX = "/usr/lib/gcc/x86_64-linux-gnu/12/libstdc++.a"

_ABSL = [
    "absl_flags_parse",
    "absl_flags_usage",
    "absl_flags_usage_internal",
    "absl_flags_internal",
    "absl_flags_marshalling",
    "absl_flags_reflection",
    "absl_flags_config",
    "absl_flags_program_name",
    "absl_flags_private_handle_accessor",
    "absl_flags_commandlineflag",
    "absl_flags_commandlineflag_internal",
    "absl_statusor",
    "absl_status",
    "absl_str_format_internal",
    "absl_cord",
    "absl_cord_internal",
    "absl_cordz_info",
    "absl_cordz_handle",
    "absl_cordz_functions",
    "absl_exponential_biased",
    "absl_synchronization",
    "absl_graphcycles_internal",
    "absl_raw_hash_set",
    "absl_hashtablez_sampler",
    "absl_hash",
    "absl_city",
    "absl_low_level_hash",
    "absl_time",
    "absl_civil_time",
    "absl_time_zone",
    "absl_strings",
    "absl_strings_internal",
    "absl_int128",
    "absl_symbolize",
    "absl_demangle_internal",
    "absl_stacktrace",
    "absl_debugging_internal",
    "absl_malloc_internal",
    "absl_throw_delegate",
    "absl_strerror",
    "absl_bad_optional_access",
    "absl_bad_variant_access",
    "absl_base",
    "absl_spinlock_wait",
    "absl_raw_logging_internal",
    "absl_log_severity",
]

STATIC_LINKOPTS = [
    "-static-libstdc++",
    "-static-libgcc",
    "-Wl,--as-needed",
    "-Wl,--start-group",
    _LIB + "libprotobuf.a",
    _LIBSTDCXX,
] + [_LIB + "lib" + name + ".a" for name in _ABSL] + [
    "-Wl,--end-group",
]
