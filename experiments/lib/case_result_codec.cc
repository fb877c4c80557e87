#include "experiments/lib/case_result_codec.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace multiplex {
namespace {

// "MXCR" and a version, so that bytes of another program or version are
// refused instead of misread.
constexpr uint32_t kMagic = 0x5243584d;
constexpr uint32_t kVersion = 3;

class Writer {
 public:
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable<T>::value, "raw bytes only");
    out_.append(reinterpret_cast<const char*>(&value), sizeof(value));
  }
  void PutString(const std::string& s) {
    Put<uint64_t>(s.size());
    out_.append(s);
  }
  void PutDoubles(const std::vector<double>& v) {
    Put<uint64_t>(v.size());
    if (!v.empty()) {
      out_.append(reinterpret_cast<const char*>(v.data()),
                  v.size() * sizeof(double));
    }
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  bool done() const { return pos_ == in_.size(); }

  template <typename T>
  absl::Status Get(T* value) {
    if (in_.size() - pos_ < sizeof(T)) return Truncated();
    std::memcpy(value, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return absl::OkStatus();
  }
  absl::Status GetString(std::string* s) {
    uint64_t n;
    RETURN_IF_ERROR(Get(&n));
    if (in_.size() - pos_ < n) return Truncated();
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return absl::OkStatus();
  }
  absl::Status GetDoubles(std::vector<double>* v) {
    uint64_t n;
    RETURN_IF_ERROR(Get(&n));
    if ((in_.size() - pos_) / sizeof(double) < n) return Truncated();
    v->resize(n);
    // memcpy's pointers must not be null, even for no bytes.
    if (n > 0) std::memcpy(v->data(), in_.data() + pos_, n * sizeof(double));
    pos_ += n * sizeof(double);
    return absl::OkStatus();
  }
  // A count of items of at least `min_bytes` each: no more than the bytes
  // left allow (a corrupt count must not reserve gigabytes).
  absl::Status GetCount(size_t min_bytes, uint64_t* n) {
    RETURN_IF_ERROR(Get(n));
    if (*n > (in_.size() - pos_) / min_bytes) return Truncated();
    return absl::OkStatus();
  }

 private:
  absl::Status Truncated() const {
    return absl::DataLossError(absl::StrCat("case results: truncated at byte ",
                                            pos_, " of ", in_.size()));
  }

  absl::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeCaseResults(const StudyResults& results,
                              const std::vector<size_t>& cases) {
  Writer w;
  w.Put(kMagic);
  w.Put(kVersion);
  w.Put<uint64_t>(cases.size());
  for (size_t i : cases) {
    const CaseResult& r = results.cases.at(i);
    w.Put<uint64_t>(i);
    w.PutString(r.placement);
    w.PutString(r.workload_warning);
    w.Put<int64_t>(r.requests);
    for (double d :
         {r.slo_attainment, r.mean_latency_s, r.p50_latency_s, r.p90_latency_s,
          r.p99_latency_s, r.p99_all_latency_s, r.throughput_rps, r.solver_s}) {
      w.Put(d);
    }
    w.PutDoubles(r.good_latencies);
    w.Put<uint64_t>(r.model_latencies.size());
    for (const std::vector<double>& m : r.model_latencies) w.PutDoubles(m);
    w.Put<uint64_t>(r.utilization.size());
    for (const auto& [chart, u] : r.utilization) {
      w.Put<int32_t>(chart);
      w.PutDoubles(u.time_s);
      w.PutDoubles(u.busy);
    }
  }
  return w.Take();
}

absl::Status DecodeCaseResults(absl::string_view bytes, StudyResults* results,
                               std::vector<size_t>* decoded) {
  Reader in(bytes);
  uint32_t magic, version;
  RETURN_IF_ERROR(in.Get(&magic));
  RETURN_IF_ERROR(in.Get(&version));
  if (magic != kMagic || version != kVersion) {
    return absl::DataLossError(absl::StrCat("case results: not version ",
                                            kVersion, " of this format"));
  }
  uint64_t count;
  RETURN_IF_ERROR(in.GetCount(8, &count));
  for (uint64_t k = 0; k < count; ++k) {
    uint64_t i;
    RETURN_IF_ERROR(in.Get(&i));
    if (i >= results->cases.size()) {
      return absl::DataLossError(absl::StrCat("case results: case ", i,
                                              " out of range: the study has ",
                                              results->cases.size()));
    }
    CaseResult r;
    RETURN_IF_ERROR(in.GetString(&r.placement));
    RETURN_IF_ERROR(in.GetString(&r.workload_warning));
    RETURN_IF_ERROR(in.Get(&r.requests));
    for (double* d : {&r.slo_attainment, &r.mean_latency_s, &r.p50_latency_s,
                      &r.p90_latency_s, &r.p99_latency_s, &r.p99_all_latency_s,
                      &r.throughput_rps, &r.solver_s}) {
      RETURN_IF_ERROR(in.Get(d));
    }
    RETURN_IF_ERROR(in.GetDoubles(&r.good_latencies));
    uint64_t models;
    RETURN_IF_ERROR(in.GetCount(8, &models));
    r.model_latencies.resize(models);
    for (std::vector<double>& m : r.model_latencies) {
      RETURN_IF_ERROR(in.GetDoubles(&m));
    }
    uint64_t charts;
    RETURN_IF_ERROR(in.GetCount(20, &charts));
    for (uint64_t c = 0; c < charts; ++c) {
      int32_t chart;
      RETURN_IF_ERROR(in.Get(&chart));
      Utilization& u = r.utilization[chart];
      RETURN_IF_ERROR(in.GetDoubles(&u.time_s));
      RETURN_IF_ERROR(in.GetDoubles(&u.busy));
    }
    results->cases[i] = std::move(r);
    if (decoded != nullptr) decoded->push_back(i);
  }
  if (!in.done()) {
    return absl::DataLossError("case results: bytes after the last case");
  }
  return absl::OkStatus();
}

}  // namespace multiplex
