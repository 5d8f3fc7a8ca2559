#include "glocal/core/rng.hpp"

#include <Random123/philox.h>

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "glocal/core/error.hpp"

namespace glocal {

RandomBlock Rng::block(std::uint64_t entity, std::uint64_t tick, Purpose purpose, std::uint64_t index) const noexcept {
  const r123::Philox4x64::ctr_type counter = {{entity, tick, static_cast<std::uint64_t>(purpose), index}};
  const r123::Philox4x64::key_type key = {{seed_, run_}};
  const auto out = r123::Philox4x64{}(counter, key);
  return {out[0], out[1], out[2], out[3]};
}

namespace {
constexpr std::uint32_t kM0 = 0xD2511F53U;
constexpr std::uint32_t kM1 = 0xCD9E8D57U;
constexpr std::uint32_t kW0 = 0x9E3779B9U;
constexpr std::uint32_t kW1 = 0xBB67AE85U;

// The rounds over structure-of-arrays lanes: written so that the compiler vectorises the inner
// loops (32x32->64 products), and cloned for AVX2 and plain x86-64 with dispatch at load time.
// Integer arithmetic only: every version gives the same words. Not cloned under ThreadSanitizer:
// the dispatcher is an ifunc resolver, which the loader runs before TSan's runtime is up, and an
// instrumented resolver crashes there (every binary, at start).
#if defined(__SANITIZE_THREAD__)
#define GLOCAL_PHILOX_CLONES
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GLOCAL_PHILOX_CLONES
#endif
#endif
#ifndef GLOCAL_PHILOX_CLONES
#define GLOCAL_PHILOX_CLONES __attribute__((target_clones("avx2", "default")))
#endif
GLOCAL_PHILOX_CLONES void philox_lanes_auto(std::uint32_t* __restrict x0, std::uint32_t* __restrict x1, std::uint32_t* __restrict x2,
                                            std::uint32_t* __restrict x3, std::uint32_t k0, std::uint32_t k1, std::size_t n) noexcept {
  for (int round = 0; round < 10; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * x0[i];
      const std::uint64_t p1 = static_cast<std::uint64_t>(kM1) * x2[i];
      const auto y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1[i] ^ k0;
      const auto y1 = static_cast<std::uint32_t>(p1);
      const auto y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3[i] ^ k1;
      const auto y3 = static_cast<std::uint32_t>(p0);
      x0[i] = y0;
      x1[i] = y1;
      x2[i] = y2;
      x3[i] = y3;
    }
    k0 += kW0;
    k1 += kW1;
  }
}

// AVX-512: sixteen lanes per register, the state kept in registers through the ten rounds (the
// loop above reloads it every round). Each 32x32->64 product is two vpmuludq (even and odd
// lanes), split into high and low halves by a shift and a blend; the xors are one vpternlogd.
// GCC 12 warns inside its own intrinsics (_mm512_undefined_epi32 is self-initialised on purpose).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
__attribute__((target("avx512f"), always_inline)) inline void philox_product(__m512i x, __m512i m, __m512i& high, __m512i& low) noexcept {
  constexpr __mmask16 kOdd = 0xAAAA;
  const __m512i even = _mm512_mul_epu32(x, m);                        // lanes 0, 2, ...: 64-bit products
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(x, 32), m);  // lanes 1, 3, ...
  high = _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(even, 32), odd);
  low = _mm512_mask_blend_epi32(kOdd, even, _mm512_slli_epi64(odd, 32));
}

// The ten rounds on sixteen lanes held in registers.
__attribute__((target("avx512f"), always_inline)) inline void philox_rounds(__m512i& a, __m512i& b, __m512i& c, __m512i& d,
                                                                            std::uint32_t k0, std::uint32_t k1) noexcept {
  const __m512i m0 = _mm512_set1_epi64(kM0);
  const __m512i m1 = _mm512_set1_epi64(kM1);
  for (int round = 0; round < 10; ++round) {
    __m512i high0;
    __m512i low0;
    __m512i high1;
    __m512i low1;
    philox_product(a, m0, high0, low0);
    philox_product(c, m1, high1, low1);
    a = _mm512_ternarylogic_epi32(high1, b, _mm512_set1_epi32(static_cast<int>(k0)), 0x96);  // three-way xor
    b = low1;
    c = _mm512_ternarylogic_epi32(high0, d, _mm512_set1_epi32(static_cast<int>(k1)), 0x96);
    d = low0;
    k0 += kW0;
    k1 += kW1;
  }
}

