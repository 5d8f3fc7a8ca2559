#include "glocal/core/radix_sort.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <utility>

namespace glocal {

void radix_sort_bytes(std::vector<std::uint64_t>& keys, std::uint32_t bytes) {
  std::vector<std::uint64_t> other(keys.size());
  for (std::uint32_t b = 0; b < bytes; ++b) {
    const unsigned shift = 8 * b;
    std::array<std::size_t, 256> start{};
    for (const std::uint64_t key : keys) ++start[(key >> shift) & 0xFF];
    if (std::count(start.begin(), start.end(), std::size_t{0}) == 255) continue;
    std::size_t at = 0;
    for (auto& s : start) at += std::exchange(s, at);
    for (const std::uint64_t key : keys) other[start[(key >> shift) & 0xFF]++] = key;
    keys.swap(other);
  }
}

void sort_doubles(std::vector<double>& values) {
  if (values.size() < 2048) {  // small: a comparison sort is as fast and needs no buffer
    std::sort(values.begin(), values.end());
    return;
  }
  // IEEE 754 doubles order as their bits once a negative's bits are all flipped and a
  // positive's sign bit is set.
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  std::vector<std::uint64_t> keys(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto bits = std::bit_cast<std::uint64_t>(values[k]);
    keys[k] = (bits & kSign) != 0 ? ~bits : bits | kSign;
  }
  radix_sort_bytes(keys, 8);
  for (std::size_t k = 0; k < values.size(); ++k) {
    const std::uint64_t key = keys[k];
    values[k] = std::bit_cast<double>((key & kSign) != 0 ? key & ~kSign : ~key);
  }
}

}  // namespace glocal
