#pragma once
// A small vocabulary of lanes for the wide kernels, written twice with the same names: over
// AVX-512 registers (namespace lanes::avx512, each operation one or a few instructions, compiled
// for AVX-512 F, BW and CD) and over arrays, one lane at a time (namespace lanes::portable, any
// machine). A kernel is written once over the names and compiled once per set (a file included in
// each set's namespace, as simdjson and Highway build their per-ISA kernels); the tests run the
// portable build against the scalar rule on every machine, so a machine without AVX-512 runs the
// same code path as one with it. Each operation states its contract; the portable one is its
// reference (tests/unit/core/lanes_test.cpp checks every AVX-512 operation against it).
//
// Two kinds of lanes: U64x8 (eight 64-bit lanes; also read as eight rows of eight bytes) and
// U32x16 (sixteen 32-bit lanes). A Mask holds one bit per lane, lane k in bit k.
#include <array>
#include <cstdint>
#include <cstring>

#include <immintrin.h>

namespace glocal::lanes {

using Mask = std::uint32_t;

namespace portable {

struct U64x8 {
  std::array<std::uint64_t, 8> v;
};
struct U32x16 {
  std::array<std::uint32_t, 16> v;
};

/// The lanes k where pred(a[k], b[k]) holds.
template <typename Lanes, typename Pred>
inline Mask mask_where(const Lanes& a, const Lanes& b, Pred pred) noexcept {
  Mask m = 0;
  for (std::size_t k = 0; k < a.v.size(); ++k) m |= static_cast<Mask>(pred(a.v[k], b.v[k])) << k;
  return m;
}

/// Every lane x.
inline U64x8 splat64(std::uint64_t x) noexcept {
  U64x8 r{};
  r.v.fill(x);
  return r;
}
/// Eight words from `p` (no alignment needed).
inline U64x8 load64(const std::uint64_t* p) noexcept {
  U64x8 r{};
  std::memcpy(r.v.data(), p, sizeof(r.v));
  return r;
}
/// Eight words to `p` (64-byte aligned).
inline void store64(std::uint64_t* p, const U64x8& a) noexcept { std::memcpy(p, a.v.data(), sizeof(a.v)); }
/// Lane k: the eight bytes at base + at[k] (no alignment needed).
inline U64x8 gather64(const std::uint8_t* base, const U64x8& at) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) std::memcpy(&r.v[k], base + at.v[k], 8);
  return r;
}
template <typename Op>
inline U64x8 each(const U64x8& a, const U64x8& b, Op op) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) r.v[k] = op(a.v[k], b.v[k]);
  return r;
}
inline U64x8 operator^(const U64x8& a, const U64x8& b) noexcept {
  return each(a, b, [](std::uint64_t x, std::uint64_t y) { return x ^ y; });
}
inline U64x8 operator&(const U64x8& a, const U64x8& b) noexcept {
  return each(a, b, [](std::uint64_t x, std::uint64_t y) { return x & y; });
}
/// Lane-wise sum and difference, modulo 2^64.
inline U64x8 operator+(const U64x8& a, const U64x8& b) noexcept {
  return each(a, b, [](std::uint64_t x, std::uint64_t y) { return x + y; });
}
inline U64x8 operator-(const U64x8& a, const U64x8& b) noexcept {
  return each(a, b, [](std::uint64_t x, std::uint64_t y) { return x - y; });
}
template <int Bits>
inline U64x8 shift_right(const U64x8& a) noexcept {
  return each(a, a, [](std::uint64_t x, std::uint64_t) { return x >> Bits; });
}
/// The larger of each pair, unsigned.
inline U64x8 max_u64(const U64x8& a, const U64x8& b) noexcept {
  return each(a, b, [](std::uint64_t x, std::uint64_t y) { return x > y ? x : y; });
}
/// The product of the low 32 bits of each pair, in 64 bits.
inline U64x8 mul32(const U64x8& a, const U64x8& b) noexcept {
  return each(a, b, [](std::uint64_t x, std::uint64_t y) { return (x & 0xFFFFFFFFU) * (y & 0xFFFFFFFFU); });
}
/// Lanes 8 half .. 8 half + 7 of `w`, zero-extended to 64 bits (half 0 or 1).
inline U64x8 widen(const U32x16& w, int half) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) r.v[k] = w.v[8 * static_cast<std::size_t>(half) + k];
  return r;
}
/// The lanes where a < b, unsigned.
inline Mask less_u64(const U64x8& a, const U64x8& b) noexcept {
  return mask_where(a, b, [](std::uint64_t x, std::uint64_t y) { return x < y; });
}
/// The lanes equal to x.
inline Mask equal_u64(const U64x8& a, std::uint64_t x) noexcept {
  return mask_where(a, splat64(x), [](std::uint64_t y, std::uint64_t z) { return y == z; });
}
/// Lane k: b + c where `mask` has lane k, a otherwise.
inline U64x8 masked_add(const U64x8& a, Mask mask, const U64x8& b, const U64x8& c) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) r.v[k] = ((mask >> k) & 1U) != 0 ? b.v[k] + c.v[k] : a.v[k];
  return r;
}

