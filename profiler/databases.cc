#include "profiler/databases.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/status_macros.h"
#include "profiler/descs.h"

namespace multiplex {

std::vector<DatabaseSpec> StudyDatabaseSpecs() {
  std::vector<DatabaseSpec> specs;
  DatabaseSpec main;
  main.name = "profiling_result";
  main.models = {"bert-1.3b", "bert-2.6b", "bert-6.7b",
                 "moe-1.3b",  "moe-2.4b",  "moe-5.3b"};
  main.options.sequence_length = 2048;
  main.options.partition = "dp";
  main.options.op_degrees = {1, 2, 4, 8};
  main.options.pp_degrees = {1, 2, 4, 8, 16, 32};
  main.options.batch_sizes = {1, 2, 4, 8, 16};
  specs.push_back(main);
  for (const char* partition : {"manual", "dp"}) {
    DatabaseSpec s;
    s.name = absl::StrCat("profiling_result_long_sequence_", partition);
    s.models = {"bert-1.3b", "bert-2.6b"};
    s.options.sequence_length = 2048;
    s.options.partition = partition;
    s.options.op_degrees = {1, 2, 4, 8};
    s.options.pp_degrees = {1, 2, 4, 8};
    s.options.batch_sizes = {1, 2, 4, 8, 16};
    specs.push_back(s);
  }
  return specs;
}

absl::StatusOr<ProfilingDatabase> BuildDatabase(const DatabaseSpec& spec,
                                                const HardwareDesc& hw,
                                                const std::string& models_dir) {
  ASSIGN_OR_RETURN(std::vector<TransformerModelDesc> models,
                   LoadModelDescs(models_dir, spec.models));
  bool has_moe = false;
  for (const TransformerModelDesc& m : models) {
    has_moe = has_moe || m.num_experts() > 0;
  }
  AnalyticalCostModel cost(hw, std::move(models), spec.options);
  ProfilingDatabase db;
  Provenance* p = db.mutable_provenance();
  p->set_method("modelled");
  p->set_tool_version(kBuildDatabasesVersion);
  p->set_hardware(hw.name());
  p->set_sequence_length(spec.options.sequence_length);
  p->set_partition(spec.options.partition);
  p->set_calibration(hw.calibration());
  p->set_notes(absl::StrCat(
      spec.name,
      ": analytical roofline model of BERT-style inference (profiler/"
      "analytical_cost_model.h), fitted to V100 measurements at sequence 1024 "
      "(profiler/reference/) and Table 1 at 2048. Stages: ",
      spec.options.partition == "dp"
          ? "dynamic program over embedding/attention/FFN/head units on "
            "batch-1 latencies"
          : "equal transformer layers per stage, embedding first, head last",
      ". Weights: parameters each stage owns per GPU (tied embedding counted "
      "once, on stage 0; the head's replica is in the last stage's "
      "activation bytes). Configs with more stages than layers are skipped.",
      has_moe ? " MoE models (moe-*): GShard-style, every second FFN 16 "
                "experts with top-2 routing, configurations from Alpa's MoE "
                "suite (moe-5.3b derived; the provenance field of "
                "profiler/models/moe-*.textproto); op = expert parallelism, "
                "two all-to-alls per MoE layer on the all-reduce's constants."
              : ""));
  for (const std::string& name : cost.Models()) {
    ModelProfile* mp = db.add_model();
    mp->set_name(name);
    for (const ParallelConfig& c : cost.Configs(name)) {
      ConfigProfile* cp = mp->add_config();
      cp->set_dp(c.dp);
      cp->set_op(c.op);
      cp->set_pp(c.pp);
      bool first = true;
      for (int b : cost.BatchSizes(name, c)) {
        ASSIGN_OR_RETURN(const StageCosts sc, cost.Stages(name, c, b));
        if (first) {
          for (double w : sc.weight_bytes) cp->add_stage_weight_bytes(w);
          first = false;
        }
        BatchProfile* bp = cp->add_batch();
        bp->set_batch_size(b);
        for (double l : sc.latency_s) bp->add_stage_latency_s(l);
        for (double a : sc.activation_bytes) {
          bp->add_stage_activation_bytes(a);
        }
      }
    }
  }
  return db;
}

}  // namespace multiplex
