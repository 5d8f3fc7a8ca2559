#include "glocal/metrics/culture_metrics.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

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

/// FNV-1a over the vector's bytes: only a sort key; equality is always decided on the bytes.
std::uint64_t hash_vector(const std::uint8_t* v, std::uint32_t features) noexcept {
  std::uint64_t h = 14695981039346656037ULL;
  for (std::uint32_t f = 0; f < features; ++f) h = (h ^ v[f]) * 1099511628211ULL;
  return h;
}

/// Agent indices sorted by (hash, bytes), with their hashes.
std::vector<std::pair<std::uint64_t, AgentIndex>> sorted_by_culture(const CultureView& culture) {
  std::vector<std::pair<std::uint64_t, AgentIndex>> order(culture.agents);
  for (AgentIndex i = 0; i < culture.agents; ++i) order[i] = {hash_vector(culture.of(i), culture.features), i};
  std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return std::memcmp(culture.of(a.second), culture.of(b.second), culture.features) < 0;
  });
  return order;
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
      active += (same > 0 && same < culture.features) ? 1 : 0;
    }
  }
  return active;
}

std::uint64_t distinct_cultures(const CultureView& culture) {
  if (culture.agents == 0) return 0;
  const auto order = sorted_by_culture(culture);
  std::uint64_t distinct = 1;
  for (std::size_t k = 1; k < order.size(); ++k) {
    const bool same = order[k].first == order[k - 1].first &&
                      std::memcmp(culture.of(order[k].second), culture.of(order[k - 1].second), culture.features) == 0;
    distinct += same ? 0 : 1;
  }
  return distinct;
}

CultureCatalog::CultureCatalog(const CultureView& culture) : features_(culture.features) {
  std::vector<AgentIndex> order(culture.agents);
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(), [&](AgentIndex a, AgentIndex b) {
    return std::memcmp(culture.of(a), culture.of(b), features_) < 0;
  });
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

double novel_share(const CultureView& culture, const CultureCatalog& initial) {
  if (culture.agents == 0) return 0.0;
  std::uint64_t novel = 0;
  for (AgentIndex i = 0; i < culture.agents; ++i) novel += initial.contains(culture.of(i)) ? 0 : 1;
  return static_cast<double>(novel) / static_cast<double>(culture.agents);
}

}  // namespace glocal
