#include "profiler/calibration.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/file_io.h"
#include "core/status_macros.h"
#include "profiler/analytical_cost_model.h"

namespace multiplex {

namespace {

absl::StatusOr<std::vector<std::vector<std::string>>> ReadTsv(
    const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  std::vector<std::vector<std::string>> rows;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {  // column names
      header = false;
      continue;
    }
    rows.push_back(absl::StrSplit(line, '\t'));
  }
  return rows;
}

absl::Status Bad(const std::string& path, int row) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": malformed data row ", row + 1));
}

// Fills the rows' shape and growth errors (see RowError) and the summary.
void Summarize(TableSummary* t) {
  // Growth: the base of a series is its row with the fewest stages.
  std::map<std::tuple<std::string, int, int>, const RowError*> base;
  for (const RowError& r : t->rows) {
    const auto key = std::make_tuple(r.row.model, r.row.op, r.row.batch_size);
    auto it = base.find(key);
    if (it == base.end() || r.row.pp < it->second->row.pp) base[key] = &r;
  }
  double shape_sq = 0, growth_sq = 0;
  int shape_n = 0, growth_n = 0;
  for (RowError& r : t->rows) {
    const RowError* b =
        base.at(std::make_tuple(r.row.model, r.row.op, r.row.batch_size));
    if (b->row.pp < r.row.pp) {
      r.has_growth = true;
      r.growth_log_error = std::log((r.modelled_s / b->modelled_s) /
                                    (r.row.latency_s / b->row.latency_s));
      growth_sq += r.growth_log_error * r.growth_log_error;
      ++growth_n;
    }
    r.shape_log_error.clear();
    if (r.row.pp > 1 &&
        r.row.stage_latency_s.size() == r.modelled_stage_s.size()) {
      for (size_t k = 0; k < r.modelled_stage_s.size(); ++k) {
        const double e = std::log((r.modelled_stage_s[k] / r.modelled_s) /
                                  (r.row.stage_latency_s[k] / r.row.latency_s));
        r.shape_log_error.push_back(e);
        if (r.row.op == 1) {
          shape_sq += e * e;
          ++shape_n;
        }
      }
    }
  }
  t->shape_rms = shape_n ? std::sqrt(shape_sq / shape_n) : 0;
  t->growth_rms = growth_n ? std::sqrt(growth_sq / growth_n) : 0;
  std::vector<double> errs;
  for (const RowError& r : t->rows) errs.push_back(std::fabs(r.rel_error));
  std::sort(errs.begin(), errs.end());
  if (errs.empty()) return;
  size_t n = errs.size();
  t->median_abs = n % 2 ? errs[n / 2] : 0.5 * (errs[n / 2 - 1] + errs[n / 2]);
  t->max_abs = errs.back();
}

}  // namespace

const std::vector<Table1Entry>& Table1() {
  static const auto* t = new std::vector<Table1Entry>{
      {"bert-1.3b", 0.151}, {"bert-2.6b", 0.238}, {"bert-6.7b", 0.395}};
  return *t;
}

absl::StatusOr<std::vector<ReferenceRow>> LoadStageTable(
    const std::string& path) {
  ASSIGN_OR_RETURN(const std::vector<std::vector<std::string>> tsv,
                   ReadTsv(path));
  std::vector<ReferenceRow> rows;
  for (size_t i = 0; i < tsv.size(); ++i) {
    const std::vector<std::string>& c = tsv[i];
    ReferenceRow r;
    r.table = "stage";
    int dp;
    if (c.size() != 6 || !absl::SimpleAtoi(c[1], &dp) ||
        !absl::SimpleAtoi(c[2], &r.op) || !absl::SimpleAtoi(c[3], &r.pp) ||
        !absl::SimpleAtoi(c[4], &r.batch_size)) {
      return Bad(path, i);
    }
    r.model = c[0];
    for (absl::string_view s : absl::StrSplit(c[5], ',')) {
      double v;
      if (!absl::SimpleAtod(s, &v)) return Bad(path, i);
      r.stage_latency_s.push_back(v);
      r.latency_s += v;
    }
    if (static_cast<int>(r.stage_latency_s.size()) != r.pp) return Bad(path, i);
    rows.push_back(r);
  }
  return rows;
}

