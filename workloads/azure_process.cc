// azure:path=FILE[,format=..][,start=D.H.M][,end=D.H.M][,mapping=..]
//       [,arrival=vanilla|gamma|poisson][,interval_s=S][,total_rate=R]
//       [,rate_scale=X]
//       [,cv_scale=X][,time_scale=X][,model_index=I,num_models=N]
// — replays a window of the public Azure Functions traces (MAF1 2019, MAF2
// 2021; workloads/azure_trace.h) for model I of N, as AlpaServe does.
//
//   vanilla: the window's arrivals as they are (MAF2: end_timestamp -
//     duration; MAF1: each minute's invocations spread evenly over it).
//   gamma / poisson: the window cut into interval_s pieces; in each, the
//     rate and CV estimated from the trace (azure_trace.h), multiplied by
//     rate_scale and cv_scale (and the rate by total_rate / the window's
//     mean rate over all num_models models, when total_rate is given: the
//     same factor for every model), and a Gamma (poisson: exponential, CV 1)
//     renewal process drawn afresh over the piece. Piece k draws from a
//     generator seeded by (seed, k), so a piece's arrivals do not depend on
//     the range asked for.
//   time_scale: trace time t plays at t / time_scale (2: twice as fast).
//
// Times start at 0 at the window's start. MakeModelStreams
// (workloads/generator.h) sets model_index and num_models for each model of
// a workload; the files are read once per (window, mapping, num_models) while
// any of the models' processes is alive.

#include <sys/stat.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/arrival_process.h"
#include "core/number_format.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "workloads/azure_trace.h"
#include "workloads/process_util.h"
#include "workloads/random.h"
#include "workloads/stats.h"

