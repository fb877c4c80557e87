// GpuRunner on CUDA: cuBLAS GEMMs (cublasGemmEx / cublasGemmStridedBatchedEx,
// fp16/bf16 in and out, fp32 accumulation), hand-written softmax, LayerNorm,
// GELU and gather kernels, CUDA-event timing.
//
// cuBLAS is loaded at run time (dlopen of libcublas.so.13): this CUDA 13
// install ships no static cuBLAS, and loading it keeps the binary free of
// shared-library dependencies beyond glibc. The CUDA runtime is linked
// statically (cudart_static dlopens the driver's libcuda.so.1). Search order
// for cuBLAS: $MULTIPLEX_CUBLAS (a file), the loader's default path
// (LD_LIBRARY_PATH, ldconfig), $CUDA_HOME / $CUDA_PATH, /usr/local/cuda, and
// the nvidia-cublas Python wheel next to PyTorch.

#include <cublas_api.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "profiler/cuda/gpu_runner.h"

namespace multiplex {
namespace cuda {
namespace {

// ---------------------------------------------------------------------------
// cuBLAS through dlopen.

using CreateFn = cublasStatus_t (*)(cublasHandle_t*);
using DestroyFn = cublasStatus_t (*)(cublasHandle_t);
using SetStreamFn = cublasStatus_t (*)(cublasHandle_t, cudaStream_t);
using GetVersionFn = cublasStatus_t (*)(cublasHandle_t, int*);
using GemmExFn = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t,
                                    cublasOperation_t, int, int, int,
                                    const void*, const void*, cudaDataType, int,
                                    const void*, cudaDataType, int, const void*,
                                    void*, cudaDataType, int,
                                    cublasComputeType_t, cublasGemmAlgo_t);
using GemmStridedFn = cublasStatus_t (*)(
    cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
    const void*, const void*, cudaDataType, int, long long, const void*,
    cudaDataType, int, long long, const void*, void*, cudaDataType, int,
    long long, int, cublasComputeType_t, cublasGemmAlgo_t);

struct Cublas {
  void* lib = nullptr;
  std::string path;
  CreateFn create = nullptr;
  DestroyFn destroy = nullptr;
  SetStreamFn set_stream = nullptr;
  GetVersionFn get_version = nullptr;
  GemmExFn gemm = nullptr;
  GemmStridedFn gemm_strided = nullptr;
};

std::string Dirname(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? "." : p.substr(0, slash);
}

void* TryOpen(const std::string& name) {
  // A library given by path: load its cublasLt sibling first so that the
  // loader need not find it on its own search path.
  if (name.find('/') != std::string::npos) {
    std::string lt = Dirname(name) + "/libcublasLt.so.13";
    dlopen(lt.c_str(), RTLD_NOW | RTLD_GLOBAL);
  }
  return dlopen(name.c_str(), RTLD_NOW | RTLD_GLOBAL);
}

bool LoadCublas(Cublas* c, std::string* error) {
  std::vector<std::string> candidates;
  if (const char* e = std::getenv("MULTIPLEX_CUBLAS")) candidates.push_back(e);
  candidates.push_back("libcublas.so.13");
  for (const char* var : {"CUDA_HOME", "CUDA_PATH"}) {
    if (const char* e = std::getenv(var)) {
      candidates.push_back(std::string(e) + "/lib64/libcublas.so.13");
    }
  }
  candidates.push_back("/usr/local/cuda/lib64/libcublas.so.13");
  candidates.push_back(
      "/usr/local/cuda/targets/x86_64-linux/lib/libcublas.so.13");
  candidates.push_back("/usr/local/cuda-13.0/lib64/libcublas.so.13");
  for (const char* py : {"/opt/torch/.venv/lib/python3.12/site-packages",
                         "/usr/local/lib/python3.12/dist-packages",
                         "/usr/lib/python3/dist-packages"}) {
    candidates.push_back(std::string(py) +
                         "/nvidia/cublas/lib/libcublas.so.13");
    candidates.push_back(std::string(py) + "/nvidia/cu13/lib/libcublas.so.13");
  }
  std::string tried;
  for (const std::string& name : candidates) {
    c->lib = TryOpen(name);
    if (c->lib != nullptr) {
      c->path = name;
      break;
    }
    tried += (tried.empty() ? "" : ", ") + name;
  }
  if (c->lib == nullptr) {
    *error = "cuBLAS (libcublas.so.13) not found; tried " + tried +
             "; set MULTIPLEX_CUBLAS to its path";
    return false;
  }
  auto sym = [&](const char* n) { return dlsym(c->lib, n); };
  c->create = reinterpret_cast<CreateFn>(sym("cublasCreate_v2"));
  c->destroy = reinterpret_cast<DestroyFn>(sym("cublasDestroy_v2"));
  c->set_stream = reinterpret_cast<SetStreamFn>(sym("cublasSetStream_v2"));
  c->get_version = reinterpret_cast<GetVersionFn>(sym("cublasGetVersion_v2"));
  c->gemm = reinterpret_cast<GemmExFn>(sym("cublasGemmEx"));
  c->gemm_strided =
      reinterpret_cast<GemmStridedFn>(sym("cublasGemmStridedBatchedEx"));
  if (!c->create || !c->destroy || !c->set_stream || !c->get_version ||
      !c->gemm || !c->gemm_strided) {
    *error = "cuBLAS at " + c->path + " lacks an expected symbol";
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Kernels. T is __half or __nv_bfloat16; arithmetic in fp32.

template <typename T>
__device__ __forceinline__ float ToF(T v);
template <>
__device__ __forceinline__ float ToF<__half>(__half v) {
  return __half2float(v);
}
template <>
__device__ __forceinline__ float ToF<__nv_bfloat16>(__nv_bfloat16 v) {
  return __bfloat162float(v);
}
template <typename T>
__device__ __forceinline__ T FromF(float v);
template <>
__device__ __forceinline__ __half FromF<__half>(float v) {
  return __float2half_rn(v);
}
template <>
__device__ __forceinline__ __nv_bfloat16 FromF<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}

constexpr int kRowThreads = 256;

// Block-wide reductions over kRowThreads threads.
__device__ float BlockSum(float v, float* shared) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  __syncthreads();
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  float total = 0;
  for (int w = 0; w < kRowThreads / 32; ++w) total += shared[w];
  return total;
}

__device__ float BlockMax(float v, float* shared) {
  for (int o = 16; o > 0; o >>= 1) {
    v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  }
  const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  __syncthreads();
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  float m = -INFINITY;
  for (int w = 0; w < kRowThreads / 32; ++w) m = fmaxf(m, shared[w]);
  return m;
}

// One block per row: softmax(scale * x) or log_softmax(x).
template <typename T, bool kLog>
__global__ void SoftmaxKernel(const T* __restrict__ x, T* __restrict__ y,
                              int64_t cols, float scale) {
  __shared__ float shared[kRowThreads / 32];
  const T* xr = x + blockIdx.x * cols;
  T* yr = y + blockIdx.x * cols;
  float m = -INFINITY;
  for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
    m = fmaxf(m, scale * ToF(xr[c]));
  }
  m = BlockMax(m, shared);
  float s = 0;
  for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
    s += __expf(scale * ToF(xr[c]) - m);
  }
  s = BlockSum(s, shared);
  if (kLog) {
    const float log_s = __logf(s);
    for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
      yr[c] = FromF<T>(scale * ToF(xr[c]) - m - log_s);
    }
  } else {
    const float inv = 1.0f / s;
    for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
      yr[c] = FromF<T>(__expf(scale * ToF(xr[c]) - m) * inv);
    }
  }
}

