#ifndef MULTIPLEX_CORE_STREAM_SEED_H_
#define MULTIPLEX_CORE_STREAM_SEED_H_

// The seed of one model's arrival stream in a multi-model workload
// (docs/study.md §4.3). Every place that derives a per-model seed from a
// workload's seed calls StreamSeed; nothing adds the model index to the seed.
//
//   StreamSeed(seed, i) = SplitMix64(SplitMix64(seed) + i)   (mod 2^64)
//
// SplitMix64 is the finalizer of Steele, Lea and Flood's SplitMix generator
// (the seeding function recommended for the xoshiro family): a bijection of
// 64-bit words whose outputs for adjacent inputs differ in about half their
// bits. Mixing the seed before adding the index means that the streams of
// --seed=k and --seed=k+1 share nothing (with `seed + i`, seed k+1's model i
// drew seed k's model i+1 stream), and mixing again makes the streams of one
// seed unrelated words too. The result seeds the stream's std::mt19937_64.

#include <cstdint>

namespace multiplex {

constexpr uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

constexpr uint64_t StreamSeed(uint64_t seed, uint64_t index) {
  return SplitMix64(SplitMix64(seed) + index);
}

}  // namespace multiplex

#endif  // MULTIPLEX_CORE_STREAM_SEED_H_
