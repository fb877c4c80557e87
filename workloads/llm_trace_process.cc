// llm-trace:path=FILE[,...] — replays an LLM inference trace (Azure LLM or
// BurstGPT, llm_trace.h) with each request's prompt and output tokens.
//
// Window: the rows with start <= time < end (seconds from the trace's
// start; end defaults to the last row's time, inclusive). Filters (BurstGPT):
// only rows of one Model and/or one Log Type. Dealing to N models: the
// window's rows, counted in file order (k = 0, 1, ...), go to model
// k mod N ("round_robin": every model sees the trace's shape at 1/N of its
// rate) or to model SplitMix64(k) mod N ("random": the same split, without
// a period). Time scaling: trace time t (from the window's start) plays at
// t / time_scale, so time_scale = 2 doubles every rate. Each model's
// process reads the file once and keeps only its own requests.

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "core/stream_seed.h"
#include "workloads/llm_trace.h"

namespace multiplex {
namespace {

class LlmTraceProcess : public ArrivalProcess {
 public:
  LlmTraceProcess(std::string label, std::vector<double> times,
                  std::vector<int32_t> prompt, std::vector<int32_t> output,
                  double played_length_s)
      : label_(std::move(label)),
        times_(std::move(times)),
        prompt_(std::move(prompt)),
        output_(std::move(output)),
        rate_(static_cast<double>(times_.size()) / played_length_s),
        cv_(GapCv(times_)) {}

  std::string Name() const override { return label_; }
  double Rate() const override { return rate_; }
  double Cv() const override { return cv_; }
  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override {
    std::vector<int32_t> p, o;
    return GenerateWithTokens(start, duration, seed, &p, &o);
  }
  bool HasTokens() const override { return true; }
  std::vector<double> GenerateWithTokens(
      double start, double duration, uint64_t, std::vector<int32_t>* prompt,
      std::vector<int32_t>* output) const override {
    const double end = start + duration;
    const size_t lo = static_cast<size_t>(
        std::lower_bound(times_.begin(), times_.end(), start) - times_.begin());
    const size_t hi = static_cast<size_t>(
        std::lower_bound(times_.begin(), times_.end(), end) - times_.begin());
    prompt->assign(prompt_.begin() + lo, prompt_.begin() + hi);
    output->assign(output_.begin() + lo, output_.begin() + hi);
    return std::vector<double>(times_.begin() + lo, times_.begin() + hi);
  }

 private:
  static double GapCv(const std::vector<double>& t) {
    if (t.size() < 3) return 1;
    double sum = 0, sq = 0;
    for (size_t i = 1; i < t.size(); ++i) {
      const double g = t[i] - t[i - 1];
      sum += g;
      sq += g * g;
    }
    const double n = static_cast<double>(t.size() - 1);
    const double mean = sum / n;
    const double var = std::max(0.0, sq / n - mean * mean);
    return mean > 0 ? std::sqrt(var) / mean : 1;
  }