// One block per row: y = LayerNorm(x + r) * gamma + beta.
template <typename T>
__global__ void LayerNormKernel(const T* __restrict__ x,
                                const T* __restrict__ r,
                                const T* __restrict__ gamma,
                                const T* __restrict__ beta, T* __restrict__ y,
                                int64_t cols) {
  __shared__ float shared[kRowThreads / 32];
  const int64_t off = blockIdx.x * cols;
  float s = 0;
  for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
    s += ToF(x[off + c]) + ToF(r[off + c]);
  }
  const float mean = BlockSum(s, shared) / cols;
  float v = 0;
  for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
    const float d = ToF(x[off + c]) + ToF(r[off + c]) - mean;
    v += d * d;
  }
  const float rstd = rsqrtf(BlockSum(v, shared) / cols + 1e-5f);
  for (int64_t c = threadIdx.x; c < cols; c += kRowThreads) {
    const float d = ToF(x[off + c]) + ToF(r[off + c]) - mean;
    y[off + c] = FromF<T>(d * rstd * ToF(gamma[c]) + ToF(beta[c]));
  }
}

template <typename T>
__global__ void GeluKernel(const T* __restrict__ x, T* __restrict__ y,
                           int64_t n) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const float v = ToF(x[i]);
    y[i] = FromF<T>(0.5f * v * (1.0f + erff(v * 0.70710678118654752f)));
  }
}

