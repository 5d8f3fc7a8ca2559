#pragma once
// Least-significant-digit radix sorts: the counts of every byte of the keys in one reading pass,
// then one scattering pass per byte that not every key shares. Stable; linear in the number of keys.
#include <cstdint>
#include <vector>

namespace glocal {

/// Sorts keys below 2^(8 bytes) ascending, byte by byte (a byte-wise LSD radix sort).
void radix_sort_bytes(std::vector<std::uint64_t>& keys, std::uint32_t bytes);

/// Sorts doubles ascending: the same sequence of values as std::sort for any input without NaNs,
/// up to the order of -0 and +0. Below 2,048 values it is std::sort; from 2,048 a radix sort of
/// their bits mapped to an order-preserving key (-0 before +0; a NaN after +inf or before -inf by
/// its sign).
void sort_doubles(std::vector<double>& values);

}  // namespace glocal