  std::string label_;
  std::vector<double> times_;
  std::vector<int32_t> prompt_, output_;
  double rate_, cv_;
};

absl::StatusOr<std::unique_ptr<ArrivalProcess>> Make(const PluginValues& v) {
  const std::string& path = v.GetString("path");
  LlmTraceFormat format;
  if (v.GetString("format") == "auto") {
    ASSIGN_OR_RETURN(format, DetectLlmTraceFormat(path));
  } else {
    format = v.GetString("format") == "azure-llm" ? LlmTraceFormat::kAzureLlm
                                                  : LlmTraceFormat::kBurstGpt;
  }
  const double start = v.GetDouble("start");
  const bool has_end = v.Has("end");
  const double end = has_end ? v.GetDouble("end") : 0;
  if (has_end && !(end > start)) {
    return absl::InvalidArgumentError(
        absl::StrCat("llm-trace: end ", end, " must be after start ", start));
  }
  const int index = v.GetInt("model_index");
  const int num_models = v.GetInt("num_models");
  if (index >= num_models) {
    return absl::InvalidArgumentError(absl::StrCat(
        "llm-trace: model_index ", index, " >= num_models ", num_models));
  }
  const bool random_deal = v.GetString("deal") == "random";
  const std::string only_model =
      v.Has("burst_model") ? v.GetString("burst_model") : "";
  const std::string only_log = v.Has("log_type") ? v.GetString("log_type") : "";
  if (format == LlmTraceFormat::kAzureLlm &&
      (!only_model.empty() || !only_log.empty())) {
    return absl::InvalidArgumentError(
        "llm-trace: 'burst_model' and 'log_type' filter BurstGPT rows; an "
        "Azure LLM "
        "trace has neither column");
  }
  const double scale = v.GetDouble("time_scale");
  std::vector<double> times;
  std::vector<int32_t> prompt, output;
  double last = 0;
  int64_t k = 0;
  RETURN_IF_ERROR(
      ReadLlmTrace(path, format, [&](const LlmTraceRow& row) -> absl::Status {
        if (row.time_s < start || (has_end && row.time_s >= end)) {
          return absl::OkStatus();
        }
        if (!only_model.empty() && row.model != only_model) {
          return absl::OkStatus();
        }
        if (!only_log.empty() && row.log_type != only_log) {
          return absl::OkStatus();
        }
        last = std::max(last, row.time_s);
        const uint64_t slot =
            random_deal ? SplitMix64(static_cast<uint64_t>(k)) : k;
        ++k;
        if (static_cast<int>(slot % num_models) != index) {
          return absl::OkStatus();
        }
        times.push_back((row.time_s - start) / scale);
        prompt.push_back(row.prompt_tokens);
        output.push_back(row.output_tokens);
        return absl::OkStatus();
      }));
  // Traces are sorted by time; should one not be, order it (stably).
  if (!std::is_sorted(times.begin(), times.end())) {
    std::vector<size_t> order(times.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return times[a] < times[b]; });
    std::vector<double> t2;
    std::vector<int32_t> p2, o2;
    for (size_t i : order) {
      t2.push_back(times[i]);
      p2.push_back(prompt[i]);
      o2.push_back(output[i]);
    }
    times.swap(t2);
    prompt.swap(p2);
    output.swap(o2);
  }
  const double length = ((has_end ? end : last) - start) / scale;
  std::string label =
      absl::StrCat("llm-trace(", LlmTraceFormatName(format), ",", path,
                   ",model ", index, "/", num_models, ")");
  return std::unique_ptr<ArrivalProcess>(
      new LlmTraceProcess(std::move(label), std::move(times), std::move(prompt),
                          std::move(output), length > 0 ? length : 1.0));
}

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"llm-trace",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::String("path").Help(
          "an Azure LLM inference trace (TIMESTAMP,ContextTokens,"
          "GeneratedTokens) or a BurstGPT file"),
      PluginParam::String("format")
          .Default("auto")
          .OneOf({"auto", "azure-llm", "burstgpt"})
          .Help("auto: from the file's header"),
      PluginParam::Double("start").Default("0").AtLeast(0).Help(
          "window start, seconds from the trace's start"),
      PluginParam::Double("end").Optional().GreaterThan(0).Help(
          "window end (exclusive); default: the last row"),
      PluginParam::Double("time_scale")
          .Default("1")
          .GreaterThan(0)
          .Help("trace time t plays at t / time_scale (2: twice the rate)"),
      PluginParam::String("deal")
          .Default("round_robin")
          .OneOf({"round_robin", "random"})
          .Help("window row k goes to model k mod N, or SplitMix64(k) mod N"),
      PluginParam::String("burst_model")
          .Optional()
          .Help("BurstGPT: only rows of this Model (ChatGPT, GPT-4)"),
      PluginParam::String("log_type")
          .Optional()
          .Help("BurstGPT: only rows of this Log Type"),
      PluginParam::Int("model_index")
          .Default("0")
          .AtLeast(0)
          .FedBy(Feed::kModelIndex)
          .Help("which model (set per model by multi-model workloads)"),
      PluginParam::Int("num_models")
          .Default("1")
          .AtLeast(1)
          .FedBy(Feed::kNumModels)
          .Help("how many models share the requests (set by multi-model "
                "workloads)")},
     /*help=*/
     "replays an LLM trace's arrivals with their prompt and output tokens",
     /*example=*/"llm-trace:path=workloads/testdata/llm/azure_conv.csv",
     /*factory=*/Make});

}  // namespace
}  // namespace multiplex