template <typename T>
__global__ void GatherKernel(const T* __restrict__ table,
                             const int* __restrict__ idx, T* __restrict__ y,
                             int64_t cols) {
  const T* src = table + int64_t{idx[blockIdx.x]} * cols;
  T* dst = y + blockIdx.x * cols;
  for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) dst[c] = src[c];
}

// Counter-based random numbers (splitmix64): uniform in [-1, 1].
__device__ __forceinline__ uint64_t Mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

template <typename T>
__global__ void FillRandomKernel(T* p, int64_t n, uint64_t seed) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    const uint64_t r = Mix(seed ^ (static_cast<uint64_t>(i) * 0x2545f491ull));
    const float u = static_cast<float>(r >> 40) * (1.0f / 16777216.0f);
    p[i] = FromF<T>(2.0f * u - 1.0f);
  }
}

__global__ void FillIndicesKernel(int* p, int64_t n, int64_t vocab,
                                  uint64_t seed) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    p[i] = static_cast<int>(Mix(seed + i) % static_cast<uint64_t>(vocab));
  }
}

template <typename T>
__global__ void FromFloatKernel(const float* __restrict__ in, T* out,
                                int64_t n) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    out[i] = FromF<T>(in[i]);
  }
}

template <typename T>
__global__ void ToFloatKernel(const T* __restrict__ in, float* out, int64_t n) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    out[i] = ToF(in[i]);
  }
}

__global__ void FloatToIndexKernel(const float* __restrict__ in, int* out,
                                   int64_t n) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n;
       i += int64_t{gridDim.x} * blockDim.x) {
    out[i] = static_cast<int>(lrintf(in[i]));
  }
}

int GridFor(int64_t n, int threads) {
  return static_cast<int>(
      std::min<int64_t>((n + threads - 1) / threads, int64_t{65535} * 16));
}

// ---------------------------------------------------------------------------

std::string CudaError(const char* what, cudaError_t e) {
  return std::string(what) + ": " + cudaGetErrorString(e);
}

#define RETURN_IF_CUDA(call, what)  \
  do {                              \
    cudaError_t e_ = (call);        \
    if (e_ != cudaSuccess) {        \
      *error = CudaError(what, e_); \
      return false;                 \
    }                               \
  } while (0)

// A device buffer that only grows.
struct Buffer {
  void* ptr = nullptr;
  int64_t bytes = 0;
};

class CudaRunner : public GpuRunner {
 public:
  CudaRunner(DType dtype, Cublas cublas)
      : dtype_(dtype), cublas_(std::move(cublas)) {}

  ~CudaRunner() override {
    for (Buffer* b : {&a_, &b_, &c_, &d_, &params_, &idx_, &host_in_}) {
      if (b->ptr) cudaFree(b->ptr);
    }
    if (handle_) cublas_.destroy(handle_);
    if (start_) cudaEventDestroy(start_);
    if (stop_) cudaEventDestroy(stop_);
    if (stream_) cudaStreamDestroy(stream_);
  }