// Lanes as rows of eight bytes (byte b of a lane: its bits 8b .. 8b + 7).
template <typename Op>
inline U64x8 each_byte(const U64x8& a, const U64x8& b, Op op) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) {
    for (unsigned byte = 0; byte < 8; ++byte) {
      const auto x = static_cast<std::uint8_t>(a.v[k] >> (8 * byte));
      const auto y = static_cast<std::uint8_t>(b.v[k] >> (8 * byte));
      r.v[k] |= std::uint64_t{static_cast<std::uint8_t>(op(x, y))} << (8 * byte);
    }
  }
  return r;
}
/// Each byte: 1 where the byte is not zero, else 0.
inline U64x8 nonzero_bytes(const U64x8& a) noexcept {
  return each_byte(a, a, [](std::uint8_t x, std::uint8_t) { return x != 0 ? 1 : 0; });
}
/// Byte-wise sum, modulo 256.
inline U64x8 add_bytes(const U64x8& a, const U64x8& b) noexcept {
  return each_byte(a, b, [](std::uint8_t x, std::uint8_t y) { return x + y; });
}
/// Each lane: the sum of its eight bytes.
inline U64x8 byte_sums(const U64x8& a) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) {
    for (unsigned byte = 0; byte < 8; ++byte) r.v[k] += (a.v[k] >> (8 * byte)) & 0xFFU;
  }
  return r;
}
/// Byte b of each lane: the sum of the lane's bytes 0 .. b, modulo 256.
inline U64x8 byte_prefix_sums(const U64x8& a) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) {
    std::uint8_t sum = 0;
    for (unsigned byte = 0; byte < 8; ++byte) {
      sum = static_cast<std::uint8_t>(sum + ((a.v[k] >> (8 * byte)) & 0xFFU));
      r.v[k] |= std::uint64_t{sum} << (8 * byte);
    }
  }
  return r;
}
/// Every byte of each lane: the lane's byte 0.
inline U64x8 splat_byte0(const U64x8& a) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) r.v[k] = (a.v[k] & 0xFFU) * 0x0101010101010101ULL;
  return r;
}
/// Each lane: how many of its bytes are at most the low byte of the same lane of `limit`.
inline U64x8 count_bytes_at_most(const U64x8& a, const U64x8& limit) noexcept {
  U64x8 r{};
  for (std::size_t k = 0; k < 8; ++k) {
    for (unsigned byte = 0; byte < 8; ++byte) r.v[k] += ((a.v[k] >> (8 * byte)) & 0xFFU) <= (limit.v[k] & 0xFFU) ? 1 : 0;
  }
  return r;
}
/// u mod d for u < 256 and 1 <= d <= 15; where d is 0 or 16, u itself.
inline U64x8 remainder_small(const U64x8& u, const U64x8& d) noexcept {
  return each(u, d, [](std::uint64_t x, std::uint64_t y) { return y % 16 == 0 ? x : x % y; });
}

