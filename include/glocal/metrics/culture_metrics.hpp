#pragma once
// Measures of a cultural configuration (Axelrod 1997): regions, zones, distinct cultures,
// novelty. Pure functions of the traits and the network; safe to call from any thread.
#include <cstdint>
#include <span>
#include <vector>

#include "glocal/world/network.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

/// Read-only view of a culture column: agent i's F traits are traits[i*F .. i*F+F).
struct CultureView {
  const std::uint8_t* traits = nullptr;
  std::uint32_t features = 0;
  AgentIndex agents = 0;
  /// Every trait is below this bound (q for uniform initial traits without innovation). Where
  /// q^F is small the census counts vectors in a table of q^F entries instead of sorting them.
  std::uint32_t trait_limit = 256;
  /// Eight bytes are readable at every row (the array is padded after the last agent), so vectors
  /// of F <= 8 features can be compared as one word each (load_row8).
  bool padded = false;

  [[nodiscard]] const std::uint8_t* of(AgentIndex i) const noexcept { return traits + static_cast<std::size_t>(i) * features; }
};

/// Number of features on which two culture vectors agree.
[[nodiscard]] inline std::uint32_t overlap(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t features) noexcept {
  std::uint32_t same = 0;
  for (std::uint32_t f = 0; f < features; ++f) same += a[f] == b[f] ? 1U : 0U;
  return same;
}

/// The eight bytes at `row`: a packed culture vector (F <= 8) and the bytes after it, which every
/// caller masks off. Those bytes are other agents' traits, which another thread may be writing (the
/// parallel schemes give each event its agents, not the bytes that follow them): a race only on
/// bytes whose value is never used, so the load is kept out of ThreadSanitizer's view, which would
/// report it. The trait arrays are padded so that the last agent's eight bytes are readable.
[[nodiscard]] __attribute__((no_sanitize("thread"))) inline std::uint64_t load_row8(const std::uint8_t* row) noexcept {
  std::uint64_t x = 0;
  __builtin_memcpy(&x, row, 8);
  return x;
}

/// The features on which two packed vectors (F <= 8, 8 readable bytes each) differ, as the high
/// bit of each differing byte.
[[nodiscard]] inline std::uint64_t packed_differing(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t features) noexcept {
  std::uint64_t x = load_row8(a);
  const std::uint64_t y = load_row8(b);
  x = (x ^ y) & (features == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * features)) - 1);
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  return (((x & kLow7) + kLow7) | x) & ~kLow7;  // a byte's high bit is set iff the byte is non-zero
}

/// How many of the high bits of a packed_differing mask are set (a multiply gathers them; no
/// popcount instruction needed).
[[nodiscard]] inline std::uint32_t packed_count(std::uint64_t differing) noexcept {
  return static_cast<std::uint32_t>(((differing >> 7) * 0x0101010101010101ULL) >> 56);
}

/// The one statement of an active pair under Axelrod's rule: 0 < o < F, something shared (so the
/// pair can interact) and something different (so an interaction can change it). Absorption is
/// "no active link"; every count of active links, fields and heritage uses this test.
[[nodiscard]] constexpr bool active_pair(std::uint32_t overlap, std::uint32_t features) noexcept {
  return overlap - 1U < features - 1U;  // unsigned: overlap 0 wraps to the top and fails
}

struct Components {
  std::uint64_t count = 0;    ///< number of connected components
  std::uint64_t largest = 0;  ///< size of the largest, in agents
};

/// What the network's links say of a configuration, in one pass over them.
struct LinkCensus {
  Components regions;        ///< cultural_regions
  Components zones;          ///< cultural_zones
  std::uint64_t active = 0;  ///< active_edges
};
[[nodiscard]] LinkCensus link_census(const CultureView& culture, const Network& network);
/// Regions: connected sets of agents with identical culture over the network. (This and
/// cultural_zones each run the whole link_census: a caller that needs both calls link_census.)
[[nodiscard]] Components cultural_regions(const CultureView& culture, const Network& network);
/// Zones: connected sets in which linked agents share at least one trait (can still interact).
[[nodiscard]] Components cultural_zones(const CultureView& culture, const Network& network);
/// Number of undirected edges whose ends have 0 < overlap < F (pairs that can still interact).
[[nodiscard]] std::uint64_t active_edges(const CultureView& culture, const Network& network);
/// The active edges with at least one end among `agents` (each once): `listed(i)` is true exactly
/// for the agents listed. What a renewal takes away (the dead's edges, on the network before it)
/// and adds (the newborns' edges, after it), so the count need not be made afresh.
template <typename Listed>
[[nodiscard]] std::uint64_t active_edges_at(const CultureView& culture, const Network& network, std::span<const AgentIndex> agents,
                                            Listed&& listed) {
  std::uint64_t active = 0;
  for (const AgentIndex i : agents) {
    for (const AgentIndex j : network.neighbors(i)) {
      if (j < i && listed(j)) continue;  // an edge between two listed agents counts at its larger end
      active += active_pair(overlap(culture.of(i), culture.of(j), culture.features), culture.features) ? 1 : 0;
    }
  }
  return active;
}

