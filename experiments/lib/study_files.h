#ifndef MULTIPLEX_EXPERIMENTS_LIB_STUDY_FILES_H_
#define MULTIPLEX_EXPERIMENTS_LIB_STUDY_FILES_H_

// The files a study reads and writes, so that a run can refuse, before
// anything runs, an output that is one of its inputs (the spec named
// study.textproto in --out_dir, a trace named results.tsv there).

#include <string>
#include <vector>

#include "core/file_io.h"
#include "experiments/lib/study.h"

namespace multiplex {

// The spec file, the default cost model's files and every file a field of
// the filled spec names: workload.trace, training.trace and the file
// parameters (IsPathParam) of every plugin spec in it (cost models,
// processes, simulators, policies, sweep values).
std::vector<NamedPath> StudyInputFiles(const Study& study);

// results.tsv (results_summary.tsv with repetitions), study.textproto,
// each chart's and panel figure's PDF, TSV (and PNG) in out_dir, and the
// results in every extra format of `formats` ("csv", "json").
std::vector<NamedPath> StudyOutputFiles(
    const Study& study, const std::string& out_dir, bool png,
    const std::vector<std::string>& formats = {});

}  // namespace multiplex

#endif  // MULTIPLEX_EXPERIMENTS_LIB_STUDY_FILES_H_
