#include "workloads/generator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/plugin_name_matcher.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "core/stream_seed.h"
#include "workloads/process_util.h"
#include "workloads/rate_split.h"
#include "workloads/trace_io.h"
#include "workloads/trace_replay.h"

namespace multiplex {

namespace {

// The k-way merge by a tournament (winner) tree over the stream heads: leaves
// K..2K-1, node n holds the winning leaf of its subtree. Key = (head time,
// model index); an exhausted stream's head is +inf. Used for small inputs and
// as the fallback of the bucket merge.
void TreeMerge(const std::vector<std::vector<double>>& times, double* out_t,
               int32_t* out_m) {
  const int k = static_cast<int>(times.size());
  size_t total = 0;
  for (const std::vector<double>& t : times) total += t.size();
  int leaves = 1;
  while (leaves < k) leaves *= 2;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> head(leaves, inf);
  std::vector<size_t> pos(leaves, 0);
  for (int i = 0; i < k; ++i) {
    if (!times[i].empty()) head[i] = times[i][0];
  }
  std::vector<int> tree(2 * leaves);
  for (int i = 0; i < leaves; ++i) tree[leaves + i] = i;
  auto winner = [&head](int a, int b) {
    // a < b always (left subtree holds lower indices), so ties go to a.
    return head[b] < head[a] ? b : a;
  };
  for (int node = leaves - 1; node >= 1; --node) {
    tree[node] = winner(tree[2 * node], tree[2 * node + 1]);
  }
  for (size_t n = 0; n < total; ++n) {
    const int m = tree[1];
    out_t[n] = head[m];
    out_m[n] = m;
    const std::vector<double>& src = times[m];
    const size_t p = ++pos[m];
    head[m] = p < src.size() ? src[p] : inf;
    for (int node = (leaves + m) / 2; node >= 1; node /= 2) {
      tree[node] = winner(tree[2 * node], tree[2 * node + 1]);
    }
  }
}

// The merge in O(n): a counting sort of all arrivals into ~n equal-width time
// buckets, then a stable sort inside each bucket. Bucket index is a monotone
// function of time, so bucket order agrees with time order; inside a bucket
// arrivals are placed in model order (each model's in time order), so a
// stable sort by time alone leaves ties in model order. Buckets are handled
// a chunk at a time in a small reused buffer that stays in cache; each sorted
// chunk is appended to the output, which is therefore written once,
// sequentially. Returns false (writing nothing) when the input does not suit
// it.
bool BucketMerge(const std::vector<std::vector<double>>& times, size_t total,
                 std::vector<double>* out_t, std::vector<int32_t>* out_m) {
  const int k = static_cast<int>(times.size());
  if (total < 1024) return false;
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const std::vector<double>& t : times) {
    if (t.empty()) continue;
    lo = std::min(lo, t.front());
    hi = std::max(hi, t.back());
  }
  const size_t num_buckets = total;
  const double scale = static_cast<double>(num_buckets) / (hi - lo);
  if (!(hi > lo) || !std::isfinite(scale)) return false;
  const size_t last_bucket = num_buckets - 1;
  auto bucket = [lo, scale, last_bucket](double t) {
    const size_t b = static_cast<size_t>((t - lo) * scale);
    return b < last_bucket ? b : last_bucket;
  };
  constexpr size_t kChunk = 4096;  // buckets per chunk
  std::vector<size_t> count(kChunk + 1);
  std::vector<size_t> cursor(k, 0), chunk_end(k, 0);
  std::vector<double> buf_t;
  std::vector<int32_t> buf_m;
  std::vector<std::pair<double, int32_t>> scratch;
  for (size_t c0 = 0; c0 < num_buckets; c0 += kChunk) {
    const size_t c1 = std::min(num_buckets, c0 + kChunk);
    const size_t nb = c1 - c0;
    std::fill(count.begin(), count.begin() + nb + 1, 0);
    for (int m = 0; m < k; ++m) {
      const double* src = times[m].data();
      const size_t size = times[m].size();
      size_t i = cursor[m];
      for (; i < size; ++i) {
        const size_t b = bucket(src[i]);
        if (b >= c1) break;
        ++count[b - c0 + 1];
      }
      chunk_end[m] = i;
    }
    for (size_t j = 1; j <= nb; ++j) count[j] += count[j - 1];
    const size_t n = count[nb];
    if (n == 0) continue;
    if (buf_t.size() < n) {
      buf_t.resize(n);
      buf_m.resize(n);
    }
    double* bt = buf_t.data();
    int32_t* bm = buf_m.data();
    for (int m = 0; m < k; ++m) {
      const double* src = times[m].data();
      for (size_t i = cursor[m]; i < chunk_end[m]; ++i) {
        const double x = src[i];
        const size_t p = count[bucket(x) - c0]++;
        bt[p] = x;
        bm[p] = m;
      }
      cursor[m] = chunk_end[m];
    }
    // count[j] is now the end of bucket j (and the start of j + 1).
    size_t begin = 0;
    for (size_t j = 0; j < nb; ++j) {
      const size_t end = count[j];
      const size_t size = end - begin;
      if (size > 1 && size <= 32) {
        // Stable insertion sort by time.
        for (size_t i = begin + 1; i < end; ++i) {
          const double x = bt[i];
          const int32_t m = bm[i];
          size_t q = i;
          for (; q > begin && bt[q - 1] > x; --q) {
            bt[q] = bt[q - 1];
            bm[q] = bm[q - 1];
          }
          bt[q] = x;
          bm[q] = m;
        }
      } else if (size > 32) {
        scratch.clear();
        for (size_t i = begin; i < end; ++i) scratch.emplace_back(bt[i], bm[i]);
        std::stable_sort(scratch.begin(), scratch.end(),
                         [](const std::pair<double, int32_t>& a,
                            const std::pair<double, int32_t>& b) {
                           return a.first < b.first;
                         });
        for (size_t i = begin; i < end; ++i) {
          bt[i] = scratch[i - begin].first;
          bm[i] = scratch[i - begin].second;
        }
      }
      begin = end;
    }
    out_t->insert(out_t->end(), bt, bt + n);
    out_m->insert(out_m->end(), bm, bm + n);
  }
  return true;
}

}  // namespace