/// Every lane x.
inline U32x16 splat32(std::uint32_t x) noexcept {
  U32x16 r{};
  r.v.fill(x);
  return r;
}
/// Sixteen words from `p` (no alignment needed).
inline U32x16 load32(const std::uint32_t* p) noexcept {
  U32x16 r{};
  std::memcpy(r.v.data(), p, sizeof(r.v));
  return r;
}
/// Sixteen words to `p` (64-byte aligned).
inline void store32(std::uint32_t* p, const U32x16& a) noexcept { std::memcpy(p, a.v.data(), sizeof(a.v)); }
inline U32x16 operator&(const U32x16& a, const U32x16& b) noexcept {
  U32x16 r{};
  for (std::size_t k = 0; k < 16; ++k) r.v[k] = a.v[k] & b.v[k];
  return r;
}
/// The low 32 bits of the lanes of `low` (lanes 0-7) and `high` (lanes 8-15).
inline U32x16 narrow(const U64x8& low, const U64x8& high) noexcept {
  U32x16 r{};
  for (std::size_t k = 0; k < 8; ++k) {
    r.v[k] = static_cast<std::uint32_t>(low.v[k]);
    r.v[8 + k] = static_cast<std::uint32_t>(high.v[k]);
  }
  return r;
}
/// Lanes 0-7: half A of `a` (its lanes 8A .. 8A + 7); lanes 8-15: half B of `b`.
template <int A, int B>
inline U32x16 halves(const U32x16& a, const U32x16& b) noexcept {
  U32x16 r{};
  for (std::size_t k = 0; k < 8; ++k) {
    r.v[k] = a.v[8 * A + k];
    r.v[8 + k] = b.v[8 * B + k];
  }
  return r;
}
/// Lane k: bit j set for each earlier lane j < k equal to lane k.
inline U32x16 earlier_equal(const U32x16& a) noexcept {
  U32x16 r{};
  for (std::size_t k = 0; k < 16; ++k) {
    for (std::size_t j = 0; j < k; ++j) r.v[k] |= static_cast<std::uint32_t>(a.v[j] == a.v[k]) << j;
  }
  return r;
}
/// The lanes where a and b share a set bit.
inline Mask any_common(const U32x16& a, const U32x16& b) noexcept {
  return mask_where(a, b, [](std::uint32_t x, std::uint32_t y) { return (x & y) != 0; });
}

// Sixteen 32-bit lanes as numbers (all unsigned, modulo 2^32).
template <typename Op>
inline U32x16 each32(const U32x16& a, const U32x16& b, Op op) noexcept {
  U32x16 r{};
  for (std::size_t k = 0; k < 16; ++k) r.v[k] = static_cast<std::uint32_t>(op(a.v[k], b.v[k]));
  return r;
}
inline U32x16 operator+(const U32x16& a, const U32x16& b) noexcept {
  return each32(a, b, [](std::uint32_t x, std::uint32_t y) { return x + y; });
}
inline U32x16 operator-(const U32x16& a, const U32x16& b) noexcept {
  return each32(a, b, [](std::uint32_t x, std::uint32_t y) { return x - y; });
}
/// The low 32 bits of each product.
inline U32x16 operator*(const U32x16& a, const U32x16& b) noexcept {
  return each32(a, b, [](std::uint32_t x, std::uint32_t y) { return x * y; });
}
template <int Bits>
inline U32x16 shift_right32(const U32x16& a) noexcept {
  return each32(a, a, [](std::uint32_t x, std::uint32_t) { return x >> Bits; });
}
/// The lanes where a < b.
inline Mask less_u32(const U32x16& a, const U32x16& b) noexcept {
  return mask_where(a, b, [](std::uint32_t x, std::uint32_t y) { return x < y; });
}
/// The lanes where a >= b.
inline Mask at_least_u32(const U32x16& a, const U32x16& b) noexcept {
  return mask_where(a, b, [](std::uint32_t x, std::uint32_t y) { return x >= y; });
}
/// The lanes where a == b.
inline Mask equal_u32(const U32x16& a, const U32x16& b) noexcept {
  return mask_where(a, b, [](std::uint32_t x, std::uint32_t y) { return x == y; });
}
/// Lane k: b where `mask` has lane k, a otherwise.
inline U32x16 blend(Mask mask, const U32x16& a, const U32x16& b) noexcept {
  U32x16 r{};
  for (std::size_t k = 0; k < 16; ++k) r.v[k] = ((mask >> k) & 1U) != 0 ? b.v[k] : a.v[k];
  return r;
}
/// Lane k: a where `mask` has lane k, 0 otherwise.
inline U32x16 zero_unless(Mask mask, const U32x16& a) noexcept { return blend(mask, splat32(0), a); }
/// Lane k: b + c where `mask` has lane k, a otherwise.
inline U32x16 masked_add(const U32x16& a, Mask mask, const U32x16& b, const U32x16& c) noexcept { return blend(mask, a, b + c); }
/// Lane k: b - c where `mask` has lane k, a otherwise.
inline U32x16 masked_sub(const U32x16& a, Mask mask, const U32x16& b, const U32x16& c) noexcept { return blend(mask, a, b - c); }
/// n / d, exactly, for d the same in every lane and at least 1 (`inverse`: 1/d in double
/// precision, which the AVX-512 set multiplies by).
inline U32x16 quotient(const U32x16& n, const U32x16& d, double /*inverse*/) noexcept {
  return each32(n, d, [](std::uint32_t x, std::uint32_t y) { return x / y; });
}
/// Lemire's product of each word by n (every lane of `n` the same, below 2^32): the high 32 bits
/// (a draw below n), and in `low` the low 32 bits (which decide a rejection).
inline U32x16 multiply_wide(const U32x16& w, const U64x8& n, U32x16& low) noexcept {
  U32x16 high{};
  for (std::size_t k = 0; k < 16; ++k) {
    const std::uint64_t m = std::uint64_t{w.v[k]} * n.v[0];
    high.v[k] = static_cast<std::uint32_t>(m >> 32);
    low.v[k] = static_cast<std::uint32_t>(m);
  }
  return high;
}

}  // namespace portable

