// Generates a multi-model workload (docs/study.md §4), writes it as a trace
// and prints the requested and measured rate and CV per model and overall.
//
//   bazel run //tools:workload -- --num_models=8 --total_rate=20
//       --rate_split=uniform --process=gamma --cv=3 --duration=1000 --seed=0
//       --slo=inf --out=trace.tsv

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/arrival_process.h"
#include "core/file_io.h"
#include "core/limits.h"
#include "core/number_format.h"
#include "core/registry.h"
#include "tools/cli/cli.h"
#include "tools/cli/cost_model_flags.h"
#include "workloads/generator.h"
#include "workloads/rate_split.h"
#include "workloads/stats.h"
#include "workloads/trace_io.h"

ABSL_FLAG(int, num_models, 8, "number of models, named m0..m{N-1}");
ABSL_FLAG(std::string, model_names, "",
          "optional comma-separated model names (instead of m0..m{N-1}); "
          "their number must equal --num_models");
ABSL_FLAG(double, total_rate, 20,
          "requests/s over all models (> 0), split by --rate_split");
ABSL_FLAG(std::string, rate_split, "uniform",
          "uniform | power_law (rate_i ~ (i+1)^-0.5) | power_law:<exponent> | "
          "triangle_decay | explicit weights W0:W1:... (e.g. 2:8)");
ABSL_FLAG(std::string, process, "gamma",
          "arrival process spec NAME[:k=v,k=v], e.g. gamma, poisson, "
          "deterministic, uniform-mmpp:durations=10/20,rates=1/5, "
          "trace:path=t.tsv (lists use '/'); each model's rate is set from "
          "--total_rate and --rate_split; a trace gives each model its own "
          "stream (the trace's model of the same name, or its i-th model "
          "when no name matches)");
ABSL_FLAG(std::optional<double>, cv, std::nullopt,
          "coefficient of variation of the gaps, for processes that take "
          "'cv' (gamma; default 1); a cv in --process wins");
ABSL_FLAG(std::string, prompt_lengths, "",
          "length distribution of the prompts' tokens (e.g. "
          "lognormal:median=512,p90=2048): one for all models or one per "
          "model, ';'-separated; with --output_lengths");
ABSL_FLAG(std::string, output_lengths, "",
          "length distribution of the outputs' tokens, as --prompt_lengths");
ABSL_FLAG(double, start, 0, "start of the generation window (s)");
ABSL_FLAG(double, duration, 1000, "length of the generation window (s, > 0)");
ABSL_FLAG(std::string, seed, "0",
          "base seed, an integer in [0, 2^64); model i draws from "
          "std::mt19937_64 seeded with SplitMix64(SplitMix64(seed) + i)");
ABSL_FLAG(std::string, slo, "inf",
          "SLO in seconds for every request: a number >= 0 or inf; or one "
          "per model separated by '/'");
ABSL_FLAG(std::string, out, "",
          "trace file to write (TSV arrival_s, model, slo_s, or binary: see "
          "--format); empty: write nothing");
ABSL_FLAG(std::string, format, "auto",
          "format of --out: tsv, binary (workloads/trace_io.h; ~9 bytes a "
          "request, read without parsing) or auto (binary when --out ends "
          "in .bin, else tsv)");
ABSL_FLAG(std::string, convert, "",
          "instead of generating: read this trace (TSV or binary) and write "
          "it to --out in --format, exactly (same times, models, SLOs); no "
          "generation flag may be given");