Workload MergeArrivals(std::vector<std::string> model_names,
                       const std::vector<std::vector<double>>& times,
                       const std::vector<double>& slo_s) {
  Workload w;
  w.model_names = std::move(model_names);
  size_t total = 0;
  for (const std::vector<double>& t : times) total += t.size();
  if (total == 0) return w;
  w.arrival_s.reserve(total);
  w.model.reserve(total);
  if (!BucketMerge(times, total, &w.arrival_s, &w.model)) {
    w.arrival_s.resize(total);
    w.model.resize(total);
    TreeMerge(times, w.arrival_s.data(), w.model.data());
  }
  w.slo_s.reserve(total);
  for (int32_t m : w.model) w.slo_s.push_back(slo_s[m]);
  return w;
}

absl::StatusOr<Workload> GenerateWorkload(
    const std::vector<ModelStream>& streams, double start, double duration,
    uint64_t base_seed) {
  if (!std::isfinite(start)) {
    return absl::InvalidArgumentError(
        absl::StrCat("start must be finite, got ", start));
  }
  if (!std::isfinite(duration) || duration < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "duration must be a finite number >= 0 seconds, got ", duration));
  }
  // Doubles keep sub-microsecond resolution only up to about 10^9 s; beyond,
  // arrival times would be silently quantised (or stop advancing).
  if (std::abs(start) > kMaxWorkloadTime ||
      std::abs(start + duration) > kMaxWorkloadTime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the window [", start, ", ", start + duration, ") s must lie within +-",
        kMaxWorkloadTime, " s, where times keep sub-microsecond resolution"));
  }
  if (streams.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("too many models");
  }
  absl::flat_hash_set<std::string> seen;
  double expected = 0;
  for (size_t i = 0; i < streams.size(); ++i) {
    const ModelStream& s = streams[i];
    if (s.name.empty() || s.name.find_first_of("\t\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("model ", i, ": name '", s.name,
                       "' must be non-empty without tabs or newlines"));
    }
    if (!seen.insert(s.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("model name '", s.name, "' appears twice"));
    }
    if (s.process == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("model '", s.name, "' has no arrival process"));
    }
    if (std::isnan(s.slo_s) || s.slo_s < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "model '", s.name, "': SLO must be >= 0 or inf, got ", s.slo_s));
    }
    expected += s.process->Rate() * duration;
  }
  if (!(expected <= kMaxWorkloadRequests)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the workload would hold about ", expected,
                     " requests, more than the limit of ", kMaxWorkloadRequests,
                     "; shorten the duration or "
                     "lower the rate"));
  }

  std::vector<std::vector<double>> times(streams.size());
  std::vector<std::vector<int32_t>> prompts(streams.size());
  std::vector<std::vector<int32_t>> outputs(streams.size());
  size_t with_tokens = 0;
  std::vector<std::string> names;
  std::vector<double> slos;
  const double end = start + duration;
  for (size_t i = 0; i < streams.size(); ++i) {
    const ModelStream& s = streams[i];
    if ((s.prompt_lengths == nullptr) != (s.output_lengths == nullptr)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "model '", s.name,
          "': give both prompt and output length distributions, or neither"));
    }
    const uint64_t seed = StreamSeed(base_seed, i);
    const bool replays_tokens =
        s.process->HasTokens() && s.prompt_lengths == nullptr;
    if (replays_tokens) {
      times[i] = s.process->GenerateWithTokens(start, duration, seed,
                                               &prompts[i], &outputs[i]);
      if (prompts[i].size() != times[i].size() ||
          outputs[i].size() != times[i].size()) {
        return absl::InternalError(absl::StrCat(
            "arrival process ", s.process->Name(), " of model '", s.name,
            "' returned ", times[i].size(), " times but ", prompts[i].size(),
            " prompt and ", outputs[i].size(), " output token counts"));
      }
      ++with_tokens;
    } else {
      times[i] = s.process->Generate(start, duration, seed);
      if (s.prompt_lengths != nullptr) {
        prompts[i] =
            s.prompt_lengths->Sample(times[i].size(), StreamSeed(seed, 1));
        outputs[i] =
            s.output_lengths->Sample(times[i].size(), StreamSeed(seed, 2));
        ++with_tokens;
      }
    }
    const std::vector<double>& t = times[i];
    if (t.size() >=
        workload_internal::MaxArrivals(streams[i].process->Rate(), duration)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "arrival process ", streams[i].process->Name(), " of model '",
          streams[i].name, "' drew ", t.size(),
          " arrivals, 100 times its mean rate and more: its parameters make "
          "the gaps vanish (e.g. a CV too large); refusing the workload"));
    }
    for (size_t j = 0; j < t.size(); ++j) {
      if (!(t[j] >= start && t[j] < end) || (j > 0 && t[j] < t[j - 1])) {
        return absl::InternalError(absl::StrCat(
            "arrival process ", streams[i].process->Name(), " of model '",
            streams[i].name, "' returned time ", t[j], " at index ", j,
            ": unsorted or outside [", start, ", ", end, ")"));
      }
    }
    names.push_back(streams[i].name);
    slos.push_back(streams[i].slo_s);
  }
  if (with_tokens != 0 && with_tokens != streams.size()) {
    for (size_t i = 0; i < streams.size(); ++i) {
      if (streams[i].prompt_lengths == nullptr &&
          !streams[i].process->HasTokens()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "model '", streams[i].name,
            "' has no token counts (no length distributions, and its process "
            "replays none) while other models have them"));
      }
    }
  }
  Workload w = MergeArrivals(std::move(names), times, slos);
  if (with_tokens == 0) return w;
  // The merge keeps each model's requests in their order: deal its counts
  // out with one cursor per model.
  w.has_tokens = true;
  w.prompt_tokens.resize(w.size());
  w.output_tokens.resize(w.size());
  std::vector<size_t> next(streams.size(), 0);
  for (size_t r = 0; r < w.size(); ++r) {
    const int32_t m = w.model[r];
    const size_t k = next[m]++;
    w.prompt_tokens[r] = prompts[m][k];
    w.output_tokens[r] = outputs[m][k];
  }
  return w;
}