__attribute__((target("avx512f"))) void philox_lanes_avx512(std::uint32_t* __restrict x0, std::uint32_t* __restrict x1,
                                                            std::uint32_t* __restrict x2, std::uint32_t* __restrict x3, std::uint32_t k0,
                                                            std::uint32_t k1, std::size_t n) noexcept {
  for (std::size_t from = 0; from < n; from += 16) {
    const __mmask16 live = n - from >= 16 ? __mmask16{0xFFFF} : static_cast<__mmask16>((1U << (n - from)) - 1);
    __m512i a = _mm512_maskz_loadu_epi32(live, x0 + from);
    __m512i b = _mm512_maskz_loadu_epi32(live, x1 + from);
    __m512i c = _mm512_maskz_loadu_epi32(live, x2 + from);
    __m512i d = _mm512_maskz_loadu_epi32(live, x3 + from);
    philox_rounds(a, b, c, d, k0, k1);
    _mm512_mask_storeu_epi32(x0 + from, live, a);
    _mm512_mask_storeu_epi32(x1 + from, live, b);
    _mm512_mask_storeu_epi32(x2 + from, live, c);
    _mm512_mask_storeu_epi32(x3 + from, live, d);
  }
}

// Event words straight from the counters (no counter arrays): lane i of group g has counter
// (first + 16 g + i, tick, run, purpose'), where purpose' is the same for the whole batch.
__attribute__((target("avx512f"))) void philox_events_avx512(std::uint32_t first, std::uint32_t tick, std::uint32_t run,
                                                             std::uint32_t purpose, std::uint32_t k0, std::uint32_t k1, std::size_t n,
                                                             EventWords& out, std::size_t offset) noexcept {
  const __m512i lanes = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  for (std::size_t from = 0; from < n; from += 16) {
    __m512i a = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first + static_cast<std::uint32_t>(from))), lanes);
    __m512i b = _mm512_set1_epi32(static_cast<int>(tick));
    __m512i c = _mm512_set1_epi32(static_cast<int>(run));
    __m512i d = _mm512_set1_epi32(static_cast<int>(purpose));
    philox_rounds(a, b, c, d, k0, k1);
    _mm512_store_si512(out.words[0].data() + offset + from, a);  // whole groups: the arrays hold kBatch, a multiple of 16
    _mm512_store_si512(out.words[1].data() + offset + from, b);
    _mm512_store_si512(out.words[2].data() + offset + from, c);
    _mm512_store_si512(out.words[3].data() + offset + from, d);
  }
}

// Philox4x64-10 on eight lanes (one 64-bit word of eight blocks per register). AVX-512F has no
// 64 x 64 -> 128-bit multiply, so each product is made of four 32 x 32 -> 64 ones (vpmuludq) and
// their carries: x M = (xh 2^32 + xl)(mh 2^32 + ml), whose bits from 32 up collect
// (xl ml >> 32) + low32(xh ml) + low32(xl mh) (below 2^34: no overflow). Integer arithmetic only:
// the words of Random123's scalar Philox4x64-10 (Rng::block), bit for bit.
constexpr std::uint64_t kM64_0 = 0xD2E7470EE14C6C93ULL;
constexpr std::uint64_t kM64_1 = 0xCA5A826395121157ULL;
constexpr std::uint64_t kW64_0 = 0x9E3779B97F4A7C15ULL;
constexpr std::uint64_t kW64_1 = 0xBB67AE8584CAA73BULL;