  bool Init(int device, std::string* error) {
    DeviceInfo& in = info_;
    in.device = device;
    RETURN_IF_CUDA(cudaSetDevice(device), "cudaSetDevice");
    cudaDeviceProp prop;
    RETURN_IF_CUDA(cudaGetDeviceProperties(&prop, device),
                   "cudaGetDeviceProperties");
    in.name = prop.name;
    in.cc_major = prop.major;
    in.cc_minor = prop.minor;
    in.sm_count = prop.multiProcessorCount;
    in.memory_bytes = static_cast<double>(prop.totalGlobalMem);
    cudaDeviceGetAttribute(&in.sm_clock_khz, cudaDevAttrClockRate, device);
    cudaDeviceGetAttribute(&in.memory_clock_khz, cudaDevAttrMemoryClockRate,
                           device);
    cudaDeviceGetAttribute(&in.memory_bus_width,
                           cudaDevAttrGlobalMemoryBusWidth, device);
    cudaRuntimeGetVersion(&in.runtime_version);
    cudaDriverGetVersion(&in.driver_version);
    RETURN_IF_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking),
                   "cudaStreamCreate");
    RETURN_IF_CUDA(cudaEventCreate(&start_), "cudaEventCreate");
    RETURN_IF_CUDA(cudaEventCreate(&stop_), "cudaEventCreate");
    if (cublas_.create(&handle_) != CUBLAS_STATUS_SUCCESS) {
      *error = "cublasCreate failed";
      return false;
    }
    cublas_.set_stream(handle_, stream_);
    cublas_.get_version(handle_, &in.cublas_version);
    in.cublas_library = cublas_.path;
    return true;
  }

  const DeviceInfo& info() const override { return info_; }

  bool TimeOps(const std::vector<OpSpec>& ops, int warmup, int repeats,
               std::vector<double>* seq_ms,
               std::vector<std::vector<double>>* op_ms,
               std::string* error) override {
    for (const OpSpec& op : ops) {
      if (!Reserve(op, /*randomize=*/true, error)) return false;
    }
    seq_ms->clear();
    for (int i = 0; i < warmup + repeats; ++i) {
      RETURN_IF_CUDA(cudaEventRecord(start_, stream_), "cudaEventRecord");
      for (const OpSpec& op : ops) {
        if (!Launch(op, error)) return false;
      }
      RETURN_IF_CUDA(cudaEventRecord(stop_, stream_), "cudaEventRecord");
      RETURN_IF_CUDA(cudaEventSynchronize(stop_), "cudaEventSynchronize");
      float ms = 0;
      RETURN_IF_CUDA(cudaEventElapsedTime(&ms, start_, stop_),
                     "cudaEventElapsedTime");
      if (i >= warmup) seq_ms->push_back(ms);
    }
    if (op_ms != nullptr) {
      op_ms->assign(ops.size(), {});
      for (size_t j = 0; j < ops.size(); ++j) {
        for (int i = 0; i < 1 + repeats; ++i) {  // one warm-up each
          RETURN_IF_CUDA(cudaEventRecord(start_, stream_), "cudaEventRecord");
          if (!Launch(ops[j], error)) return false;
          RETURN_IF_CUDA(cudaEventRecord(stop_, stream_), "cudaEventRecord");
          RETURN_IF_CUDA(cudaEventSynchronize(stop_), "cudaEventSynchronize");
          float ms = 0;
          RETURN_IF_CUDA(cudaEventElapsedTime(&ms, start_, stop_),
                         "cudaEventElapsedTime");
          if (i >= 1) (*op_ms)[j].push_back(ms);
        }
      }
    }
    return true;
  }

  bool RunOnHostData(const OpSpec& op,
                     const std::vector<std::vector<float>>& inputs,
                     std::vector<float>* output, std::string* error) override {
    if (!Reserve(op, /*randomize=*/false, error)) return false;
    const OperandSizes sz = SizesOf(op);
    Buffer* dst[4] = {&a_, &b_, &d_, &params_};
    if (op.kind == OpKind::kLayerNorm) dst[2] = &params_, dst[3] = nullptr;
    if (op.kind == OpKind::kGather) dst[1] = nullptr;
    for (int i = 0; i < 4; ++i) {
      if (sz.in[i] == 0) continue;
      if (static_cast<int64_t>(inputs.size()) <= i ||
          static_cast<int64_t>(inputs[i].size()) != sz.in[i]) {
        *error = "input " + std::to_string(i) + " of " + op.name +
                 " must have " + std::to_string(sz.in[i]) + " elements";
        return false;
      }
      if (!Grow(&host_in_, sz.in[i] * sizeof(float), error)) return false;
      RETURN_IF_CUDA(
          cudaMemcpy(host_in_.ptr, inputs[i].data(), sz.in[i] * sizeof(float),
                     cudaMemcpyHostToDevice),
          "cudaMemcpy");
      const float* src = static_cast<const float*>(host_in_.ptr);
      const int grid = GridFor(sz.in[i], 256);
      if (op.kind == OpKind::kGather && i == 1) {
        FloatToIndexKernel<<<grid, 256, 0, stream_>>>(
            src, static_cast<int*>(idx_.ptr), sz.in[i]);
      } else {
        void* p = dst[i] ? dst[i]->ptr : nullptr;
        // LayerNorm gamma/beta share the params buffer.
        if (op.kind == OpKind::kLayerNorm && i == 3) {
          p = static_cast<char*>(params_.ptr) + op.cols * ElemBytes();
        }
        Convert(src, p, sz.in[i], grid);
      }
      RETURN_IF_CUDA(cudaStreamSynchronize(stream_), "convert inputs");
    }
    if (!Launch(op, error)) return false;
    if (!Grow(&host_in_, sz.out * sizeof(float), error)) return false;
    float* out_f = static_cast<float*>(host_in_.ptr);
    const int grid = GridFor(sz.out, 256);
    if (dtype_ == DType::kFp16) {
      ToFloatKernel<<<grid, 256, 0, stream_>>>(
          static_cast<const __half*>(c_.ptr), out_f, sz.out);
    } else {
      ToFloatKernel<<<grid, 256, 0, stream_>>>(
          static_cast<const __nv_bfloat16*>(c_.ptr), out_f, sz.out);
    }
    RETURN_IF_CUDA(cudaStreamSynchronize(stream_), "run op");
    output->resize(sz.out);
    RETURN_IF_CUDA(cudaMemcpy(output->data(), out_f, sz.out * sizeof(float),
                              cudaMemcpyDeviceToHost),
                   "cudaMemcpy");
    return true;
  }

 private:
  int64_t ElemBytes() const { return 2; }

  void Convert(const float* src, void* dst, int64_t n, int grid) {
    if (dtype_ == DType::kFp16) {
      FromFloatKernel<<<grid, 256, 0, stream_>>>(src, static_cast<__half*>(dst),
                                                 n);
    } else {
      FromFloatKernel<<<grid, 256, 0, stream_>>>(
          src, static_cast<__nv_bfloat16*>(dst), n);
    }
  }

  bool Grow(Buffer* b, int64_t bytes, std::string* error,
            bool* grew = nullptr) {
    if (grew) *grew = false;
    if (b->bytes >= bytes) return true;
    if (b->ptr) {
      cudaStreamSynchronize(stream_);
      cudaFree(b->ptr);
      b->ptr = nullptr;
      b->bytes = 0;
    }
    cudaError_t e = cudaMalloc(&b->ptr, bytes);
    if (e != cudaSuccess) {
      b->ptr = nullptr;
      *error = "cudaMalloc of " + std::to_string(bytes) +
               " bytes: " + cudaGetErrorString(e);
      return false;
    }
    b->bytes = bytes;
    if (grew) *grew = true;
    return true;
  }

  bool FillRandom(Buffer* b, std::string* error) {
    const int64_t n = b->bytes / ElemBytes();
    const int grid = GridFor(n, 256);
    const uint64_t seed = 0x5eed0000ull + (seed_counter_++);
    if (dtype_ == DType::kFp16) {
      FillRandomKernel<<<grid, 256, 0, stream_>>>(static_cast<__half*>(b->ptr),
                                                  n, seed);
    } else {
      FillRandomKernel<<<grid, 256, 0, stream_>>>(
          static_cast<__nv_bfloat16*>(b->ptr), n, seed);
    }
    RETURN_IF_CUDA(cudaGetLastError(), "fill random");
    return true;
  }

  // Makes the buffers large enough for `op`; new buffers get random data.
  bool Reserve(const OpSpec& op, bool randomize, std::string* error) {
    const OperandSizes sz = SizesOf(op);
    const int64_t eb = ElemBytes();
    struct Need {
      Buffer* buf;
      int64_t bytes;
    };
    std::vector<Need> needs = {{&a_, sz.in[0] * eb}, {&c_, sz.out * eb}};
    switch (op.kind) {
      case OpKind::kLayerNorm:
        needs.push_back({&b_, sz.in[1] * eb});
        needs.push_back({&params_, 2 * op.cols * eb});
        break;
      case OpKind::kGather:
        break;
      default:
        needs.push_back({&b_, sz.in[1] * eb});
    }
    for (const Need& n : needs) {
      bool grew = false;
      if (!Grow(n.buf, std::max<int64_t>(n.bytes, 256), error, &grew)) {
        return false;
      }
      if (grew && !FillRandom(n.buf, error)) return false;
    }
    if (op.kind == OpKind::kGather) {
      bool grew = false;
      if (!Grow(&idx_, std::max<int64_t>(op.rows, 64) * sizeof(int), error,
                &grew)) {
        return false;
      }
      if (randomize || grew) {
        // Indices depend on the vocabulary: refill for every gather timed.
        FillIndicesKernel<<<GridFor(op.rows, 256), 256, 0, stream_>>>(
            static_cast<int*>(idx_.ptr), op.rows, op.vocab,
            0x1d0000ull + seed_counter_++);
        RETURN_IF_CUDA(cudaGetLastError(), "fill indices");
      }
    }
    RETURN_IF_CUDA(cudaStreamSynchronize(stream_), "reserve");
    return true;
  }

  bool Launch(const OpSpec& op, std::string* error) {
    const cudaDataType t = dtype_ == DType::kFp16 ? CUDA_R_16F : CUDA_R_16BF;
    const float alpha = 1.0f, beta = 0.0f;
    switch (op.kind) {
      case OpKind::kGemm:
      case OpKind::kBatchedGemm: {
        // Row-major C[m,n] = A[m,k] op(B) is column-major
        // C^T[n,m] = op(B)^T[n,k] A^T[k,m].
        const int m = static_cast<int>(op.n), n = static_cast<int>(op.m),
                  k = static_cast<int>(op.k);
        const cublasOperation_t opa = op.trans_b ? CUBLAS_OP_T : CUBLAS_OP_N;
        const int lda = op.trans_b ? k : m;  // B: [n,k] or [k,n] row-major
        const int ldb = k;                   // A: [m,k] row-major
        cublasStatus_t s;
        if (op.kind == OpKind::kGemm && op.batch == 1) {
          s = cublas_.gemm(handle_, opa, CUBLAS_OP_N, m, n, k, &alpha, b_.ptr,
                           t, lda, a_.ptr, t, ldb, &beta, c_.ptr, t, m,
                           CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
        } else {
          s = cublas_.gemm_strided(handle_, opa, CUBLAS_OP_N, m, n, k, &alpha,
                                   b_.ptr, t, lda, op.k * op.n, a_.ptr, t, ldb,
                                   op.m * op.k, &beta, c_.ptr, t, m,
                                   op.m * op.n, static_cast<int>(op.batch),
                                   CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
        }
        if (s != CUBLAS_STATUS_SUCCESS) {
          *error = "cuBLAS GEMM " + op.name + " failed with status " +
                   std::to_string(static_cast<int>(s));
          return false;
        }
        break;
      }
      case OpKind::kSoftmax:
      case OpKind::kLogSoftmax:
        if (dtype_ == DType::kFp16) {
          LaunchSoftmax<__half>(op);
        } else {
          LaunchSoftmax<__nv_bfloat16>(op);
        }
        break;
      case OpKind::kLayerNorm:
        if (dtype_ == DType::kFp16) {
          LaunchLayerNorm<__half>(op);
        } else {
          LaunchLayerNorm<__nv_bfloat16>(op);
        }
        break;
      case OpKind::kGelu: {
        const int64_t n = op.rows * op.cols;
        const int grid =
            std::min<int64_t>((n + 255) / 256, int64_t{info_.sm_count} * 32);
        if (dtype_ == DType::kFp16) {
          GeluKernel<<<grid, 256, 0, stream_>>>(
              static_cast<const __half*>(a_.ptr), static_cast<__half*>(c_.ptr),
              n);
        } else {
          GeluKernel<<<grid, 256, 0, stream_>>>(
              static_cast<const __nv_bfloat16*>(a_.ptr),
              static_cast<__nv_bfloat16*>(c_.ptr), n);
        }
        break;
      }
      case OpKind::kGather:
        if (dtype_ == DType::kFp16) {
          GatherKernel<<<static_cast<unsigned>(op.rows), 256, 0, stream_>>>(
              static_cast<const __half*>(a_.ptr),
              static_cast<const int*>(idx_.ptr), static_cast<__half*>(c_.ptr),
              op.cols);
        } else {
          GatherKernel<<<static_cast<unsigned>(op.rows), 256, 0, stream_>>>(
              static_cast<const __nv_bfloat16*>(a_.ptr),
              static_cast<const int*>(idx_.ptr),
              static_cast<__nv_bfloat16*>(c_.ptr), op.cols);
        }
        break;
    }
    RETURN_IF_CUDA(cudaGetLastError(), op.name.c_str());
    return true;
  }

  template <typename T>
  void LaunchSoftmax(const OpSpec& op) {
    const unsigned rows = static_cast<unsigned>(op.rows);
    if (op.kind == OpKind::kLogSoftmax) {
      SoftmaxKernel<T, true><<<rows, kRowThreads, 0, stream_>>>(
          static_cast<const T*>(a_.ptr), static_cast<T*>(c_.ptr), op.cols,
          1.0f);
    } else {
      SoftmaxKernel<T, false><<<rows, kRowThreads, 0, stream_>>>(
          static_cast<const T*>(a_.ptr), static_cast<T*>(c_.ptr), op.cols,
          op.scale);
    }
  }

  template <typename T>
  void LaunchLayerNorm(const OpSpec& op) {
    const T* params = static_cast<const T*>(params_.ptr);
    LayerNormKernel<T>
        <<<static_cast<unsigned>(op.rows), kRowThreads, 0, stream_>>>(
            static_cast<const T*>(a_.ptr), static_cast<const T*>(b_.ptr),
            params, params + op.cols, static_cast<T*>(c_.ptr), op.cols);
  }

  DType dtype_;
  Cublas cublas_;
  DeviceInfo info_;
  cublasHandle_t handle_ = nullptr;
  cudaStream_t stream_ = nullptr;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
  // a: first input, b: second input (LayerNorm residual), c: output,
  // d: third input (unused by the current ops), params: LayerNorm gamma and
  // beta, idx: gather indices, host_in: float staging for RunOnHostData.
  Buffer a_, b_, c_, d_, params_, idx_, host_in_;
  uint64_t seed_counter_ = 1;
};

}  // namespace

std::unique_ptr<GpuRunner> GpuRunner::Open(int device, DType dtype,
                                           std::string* error) {
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    std::string why = e != cudaSuccess ? cudaGetErrorString(e) : "no GPU found";
    if (e == cudaErrorInsufficientDriver) {
      void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
      if (driver == nullptr) {
        why = "no NVIDIA driver (libcuda.so.1 cannot be loaded)";
      } else {
        dlclose(driver);
      }
    }
    *error = "no CUDA device: " + why;
    return nullptr;
  }
  if (device < 0 || device >= count) {
    *error = "no CUDA device: device " + std::to_string(device) +
             " requested, " + std::to_string(count) + " present";
    return nullptr;
  }
  Cublas cublas;
  if (!LoadCublas(&cublas, error)) return nullptr;
  auto runner = std::make_unique<CudaRunner>(dtype, cublas);
  if (!runner->Init(device, error)) return nullptr;
  return runner;
}

bool BuiltWithCuda() { return true; }

}  // namespace cuda
}  // namespace multiplex