/// Culture vectors numbered densely: vector v is sum over f of v[f] * q^(F-1-f), so the numbers
/// run in the vectors' lexicographic order. Used where q^F is small beside the agents counted
/// (a table of q^F counts is then cheaper than sorting the agents' vectors); `size` 0 otherwise.
struct DenseCultures {
  std::uint32_t features = 0;
  std::uint32_t traits = 0;
  std::uint64_t size = 0;  ///< q^F, or 0 when too large for a table
  /// For `agents` agents of the view: a table when q^F <= max(2^16, 2 * agents) and <= 2^26.
  static DenseCultures of(const CultureView& culture, std::uint64_t agents) noexcept;
  /// The number of a vector; false when a trait is not below q (no number).
  [[nodiscard]] bool number(const std::uint8_t* vector, std::uint64_t& out) const noexcept {
    std::uint64_t n = 0;
    bool below = true;
    for (std::uint32_t f = 0; f < features; ++f) {
      below = below && vector[f] < traits;
      n = n * traits + vector[f];
    }
    out = n;
    return below;
  }
  void vector_of(std::uint64_t n, std::uint8_t* out) const noexcept {
    for (std::uint32_t f = features; f-- > 0; n /= traits) out[f] = static_cast<std::uint8_t>(n % traits);
  }
};

/// The set of culture vectors present in a configuration, exact: a bit per possible vector where
/// q^F is small (DenseCultures), otherwise F bytes per distinct vector sorted lexicographically,
/// membership by binary search.
class CultureCatalog {
 public:
  CultureCatalog() = default;
  explicit CultureCatalog(const CultureView& culture);
  [[nodiscard]] bool contains(const std::uint8_t* vector) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return vectors_.size() + present_.size() * sizeof(std::uint64_t); }

 private:
  std::uint32_t features_ = 0;
  std::size_t size_ = 0;
  DenseCultures dense_;                 ///< numbering of the bit table (dense_.size != 0)
  std::vector<std::uint64_t> present_;  ///< bit n: vector number n is present (dense table)
  std::vector<std::uint8_t> vectors_;   ///< distinct vectors, back to back, in lexicographic order
};

/// The cultures held in a range of agents.
struct CultureCensus {
  std::uint64_t agents = 0;
  std::uint64_t distinct = 0;        ///< distinct culture vectors
  std::uint64_t largest = 0;         ///< agents holding the most common vector
  double entropy_bits = 0.0;         ///< Shannon entropy of the distribution of vectors
  std::uint64_t novel_agents = 0;    ///< agents whose vector is not in the initial catalog
  std::uint64_t novel_distinct = 0;  ///< distinct vectors not in the initial catalog
};
/// Sorts keys below 2^(8 bytes) ascending: a byte-wise LSD radix sort for large inputs (the
/// census and catalog of a world of 10^8 agents sort 10^8 keys), std::sort for small ones.
void radix_sort_keys(std::vector<std::uint64_t>& keys, std::uint32_t bytes);

[[nodiscard]] CultureCensus culture_census(const CultureView& culture, AgentRange range, const CultureCatalog& initial);

/// Mean overlap (share of the F features two agents hold in common) over pairs of distinct agents
/// of a place: `within`, pairs in the same locality; `between`, pairs in different localities of
/// the place. NaN where there is no such pair. Exact, from trait counts: a feature is shared by
/// sum over traits of c(c - 1)/2 pairs, so the cost is O(agents x F), not O(agents^2).
struct PairOverlap {
  double within = 0.0;
  double between = 0.0;
};
[[nodiscard]] PairOverlap pair_overlap(const CultureView& culture, const Places& places, AgentRange place);

}  // namespace glocal