/// What the AVX-512 set needs of the CPU (beyond what it compiles for).
#define GLOCAL_LANES_AVX512_TARGET "avx512f,avx512bw,avx512cd,popcnt"

namespace avx512 {

#define GLOCAL_LANE __attribute__((target(GLOCAL_LANES_AVX512_TARGET), always_inline)) inline

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12, inside its own intrinsics
#pragma GCC diagnostic ignored "-Wuninitialized"

struct U64x8 {
  __m512i v;
};
struct U32x16 {
  __m512i v;
};

GLOCAL_LANE U64x8 splat64(std::uint64_t x) noexcept { return {_mm512_set1_epi64(static_cast<long long>(x))}; }
GLOCAL_LANE U64x8 load64(const std::uint64_t* p) noexcept { return {_mm512_loadu_si512(p)}; }
GLOCAL_LANE void store64(std::uint64_t* p, const U64x8& a) noexcept { _mm512_store_si512(p, a.v); }
GLOCAL_LANE U64x8 gather64(const std::uint8_t* base, const U64x8& at) noexcept { return {_mm512_i64gather_epi64(at.v, base, 1)}; }
GLOCAL_LANE U64x8 operator^(const U64x8& a, const U64x8& b) noexcept { return {_mm512_xor_si512(a.v, b.v)}; }
GLOCAL_LANE U64x8 operator&(const U64x8& a, const U64x8& b) noexcept { return {_mm512_and_si512(a.v, b.v)}; }
GLOCAL_LANE U64x8 operator+(const U64x8& a, const U64x8& b) noexcept { return {_mm512_add_epi64(a.v, b.v)}; }
GLOCAL_LANE U64x8 operator-(const U64x8& a, const U64x8& b) noexcept { return {_mm512_sub_epi64(a.v, b.v)}; }
template <int Bits>
GLOCAL_LANE U64x8 shift_right(const U64x8& a) noexcept {
  return {_mm512_srli_epi64(a.v, Bits)};
}
GLOCAL_LANE U64x8 max_u64(const U64x8& a, const U64x8& b) noexcept { return {_mm512_max_epu64(a.v, b.v)}; }
GLOCAL_LANE U64x8 mul32(const U64x8& a, const U64x8& b) noexcept { return {_mm512_mul_epu32(a.v, b.v)}; }
GLOCAL_LANE U64x8 widen(const U32x16& w, int half) noexcept {
  return {_mm512_cvtepu32_epi64(half == 0 ? _mm512_castsi512_si256(w.v) : _mm512_extracti64x4_epi64(w.v, 1))};
}
GLOCAL_LANE Mask less_u64(const U64x8& a, const U64x8& b) noexcept { return _mm512_cmplt_epu64_mask(a.v, b.v); }
GLOCAL_LANE Mask equal_u64(const U64x8& a, std::uint64_t x) noexcept {
  return _mm512_cmpeq_epi64_mask(a.v, _mm512_set1_epi64(static_cast<long long>(x)));
}
GLOCAL_LANE U64x8 masked_add(const U64x8& a, Mask mask, const U64x8& b, const U64x8& c) noexcept {
  return {_mm512_mask_add_epi64(a.v, static_cast<__mmask8>(mask), b.v, c.v)};
}

GLOCAL_LANE U64x8 nonzero_bytes(const U64x8& a) noexcept {
  return {_mm512_maskz_mov_epi8(_mm512_test_epi8_mask(a.v, a.v), _mm512_set1_epi8(1))};
}
GLOCAL_LANE U64x8 add_bytes(const U64x8& a, const U64x8& b) noexcept { return {_mm512_add_epi8(a.v, b.v)}; }
GLOCAL_LANE U64x8 byte_sums(const U64x8& a) noexcept { return {_mm512_sad_epu8(a.v, _mm512_setzero_si512())}; }
GLOCAL_LANE U64x8 byte_prefix_sums(const U64x8& a) noexcept {
  __m512i c = _mm512_add_epi8(a.v, _mm512_slli_epi64(a.v, 8));
  c = _mm512_add_epi8(c, _mm512_slli_epi64(c, 16));
  return {_mm512_add_epi8(c, _mm512_slli_epi64(c, 32))};
}
/// Within each 128-bit lane, bytes 0-7 from byte 0 and bytes 8-15 from byte 8.
GLOCAL_LANE __m512i spread_byte0(__m512i a) noexcept { return _mm512_shuffle_epi8(a, _mm512_set4_epi32(0x08080808, 0x08080808, 0, 0)); }
GLOCAL_LANE U64x8 splat_byte0(const U64x8& a) noexcept { return {spread_byte0(a.v)}; }
GLOCAL_LANE U64x8 count_bytes_at_most(const U64x8& a, const U64x8& limit) noexcept {
  const __m512i at_most = _mm512_maskz_mov_epi8(_mm512_cmple_epu8_mask(a.v, spread_byte0(limit.v)), _mm512_set1_epi8(1));
  return {_mm512_sad_epu8(at_most, _mm512_setzero_si512())};
}
GLOCAL_LANE U64x8 remainder_small(const U64x8& u, const U64x8& d) noexcept {
  // 1/d in single precision for d = 0..15 (0 for d = 0; d = 16 takes lane 0): floor((u + 1/2) / d)
  // is at least 1/(2d) from the next integer (u < 256), far more than the rounding of 1/d, so it
  // is u's quotient.
  const __m512 reciprocal = _mm512_setr_ps(0.0F, 1.0F, 1.0F / 2, 1.0F / 3, 1.0F / 4, 1.0F / 5, 1.0F / 6, 1.0F / 7, 1.0F / 8, 1.0F / 9,
                                           1.0F / 10, 1.0F / 11, 1.0F / 12, 1.0F / 13, 1.0F / 14, 1.0F / 15);
  const __m256i d32 = _mm512_cvtepi64_epi32(d.v);
  const __m256i u32 = _mm512_cvtepi64_epi32(u.v);
  const __m256 quotient =
      _mm256_floor_ps(_mm256_mul_ps(_mm256_add_ps(_mm256_cvtepi32_ps(u32), _mm256_set1_ps(0.5F)),
                                    _mm512_castps512_ps256(_mm512_permutexvar_ps(_mm512_castsi256_si512(d32), reciprocal))));
  return {_mm512_cvtepu32_epi64(_mm256_sub_epi32(u32, _mm256_mullo_epi32(_mm256_cvttps_epi32(quotient), d32)))};
}

GLOCAL_LANE U32x16 splat32(std::uint32_t x) noexcept { return {_mm512_set1_epi32(static_cast<int>(x))}; }
GLOCAL_LANE U32x16 load32(const std::uint32_t* p) noexcept { return {_mm512_loadu_si512(p)}; }
GLOCAL_LANE void store32(std::uint32_t* p, const U32x16& a) noexcept { _mm512_store_si512(p, a.v); }
GLOCAL_LANE U32x16 operator&(const U32x16& a, const U32x16& b) noexcept { return {_mm512_and_si512(a.v, b.v)}; }
GLOCAL_LANE U32x16 narrow(const U64x8& low, const U64x8& high) noexcept {
  return {_mm512_inserti64x4(_mm512_castsi256_si512(_mm512_cvtepi64_epi32(low.v)), _mm512_cvtepi64_epi32(high.v), 1)};
}
template <int A, int B>
GLOCAL_LANE U32x16 halves(const U32x16& a, const U32x16& b) noexcept {
  return {_mm512_shuffle_i64x2(a.v, b.v, (2 * A) | ((2 * A + 1) << 2) | ((2 * B) << 4) | ((2 * B + 1) << 6))};
}
GLOCAL_LANE U32x16 earlier_equal(const U32x16& a) noexcept { return {_mm512_conflict_epi32(a.v)}; }
GLOCAL_LANE Mask any_common(const U32x16& a, const U32x16& b) noexcept { return _mm512_test_epi32_mask(a.v, b.v); }

GLOCAL_LANE U32x16 operator+(const U32x16& a, const U32x16& b) noexcept { return {_mm512_add_epi32(a.v, b.v)}; }
GLOCAL_LANE U32x16 operator-(const U32x16& a, const U32x16& b) noexcept { return {_mm512_sub_epi32(a.v, b.v)}; }
GLOCAL_LANE U32x16 operator*(const U32x16& a, const U32x16& b) noexcept { return {_mm512_mullo_epi32(a.v, b.v)}; }
template <int Bits>
GLOCAL_LANE U32x16 shift_right32(const U32x16& a) noexcept {
  return {_mm512_srli_epi32(a.v, Bits)};
}
GLOCAL_LANE Mask less_u32(const U32x16& a, const U32x16& b) noexcept { return _mm512_cmplt_epu32_mask(a.v, b.v); }
GLOCAL_LANE Mask at_least_u32(const U32x16& a, const U32x16& b) noexcept { return _mm512_cmpge_epu32_mask(a.v, b.v); }
GLOCAL_LANE Mask equal_u32(const U32x16& a, const U32x16& b) noexcept { return _mm512_cmpeq_epi32_mask(a.v, b.v); }
GLOCAL_LANE U32x16 blend(Mask mask, const U32x16& a, const U32x16& b) noexcept {
  return {_mm512_mask_blend_epi32(static_cast<__mmask16>(mask), a.v, b.v)};
}
GLOCAL_LANE U32x16 zero_unless(Mask mask, const U32x16& a) noexcept { return {_mm512_maskz_mov_epi32(static_cast<__mmask16>(mask), a.v)}; }
GLOCAL_LANE U32x16 masked_add(const U32x16& a, Mask mask, const U32x16& b, const U32x16& c) noexcept {
  return {_mm512_mask_add_epi32(a.v, static_cast<__mmask16>(mask), b.v, c.v)};
}
GLOCAL_LANE U32x16 masked_sub(const U32x16& a, Mask mask, const U32x16& b, const U32x16& c) noexcept {
  return {_mm512_mask_sub_epi32(a.v, static_cast<__mmask16>(mask), b.v, c.v)};
}
GLOCAL_LANE __m256i quotient_half(__m256i n, __m256i d, __m512d inverse) noexcept {
  // The quotient in double precision is within one of the true one; the remainder, exact in
  // 64-bit lanes (|n - q d| < 2^33), says which way to step. (In 32-bit lanes it is not: a
  // signed remainder misreads every n of 2^31 or more.)
  const __m512i one = _mm512_set1_epi64(1);
  const __m512i wide_n = _mm512_cvtepu32_epi64(n);
  const __m512i wide_d = _mm512_cvtepu32_epi64(d);
  __m512i q = _mm512_cvtepu32_epi64(_mm512_cvttpd_epu32(_mm512_mul_pd(_mm512_cvtepu32_pd(n), inverse)));
  __m512i r = _mm512_sub_epi64(wide_n, _mm512_mul_epu32(q, wide_d));
  const __mmask8 below = _mm512_cmplt_epi64_mask(r, _mm512_setzero_si512());
  q = _mm512_mask_sub_epi64(q, below, q, one);
  r = _mm512_mask_add_epi64(r, below, r, wide_d);
  return _mm512_cvtepi64_epi32(_mm512_mask_add_epi64(q, _mm512_cmpge_epi64_mask(r, wide_d), q, one));
}
GLOCAL_LANE U32x16 quotient(const U32x16& n, const U32x16& d, double inverse) noexcept {
  const __m512d by = _mm512_set1_pd(inverse);
  const __m256i low = quotient_half(_mm512_castsi512_si256(n.v), _mm512_castsi512_si256(d.v), by);
  const __m256i high = quotient_half(_mm512_extracti64x4_epi64(n.v, 1), _mm512_extracti64x4_epi64(d.v, 1), by);
  return {_mm512_inserti64x4(_mm512_castsi256_si512(low), high, 1)};
}
GLOCAL_LANE U32x16 multiply_wide(const U32x16& w, const U64x8& n, U32x16& low) noexcept {
  const __m512i even = _mm512_mul_epu32(w.v, n.v);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(w.v, 32), n.v);
  low.v = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  return {_mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd)};
}

#pragma GCC diagnostic pop
#undef GLOCAL_LANE

}  // namespace avx512

/// Whether this CPU runs the AVX-512 set.
[[nodiscard]] inline bool cpu_has_avx512_lanes() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0 && __builtin_cpu_supports("avx512cd") != 0 &&
         __builtin_cpu_supports("popcnt") != 0;
}

}  // namespace glocal::lanes
