#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_EXPERIMENT_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_EXPERIMENT_H_

// A figure group written as a declarative study (experiments/specs/*.textproto,
// experiments/lib/study.proto): an experiment whose figures are the spec's
// charts. experiments/defs.bzl's study_figure embeds the spec in the binary
// at build time and registers it with RegisterStudyExperiment, so the binary
// needs no file of its own at run time (only the database).
//
// Run(context) loads the spec's studies with the context's database as the
// default cost model (specs name none, so --db applies; wrappers such as
// equal-stages wrap it), its seed and duration scale, runs each study's
// cases on context.parallel and writes every chart into context.out_dir
// (WriteStudyCharts: PDF, TSV, PNG with --png). The figure specs name every
// chart's stem: the experiment's outputs. A spec may come with a trace form
// (below), run when the binary is given --trace.

#include <string>

namespace multiplex {

// Registers experiment `name` at static-initialisation time. `spec_path` is
// the spec's place in the workspace (experiments/specs/NAME.textproto):
// messages name it, and relative paths inside the spec are taken from its
// directory there. `spec_text` is the spec itself.
//
// `trace_spec_path` / `trace_spec_text`, when given, are the figure group's
// form for a production trace (specs/NAME_trace.textproto): run instead of
// the spec when the context has a trace_path, with every "${TRACE}" in it
// replaced by that path. It must draw the same chart stems.
//
// "${DB_MANUAL}" and "${DB_DP}" in either become the context's long-sequence
// databases (--db_manual, --db_dp). context.simulator, when set, becomes the
// simulator of the spec (the one run) and so of every case whose study entry or
// policy names none; a spec that names its own at the top is refused.
bool RegisterStudyExperiment(const std::string& name, const std::string& help,
                             const std::string& spec_path,
                             const char* spec_text,
                             const std::string& trace_spec_path = "",
                             const char* trace_spec_text = nullptr);

// The trace placeholder of a trace form.
inline constexpr char kTracePlaceholder[] = "${TRACE}";

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_EXPERIMENT_H_
