#include "glocal/core/radix_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace glocal {
namespace {

/// Values of every kind a metric can meet: signs, zeros of both signs, ties, subnormals, infinities.
std::vector<double> mixed_values(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 engine(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> out(n);
  constexpr double kSpecial[] = {0.0,
                                 -0.0,
                                 1.0,
                                 -1.0,
                                 std::numeric_limits<double>::denorm_min(),
                                 -std::numeric_limits<double>::denorm_min(),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity(),
                                 1e300,
                                 -1e-300};
  for (std::size_t k = 0; k < n; ++k) {
    switch (engine() % 4) {
      case 0: out[k] = kSpecial[engine() % std::size(kSpecial)]; break;
      case 1: out[k] = std::exp(20.0 * uniform(engine)); break;   // incomes: positive, many magnitudes
      case 2: out[k] = std::round(uniform(engine) * 8.0); break;  // ties
      default: out[k] = uniform(engine) * 1e6; break;
    }
  }
  return out;
}

TEST(RadixSort, DoublesComeOutAsStdSortPutsThem) {
  for (const std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{2047}, std::size_t{2048}, std::size_t{5000}, std::size_t{70000}}) {
    std::vector<double> radix = mixed_values(n, static_cast<std::uint32_t>(n) + 1);
    std::vector<double> expected = radix;
    std::sort(expected.begin(), expected.end());
    sort_doubles(radix);
    ASSERT_EQ(radix.size(), expected.size());
    for (std::size_t k = 0; k < n; ++k) {
      // The same value; a zero's sign is the only freedom (std::sort leaves -0 and +0 in any order).
      if (expected[k] == 0.0) {
        EXPECT_EQ(radix[k], 0.0) << n << " at " << k;
      } else {
        EXPECT_EQ(std::bit_cast<std::uint64_t>(radix[k]), std::bit_cast<std::uint64_t>(expected[k])) << n << " at " << k;
      }
    }
    // From 2,048 values the radix sort runs, and it is total: -0 before +0.
    for (std::size_t k = 1; n >= 2048 && k < n; ++k) {
      if (radix[k - 1] == 0.0 && radix[k] == 0.0) {
        EXPECT_FALSE(!std::signbit(radix[k - 1]) && std::signbit(radix[k])) << n;
      }
    }
  }
}

TEST(RadixSort, KeysComeOutInOrderByTheirLowBytes) {
  std::mt19937_64 engine(7);
  std::vector<std::uint64_t> keys(10000);
  for (auto& key : keys) key = engine() & 0xFFFFFF;  // three bytes
  std::vector<std::uint64_t> expected = keys;
  std::sort(expected.begin(), expected.end());
  radix_sort_bytes(keys, 3);
  EXPECT_EQ(keys, expected);
}

}  // namespace
}  // namespace glocal
