#pragma once
// Measures of a cultural configuration (Axelrod 1997): regions, zones, distinct cultures,
// novelty. Pure functions of the traits and the network; safe to call from any thread.
#include <cstdint>
#include <vector>

#include "glocal/world/network.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

/// Read-only view of a culture column: agent i's F traits are traits[i*F .. i*F+F).
struct CultureView {
  const std::uint8_t* traits = nullptr;
  std::uint32_t features = 0;
  AgentIndex agents = 0;

  [[nodiscard]] const std::uint8_t* of(AgentIndex i) const noexcept { return traits + static_cast<std::size_t>(i) * features; }
};

/// Number of features on which two culture vectors agree.
[[nodiscard]] inline std::uint32_t overlap(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t features) noexcept {
  std::uint32_t same = 0;
  for (std::uint32_t f = 0; f < features; ++f) same += a[f] == b[f] ? 1U : 0U;
  return same;
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

/// Regions: connected sets of agents with identical culture over the network.
[[nodiscard]] Components cultural_regions(const CultureView& culture, const Network& network);
/// Zones: connected sets in which linked agents share at least one trait (can still interact).
[[nodiscard]] Components cultural_zones(const CultureView& culture, const Network& network);
/// Number of undirected edges whose ends have 0 < overlap < F (pairs that can still interact).
[[nodiscard]] std::uint64_t active_edges(const CultureView& culture, const Network& network);

/// The set of culture vectors present in a configuration: exact, F bytes per distinct vector,
/// sorted lexicographically; membership by binary search.
class CultureCatalog {
 public:
  CultureCatalog() = default;
  explicit CultureCatalog(const CultureView& culture);
  [[nodiscard]] bool contains(const std::uint8_t* vector) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return features_ == 0 ? 0 : vectors_.size() / features_; }
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return vectors_.size(); }

 private:
  std::uint32_t features_ = 0;
  std::vector<std::uint8_t> vectors_;  ///< distinct vectors, back to back, in lexicographic order
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
