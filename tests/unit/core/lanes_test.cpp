// The lane vocabulary (core/lanes.hpp): the portable set against hand-worked cases, and the
// AVX-512 set against the portable one, operation by operation, on random inputs (where the CPU
// has AVX-512 F, BW and CD).
#include "core/lanes.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace glocal::lanes {
namespace {

struct Inputs {
  std::array<std::uint64_t, 8> a{};
  std::array<std::uint64_t, 8> b{};
  std::array<std::uint64_t, 8> bytes{};    ///< bytes of 0 to 8, many 0
  std::array<std::uint64_t, 8> small{};    ///< values below 256
  std::array<std::uint64_t, 8> divisor{};  ///< 0 to 16
  std::array<std::uint64_t, 8> at{};       ///< offsets into column
  std::array<std::uint32_t, 16> rows{};    ///< few distinct values: many equal lanes
  std::array<std::uint32_t, 16> other{};
  std::array<std::uint32_t, 16> numbers{};     ///< any 32-bit values
  std::array<std::uint32_t, 16> rows_again{};  ///< rows, some lanes changed
  std::uint32_t divisor32 = 1;                 ///< at least 1
  std::array<std::uint8_t, 200> column{};
  std::uint64_t x = 0;
  std::uint32_t mask = 0;
};
using Results = std::vector<std::pair<const char*, std::vector<std::uint64_t>>>;

namespace with_portable {
using namespace lanes::portable;
#define GLOCAL_TEST_TARGET
#include "unit/core/lanes_all_operations.hpp"  // IWYU pragma: keep
#undef GLOCAL_TEST_TARGET
}  // namespace with_portable

namespace with_avx512 {
using namespace lanes::avx512;
#define GLOCAL_TEST_TARGET __attribute__((target(GLOCAL_LANES_AVX512_TARGET)))
#include "unit/core/lanes_all_operations.hpp"  // IWYU pragma: keep
#undef GLOCAL_TEST_TARGET
}  // namespace with_avx512

std::uint64_t split_mix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Inputs random_inputs(std::uint64_t seed) {
  std::uint64_t s = seed;
  Inputs in;
  for (std::size_t k = 0; k < 8; ++k) {
    in.a[k] = split_mix(s);
    in.b[k] = k == 3 ? in.a[k] : split_mix(s);  // one equal pair
    for (unsigned byte = 0; byte < 8; ++byte) {
      const std::uint64_t r = split_mix(s) % 16;
      in.bytes[k] |= (r < 8 ? 0 : r - 7) << (8 * byte);
    }
    in.small[k] = split_mix(s) % 256;
    in.divisor[k] = split_mix(s) % 17;
    in.at[k] = split_mix(s) % (in.column.size() - 8);
  }
  for (std::size_t k = 0; k < 16; ++k) {
    in.rows[k] = static_cast<std::uint32_t>(split_mix(s) % 5);
    in.other[k] = static_cast<std::uint32_t>(split_mix(s));
  }
  for (std::size_t k = 0; k < 16; ++k) {
    in.numbers[k] = static_cast<std::uint32_t>(split_mix(s));
    in.rows_again[k] = split_mix(s) % 4 == 0 ? in.rows[k] + 1 : in.rows[k];
  }
  const std::uint64_t pick = split_mix(s) % 3;  // small, middling and large divisors (sides, cells, N)
  in.divisor32 = 1 + static_cast<std::uint32_t>(split_mix(s) % (pick == 0 ? 64 : pick == 1 ? 100000 : 0xFFFFFFFEULL));
  for (auto& c : in.column) c = static_cast<std::uint8_t>(split_mix(s));
  in.x = split_mix(s);
  in.mask = static_cast<std::uint32_t>(split_mix(s));
  return in;
}

const std::vector<std::uint64_t>& result(const Results& results, const char* name) {
  for (const auto& [n, values] : results) {
    if (std::string_view(n) == name) return values;
  }
  ADD_FAILURE() << "no result " << name;
  static const std::vector<std::uint64_t> kNone;
  return kNone;
}

TEST(Lanes, ThePortableSetDoesWhatEachOperationStates) {
  Inputs in;
  in.a = {0x0102030405060708ULL, 0, 0xFFFFFFFFFFFFFFFFULL, 0x00FF00FF00FF00FFULL, 300, 1, 2, 3};
  in.b = {1, 0, 1, 0x0100010001000100ULL, 200, 1, 5, 3};
  in.bytes = {0x0001000200000300ULL, 0, 0x0808080808080808ULL, 1, 2, 3, 4, 5};
  in.small = {200, 7, 0, 255, 13, 100, 9, 31};
  in.divisor = {7, 0, 3, 16, 13, 1, 15, 4};
  in.rows = {5, 1, 5, 2, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
  in.other = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768};
  for (std::size_t i = 0; i < in.column.size(); ++i) in.column[i] = static_cast<std::uint8_t>(i);
  in.at[0] = 10;
  in.mask = 0b10;
  Results out;
  with_portable::all_operations(in, out);
  using V = std::vector<std::uint64_t>;
  EXPECT_EQ(result(out, "gather64")[0], 0x11100F0E0D0C0B0AULL);  // bytes 10..17, little-endian
  EXPECT_EQ(result(out, "mul32")[4], 60000U);
  EXPECT_EQ(result(out, "mul32")[2], 0xFFFFFFFFULL);  // the low 32 bits only
  EXPECT_EQ(result(out, "less_u64"), V{0x48});        // lanes 3 and 6
  EXPECT_EQ(result(out, "masked_add")[0], in.a[0]);
  EXPECT_EQ(result(out, "masked_add")[1], 7U);                           // b + small in lane 1
  EXPECT_EQ(result(out, "nonzero_bytes")[0], 0x0001000100000100ULL);     // bytes 1, 4 and 6 were not zero
  EXPECT_EQ(result(out, "add_bytes")[2], 0xFFFFFFFFFFFFFF00ULL);         // 0xFF + 1 wraps in its byte
  EXPECT_EQ(result(out, "byte_sums")[0], 36U);                           // 8 + 7 + ... + 1
  EXPECT_EQ(result(out, "byte_sums")[2], 8U * 255);                      // wider than a byte
  EXPECT_EQ(result(out, "byte_prefix_sums")[0], 0x2423211E1A150F08ULL);  // 8, 15, 21, ..., 36
  EXPECT_EQ(result(out, "byte_prefix_sums")[2], 0xF8F9FAFBFCFDFEFFULL);  // modulo 256
  EXPECT_EQ(result(out, "splat_byte0")[0], 0x0808080808080808ULL);
  EXPECT_EQ(result(out, "count_bytes_at_most wide limit"), (V{1, 8, 0, 4, 8, 8, 8, 8}));
  EXPECT_EQ(result(out, "remainder_small"), (V{4, 7, 0, 255, 0, 0, 9, 3}));  // d = 0 and 16 give u
  EXPECT_EQ(result(out, "narrow")[2], 0xFFFFFFFFU);
  EXPECT_EQ(result(out, "narrow")[8], 1U);
  EXPECT_EQ(result(out, "widen 1")[0], 256U);
  EXPECT_EQ(result(out, "halves<1, 0>"), (V{0, 0, 0, 0, 0, 0, 0, 9, 1, 2, 4, 8, 16, 32, 64, 128}));
  EXPECT_EQ(result(out, "earlier_equal"), (V{0, 0, 1, 0, 2, 5, 0, 0x40, 0xC0, 0x1C0, 0x3C0, 0x7C0, 0xFC0, 0x1FC0, 0x3FC0, 0}));
  EXPECT_EQ(result(out, "any_common"), V{5});  // lanes 0 and 2
  // 32-bit lanes as numbers.
  in.numbers = {100, 0xFFFFFFFFU, 5, 7, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  in.rows_again = in.rows;
  in.rows_again[3] = 99;
  in.divisor32 = 7;
  in.mask = 0x00030001U;  // blend: lane 0; masked: lanes 0 and 1
  Results more;
  with_portable::all_operations(in, more);
  EXPECT_EQ(result(more, "quotient")[0], 14U);              // 100 / 7
  EXPECT_EQ(result(more, "quotient")[1], 0xFFFFFFFFU / 7);  // the largest numerator
  EXPECT_EQ(result(more, "plus32")[1], 1U);                 // 0xFFFFFFFF + 2 wraps
  EXPECT_EQ(result(more, "equal_u32"), V{0xFFF7});          // all but lane 3
  EXPECT_EQ(result(more, "blend")[0], 1U);                  // other's lane 0
  EXPECT_EQ(result(more, "blend")[1], 0xFFFFFFFFU);         // numbers' lane 1
  EXPECT_EQ(result(more, "zero_unless")[1], 0U);
  EXPECT_EQ(result(more, "masked_sub32")[1], 2U - 1U);  // other - rows in lane 1
  EXPECT_EQ(result(more, "masked_sub32")[2], 5U);       // numbers elsewhere
  EXPECT_EQ(result(more, "multiply_wide")[15], (std::uint64_t{32768} * 7) >> 32);
  EXPECT_EQ(result(more, "multiply_wide low")[15], std::uint64_t{32768} * 7);
  EXPECT_EQ(result(more, "less_u32")[0] & 0x3U, 0x0U);  // 100 < 1? no; 0xFFFFFFFF < 2? no
}

TEST(Lanes, TheAvx512SetMatchesThePortableSetOperationByOperation) {
  if (!cpu_has_avx512_lanes()) GTEST_SKIP() << "this CPU lacks AVX-512 F, BW or CD: the portable set runs alone";
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    const Inputs in = random_inputs(seed);
    Results portable;
    Results wide;
    with_portable::all_operations(in, portable);
    with_avx512::all_operations(in, wide);
    ASSERT_EQ(portable.size(), wide.size());
    for (std::size_t k = 0; k < portable.size(); ++k) {
      ASSERT_EQ(portable[k].second, wide[k].second) << portable[k].first << ", seed " << seed;
    }
  }
}

}  // namespace
}  // namespace glocal::lanes
