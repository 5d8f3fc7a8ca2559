#include "glocal/core/huge_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace glocal {
namespace {

TEST(HugePages, LargeVectorsAreAlignedToAHugePageAndHoldTheirValues) {
  // At and above 2 MiB the storage comes aligned to 2 MiB (so the kernel can back it with huge
  // pages); below, from the ordinary allocator. Growth across the threshold keeps every value.
  HugeVector<std::uint32_t> v;
  for (std::uint32_t i = 0; i < 100; ++i) v.push_back(i);
  for (std::uint32_t i = 100; i < (3U << 20) / 4; ++i) v.push_back(i);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % kHugePageBytes, 0U);
  std::uint64_t sum = std::accumulate(v.begin(), v.end(), std::uint64_t{0});
  const std::uint64_t n = v.size();
  EXPECT_EQ(sum, n * (n - 1) / 2);
  HugeVector<std::uint32_t> copy = v;  // copies allocate through the same allocator
  EXPECT_EQ(copy, v);
  copy.resize(10);
  copy.shrink_to_fit();
  EXPECT_EQ(copy.back(), 9U);
}

}  // namespace
}  // namespace glocal
