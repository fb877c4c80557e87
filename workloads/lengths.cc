// The length-distribution plugins of workloads/lengths.h.

#include "workloads/lengths.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/length_distribution.h"
#include "core/limits.h"
#include "core/registry.h"
#include "core/status_macros.h"
#include "workloads/random.h"
#include "workloads/trace_io.h"

namespace multiplex {
namespace {

class FixedLengths : public LengthDistribution {
 public:
  explicit FixedLengths(int32_t tokens) : tokens_(tokens) {}
  std::string Name() const override {
    return absl::StrCat("fixed(tokens=", tokens_, ")");
  }
  double Mean() const override { return tokens_; }
  std::vector<int32_t> Sample(size_t n, uint64_t) const override {
    return std::vector<int32_t>(n, tokens_);
  }

 private:
  int32_t tokens_;
};

class UniformLengths : public LengthDistribution {
 public:
  UniformLengths(int32_t lo, int32_t hi) : lo_(lo), hi_(hi) {}
  std::string Name() const override {
    return absl::StrCat("uniform(min=", lo_, ",max=", hi_, ")");
  }
  double Mean() const override {
    return 0.5 * (static_cast<double>(lo_) + hi_);
  }
  std::vector<int32_t> Sample(size_t n, uint64_t seed) const override {
    Rng rng(seed);
    std::vector<int32_t> out(n);
    const uint64_t span = static_cast<uint64_t>(hi_ - lo_) + 1;
    for (int32_t& v : out) {
      v = lo_ + static_cast<int32_t>(rng.UniformInt(span));
    }
    return out;
  }

 private:
  int32_t lo_, hi_;
};

class LognormalLengths : public LengthDistribution {
 public:
  LognormalLengths(double mu, double sigma, int32_t lo, int32_t hi,
                   std::string label)
      : mu_(mu), sigma_(sigma), lo_(lo), hi_(hi), label_(std::move(label)) {}
  std::string Name() const override { return label_; }
  // The mean of the rounded, clamped values, integrated numerically (the
  // closed form exp(mu + sigma^2/2) ignores both).
  double Mean() const override {
    constexpr int kSteps = 20000;
    double sum = 0;
    for (int k = 0; k < kSteps; ++k) {
      const double u = (k + 0.5) / kSteps;
      sum += Draw(InverseNormal(u));
    }
    return sum / kSteps;
  }
  std::vector<int32_t> Sample(size_t n, uint64_t seed) const override {
    Rng rng(seed);
    std::vector<int32_t> out(n);
    for (int32_t& v : out) v = Draw(rng.Normal());
    return out;
  }

 private:
  int32_t Draw(double z) const {
    const double x = std::round(std::exp(mu_ + sigma_ * z));
    if (!(x >= lo_)) return lo_;
    if (!(x <= hi_)) return hi_;
    return static_cast<int32_t>(x);
  }
  // Acklam's rational approximation (relative error < 1.2e-9), good
  // enough for a mean.
  static double InverseNormal(double p) {
    static constexpr double a[] = {
        -3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
        1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {
        -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {
        -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                   2.445134137142996e+00,
                                   3.754408661907416e+00};
    if (p < 0.02425) {
      const double q = std::sqrt(-2 * std::log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q +
              c[5]) /
             ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - 0.02425) return -InverseNormal(1 - p);
    const double q = p - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r +
            a[5]) *
           q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }

  double mu_, sigma_;
  int32_t lo_, hi_;
  std::string label_;
};

class EmpiricalLengths : public LengthDistribution {
 public:
  EmpiricalLengths(std::vector<std::pair<int32_t, int64_t>> histogram,
                   std::string label)
      : label_(std::move(label)) {
    int64_t total = 0;
    double weighted = 0;
    for (const auto& [tokens, count] : histogram) {
      total += count;
      weighted += static_cast<double>(tokens) * static_cast<double>(count);
      tokens_.push_back(tokens);
      cumulative_.push_back(total);
    }
    mean_ = weighted / static_cast<double>(total);
  }
  std::string Name() const override { return label_; }
  double Mean() const override { return mean_; }
  std::vector<int32_t> Sample(size_t n, uint64_t seed) const override {
    Rng rng(seed);
    std::vector<int32_t> out(n);
    const uint64_t total = static_cast<uint64_t>(cumulative_.back());
    for (int32_t& v : out) {
      const int64_t k = static_cast<int64_t>(rng.UniformInt(total));
      const size_t j = static_cast<size_t>(
          std::upper_bound(cumulative_.begin(), cumulative_.end(), k) -
          cumulative_.begin());
      v = tokens_[j];
    }
    return out;
  }