absl::StatusOr<bool> ProcessAcceptsParam(absl::string_view process_spec,
                                         absl::string_view param) {
  ASSIGN_OR_RETURN(const PluginSpec parsed, ParsePluginSpec(process_spec));
  ASSIGN_OR_RETURN(const PluginEntry<ArrivalProcess>* entry,
                   Registry<ArrivalProcess>::Global().Find(parsed.name));
  for (const PluginParam& p : entry->params) {
    if (p.name == param) return true;
  }
  return false;
}

absl::StatusOr<bool> IsTraceProcess(absl::string_view process_spec) {
  ASSIGN_OR_RETURN(const PluginSpec parsed, ParsePluginSpec(process_spec));
  return parsed.name == kTraceProcess;
}

namespace {

// For a `trace` process whose spec picks no model: the trace model each of
// `names` replays (trace_replay.h), which MakeModelStreams passes as its
// `model`; otherwise empty.
absl::StatusOr<std::vector<std::string>> TraceModelsOf(
    const WorkloadSpec& spec, const std::vector<std::string>& names) {
  ASSIGN_OR_RETURN(const PluginSpec parsed, ParsePluginSpec(spec.process));
  if (parsed.name != kTraceProcess || parsed.args.Has("model") ||
      spec.process_args.Has("model")) {
    return std::vector<std::string>();
  }
  const PluginArgs& with_path =
      parsed.args.Has("path") ? parsed.args : spec.process_args;
  auto path = with_path.values().find("path");
  // Without a path, creating the process reports it.
  if (path == with_path.values().end()) return std::vector<std::string>();
  ASSIGN_OR_RETURN(const Workload trace, ReadTrace(path->second));
  const std::vector<int> match = MatchTraceModels(trace.model_names, names);
  std::vector<std::string> models;
  for (size_t i = 0; i < names.size(); ++i) {
    if (match[i] < 0) {
      std::vector<std::string> trace_names;
      for (int t : NaturalOrder(trace.model_names)) {
        trace_names.push_back(trace.model_names[t]);
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "trace '", path->second, "' has no stream for model '", names[i],
          "': model i replays the trace's model of the same name or, when no "
          "name matches, its i-th model; the trace has ",
          trace_names.size(), ": ", absl::StrJoin(trace_names, ", ")));
    }
    models.push_back(trace.model_names[match[i]]);
  }
  return models;
}

}  // namespace