namespace multiplex {
namespace {

constexpr char kProgram[] = "workload";

std::string Usage() {
  std::string usage =
      "Generates the requests of N models, each with its own arrival "
      "process, merged\nby arrival time; prints requested and measured rate "
      "and CV per model and\noverall, and writes a trace with --out.\n"
      "Usage:\n"
      "  workload --num_models=8 --total_rate=20 --rate_split=uniform\n"
      "           --process=gamma --cv=3 --duration=1000 --seed=0 --slo=inf\n"
      "           --out=trace.tsv\n"
      "  workload --num_models=2 --total_rate=3 --rate_split=2:8 \\\n"
      "           --process=uniform-mmpp:durations=10/20,rates=1/5\n"
      "Process parameters follow a colon as k=v pairs separated by ','; a\n"
      "list value separates its items with '/'. For processes with a 'rate'\n"
      "parameter the rate comes from --total_rate/--rate_split (for\n"
      "uniform-mmpp the state rates are scaled to it). 'trace' replays a "
      "file: model i\nreplays the trace's model of the same name or, when "
      "no name matches, its i-th\nmodel (its models sorted by name, m2 "
      "before m10); --total_rate, --rate_split,\n--cv and --seed do not "
      "apply to it.\n"
      "  workload --convert=trace.tsv --out=trace.bin   (TSV -> binary; "
      "and back)\n"
      "--out is written as TSV, or in the binary trace format when it ends in "
      ".bin\n(or with --format=binary); every tool reading traces takes "
      "both.\n"
      "Relative paths (flags, plugin specs) are taken from the directory the "
      "command\nwas run in.\n"
      "Arrival processes:\n";
  for (const auto& [name, entry] :
       Registry<ArrivalProcess>::Global().entries()) {
    absl::StrAppend(&usage, "  ", name, ": ", entry.help, "\n");
    for (const PluginParam& p : entry.params) {
      absl::StrAppend(&usage, "      ", DescribeParam(p), "\n");
    }
    absl::StrAppend(&usage, "      example: ", entry.example, "\n");
  }
  return usage;
}

uint64_t ParseSeed(const std::string& text) {
  uint64_t seed;
  if (text.empty() || text[0] == '-' || text[0] == '+' ||
      !absl::SimpleAtoi(text, &seed)) {
    Fail(kProgram, absl::StrCat("--seed must be an integer in [0, 2^64), "
                                "got '",
                                text, "'"));
  }
  return seed;
}

std::vector<double> ParseSlos(const std::string& text) {
  std::vector<double> slos;
  for (absl::string_view item : absl::StrSplit(text, '/')) {
    double v;
    if (!absl::SimpleAtod(item, &v) || std::isnan(v) || v < 0) {
      Fail(kProgram,
           absl::StrCat("--slo must be a number >= 0 or inf (or one per "
                        "model separated by '/'), got '",
                        text, "'"));
    }
    slos.push_back(v);
  }
  return slos;
}

std::string Num(double v) {
  if (std::isnan(v)) return "-";
  return absl::StrFormat("%.4g", v);
}

TraceFormat OutFormat(const std::string& out) {
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format == "tsv") return TraceFormat::kText;
  if (format == "binary") return TraceFormat::kBinary;
  if (format != "auto") {
    Fail(kProgram, absl::StrCat("--format must be tsv, binary or auto, got '",
                                format, "'"));
  }
  return TraceFormatForPath(out);
}

// --convert: the trace read, written in the output format.
int Convert(const std::string& in) {
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) Fail(kProgram, "--convert needs --out");
  for (const char* flag :
       {"num_models", "model_names", "total_rate", "rate_split", "process",
        "cv", "start", "duration", "seed", "slo"}) {
    if (FlagGiven(flag)) {
      Fail(kProgram, absl::StrCat("--", flag,
                                  " does not apply to --convert, which "
                                  "copies the trace as it is"));
    }
  }
  const TraceFormat format = OutFormat(out);
  absl::Status fresh = CheckNotAnInput({"--out", out}, {{"--convert", in}});
  if (!fresh.ok()) Fail(kProgram, fresh);
  absl::StatusOr<Workload> workload = ReadTrace(in);
  if (!workload.ok()) Fail(kProgram, workload.status());
  absl::Status written = WriteTrace(out, *workload, format);
  if (!written.ok()) Fail(kProgram, written);
  std::printf("converted %zu requests of %d models from %s to %s (%s)\n",
              workload->size(), workload->num_models(), in.c_str(), out.c_str(),
              format == TraceFormat::kBinary ? "binary" : "tsv");
  return 0;
}