 private:
  std::vector<int32_t> tokens_;
  std::vector<int64_t> cumulative_;
  double mean_ = 0;
  std::string label_;
};

absl::Status LineError(const std::string& path, int64_t line,
                       absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(path, ":", line, ": ", message));
}

absl::StatusOr<std::unique_ptr<LengthDistribution>> MakeLognormal(
    const PluginValues& v) {
  const int32_t lo = v.GetInt("min");
  const int32_t hi = v.GetInt("max");
  if (lo > hi) {
    return absl::InvalidArgumentError(
        absl::StrCat("lognormal: min ", lo, " > max ", hi));
  }
  const bool by_mean = v.Has("mean") || v.Has("sigma");
  const bool by_median = v.Has("median") || v.Has("p90");
  if (by_mean == by_median || (by_mean && !(v.Has("mean") && v.Has("sigma"))) ||
      (by_median && !(v.Has("median") && v.Has("p90")))) {
    return absl::InvalidArgumentError(
        "lognormal: give either mean and sigma, or median and p90");
  }
  double mu, sigma;
  std::string label;
  if (by_mean) {
    sigma = v.GetDouble("sigma");
    mu = std::log(v.GetDouble("mean")) - 0.5 * sigma * sigma;
    label =
        absl::StrCat("lognormal(mean=", v.GetDouble("mean"), ",sigma=", sigma);
  } else {
    const double median = v.GetDouble("median");
    const double p90 = v.GetDouble("p90");
    if (!(p90 > median)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "lognormal: p90 ", p90, " must exceed the median ", median));
    }
    mu = std::log(median);
    sigma = std::log(p90 / median) / kNormalZ90;
    label = absl::StrCat("lognormal(median=", median, ",p90=", p90);
  }
  absl::StrAppend(&label, ",min=", lo, ",max=", hi, ")");
  return std::unique_ptr<LengthDistribution>(
      new LognormalLengths(mu, sigma, lo, hi, std::move(label)));
}

constexpr double kMaxTokensD = kMaxRequestTokens;

const bool kFixed = RegisterPlugin<LengthDistribution>(
    {/*name=*/"fixed",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Int("tokens")
          .AtLeast(0)
          .AtMost(kMaxTokensD)
          .Help("the token count of every request")},
     /*help=*/"the same token count for every request",
     /*example=*/"fixed:tokens=512",
     /*factory=*/
     [](const PluginValues& v)
         -> absl::StatusOr<std::unique_ptr<LengthDistribution>> {
       return std::unique_ptr<LengthDistribution>(
           new FixedLengths(v.GetInt("tokens")));
     }});

const bool kUniform = RegisterPlugin<LengthDistribution>(
    {/*name=*/"uniform",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Int("min")
          .AtLeast(0)
          .AtMost(kMaxTokensD)
          .Help("fewest tokens"),
      PluginParam::Int("max")
          .AtLeast(0)
          .AtMost(kMaxTokensD)
          .Help("most tokens")},
     /*help=*/"token counts min..max, equally likely",
     /*example=*/"uniform:min=1,max=1024",
     /*factory=*/
     [](const PluginValues& v)
         -> absl::StatusOr<std::unique_ptr<LengthDistribution>> {
       if (v.GetInt("min") > v.GetInt("max")) {
         return absl::InvalidArgumentError(absl::StrCat(
             "uniform: min ", v.GetInt("min"), " > max ", v.GetInt("max")));
       }
       return std::unique_ptr<LengthDistribution>(
           new UniformLengths(v.GetInt("min"), v.GetInt("max")));
     }});

const bool kLognormal = RegisterPlugin<LengthDistribution>(
    {/*name=*/"lognormal",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::Double("mean").GreaterThan(0).Optional().Help(
          "mean of the unrounded values (with sigma)"),
      PluginParam::Double("sigma").GreaterThan(0).AtMost(10).Optional().Help(
          "sigma of the log (with mean)"),
      PluginParam::Double("median").GreaterThan(0).Optional().Help(
          "median (with p90)"),
      PluginParam::Double("p90").GreaterThan(0).Optional().Help(
          "90th percentile (with median)"),
      PluginParam::Int("min")
          .Default("1")
          .AtLeast(0)
          .AtMost(kMaxTokensD)
          .Help("values below are raised to it"),
      PluginParam::Int("max")
          .Default(absl::StrCat(kMaxRequestTokens))
          .AtLeast(0)
          .AtMost(kMaxTokensD)
          .Help("values above are lowered to it")},
     /*help=*/"lognormal token counts, rounded and clamped to [min, max]",
     /*example=*/"lognormal:median=512,p90=2048",
     /*factory=*/MakeLognormal});

