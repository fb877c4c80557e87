#include "profiler/database_io.h"

#include <cmath>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/parallel_config.h"
#include "core/status_macros.h"
#include "core/text_proto_errors.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace multiplex {
namespace {

std::string Where(absl::string_view source, const ModelProfile& model,
                  const ConfigProfile* config = nullptr,
                  const BatchProfile* batch = nullptr) {
  std::string s = absl::StrCat(source, ": model '", model.name(), "'");
  if (config) {
    absl::StrAppend(&s, " config (", config->dp(), ",", config->op(), ",",
                    config->pp(), ")");
  }
  if (batch) absl::StrAppend(&s, " batch ", batch->batch_size());
  return s;
}

absl::Status CheckValues(const std::string& where, absl::string_view what,
                         const google::protobuf::RepeatedField<double>& values,
                         int pp, bool must_be_positive) {
  if (values.size() != pp) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": ", values.size(), " ", what, " for ", pp, " stages"));
  }
  for (int i = 0; i < values.size(); ++i) {
    double v = values[i];
    bool bad = !std::isfinite(v) || v < 0 || (must_be_positive && v == 0);
    if (bad) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": stage ", i, " ", what, " is ", v, ", must be ",
          must_be_positive ? "positive" : "non-negative", " and finite"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateConfig(absl::string_view source, const ModelProfile& model,
                            const ConfigProfile& config) {
  const std::string where = Where(source, model, &config);
  if (absl::Status s =
          CheckParallelConfig({config.dp(), config.op(), config.pp()});
      !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", s.message()));
  }
  RETURN_IF_ERROR(CheckValues(where, "stage_weight_bytes",
                              config.stage_weight_bytes(), config.pp(), false));
  if (config.batch_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": no batch sizes"));
  }
  std::set<int> batch_sizes;
  for (const BatchProfile& batch : config.batch()) {
    const std::string bwhere = Where(source, model, &config, &batch);
    if (batch.batch_size() < 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(bwhere, ": batch size must be >= 1"));
    }
    if (batch.batch_size() > kMaxBatchSize) {
      return absl::InvalidArgumentError(
          absl::StrCat(bwhere, ": batch size is over the limit of ",
                       kMaxBatchSize, " (kMaxBatchSize)"));
    }
    if (!batch_sizes.insert(batch.batch_size()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(bwhere, ": batch size listed twice"));
    }
    RETURN_IF_ERROR(CheckValues(bwhere, "stage_latency_s",
                                batch.stage_latency_s(), config.pp(), true));
    RETURN_IF_ERROR(CheckValues(bwhere, "stage_activation_bytes",
                                batch.stage_activation_bytes(), config.pp(),
                                false));
  }
  // Every simulator serves batch 1 (batching grows from it): a config
  // without it cannot serve, and policies would misreport it as not fitting.
  if (!batch_sizes.count(1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": no batch_size 1 (every config needs batch 1; it has ",
        absl::StrJoin(batch_sizes, ", "), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateDatabase(const ProfilingDatabase& db,
                              absl::string_view source) {
  if (db.model_size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": no models"));
  }
  if (db.model_size() > kMaxModels) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": ", db.model_size(), " models, over the limit of ",
        kMaxModels, " (kMaxModels)"));
  }
  std::set<std::string> names;
  for (const ModelProfile& model : db.model()) {
    if (model.name().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": a model has no name"));
    }
    if (!names.insert(model.name()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(source, model), ": listed twice"));
    }
    if (model.config_size() == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(source, model), ": no parallel configs"));
    }
    std::set<std::vector<int>> configs;
    for (const ConfigProfile& config : model.config()) {
      if (!configs.insert({config.dp(), config.op(), config.pp()}).second) {
        return absl::InvalidArgumentError(
            absl::StrCat(Where(source, model, &config), ": listed twice"));
      }
      RETURN_IF_ERROR(ValidateConfig(source, model, config));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ProfilingDatabase> ParseDatabase(absl::string_view text,
                                                absl::string_view source) {
  ProfilingDatabase db;
  google::protobuf::TextFormat::Parser parser;
  parser.SetRecursionLimit(kMaxTextProtoDepth);
  FirstTextProtoError errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &db)) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ":",
        errors.first().empty() ? " parse error"
                               : absl::StrCat("line ", errors.first())));
  }
  RETURN_IF_ERROR(ValidateDatabase(db, source));
  return db;
}

absl::StatusOr<ProfilingDatabase> LoadDatabase(const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path));
  return ParseDatabase(text, path);
}

std::string FormatDatabase(const ProfilingDatabase& db) {
  google::protobuf::TextFormat::Printer printer;
  std::string body;
  printer.PrintToString(db, &body);
  return absl::StrCat(
      "# proto-file: profiler/database.proto\n"
      "# proto-message: multiplex.ProfilingDatabase\n"
      "# A multiplex profiling database. Latencies in seconds, memory in "
      "bytes,\n# one value per pipeline stage.\n",
      body);
}

absl::Status WriteDatabase(const ProfilingDatabase& db,
                           const std::string& path) {
  RETURN_IF_ERROR(ValidateDatabase(db, path));
  return WriteFileAtomically(path, FormatDatabase(db));
}

}  // namespace multiplex
