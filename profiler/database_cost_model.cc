#include "profiler/database_cost_model.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "profiler/database_io.h"

namespace multiplex {

DatabaseCostModel::DatabaseCostModel(ProfilingDatabase db, std::string source)
    : db_(std::move(db)), source_(std::move(source)) {
  for (const ModelProfile& model : db_.model()) {
    for (const ConfigProfile& config : model.config()) {
      index_[{model.name(), {config.dp(), config.op(), config.pp()}}] = &config;
    }
  }
}

std::vector<std::string> DatabaseCostModel::Provenance() const {
  std::vector<std::string> out;
  const multiplex::Provenance& p = db_.provenance();
  auto add = [&](const char* key, bool has, const std::string& value) {
    if (!has) return;
    std::string v = value;
    for (char& c : v) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    out.push_back(std::string(key) + ": " + v);
  };
  add("method", p.has_method(), p.method());
  add("hardware", p.has_hardware(), p.hardware());
  add("calibration", p.has_calibration(), p.calibration());
  add("partition", p.has_partition(), p.partition());
  add("sequence_length", p.has_sequence_length(),
      std::to_string(p.sequence_length()));
  add("tool_version", p.has_tool_version(), p.tool_version());
  add("notes", p.has_notes(), p.notes());
  return out;
}

std::string DatabaseCostModel::Name() const {
  return absl::StrCat("database(", source_, ")");
}

std::vector<std::string> DatabaseCostModel::Models() const {
  std::vector<std::string> names;
  for (const auto& [key, config] : index_) {
    if (names.empty() || names.back() != key.first) names.push_back(key.first);
  }
  return names;
}

std::vector<ParallelConfig> DatabaseCostModel::Configs(
    absl::string_view model) const {
  std::vector<ParallelConfig> configs;
  for (auto it =
           index_.lower_bound({std::string(model), ParallelConfig{0, 0, 0}});
       it != index_.end() && it->first.first == model; ++it) {
    configs.push_back(it->first.second);
  }
  return configs;
}

const ConfigProfile* DatabaseCostModel::Find(
    absl::string_view model, const ParallelConfig& config) const {
  auto it = index_.find({std::string(model), config});
  return it == index_.end() ? nullptr : it->second;
}

std::vector<int> DatabaseCostModel::BatchSizes(
    absl::string_view model, const ParallelConfig& config) const {
  std::vector<int> sizes;
  if (const ConfigProfile* c = Find(model, config)) {
    for (const BatchProfile& b : c->batch()) sizes.push_back(b.batch_size());
  }
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

absl::StatusOr<StageCosts> DatabaseCostModel::Stages(
    absl::string_view model, const ParallelConfig& config,
    int batch_size) const {
  const ConfigProfile* c = Find(model, config);
  if (c == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        source_, ": no model '", model, "' with config ", config.ToString()));
  }
  for (const BatchProfile& b : c->batch()) {
    if (b.batch_size() != batch_size) continue;
    StageCosts costs;
    costs.latency_s.assign(b.stage_latency_s().begin(),
                           b.stage_latency_s().end());
    costs.activation_bytes.assign(b.stage_activation_bytes().begin(),
                                  b.stage_activation_bytes().end());
    costs.weight_bytes.assign(c->stage_weight_bytes().begin(),
                              c->stage_weight_bytes().end());
    return costs;
  }
  return absl::NotFoundError(absl::StrCat(source_, ": model '", model,
                                          "' config ", config.ToString(),
                                          " has no batch size ", batch_size));
}

absl::StatusOr<std::unique_ptr<DatabaseCostModel>> LoadDatabaseCostModel(
    const std::string& path) {
  ASSIGN_OR_RETURN(ProfilingDatabase db, LoadDatabase(path));
  return std::make_unique<DatabaseCostModel>(std::move(db), path);
}

namespace {

const bool kRegistered = RegisterPlugin<CostModel>(
    {/*name=*/"database",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::String("path").Help(
         "text-proto profiling database to serve")},
     /*help=*/"serves a profiling database file (profiler/data/*.textproto)",
     /*example=*/"database:path=profiler/data/profiling_result.textproto",
     /*factory=*/
     [](const PluginValues& args)
         -> absl::StatusOr<std::unique_ptr<CostModel>> {
       absl::StatusOr<std::unique_ptr<DatabaseCostModel>> model =
           LoadDatabaseCostModel(args.GetString("path"));
       if (!model.ok()) return model.status();
       return std::unique_ptr<CostModel>(*std::move(model));
     }});

}  // namespace
}  // namespace multiplex