const bool kEmpirical = RegisterPlugin<LengthDistribution>(
    {/*name=*/"empirical",
     /*pattern=*/"",
     /*params=*/
     {PluginParam::String("path").Help(
          "a histogram (tokens<TAB>count lines) or a token trace"),
      PluginParam::String("column")
          .Default("prompt")
          .OneOf({"prompt", "output"})
          .Help("which column of a token trace")},
     /*help=*/"token counts drawn from a histogram file or a trace's own",
     /*example=*/"empirical:path=workloads/testdata/lengths_hist.tsv",
     /*factory=*/
     [](const PluginValues& v)
         -> absl::StatusOr<std::unique_ptr<LengthDistribution>> {
       const std::string& path = v.GetString("path");
       const bool output = v.GetString("column") == "output";
       ASSIGN_OR_RETURN(auto histogram, ReadLengthHistogram(path, output));
       return std::unique_ptr<LengthDistribution>(new EmpiricalLengths(
           std::move(histogram),
           absl::StrCat("empirical(path=", path,
                        ",column=", v.GetString("column"), ")")));
     }});

}  // namespace

absl::StatusOr<std::vector<std::pair<int32_t, int64_t>>> ReadLengthHistogram(
    const std::string& path, bool output_column) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::string first;
  std::getline(in, first);
  if (absl::StripSuffix(first, "\r") != "tokens\tcount") {
    // Not a histogram: a token trace (text or binary).
    in.close();
    ASSIGN_OR_RETURN(const Workload w, ReadTrace(path));
    if (!w.has_tokens) {
      return absl::InvalidArgumentError(absl::StrCat(
          path,
          ": neither a histogram (header 'tokens<TAB>count') nor a "
          "trace with token columns"));
    }
    std::map<int32_t, int64_t> counts;
    for (int32_t t : output_column ? w.output_tokens : w.prompt_tokens) {
      ++counts[t];
    }
    if (counts.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": the trace has no requests"));
    }
    return std::vector<std::pair<int32_t, int64_t>>(counts.begin(),
                                                    counts.end());
  }
  std::map<int32_t, int64_t> counts;
  std::string line;
  int64_t number = 1;
  int64_t total = 0;
  while (std::getline(in, line)) {
    ++number;
    const absl::string_view row = absl::StripSuffix(line, "\r");
    const std::vector<absl::string_view> f = absl::StrSplit(row, '\t');
    int32_t tokens = -1;
    int64_t count = -1;
    if (f.size() != 2 ||
        std::from_chars(f[0].data(), f[0].data() + f[0].size(), tokens).ptr !=
            f[0].data() + f[0].size() ||
        std::from_chars(f[1].data(), f[1].data() + f[1].size(), count).ptr !=
            f[1].data() + f[1].size() ||
        f[0].empty() || f[1].empty()) {
      return LineError(
          path, number,
          absl::StrCat("expected 'tokens<TAB>count', got '", row, "'"));
    }
    if (tokens < 0 || tokens > kMaxRequestTokens) {
      return LineError(
          path, number,
          absl::StrCat("token count ", tokens, " out of range (0 to ",
                       kMaxRequestTokens, ")"));
    }
    if (count < 0 || count > (int64_t{1} << 50)) {
      return LineError(
          path, number,
          absl::StrCat("count ", count, " out of range (0 to 2^50)"));
    }
    if (counts.count(tokens) > 0) {
      return LineError(path, number,
                       absl::StrCat("token count ", tokens, " listed twice"));
    }
    if (count > 0) counts[tokens] = count;
    total += count;
    if (total > (int64_t{1} << 50)) {
      return LineError(path, number, "counts sum to more than 2^50");
    }
  }
  if (counts.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": the histogram has no positive count"));
  }
  return std::vector<std::pair<int32_t, int64_t>>(counts.begin(), counts.end());
}

}  // namespace multiplex