// Per model: mean, median and 90th percentile of prompt and output tokens.
void PrintTokenStats(const Workload& w) {
  std::vector<std::vector<int32_t>> prompt(w.num_models()),
      output(w.num_models());
  for (size_t r = 0; r < w.size(); ++r) {
    prompt[w.model[r]].push_back(w.prompt_tokens[r]);
    output[w.model[r]].push_back(w.output_tokens[r]);
  }
  const auto summary = [](std::vector<int32_t> v) {
    if (v.empty()) return std::string("-");
    double sum = 0;
    for (int32_t x : v) sum += x;
    std::sort(v.begin(), v.end());
    return absl::StrCat(Num(sum / v.size()), "/", v[(v.size() - 1) / 2], "/",
                        v[static_cast<size_t>(0.9 * (v.size() - 1))]);
  };
  std::printf("%-10s %24s %24s\n", "tokens", "prompt mean/p50/p90",
              "output mean/p50/p90");
  for (int m = 0; m < w.num_models(); ++m) {
    std::printf("%-10s %24s %24s\n", w.model_names[m].c_str(),
                summary(prompt[m]).c_str(), summary(output[m]).c_str());
  }
}

int Main() {
  const std::string convert = absl::GetFlag(FLAGS_convert);
  if (!convert.empty()) return Convert(convert);
  const TraceFormat out_format = OutFormat(absl::GetFlag(FLAGS_out));
  WorkloadSpec spec;
  spec.num_models = absl::GetFlag(FLAGS_num_models);
  if (spec.num_models < 1) {
    Fail(kProgram,
         absl::StrCat("--num_models must be >= 1, got ", spec.num_models));
  }
  if (spec.num_models > kMaxModels) {
    Fail(kProgram, absl::StrCat("--num_models=", spec.num_models,
                                " is over the limit of ", kMaxModels,
                                " models (kMaxModels)"));
  }
  const std::string names = absl::GetFlag(FLAGS_model_names);
  if (!names.empty()) spec.model_names = absl::StrSplit(names, ',');
  spec.total_rate = absl::GetFlag(FLAGS_total_rate);
  spec.rate_split = absl::GetFlag(FLAGS_rate_split);
  spec.process = absl::GetFlag(FLAGS_process);
  // Never overwrite the trace being replayed.
  absl::Status fresh = CheckNotAnInput({"--out", absl::GetFlag(FLAGS_out)},
                                       SpecPaths("--process", spec.process));
  if (!fresh.ok()) Fail(kProgram, fresh);
  spec.start = absl::GetFlag(FLAGS_start);
  spec.duration = absl::GetFlag(FLAGS_duration);
  if (!std::isfinite(spec.duration) || !(spec.duration > 0)) {
    Fail(kProgram,
         absl::StrCat("--duration must be a number > 0, got ", spec.duration));
  }
  if (!std::isfinite(spec.start)) {
    Fail(kProgram, "--start must be a finite number");
  }
  spec.seed = ParseSeed(absl::GetFlag(FLAGS_seed));
  spec.slo_s = ParseSlos(absl::GetFlag(FLAGS_slo));
  for (const auto& [flag, target] :
       {std::pair<std::string, std::vector<std::string>*>{
            absl::GetFlag(FLAGS_prompt_lengths), &spec.prompt_lengths},
        {absl::GetFlag(FLAGS_output_lengths), &spec.output_lengths}}) {
    if (!flag.empty()) *target = absl::StrSplit(flag, ';');
  }

  // Flags go to processes that use them; naming one for a process that
  // does not is an error, leaving it at its default is not.
  absl::StatusOr<bool> takes_cv = ProcessAcceptsParam(spec.process, "cv");
  if (!takes_cv.ok()) Fail(kProgram, takes_cv.status());
  absl::StatusOr<bool> takes_rate = ProcessAcceptsParam(spec.process, "rate");
  if (!takes_rate.ok()) Fail(kProgram, takes_rate.status());
  absl::StatusOr<bool> is_trace = IsTraceProcess(spec.process);
  if (!is_trace.ok()) Fail(kProgram, is_trace.status());
  const std::string to_process =
      absl::StrCat(" does not apply to process '", spec.process, "'");
  const std::optional<double> cv = absl::GetFlag(FLAGS_cv);
  if (*takes_cv) {
    spec.process_args.Set("cv", cv.value_or(1.0));
  } else if (cv.has_value()) {
    Fail(kProgram, absl::StrCat("--cv", to_process));
  }
  if (!*takes_rate) {
    for (const char* flag : {"total_rate", "rate_split"}) {
      if (FlagGiven(flag)) {
        Fail(kProgram, absl::StrCat("--", flag, to_process,
                                    ": it takes no "
                                    "rate"));
      }
    }
  }
  if (*is_trace && FlagGiven("seed")) {
    Fail(kProgram, absl::StrCat("--seed", to_process,
                                ": a trace draws nothing at random"));
  }

  absl::StatusOr<std::vector<ModelStream>> streams = MakeModelStreams(spec);
  if (!streams.ok()) Fail(kProgram, streams.status());
  absl::StatusOr<Workload> workload =
      GenerateWorkload(*streams, spec.start, spec.duration, spec.seed);
  if (!workload.ok()) Fail(kProgram, workload.status());
  // An empty workload compares nothing: refused with what was expected.
  if (workload->empty()) {
    double rate = 0;
    for (const ModelStream& m : *streams) rate += m.process->Rate();
    Fail(kProgram,
         absl::StrCat("the workload has no requests: the models' processes "
                      "give ",
                      FormatDoubleExact(rate), " requests/s together over ",
                      FormatDoubleExact(spec.duration),
                      " s; raise the rate, the duration or time_scale, or "
                      "choose another window"));
  }
  // One model with (nearly) every request: charts of it compare nothing.
  const std::string dominant = DominantModelWarning(*workload);
  if (!dominant.empty()) {
    std::fprintf(stderr, "%s: warning: %s\n", kProgram, dominant.c_str());
  }

  const std::string out = absl::GetFlag(FLAGS_out);
  std::string out_path;
  if (!out.empty()) {
    out_path = out;
    absl::Status written = WriteTrace(out_path, *workload, out_format);
    if (!written.ok()) Fail(kProgram, written);
  }

  WorkloadStats stats = MeasureWorkload(*workload, spec.duration);
  std::printf("%-10s %10s %10s %10s %8s %8s  %s\n", "model", "requests", "rate",
              "measured", "cv", "measured", "process");
  double requested_total = 0;
  for (size_t i = 0; i < streams->size(); ++i) {
    const ArrivalProcess& p = *(*streams)[i].process;
    const ArrivalStats& s = stats.per_model[i];
    requested_total += p.Rate();
    std::printf("%-10s %10lld %10s %10s %8s %8s  %s\n",
                (*streams)[i].name.c_str(), static_cast<long long>(s.count),
                Num(p.Rate()).c_str(), Num(s.rate).c_str(), Num(p.Cv()).c_str(),
                Num(s.cv).c_str(), p.Name().c_str());
  }
  std::printf("%-10s %10lld %10s %10s %8s %8s  %s\n", "all",
              static_cast<long long>(stats.overall.count),
              Num(requested_total).c_str(), Num(stats.overall.rate).c_str(),
              "-", Num(stats.overall.cv).c_str(), "merged");
  if (workload->has_tokens) PrintTokenStats(*workload);
  std::printf("window [%s, %s) s, seed %llu; rates in requests/s\n",
              Num(spec.start).c_str(), Num(spec.start + spec.duration).c_str(),
              static_cast<unsigned long long>(spec.seed));
  if (!out_path.empty()) {
    std::printf("wrote %zu requests to %s\n", workload->size(),
                out_path.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace multiplex

int main(int argc, char** argv) {
  const std::string usage = multiplex::Usage();
  multiplex::ParseFlagsOrFail(argc, argv, multiplex::kProgram, usage);
  return multiplex::Main();
}