absl::StatusOr<std::vector<ReferenceRow>> LoadPipelineTable(
    const std::string& path) {
  ASSIGN_OR_RETURN(const std::vector<std::vector<std::string>> tsv,
                   ReadTsv(path));
  const std::map<std::string, std::string> kModel = {{"2.649B", "bert-2.6b"},
                                                     {"6.654B", "bert-6.7b"},
                                                     {"15.364B", "bert-15b"}};
  std::vector<ReferenceRow> rows;
  for (size_t i = 0; i < tsv.size(); ++i) {
    const std::vector<std::string>& c = tsv[i];
    ReferenceRow r;
    r.table = "pipeline";
    if (c.size() != 9 || !absl::SimpleAtoi(c[1], &r.batch_size) ||
        !absl::SimpleAtoi(c[3], &r.pp) ||
        !absl::SimpleAtod(c[4], &r.latency_s) || !kModel.count(c[6])) {
      return Bad(path, i);
    }
    r.model = kModel.at(c[6]);
    if (r.latency_s <= 0) continue;  // -1: did not fit / not run
    rows.push_back(r);
  }
  return rows;
}

absl::StatusOr<CalibrationReport> Evaluate(
    const HardwareDesc& hw, const std::vector<TransformerModelDesc>& models,
    const std::vector<ReferenceRow>& stage_rows,
    const std::vector<ReferenceRow>& pipeline_rows) {
  AnalyticalOptions ref_options;
  ref_options.sequence_length = 1024;
  ref_options.partition = "manual";
  ref_options.pp_degrees = {1, 2, 4, 8, 16, 32};
  AnalyticalCostModel ref(hw, models, ref_options);
  CalibrationReport report;
  for (const auto* table : {&stage_rows, &pipeline_rows}) {
    TableSummary* summary =
        table == &stage_rows ? &report.stage : &report.pipeline;
    for (const ReferenceRow& row : *table) {
      ASSIGN_OR_RETURN(const StageCosts costs,
                       ref.Stages(row.model, ParallelConfig{1, row.op, row.pp},
                                  row.batch_size));
      RowError e;
      e.row = row;
      e.modelled_stage_s = costs.latency_s;
      e.modelled_s = costs.TotalLatency();
      e.rel_error = (e.modelled_s - row.latency_s) / row.latency_s;
      summary->rows.push_back(e);
    }
    Summarize(summary);
  }
  AnalyticalOptions t1_options;
  t1_options.sequence_length = 2048;
  AnalyticalCostModel t1(hw, models, t1_options);
  for (const Table1Entry& e : Table1()) {
    ASSIGN_OR_RETURN(const StageCosts costs,
                     t1.Stages(e.model, ParallelConfig{1, 1, 1}, 1));
    report.table1_model.push_back(e.model);
    report.table1_modelled_s.push_back(costs.TotalLatency());
    report.table1_paper_s.push_back(e.latency_s);
    report.table1_rel_error.push_back((costs.TotalLatency() - e.latency_s) /
                                      e.latency_s);
  }
  return report;
}

std::string CalibrationReport::ToString() const {
  std::string out = "Table 1 (seq 2048, batch 1, one GPU):\n";
  for (size_t i = 0; i < table1_model.size(); ++i) {
    absl::StrAppendFormat(&out,
                          "  %-10s modelled %.1f ms  paper %.0f ms  %+.1f%%\n",
                          table1_model[i], 1e3 * table1_modelled_s[i],
                          1e3 * table1_paper_s[i], 100 * table1_rel_error[i]);
  }
  for (const TableSummary* t : {&stage, &pipeline}) {
    absl::StrAppendFormat(
        &out,
        "%s table (seq 1024): %d rows, median |err| %.1f%%, max %.1f%%; "
        "rms log error of stage shares (op = 1) %.3f, of growth with pp %.3f\n",
        t == &stage ? "stage" : "pipeline", static_cast<int>(t->rows.size()),
        100 * t->median_abs, 100 * t->max_abs, t->shape_rms, t->growth_rms);
    for (const RowError& r : t->rows) {
      absl::StrAppendFormat(&out,
                            "  %-10s op=%d pp=%-2d b=%-2d measured %7.1f ms  "
                            "modelled %7.1f ms  %+6.1f%%",
                            r.row.model, r.row.op, r.row.pp, r.row.batch_size,
                            1e3 * r.row.latency_s, 1e3 * r.modelled_s,
                            100 * r.rel_error);
      if (r.has_growth) {
        absl::StrAppendFormat(&out, "  growth %+5.1f%%",
                              100 * std::expm1(r.growth_log_error));
      }
      if (!r.row.stage_latency_s.empty() && r.row.pp > 1) {
        absl::StrAppend(&out, "  stages ms measured/modelled:");
        for (int s = 0; s < r.row.pp; ++s) {
          absl::StrAppendFormat(&out, " %.1f/%.1f",
                                1e3 * r.row.stage_latency_s[s],
                                1e3 * r.modelled_stage_s[s]);
        }
      }
      absl::StrAppend(&out, "\n");
    }
  }
  return out;
}

}  // namespace multiplex