namespace multiplex {
namespace {

enum class Arrival { kVanilla, kGamma, kPoisson };

// The most pieces of interval_s a gamma/poisson window is cut into: 2^20,
// a 14-day window in pieces of 1.2 s (40 MB of estimates per model).
constexpr int64_t kMaxAzurePieces = int64_t{1} << 20;
// The largest CV of a piece after cv_scale (the gamma process's bound).
constexpr double kMaxAzureCv = 100;

using ReplayKey =
    std::tuple<std::string, int, double, double, std::string, int>;

// Replays shared by the processes of one workload's models.
absl::StatusOr<std::shared_ptr<const AzureReplay>> SharedReplay(
    const std::string& path, AzureFormat format, double start_s, double end_s,
    const std::string& mapping, int num_models) {
  static std::mutex mu;
  static auto* cache =
      new std::map<ReplayKey, std::weak_ptr<const AzureReplay>>();
  const ReplayKey key{
      path, static_cast<int>(format), start_s, end_s, mapping, num_models};
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(key);
  if (it != cache->end()) {
    if (std::shared_ptr<const AzureReplay> r = it->second.lock()) return r;
  }
  ASSIGN_OR_RETURN(
      AzureReplay replay,
      BuildAzureReplay(path, format, start_s, end_s, mapping, num_models));
  auto shared = std::make_shared<const AzureReplay>(std::move(replay));
  // Drop expired entries so the map stays small.
  for (auto e = cache->begin(); e != cache->end();) {
    e = e->second.expired() ? cache->erase(e) : std::next(e);
  }
  (*cache)[key] = shared;
  return shared;
}

uint64_t Mix(uint64_t x) {  // SplitMix64's finalizer
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class AzureProcess : public ArrivalProcess {
 public:
  AzureProcess(std::string label, std::shared_ptr<const AzureReplay> replay,
               int model, Arrival arrival, std::vector<WindowEstimate> windows,
               double time_scale)
      : label_(std::move(label)),
        replay_(std::move(replay)),
        model_(model),
        arrival_(arrival),
        windows_(std::move(windows)),
        time_scale_(time_scale) {
    const double played_s = replay_->window_s / time_scale_;
    if (arrival_ == Arrival::kVanilla) {
      const std::vector<double>& t = replay_->model_times[model_];
      rate_ = t.size() / played_s;
      cv_ = MeasureArrivals(t, /*duration=*/0).cv;
    } else {
      double expected = 0, weighted_cv = 0;
      for (const WindowEstimate& w : windows_) {
        expected += w.rate * w.length_s;
        weighted_cv += w.cv * w.rate * w.length_s;
      }
      rate_ = expected / played_s;
      cv_ = expected > 0 ? weighted_cv / expected : 1.0;
    }
  }

  std::string Name() const override { return label_; }
  double Rate() const override { return rate_; }
  double Cv() const override { return cv_; }

  std::vector<double> Generate(double start, double duration,
                               uint64_t seed) const override {
    const double end = start + duration;
    std::vector<double> out;
    if (arrival_ == Arrival::kVanilla) {
      for (double t : replay_->model_times[model_]) {
        const double s = t / time_scale_;
        if (s >= end) break;
        if (s >= start) out.push_back(s);
      }
      return out;
    }
    for (size_t k = 0; k < windows_.size(); ++k) {
      const WindowEstimate& w = windows_[k];
      const double ws = w.start_s / time_scale_;
      const double we = (w.start_s + w.length_s) / time_scale_;
      if (we <= start || ws >= end || !(w.rate > 0)) continue;
      const double rate = w.rate * time_scale_;  // per played second
      Rng rng(Mix(seed ^ Mix(k)));
      double t = ws;
      if (arrival_ == Arrival::kPoisson || w.cv == 1.0) {
        while (true) {
          t += rng.Exponential() / rate;
          if (!(t < we)) break;
          if (t >= start && t < end) out.push_back(t);
        }
      } else {
        const double shape = 1.0 / (w.cv * w.cv);
        const double scale = w.cv * w.cv / rate;
        const GammaSampler gamma(shape);
        while (true) {
          t += gamma(rng) * scale;
          if (!(t < we)) break;
          if (t >= start && t < end) out.push_back(t);
        }
      }
    }
    return out;
  }

 private:
  std::string label_;
  std::shared_ptr<const AzureReplay> replay_;
  int model_;
  Arrival arrival_;
  std::vector<WindowEstimate> windows_;  // scaled; gamma/poisson only
  double time_scale_;
  double rate_ = 0, cv_ = 1;
};

// Days of data when `end` is left out.
absl::StatusOr<int> DefaultDays(const std::string& path, AzureFormat format) {
  if (format == AzureFormat::kMaf2) return 14;
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return 1;
  int days = 0;
  while (days < 366 &&
         stat(absl::StrCat(path, "/", Maf1DayFileName(days)).c_str(), &st) ==
             0) {
    ++days;
  }
  if (days == 0) {
    return absl::NotFoundError(absl::StrCat(
        "no MAF1 day file '", Maf1DayFileName(0), "' in '", path, "'"));
  }
  return days;
}

absl::StatusOr<std::unique_ptr<ArrivalProcess>> MakeAzure(
    const PluginValues& args) {
  const std::string& path = args.GetString("path");
  AzureFormat format;
  const std::string& format_name = args.GetString("format");
  if (format_name == "auto") {
    ASSIGN_OR_RETURN(format, DetectAzureFormat(path));
  } else {
    format = format_name == "maf1" ? AzureFormat::kMaf1 : AzureFormat::kMaf2;
  }
  ASSIGN_OR_RETURN(const double start_s,
                   ParseTraceTime(args.GetString("start")));
  double end_s = 0;
  std::string end_text;
  if (args.Has("end")) {
    end_text = args.GetString("end");
    ASSIGN_OR_RETURN(end_s, ParseTraceTime(end_text));
  } else {
    ASSIGN_OR_RETURN(const int days, DefaultDays(path, format));
    end_text = absl::StrCat(days - 1, ".23.60");
    end_s = days * 86400.0;
  }
  if (!(end_s > start_s)) {
    return absl::InvalidArgumentError(
        absl::StrCat("end '", end_text, "' must be after start '",
                     args.GetString("start"), "'"));
  }
  const std::string& mapping = args.GetString("mapping");
  const int num_models = args.GetInt("num_models");
  const int model = args.GetInt("model_index");
  if (model >= num_models) {
    return absl::InvalidArgumentError(absl::StrCat(
        "model_index ", model, " must be < num_models ", num_models));
  }
  const std::string& arrival_name = args.GetString("arrival");
  const Arrival arrival = arrival_name == "vanilla" ? Arrival::kVanilla
                          : arrival_name == "gamma" ? Arrival::kGamma
                                                    : Arrival::kPoisson;
  const double rate_scale = args.GetDouble("rate_scale");
  const double cv_scale = args.GetDouble("cv_scale");
  const double time_scale = args.GetDouble("time_scale");
  const double interval_s = args.GetDouble("interval_s");
  if (arrival == Arrival::kVanilla &&
      (rate_scale != 1 || cv_scale != 1 || args.Has("total_rate"))) {
    return absl::InvalidArgumentError(
        "arrival=vanilla replays the trace as it is: rate_scale, cv_scale "
        "and total_rate apply to arrival=gamma or poisson (time_scale "
        "compresses time for "
        "all)");
  }
  if (arrival == Arrival::kPoisson && cv_scale != 1) {
    return absl::InvalidArgumentError(
        "arrival=poisson has CV 1: cv_scale applies to arrival=gamma");
  }
  if (format == AzureFormat::kMaf1 && arrival != Arrival::kVanilla &&
      std::fmod(interval_s, 60) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "interval_s ", interval_s,
        ": with MAF1 (per-minute counts) it must be a multiple of 60"));
  }
  // One estimate per piece: bounded before the file is read or anything
  // is allocated (interval_s=1e-9 made a piece per nanosecond).
  const double pieces = std::ceil((end_s - start_s) / interval_s);
  if (arrival != Arrival::kVanilla &&
      !(pieces <= static_cast<double>(kMaxAzurePieces))) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "interval_s=", FormatDoubleExact(interval_s), " cuts the ",
        FormatDoubleExact(end_s - start_s), " s window into ",
        FormatDoubleExact(pieces), " pieces, more than the limit of ",
        kMaxAzurePieces, " (each holds an estimate of ", sizeof(WindowEstimate),
        " bytes); choose a longer interval_s"));
  }
  ASSIGN_OR_RETURN(
      std::shared_ptr<const AzureReplay> replay,
      SharedReplay(path, format, start_s, end_s, mapping, num_models));

  // An empty window replays nothing: refused with the reason rather than
  // giving a workload of zero requests.
  if (replay->num_functions == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the window ", args.GetString("start"), "-", end_text, " of '", path,
        "' has no invocations (",
        replay->rows_read == 0
            ? "the file has no data rows, only its header"
            : absl::StrCat(replay->rows_read,
                           " data rows, none in the window: it may lie past "
                           "the end of the data"),
        ")"));
  }
  std::vector<WindowEstimate> windows;
  if (arrival != Arrival::kVanilla) {
    windows = format == AzureFormat::kMaf1
                  ? EstimateWindowsFromCounts(
                        replay->model_minute_counts[model], interval_s)
                  : EstimateWindowsFromTimes(replay->model_times[model],
                                             replay->window_s, interval_s);
    // total_rate: one factor for every model, so the models' shares of the
    // traffic stay the trace's.
    double factor = rate_scale;
    if (args.Has("total_rate")) {
      int64_t arrivals = 0;
      for (const std::vector<double>& times : replay->model_times) {
        arrivals += static_cast<int64_t>(times.size());
      }
      if (arrivals == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("total_rate: the window ", args.GetString("start"),
                         "-", end_text, " of '", path, "' has no invocations"));
      }
      factor *= args.GetDouble("total_rate") * replay->window_s / arrivals;
    }
    for (WindowEstimate& w : windows) {
      w.rate *= factor;
      w.cv = arrival == Arrival::kPoisson ? 1.0 : w.cv * cv_scale;
      // As the gamma process's own bound: beyond it the Gamma gaps
      // underflow to 0 and a piece draws without end (cv_scale=1e10).
      if (!(w.cv <= kMaxAzureCv) && w.rate > 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "cv_scale=", FormatDoubleExact(cv_scale), " makes the CV of the ",
            "piece at ", FormatDoubleExact(w.start_s), " s ",
            FormatDoubleExact(w.cv), ", more than ", kMaxAzureCv,
            " (larger CVs make the gaps vanish)"));
      }
    }
  }
  std::string label =
      absl::StrCat("azure(", path, ",", AzureFormatName(format), ",",
                   args.GetString("start"), "-", end_text, ",", mapping, ",",
                   arrival_name, ",model ", model, "/", num_models);
  if (arrival != Arrival::kVanilla) {
    absl::StrAppend(&label, ",interval_s=", interval_s);
  }
  if (args.Has("total_rate")) {
    absl::StrAppend(&label, ",total_rate=", args.GetDouble("total_rate"));
  }
  if (rate_scale != 1) absl::StrAppend(&label, ",rate_scale=", rate_scale);
  if (cv_scale != 1) absl::StrAppend(&label, ",cv_scale=", cv_scale);
  if (time_scale != 1) absl::StrAppend(&label, ",time_scale=", time_scale);
  absl::StrAppend(&label, ")");
  return std::unique_ptr<ArrivalProcess>(
      new AzureProcess(std::move(label), std::move(replay), model, arrival,
                       std::move(windows), time_scale));
}