__attribute__((target("avx512f"), always_inline)) inline void philox_product64(__m512i x, __m512i m_low, __m512i m_high, __m512i& high,
                                                                               __m512i& low) noexcept {
  const __m512i x_high = _mm512_srli_epi64(x, 32);
  const __m512i ll = _mm512_mul_epu32(x, m_low);  // vpmuludq reads the low 32 bits of each 64-bit lane
  const __m512i hl = _mm512_mul_epu32(x_high, m_low);
  const __m512i lh = _mm512_mul_epu32(x, m_high);
  const __m512i hh = _mm512_mul_epu32(x_high, m_high);
  const __m512i low32 = _mm512_set1_epi64(0xFFFFFFFFLL);
  const __m512i middle =
      _mm512_add_epi64(_mm512_add_epi64(_mm512_srli_epi64(ll, 32), _mm512_and_si512(hl, low32)), _mm512_and_si512(lh, low32));
  high = _mm512_add_epi64(_mm512_add_epi64(hh, _mm512_srli_epi64(hl, 32)),
                          _mm512_add_epi64(_mm512_srli_epi64(lh, 32), _mm512_srli_epi64(middle, 32)));
  low = _mm512_mask_blend_epi32(0xAAAA, ll, _mm512_slli_epi64(middle, 32));  // odd dwords: the middle's low half
}

// Four groups of eight lanes in flight: the ten rounds of one group are a chain of dependent
// multiplies, shifts and adds (one group at a time ran no faster than four scalar blocks in flight).
constexpr std::size_t kGroups = 4;

// Blocks (first + k, tick, purpose, index) for k < 8 kGroups n; out holds that many blocks.
__attribute__((target("avx512f"))) void philox4x64_entities_avx512(std::uint64_t first, std::uint64_t tick, std::uint64_t purpose,
                                                                   std::uint64_t index, std::uint64_t seed, std::uint64_t run,
                                                                   std::size_t n, RandomBlock* out) noexcept {
  const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i m0_low = _mm512_set1_epi64(static_cast<long long>(kM64_0));
  const __m512i m0_high = _mm512_set1_epi64(static_cast<long long>(kM64_0 >> 32));
  const __m512i m1_low = _mm512_set1_epi64(static_cast<long long>(kM64_1));
  const __m512i m1_high = _mm512_set1_epi64(static_cast<long long>(kM64_1 >> 32));
  for (std::size_t i = 0; i < n; ++i) {
    struct Words {  // word k of the group's eight blocks
      __m512i a, b, c, d;
    };
    std::array<Words, kGroups> x;
    for (std::size_t g = 0; g < kGroups; ++g) {
      const std::uint64_t group_first = first + 8 * (kGroups * i + g);
      x[g].a = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(group_first)), lanes);
      x[g].b = _mm512_set1_epi64(static_cast<long long>(tick));
      x[g].c = _mm512_set1_epi64(static_cast<long long>(purpose));
      x[g].d = _mm512_set1_epi64(static_cast<long long>(index));
    }
    std::uint64_t k0 = seed;
    std::uint64_t k1 = run;
    for (int round = 0; round < 10; ++round) {
      const __m512i key0 = _mm512_set1_epi64(static_cast<long long>(k0));
      const __m512i key1 = _mm512_set1_epi64(static_cast<long long>(k1));
#pragma GCC unroll 4
      for (std::size_t g = 0; g < kGroups; ++g) {
        __m512i high0;
        __m512i low0;
        __m512i high1;
        __m512i low1;
        Words& w = x[g];
        philox_product64(w.a, m0_low, m0_high, high0, low0);
        philox_product64(w.c, m1_low, m1_high, high1, low1);
        w.a = _mm512_ternarylogic_epi64(high1, w.b, key0, 0x96);  // three-way xor
        w.b = low1;
        w.c = _mm512_ternarylogic_epi64(high0, w.d, key1, 0x96);
        w.d = low0;
      }
      k0 += kW64_0;
      k1 += kW64_1;
    }
    // From four registers of one word each to eight blocks of four words: pairs (a, b) and
    // (c, d) of even and odd lanes, then each block's two pairs side by side.
    const __m512i low_pairs = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const __m512i high_pairs = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    for (std::size_t g = 0; g < kGroups; ++g) {
      const __m512i ab_even = _mm512_unpacklo_epi64(x[g].a, x[g].b);  // a0 b0 a2 b2 a4 b4 a6 b6
      const __m512i ab_odd = _mm512_unpackhi_epi64(x[g].a, x[g].b);   // a1 b1 a3 b3 ...
      const __m512i cd_even = _mm512_unpacklo_epi64(x[g].c, x[g].d);
      const __m512i cd_odd = _mm512_unpackhi_epi64(x[g].c, x[g].d);
      const __m512i blocks02 = _mm512_permutex2var_epi64(ab_even, low_pairs, cd_even);  // blocks 0, 2
      const __m512i blocks13 = _mm512_permutex2var_epi64(ab_odd, low_pairs, cd_odd);    // blocks 1, 3
      const __m512i blocks46 = _mm512_permutex2var_epi64(ab_even, high_pairs, cd_even);
      const __m512i blocks57 = _mm512_permutex2var_epi64(ab_odd, high_pairs, cd_odd);
      // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): a block is four contiguous words
      auto* to = reinterpret_cast<std::uint64_t*>(out + 8 * (kGroups * i + g));
      _mm512_storeu_si512(to, _mm512_shuffle_i64x2(blocks02, blocks13, 0x44));       // 128-bit lanes 0, 1 of each: blocks 0, 1
      _mm512_storeu_si512(to + 8, _mm512_shuffle_i64x2(blocks02, blocks13, 0xEE));   // lanes 2, 3: blocks 2, 3
      _mm512_storeu_si512(to + 16, _mm512_shuffle_i64x2(blocks46, blocks57, 0x44));  // blocks 4, 5
      _mm512_storeu_si512(to + 24, _mm512_shuffle_i64x2(blocks46, blocks57, 0xEE));  // blocks 6, 7
    }
  }
}

