#ifndef MULTIPLEX_PROFILER_DATABASE_COST_MODEL_H_
#define MULTIPLEX_PROFILER_DATABASE_COST_MODEL_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/cost_model.h"
#include "profiler/database.pb.h"

namespace multiplex {

// The `database` cost model: serves a validated profiling database.
// Name() is "database(<source>)", e.g. "database(profiling_result.textproto)".
class DatabaseCostModel : public CostModel {
 public:
  // `db` must have passed ValidateDatabase().
  DatabaseCostModel(ProfilingDatabase db, std::string source);

  std::string Name() const override;
  std::vector<std::string> Models() const override;
  std::vector<ParallelConfig> Configs(absl::string_view model) const override;
  std::vector<int> BatchSizes(absl::string_view model,
                              const ParallelConfig& config) const override;
  absl::StatusOr<StageCosts> Stages(absl::string_view model,
                                    const ParallelConfig& config,
                                    int batch_size) const override;
  // The database's provenance fields that are set, e.g. "method: modelled".
  std::vector<std::string> Provenance() const override;

  const ProfilingDatabase& database() const { return db_; }

 private:
  using Key = std::pair<std::string, ParallelConfig>;
  const ConfigProfile* Find(absl::string_view model,
                            const ParallelConfig& config) const;

  ProfilingDatabase db_;
  std::string source_;
  std::map<Key, const ConfigProfile*> index_;
};

// Loads and validates `path`, then serves it.
absl::StatusOr<std::unique_ptr<DatabaseCostModel>> LoadDatabaseCostModel(
    const std::string& path);

}  // namespace multiplex

#endif  // MULTIPLEX_PROFILER_DATABASE_COST_MODEL_H_
