// The binary trace format of workloads/trace_io.h: reader and writer.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/limits.h"
#include "core/status_macros.h"
#include "workloads/trace_internal.h"
#include "workloads/trace_io.h"

// The format is little-endian; this code copies values as they are in
// memory.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "binary traces are read and written on little-endian hosts");

namespace multiplex {
namespace trace_internal {
namespace {

// Version 1: no token columns. Version 2: header byte 14 holds flags, bit 0
// for the two token columns after the SLOs. The writer writes version 1 for
// a workload without tokens, so such files are what they always were.
constexpr uint32_t kVersion = 1;
constexpr uint32_t kTokenVersion = 2;
constexpr uint8_t kTokenFlag = 1;
constexpr size_t kHeaderBytes = 32;
constexpr uint8_t kSloPerRequest = 0;
constexpr uint8_t kSloShared = 1;

template <typename T>
T Load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
void Append(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

absl::Status Error(absl::string_view source, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(source, ": ", message));
}

absl::Status RequestError(absl::string_view source, size_t i,
                          absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ": request ", i, ": ", message));
}

// Model indices of one width, widened to int32_t and mapped to the
// workload's (remap[file index], -1: a model not among the known ones).
absl::Status ReadModels(ByteSource& in, absl::string_view source, size_t n,
                        int width, const std::vector<int32_t>& remap,
                        const std::vector<std::string>& file_names,
                        std::vector<int32_t>* model) {
  model->resize(n);
  constexpr size_t kBatch = 1 << 14;
  unsigned char buf[kBatch * 4];
  const uint32_t num_file_models = static_cast<uint32_t>(remap.size());
  for (size_t done = 0; done < n;) {
    const size_t count = std::min(kBatch, n - done);
    RETURN_IF_ERROR(in.Read(buf, count * width));
    for (size_t k = 0; k < count; ++k) {
      uint32_t j;
      switch (width) {
        case 1:
          j = buf[k];
          break;
        case 2:
          j = Load<uint16_t>(buf + 2 * k);
          break;
        default:
          j = Load<uint32_t>(buf + 4 * k);
      }
      if (j >= num_file_models) {
        return RequestError(source, done + k,
                            absl::StrCat("model index ", j, " but there are ",
                                         num_file_models, " models"));
      }
      const int32_t m = remap[j];
      if (m < 0) {
        return RequestError(
            source, done + k,
            absl::StrCat("unknown model '", file_names[j], "'"));
      }
      (*model)[done + k] = m;
    }
    done += count;
  }
  return absl::OkStatus();
}

absl::Status CheckSlo(absl::string_view source, size_t i, double slo) {
  if (std::isnan(slo) || slo < 0) {
    return RequestError(
        source, i,
        absl::StrCat("bad slo_s ", slo, ": want a number >= 0 or inf"));
  }
  return absl::OkStatus();
}

// A column of n uint32 token counts, each at most kMaxRequestTokens.
absl::Status ReadTokens(ByteSource& in, absl::string_view source, size_t n,
                        absl::string_view column, std::vector<int32_t>* out) {
  out->resize(n);
  RETURN_IF_ERROR(in.Read(out->data(), n * sizeof(int32_t)));
  for (size_t i = 0; i < n; ++i) {
    const uint32_t v = static_cast<uint32_t>((*out)[i]);
    if (v > static_cast<uint32_t>(kMaxRequestTokens)) {
      return RequestError(
          source, i,
          absl::StrCat(column, " ", v, " out of range (0 to ",
                       kMaxRequestTokens, ", kMaxRequestTokens)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Workload> ParseBinary(ByteSource& in, absl::string_view source,
                                     const std::vector<std::string>& known) {
  if (known.size() > static_cast<size_t>(kMaxModels)) {
    return Error(source,
                 absl::StrCat(known.size(), " model names, over the limit of ",
                              kMaxModels, " (kMaxModels)"));
  }
  unsigned char header[kHeaderBytes];
  if (in.Remaining() < kHeaderBytes) {
    return Error(source,
                 absl::StrCat("truncated binary trace: ", in.Remaining(),
                              " bytes, the header alone is ", kHeaderBytes));
  }
  RETURN_IF_ERROR(in.Read(header, kHeaderBytes));
  if (std::memcmp(header, kBinaryMagic.data(), kBinaryMagic.size()) != 0) {
    return Error(source, "not a binary trace (no magic 'MPXTRACE')");
  }
  const uint32_t version = Load<uint32_t>(header + 8);
  const int width = header[12];
  const uint8_t slo_layout = header[13];
  const uint64_t n64 = Load<uint64_t>(header + 16);
  const uint32_t num_models = Load<uint32_t>(header + 24);
  if (version != kVersion && version != kTokenVersion) {
    return Error(source, absl::StrCat("binary trace version ", version,
                                      "; this reader knows versions ", kVersion,
                                      " and ", kTokenVersion));
  }
  const uint8_t flags = version == kTokenVersion ? header[14] : 0;
  if ((flags & ~kTokenFlag) != 0) {
    return Error(source, absl::StrCat("unknown flags ", flags,
                                      " in header byte 14 (want 0 or 1)"));
  }
  const bool tokens = (flags & kTokenFlag) != 0;
  if (width != 1 && width != 2 && width != 4) {
    return Error(source, absl::StrCat("bad model index width ", width,
                                      " (want 1, 2 or 4 bytes)"));
  }
  if (slo_layout != kSloPerRequest && slo_layout != kSloShared) {
    return Error(source,
                 absl::StrCat("bad slo layout ", slo_layout, " (want 0 or 1)"));
  }
  if ((version == kVersion && header[14] != 0) || header[15] != 0 ||
      Load<uint32_t>(header + 28) != 0) {
    return Error(source, "reserved header bytes are not zero");
  }
  if (num_models > static_cast<uint32_t>(kMaxModels)) {
    return Error(source, absl::StrCat(num_models, " models, over the limit of ",
                                      kMaxModels, " (kMaxModels)"));
  }
  if (in.Remaining() < uint64_t{num_models} * 4) {
    return Error(source, absl::StrCat("truncated binary trace: ", num_models,
                                      " model names do not fit in ",
                                      in.Remaining(), " bytes"));
  }

  // Model names: unique, non-empty, writable as text.
  std::vector<std::string> names(num_models);
  ModelTable file_table;
  for (uint32_t j = 0; j < num_models; ++j) {
    unsigned char len_bytes[4];
    if (in.Remaining() < 4) {
      return Error(source, absl::StrCat("truncated binary trace in the name "
                                        "of model ",
                                        j));
    }
    RETURN_IF_ERROR(in.Read(len_bytes, 4));
    const uint32_t len = Load<uint32_t>(len_bytes);
    if (len == 0 || len > kMaxTraceLineBytes) {
      return Error(source,
                   absl::StrCat("model ", j, ": name length ", len,
                                " (want 1 to ", kMaxTraceLineBytes, ")"));
    }
    if (in.Remaining() < len) {
      return Error(source, absl::StrCat("truncated binary trace in the name "
                                        "of model ",
                                        j));
    }
    names[j].resize(len);
    RETURN_IF_ERROR(in.Read(names[j].data(), len));
    if (names[j].find_first_of("\t\r\n") != std::string::npos) {
      return Error(source, absl::StrCat("model name '", absl::CEscape(names[j]),
                                        "' has a tab or newline"));
    }
    if (file_table.Find(names[j]) >= 0) {
      return Error(source,
                   absl::StrCat("model name '", names[j], "' given twice"));
    }
    file_table.Add(names[j]);
  }

  // The columns must fill the rest of the file exactly.
  const uint64_t rest = in.Remaining();
  const uint64_t per_request = 8 + static_cast<uint64_t>(width) +
                               (slo_layout == kSloPerRequest ? 8 : 0) +
                               (tokens ? 8 : 0);
  const uint64_t shared = slo_layout == kSloShared ? 8 : 0;
  if (n64 > (rest - std::min(rest, shared)) / per_request ||
      n64 * per_request + shared > rest) {
    return Error(source,
                 absl::StrCat("truncated binary trace: the header says ", n64,
                              " requests, which do not fit in the ", rest,
                              " bytes after the names"));
  }
  if (n64 * per_request + shared < rest) {
    return Error(source, absl::StrCat(rest - n64 * per_request - shared,
                                      " bytes after the last column (", n64,
                                      " requests)"));
  }
  const size_t n = static_cast<size_t>(n64);

  Workload w;
  std::vector<int32_t> remap(num_models);
  if (known.empty()) {
    for (uint32_t j = 0; j < num_models; ++j) remap[j] = j;
    w.model_names = names;
  } else {
    ModelTable known_table;
    for (const std::string& name : known) {
      if (known_table.Find(name) >= 0) {
        return Error(source,
                     absl::StrCat("model name '", name, "' given twice"));
      }
      known_table.Add(name);
    }
    for (uint32_t j = 0; j < num_models; ++j) {
      remap[j] = known_table.Find(names[j]);
    }
    w.model_names = known;
  }

  w.arrival_s.resize(n);
  RETURN_IF_ERROR(in.Read(w.arrival_s.data(), n * sizeof(double)));
  double previous = 0;
  for (size_t i = 0; i < n; ++i) {
    const double t = w.arrival_s[i];
    if (!std::isfinite(t) || t < 0) {
      return RequestError(
          source, i,
          absl::StrCat("arrival time ", t, " must be finite and >= 0"));
    }
    if (t < previous) {
      return RequestError(source, i,
                          absl::StrCat("arrival times are not sorted: ", t,
                                       " comes after ", previous));
    }
    previous = t;
  }
  RETURN_IF_ERROR(ReadModels(in, source, n, width, remap, names, &w.model));
  if (slo_layout == kSloShared) {
    double slo;
    RETURN_IF_ERROR(in.Read(&slo, sizeof(slo)));
    RETURN_IF_ERROR(CheckSlo(source, 0, slo));
    w.slo_s.assign(n, slo);
  } else {
    w.slo_s.resize(n);
    RETURN_IF_ERROR(in.Read(w.slo_s.data(), n * sizeof(double)));
    for (size_t i = 0; i < n; ++i) {
      RETURN_IF_ERROR(CheckSlo(source, i, w.slo_s[i]));
    }
  }
  if (tokens) {
    w.has_tokens = true;
    RETURN_IF_ERROR(
        ReadTokens(in, source, n, "prompt_tokens", &w.prompt_tokens));
    RETURN_IF_ERROR(
        ReadTokens(in, source, n, "output_tokens", &w.output_tokens));
  }
  return w;
}

}  // namespace trace_internal

absl::StatusOr<std::string> FormatTraceBinary(const Workload& w) {
  RETURN_IF_ERROR(trace_internal::CheckWritable(w));
  const size_t n = w.size();
  const int width = w.num_models() <= (1 << 8)    ? 1
                    : w.num_models() <= (1 << 16) ? 2
                                                  : 4;
  // One SLO for all when every request's has the same bits.
  bool shared = n > 0;
  for (size_t i = 1; i < n && shared; ++i) {
    shared = std::memcmp(&w.slo_s[i], &w.slo_s[0], sizeof(double)) == 0;
  }
  size_t bytes = trace_internal::kBinaryMagic.size() + 24 + n * (8 + width) +
                 (shared ? 8 : 8 * n) + (w.has_tokens ? 8 * n : 0);
  for (const std::string& name : w.model_names) bytes += 4 + name.size();
  std::string out;
  out.reserve(bytes);
  out.append(trace_internal::kBinaryMagic.data(),
             trace_internal::kBinaryMagic.size());
  trace_internal::Append<uint32_t>(&out, w.has_tokens
                                             ? trace_internal::kTokenVersion
                                             : trace_internal::kVersion);
  trace_internal::Append<uint8_t>(&out, static_cast<uint8_t>(width));
  trace_internal::Append<uint8_t>(&out, shared
                                            ? trace_internal::kSloShared
                                            : trace_internal::kSloPerRequest);
  trace_internal::Append<uint8_t>(
      &out, w.has_tokens ? trace_internal::kTokenFlag : 0);
  trace_internal::Append<uint8_t>(&out, 0);
  trace_internal::Append<uint64_t>(&out, n);
  trace_internal::Append<uint32_t>(&out, w.num_models());
  trace_internal::Append<uint32_t>(&out, 0);
  for (const std::string& name : w.model_names) {
    trace_internal::Append<uint32_t>(&out, static_cast<uint32_t>(name.size()));
    out.append(name);
  }
  out.append(reinterpret_cast<const char*>(w.arrival_s.data()),
             n * sizeof(double));
  for (int32_t m : w.model) {
    switch (width) {
      case 1:
        trace_internal::Append<uint8_t>(&out, static_cast<uint8_t>(m));
        break;
      case 2:
        trace_internal::Append<uint16_t>(&out, static_cast<uint16_t>(m));
        break;
      default:
        trace_internal::Append<uint32_t>(&out, static_cast<uint32_t>(m));
    }
  }
  if (shared) {
    trace_internal::Append<double>(&out, w.slo_s[0]);
  } else {
    out.append(reinterpret_cast<const char*>(w.slo_s.data()),
               n * sizeof(double));
  }
  if (w.has_tokens) {
    out.append(reinterpret_cast<const char*>(w.prompt_tokens.data()),
               n * sizeof(int32_t));
    out.append(reinterpret_cast<const char*>(w.output_tokens.data()),
               n * sizeof(int32_t));
  }
  return out;
}

}  // namespace multiplex