#pragma GCC diagnostic pop

bool cpu_has_avx512() noexcept {
  __builtin_cpu_init();  // needed before __builtin_cpu_supports in static initialisation
  return __builtin_cpu_supports("avx512f") != 0;
}
bool avx512_on = cpu_has_avx512();  // tests may turn the vectorised paths off (use_avx512)

void philox_lanes(std::uint32_t* __restrict x0, std::uint32_t* __restrict x1, std::uint32_t* __restrict x2, std::uint32_t* __restrict x3,
                  std::uint32_t k0, std::uint32_t k1, std::size_t n) noexcept {
  if (avx512_on) {
    philox_lanes_avx512(x0, x1, x2, x3, k0, k1, n);
  } else {
    philox_lanes_auto(x0, x1, x2, x3, k0, k1, n);
  }
}

}  // namespace

bool avx512_available() noexcept { return avx512_on; }

// Eight blocks a register (four registers in flight), or four at a time with independent multiply
// chains in flight (scalar); the tail one at a time.
void Rng::entity_blocks(std::uint64_t first, std::uint64_t tick, Purpose purpose, std::uint64_t index,
                        std::span<RandomBlock> out) const noexcept {
  const auto lane = static_cast<std::uint64_t>(purpose);
  std::size_t k = 0;
  if (avx512_on) {
    constexpr std::size_t kBlocks = 8 * kGroups;
    philox4x64_entities_avx512(first, tick, lane, index, seed_, run_, out.size() / kBlocks, out.data());
    k = out.size() / kBlocks * kBlocks;
  }
  const r123::Philox4x64::key_type key = {{seed_, run_}};
  constexpr std::size_t kInFlight = 4;
  for (; k + kInFlight <= out.size(); k += kInFlight) {
    std::array<r123::Philox4x64::ctr_type, kInFlight> results{};
#pragma GCC unroll 4
    for (std::size_t j = 0; j < kInFlight; ++j) results[j] = r123::Philox4x64{}({{first + k + j, tick, lane, index}}, key);
    for (std::size_t j = 0; j < kInFlight; ++j) out[k + j] = {results[j][0], results[j][1], results[j][2], results[j][3]};
  }
  for (; k < out.size(); ++k) out[k] = block(first + k, tick, purpose, index);
}

