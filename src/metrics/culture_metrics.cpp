#include "glocal/metrics/culture_metrics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <cstring>
#include <numeric>
#include <utility>

namespace glocal {

namespace {

/// Union-find with path halving and union by size, over agent indices.
class DisjointSets {
 public:
  explicit DisjointSets(AgentIndex n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0U); }
  AgentIndex find(AgentIndex x) noexcept {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void unite(AgentIndex a, AgentIndex b) noexcept {
    a = find(a);
    b = find(b);
    if (a == b) return;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
  }
  Components components() noexcept {
    Components out;
    for (AgentIndex i = 0; i < parent_.size(); ++i) {
      if (parent_[i] == i) {
        ++out.count;
        out.largest = std::max<std::uint64_t>(out.largest, size_[i]);
      }
    }
    return out;
  }

 private:
  std::vector<AgentIndex> parent_;
  std::vector<std::uint32_t> size_;
};

template <typename Linked>
Components components_where(const CultureView& culture, const Network& network, Linked linked) {
  DisjointSets sets(culture.agents);
  for (AgentIndex i = 0; i < culture.agents; ++i) {
    for (const AgentIndex j : network.neighbors(i)) {
      if (j > i && linked(overlap(culture.of(i), culture.of(j), culture.features))) sets.unite(i, j);
    }
  }
  return sets.components();
}

}  // namespace

Components cultural_regions(const CultureView& culture, const Network& network) {
  const std::uint32_t features = culture.features;
  return components_where(culture, network, [features](std::uint32_t same) { return same == features; });
}

Components cultural_zones(const CultureView& culture, const Network& network) {
  return components_where(culture, network, [](std::uint32_t same) { return same > 0; });
}

std::uint64_t active_edges(const CultureView& culture, const Network& network) {
  std::uint64_t active = 0;
  for (AgentIndex i = 0; i < culture.agents; ++i) {
    for (const AgentIndex j : network.neighbors(i)) {
      if (j <= i) continue;
      const std::uint32_t same = overlap(culture.of(i), culture.of(j), culture.features);
      active += active_pair(same, culture.features) ? 1 : 0;
    }
  }
  return active;
}

namespace {

/// Culture vectors of at most 8 features as integers whose order is the vectors' lexicographic
/// order (the bytes big-end first): sorting these is several times faster than sorting agents
/// by memcmp, and needs no indirection.
constexpr std::uint32_t kKeyFeatures = 8;
[[nodiscard]] std::uint64_t vector_key(const std::uint8_t* v, std::uint32_t features) noexcept {
  std::uint64_t key = 0;
  for (std::uint32_t f = 0; f < features; ++f) key = (key << 8) | v[f];
  return key;
}
}  // namespace

void radix_sort_keys(std::vector<std::uint64_t>& keys, std::uint32_t bytes) {
  if (keys.size() < (std::size_t{1} << 16)) {  // small: a comparison sort is as fast and needs no buffer
    std::sort(keys.begin(), keys.end());
    return;
  }
  // Least significant byte first, one counting pass per byte of the key; a byte that every key
  // shares is skipped. Stable, so after the last pass the keys are in order.
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

namespace {

[[nodiscard]] std::vector<std::uint64_t> sorted_keys(const CultureView& culture, AgentRange range) {
  std::vector<std::uint64_t> keys(range.size);
  for (std::size_t k = 0; k < range.size; ++k) keys[k] = vector_key(culture.of(range.first + static_cast<AgentIndex>(k)), culture.features);
  radix_sort_keys(keys, culture.features);  // a key holds one byte per feature
  return keys;
}
void key_bytes(std::uint64_t key, std::uint32_t features, std::uint8_t* out) noexcept {
  for (std::uint32_t f = features; f-- > 0; key >>= 8) out[f] = static_cast<std::uint8_t>(key & 0xFF);
}

}  // namespace

CultureCatalog::CultureCatalog(const CultureView& culture) : features_(culture.features) {
  if (features_ <= kKeyFeatures) {
    const std::vector<std::uint64_t> keys = sorted_keys(culture, AgentRange{0, culture.agents});
    std::array<std::uint8_t, kKeyFeatures> bytes{};
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (k > 0 && keys[k] == keys[k - 1]) continue;
      key_bytes(keys[k], features_, bytes.data());
      vectors_.insert(vectors_.end(), bytes.begin(), bytes.begin() + features_);
    }
    vectors_.shrink_to_fit();
    return;
  }
  std::vector<AgentIndex> order(culture.agents);
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(),
            [&](AgentIndex a, AgentIndex b) { return std::memcmp(culture.of(a), culture.of(b), features_) < 0; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::uint8_t* v = culture.of(order[k]);
    if (k > 0 && std::memcmp(v, culture.of(order[k - 1]), features_) == 0) continue;
    vectors_.insert(vectors_.end(), v, v + features_);
  }
  vectors_.shrink_to_fit();
}

bool CultureCatalog::contains(const std::uint8_t* vector) const noexcept {
  std::size_t lo = 0;
  std::size_t hi = size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const int order = std::memcmp(vectors_.data() + mid * features_, vector, features_);
    if (order == 0) return true;
    if (order < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return false;
}

CultureCensus culture_census(const CultureView& culture, AgentRange range, const CultureCatalog& initial) {
  CultureCensus census;
  census.agents = range.size;
  if (range.size == 0) return census;
  const double n = static_cast<double>(range.size);
  const auto tally = [&](std::uint64_t holders, const std::uint8_t* vector) {
    const double share = static_cast<double>(holders) / n;
    census.entropy_bits -= share * std::log2(share);
    census.largest = std::max(census.largest, holders);
    ++census.distinct;
    if (!initial.contains(vector)) {
      ++census.novel_distinct;
      census.novel_agents += holders;
    }
  };
  if (culture.features <= kKeyFeatures) {
    const std::vector<std::uint64_t> keys = sorted_keys(culture, range);
    std::array<std::uint8_t, kKeyFeatures> bytes{};
    for (std::size_t start = 0; start < keys.size();) {
      std::size_t end = start + 1;
      while (end < keys.size() && keys[end] == keys[start]) ++end;
      key_bytes(keys[start], culture.features, bytes.data());
      tally(end - start, bytes.data());
      start = end;
    }
    return census;
  }
  std::vector<AgentIndex> order(range.size);
  std::iota(order.begin(), order.end(), range.first);
  const std::uint32_t features = culture.features;
  std::sort(order.begin(), order.end(),
            [&](AgentIndex a, AgentIndex b) { return std::memcmp(culture.of(a), culture.of(b), features) < 0; });
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start + 1;
    while (end < order.size() && std::memcmp(culture.of(order[end]), culture.of(order[start]), features) == 0) ++end;
    tally(end - start, culture.of(order[start]));
    start = end;
  }
  return census;
}

PairOverlap pair_overlap(const CultureView& culture, const Places& places, AgentRange place) {
  const std::uint32_t features = culture.features;
  std::vector<std::uint32_t> local(static_cast<std::size_t>(features) * 256, 0);
  std::vector<std::uint64_t> all(static_cast<std::size_t>(features) * 256, 0);
  // sum over features and traits of c(c - 1)/2, from the counts of the agents in `range`
  const auto shared_pairs = [&](AgentRange range, auto& counts, bool reset) {
    double pairs = 0;
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {
      const std::uint8_t* traits = culture.of(i);
      for (std::uint32_t f = 0; f < features; ++f) ++counts[f * 256 + traits[f]];
    }
    if (!reset) return pairs;
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {  // visit each count once, then clear it
      const std::uint8_t* traits = culture.of(i);
      for (std::uint32_t f = 0; f < features; ++f) {
        auto& c = counts[f * 256 + traits[f]];
        pairs += 0.5 * static_cast<double>(c) * (static_cast<double>(c) - 1.0);
        c = 0;
      }
    }
    return pairs;
  };
  double within_shared = 0;
  double within_pairs = 0;
  if (place.size > 0) {
    const std::uint32_t first = places.place_of(place.first, Scale::locality);
    const std::uint32_t last = places.place_of(place.first + place.size - 1, Scale::locality);
    for (std::uint32_t l = first; l <= last; ++l) {
      const AgentRange locality = places.place(Scale::locality, l);
      within_shared += shared_pairs(locality, local, true);
      within_pairs += 0.5 * static_cast<double>(locality.size) * (static_cast<double>(locality.size) - 1.0);
    }
  }
  (void)shared_pairs(place, all, false);
  double all_shared = 0;
  for (const std::uint64_t c : all) all_shared += 0.5 * static_cast<double>(c) * (static_cast<double>(c) - 1.0);
  const double all_pairs = 0.5 * static_cast<double>(place.size) * (static_cast<double>(place.size) - 1.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double f = static_cast<double>(features);
  PairOverlap out;
  out.within = within_pairs > 0 ? within_shared / (f * within_pairs) : nan;
  out.between = all_pairs > within_pairs ? (all_shared - within_shared) / (f * (all_pairs - within_pairs)) : nan;
  return out;
}

}  // namespace glocal