const bool kRegistered = RegisterPlugin<ArrivalProcess>(
    {/*name=*/"azure",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::String("path").Help(
          "MAF2 file (AzureFunctionsInvocationTraceForTwoWeeksJan2021.txt "
          "format), MAF1 day file (taken as day 0) or directory of MAF1 day "
          "files invocations_per_function_md.anon.dNN.csv"),
      PluginParam::String("format")
          .Default("auto")
          .OneOf({"auto", "maf1", "maf2"})
          .Help("auto: from the file's header"),
      PluginParam::String("start").Default("0.0.0").Help(
          "window start, day.hour.minute (day 0 first)"),
      PluginParam::String("end").Optional().Help(
          "window end, day.hour.minute; default: the end of the data (MAF2: "
          "14 days, 13.23.60; a MAF1 day file: 0.23.60; a MAF1 directory: "
          "its day files d01, d02, ... up to the first missing)"),
      PluginParam::String("mapping")
          .Default("stripe")
          .OneOf({"stripe", "round_robin"})
          .Help("functions to models: stripe deals them busiest first, "
                "round_robin in order of appearance"),
      PluginParam::String("arrival")
          .Default("vanilla")
          .OneOf({"vanilla", "gamma", "poisson"})
          .Help("vanilla: the trace's arrivals; gamma/poisson: drawn with the "
                "rate (and CV) estimated per interval_s"),
      PluginParam::Double("interval_s")
          .Default("600")
          .GreaterThan(0)
          .Help("estimation window of gamma/poisson (MAF1: multiple of 60)"),
      PluginParam::Double("rate_scale")
          .Default("1")
          .GreaterThan(0)
          .FedBy(Feed::kRateScale)
          .Help("multiplies every window's estimated rate (gamma/poisson)"),
      PluginParam::Double("total_rate")
          .Optional()
          .GreaterThan(0)
          .Help("gamma/poisson: every model's estimates multiplied by one "
                "factor so that all num_models models together average this "
                "many requests/s over the window (before rate_scale and "
                "time_scale); default: the trace's own rates"),
      PluginParam::Double("cv_scale")
          .Default("1")
          .GreaterThan(0)
          .FedBy(Feed::kCvScale)
          .Help("multiplies every window's estimated CV (gamma)"),
      PluginParam::Double("time_scale")
          .Default("1")
          .GreaterThan(0)
          .Help("trace time t plays at t / time_scale"),
      PluginParam::Int("model_index")
          .Default("0")
          .AtLeast(0)
          .FedBy(Feed::kModelIndex)
          .Help("which model (set per model by multi-model workloads)"),
      PluginParam::Int("num_models")
          .Default("1")
          .AtLeast(1)
          .FedBy(Feed::kNumModels)
          .Help("how many models share the functions (set by multi-model "
                "workloads)")},
     /*help=*/
     "replays a window of the Azure Functions traces (MAF1/MAF2) for model "
     "model_index of num_models, as AlpaServe does",
     /*example=*/
     "azure:path=workloads/testdata/azure/maf2_small.txt,end=0.0.30,"
     "arrival=gamma,interval_s=300",
     /*factory=*/MakeAzure});

}  // namespace
}  // namespace multiplex