void use_avx512(bool on) noexcept { avx512_on = on && cpu_has_avx512(); }

std::array<std::uint32_t, 4> philox4x32_block(const std::array<std::uint32_t, 4>& counter,
                                              const std::array<std::uint32_t, 2>& key) noexcept {
  const r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const auto out = r123::Philox4x32{}(c, k);
  return {out[0], out[1], out[2], out[3]};
}

std::array<std::uint32_t, 4> event_block(std::uint64_t seed, std::uint64_t run_id, std::uint64_t tick, Purpose purpose,
                                         std::uint64_t event) noexcept {
  return philox4x32_block({static_cast<std::uint32_t>(event), static_cast<std::uint32_t>(tick), static_cast<std::uint32_t>(run_id),
                           static_cast<std::uint32_t>(static_cast<std::uint64_t>(purpose) + ((event >> 32) << 8))},
                          {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
}

void philox4x32_events(std::uint64_t seed, std::uint64_t run_id, std::uint64_t tick, Purpose purpose, std::uint64_t first,
                       std::size_t count, EventWords& out, std::size_t offset) noexcept {
  GLOCAL_ASSERT(offset % 16 == 0 && offset + count <= EventWords::kBatch, "a batch holds at most kBatch events, in groups of 16");
  GLOCAL_ASSERT(run_id < (std::uint64_t{1} << 32) && tick < (std::uint64_t{1} << 32) && first + count < (std::uint64_t{1} << 56),
                "Philox4x32 counters: run ids and ticks below 2^32, events per tick below 2^56");
  const std::uint64_t last = first + count - 1;
  if (avx512_on && count > 0 && (first >> 32) == (last >> 32)) {  // one purpose word for the whole batch
    philox_events_avx512(static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(tick), static_cast<std::uint32_t>(run_id),
                         static_cast<std::uint32_t>(static_cast<std::uint64_t>(purpose) + ((first >> 32) << 8)),
                         static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), count, out, offset);
    return;
  }
  // Whole groups of 16 lanes, like the AVX-512 path (lanes past `count` hold the next events' words).
  const std::size_t lanes = std::min(EventWords::kBatch - offset, (count + 15) / 16 * 16);
  auto& w = out.words;
  for (std::size_t i = 0; i < lanes; ++i) {
    const std::uint64_t event = first + i;
    w[0][offset + i] = static_cast<std::uint32_t>(event);
    w[1][offset + i] = static_cast<std::uint32_t>(tick);
    w[2][offset + i] = static_cast<std::uint32_t>(run_id);
    w[3][offset + i] = static_cast<std::uint32_t>(static_cast<std::uint64_t>(purpose) + ((event >> 32) << 8));
  }
  philox_lanes(w[0].data() + offset, w[1].data() + offset, w[2].data() + offset, w[3].data() + offset, static_cast<std::uint32_t>(seed),
               static_cast<std::uint32_t>(seed >> 32), lanes);
}

double normal_from_words(std::uint64_t first, std::uint64_t second) noexcept {
  const double radius = std::sqrt(-2.0 * std::log(1.0 - uniform_unit(first)));
  return radius * std::cos(6.283185307179586 * uniform_unit(second));
}

std::uint64_t poisson_from_unit(double unit, double mean) noexcept {
  // Sequential search on the cumulative distribution (Devroye 1986, X.3.3).
  double p = std::exp(-mean);
  double cumulative = p;
  std::uint64_t k = 0;
  while (unit >= cumulative && p > 0.0) {
    ++k;
    p *= mean / static_cast<double>(k);
    cumulative += p;
  }
  return k;
}

}  // namespace glocal