absl::StatusOr<std::vector<ModelStream>> MakeModelStreams(
    const WorkloadSpec& spec) {
  if (spec.num_models < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the number of models must be >= 1, got ", spec.num_models));
  }
  const int n = spec.num_models;
  std::vector<std::string> names = spec.model_names;
  if (names.empty()) {
    for (int i = 0; i < n; ++i) names.push_back(absl::StrCat("m", i));
  } else if (static_cast<int>(names.size()) != n) {
    return absl::InvalidArgumentError(
        absl::StrCat(names.size(), " model names given for ", n, " models"));
  }
  std::vector<double> slos;
  if (spec.slo_s.size() == 1) {
    slos.assign(n, spec.slo_s[0]);
  } else if (static_cast<int>(spec.slo_s.size()) == n) {
    slos = spec.slo_s;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.slo_s.size(), " SLOs given for ", n,
                     " models: give one for all or one per model"));
  }

  // The process's parameters the workload feeds, by their declarations
  // (PluginParam::FedBy), never set by the spec.
  ASSIGN_OR_RETURN(const PluginSpec parsed, ParsePluginSpec(spec.process));
  ASSIGN_OR_RETURN(const PluginEntry<ArrivalProcess>* entry,
                   Registry<ArrivalProcess>::Global().Find(parsed.name));
  const PluginParam* rate_param = ParamFedBy(entry->params, Feed::kRate);
  std::vector<double> rates;
  if (rate_param != nullptr) {
    const std::string& name = rate_param->name;
    if (parsed.args.Has(name) || spec.process_args.Has(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "process '", spec.process, "': leave out '", name,
          "'; each model's rate comes from the total rate and the rate "
          "split"));
    }
    ASSIGN_OR_RETURN(rates, SplitRate(spec.rate_split, spec.total_rate, n));
  }

  ASSIGN_OR_RETURN(const std::vector<std::string> trace_models,
                   TraceModelsOf(spec, names));
  const PluginParam* trace_model_param =
      ParamFedBy(entry->params, Feed::kTraceModel);
  if (!trace_models.empty() && trace_model_param == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("process '", spec.process, "' takes no ",
                     FeedSource(Feed::kTraceModel)));
  }

  // A process that deals a trace's streams to the models (azure) learns
  // which model of how many it serves.
  const PluginParam* index_param = ParamFedBy(entry->params, Feed::kModelIndex);
  const PluginParam* count_param = ParamFedBy(entry->params, Feed::kNumModels);
  for (const PluginParam* p : {index_param, count_param}) {
    if (p != nullptr &&
        (parsed.args.Has(p->name) || spec.process_args.Has(p->name))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "process '", spec.process, "': leave out '", p->name,
          "'; each model's comes from its position in the workload"));
    }
  }

  // The study's quantities (workload.cv, ...) to the parameters they feed.
  PluginArgs fed = spec.process_args;
  for (const auto& [feed, value] : spec.feeds) {
    const PluginParam* p = ParamFedBy(entry->params, feed);
    if (p == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "process '", parsed.name, "' takes no ", FeedSource(feed)));
    }
    // Set(key, double) writes the shortest text that reads back exactly.
    fed.Set(p->name, value);
  }

  std::vector<ModelStream> streams;
  for (int i = 0; i < n; ++i) {
    PluginArgs args = fed;
    // Set(key, double) writes the shortest text that reads back to exactly
    // rates[i], so each process gets the split's rate to the last bit.
    if (rate_param != nullptr) args.Set(rate_param->name, rates[i]);
    if (!trace_models.empty())
      args.Set(trace_model_param->name, trace_models[i]);
    if (index_param != nullptr) args.Set(index_param->name, i);
    if (count_param != nullptr) args.Set(count_param->name, n);
    ASSIGN_OR_RETURN(
        std::unique_ptr<ArrivalProcess> process,
        Registry<ArrivalProcess>::Global().Create(spec.process, args));
    streams.push_back({names[i], std::move(process), slos[i]});
  }
  if (spec.prompt_lengths.empty() != spec.output_lengths.empty()) {
    return absl::InvalidArgumentError(
        "give both prompt and output length distributions, or neither");
  }
  const std::vector<std::string>* length_specs[2] = {&spec.prompt_lengths,
                                                     &spec.output_lengths};
  for (int which = 0; which < 2 && !spec.prompt_lengths.empty(); ++which) {
    const std::vector<std::string>& specs = *length_specs[which];
    if (specs.size() != 1 && static_cast<int>(specs.size()) != n) {
      return absl::InvalidArgumentError(
          absl::StrCat(specs.size(), which == 0 ? " prompt" : " output",
                       " length distributions given for ", n,
                       " models: give one for all or one per model"));
    }
    std::shared_ptr<const LengthDistribution> shared;
    for (int i = 0; i < n; ++i) {
      std::shared_ptr<const LengthDistribution> d = shared;
      if (d == nullptr) {
        ASSIGN_OR_RETURN(std::unique_ptr<LengthDistribution> made,
                         Registry<LengthDistribution>::Global().Create(
                             specs[specs.size() == 1 ? 0 : i]));
        d = std::move(made);
        if (specs.size() == 1) shared = d;
      }
      (which == 0 ? streams[i].prompt_lengths : streams[i].output_lengths) = d;
    }
  }
  return streams;
}

absl::StatusOr<Workload> MakeWorkload(const WorkloadSpec& spec) {
  ASSIGN_OR_RETURN(const std::vector<ModelStream> streams,
                   MakeModelStreams(spec));
  return GenerateWorkload(streams, spec.start, spec.duration, spec.seed);
}

absl::StatusOr<Workload> MakeGammaWorkload(int num_models, double total_rate,
                                           absl::string_view rate_split,
                                           double cv, double duration,
                                           uint64_t seed, double slo_s,
                                           double start) {
  WorkloadSpec spec;
  spec.num_models = num_models;
  spec.total_rate = total_rate;
  spec.rate_split = std::string(rate_split);
  spec.process = "gamma";
  spec.process_args.Set("cv", cv);
  spec.slo_s = {slo_s};
  spec.start = start;
  spec.duration = duration;
  spec.seed = seed;
  return MakeWorkload(spec);
}

}  // namespace multiplex
