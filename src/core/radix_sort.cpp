#include "glocal/core/radix_sort.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <utility>

namespace glocal {

namespace {

/// One byte-wise LSD radix sort of `items` by `key(item)` (64 bits), through one buffer of the
/// same size: the counts of every byte in one reading pass, then one scattering pass per byte
/// that not every key shares.
template <class T, class Key>
void radix_sort_by(std::vector<T>& items, std::uint32_t bytes, Key key) {
  if (items.empty()) return;
  std::vector<std::array<std::size_t, 256>> counts(bytes);
  for (const T& item : items) {
    const std::uint64_t k = key(item);
    for (std::uint32_t b = 0; b < bytes; ++b) ++counts[b][(k >> (8 * b)) & 0xFF];
  }
  const std::uint64_t first = key(items.front());
  std::vector<T> other;
  for (std::uint32_t b = 0; b < bytes; ++b) {
    const unsigned shift = 8 * b;
    std::array<std::size_t, 256>& start = counts[b];
    if (start[(first >> shift) & 0xFF] == items.size()) continue;  // every key shares this byte
    std::size_t at = 0;
    for (auto& s : start) at += std::exchange(s, at);
    other.resize(items.size());
    for (const T& item : items) other[start[(key(item) >> shift) & 0xFF]++] = item;
    items.swap(other);
  }
}

}  // namespace

void radix_sort_bytes(std::vector<std::uint64_t>& keys, std::uint32_t bytes) {
  radix_sort_by(keys, bytes, [](std::uint64_t key) { return key; });
}

void sort_doubles(std::vector<double>& values) {
  if (values.size() < 2048) {  // small: a comparison sort is as fast and needs no buffer
    std::sort(values.begin(), values.end());
    return;
  }
  // IEEE 754 doubles order as their bits once a negative's bits are all flipped and a
  // positive's sign bit is set; the key is computed in each pass, so the values move themselves.
  radix_sort_by(values, 8, [](double value) {
    constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
    const auto bits = std::bit_cast<std::uint64_t>(value);
    return (bits & kSign) != 0 ? ~bits : bits | kSign;
  });
}

}  // namespace glocal
