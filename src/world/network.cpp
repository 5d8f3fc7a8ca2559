#include "glocal/world/network.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <unordered_set>

namespace glocal {

Network::Network(AgentIndex size, const std::vector<std::pair<AgentIndex, AgentIndex>>& edges) {
  offsets_.assign(static_cast<std::size_t>(size) + 1, 0);
  for (const auto& [a, b] : edges) {
    ++offsets_[a + 1];
    ++offsets_[b + 1];
  }
  for (std::size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
  neighbors_.resize(offsets_.back());
  HugeVector<std::uint32_t> fill(offsets_.begin(), offsets_.end() - 1);
  for (const auto& [a, b] : edges) {
    neighbors_[fill[a]++] = b;
    neighbors_[fill[b]++] = a;
  }
  for (AgentIndex i = 0; i < size; ++i) {
    std::sort(neighbors_.begin() + offsets_[i], neighbors_.begin() + offsets_[i + 1]);
  }
}

Network::Network(HugeVector<std::uint32_t> offsets, HugeVector<AgentIndex> neighbors)
    : offsets_(std::move(offsets)), neighbors_(std::move(neighbors)) {}

std::vector<std::pair<int, int>> neighborhood_offsets(Neighborhood kind, std::uint32_t radius) {
  std::vector<std::pair<int, int>> out;
  const int r = kind == Neighborhood::radius ? static_cast<int>(radius) : 2;
  for (int dy = -r; dy <= r; ++dy) {
    for (int dx = -r; dx <= r; ++dx) {
      const int manhattan = std::abs(dx) + std::abs(dy);
      const int chebyshev = std::max(std::abs(dx), std::abs(dy));
      if (manhattan == 0) continue;
      bool keep = false;
      switch (kind) {
        case Neighborhood::von_neumann: keep = manhattan == 1; break;
        case Neighborhood::moore: keep = chebyshev == 1; break;
        case Neighborhood::diamond: keep = chebyshev == 1 || (manhattan == 2 && (dx == 0 || dy == 0)); break;
        case Neighborhood::radius: keep = manhattan <= r; break;
      }
      if (keep) out.emplace_back(dx, dy);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto key = [](const std::pair<int, int>& o) {
      return std::pair{std::abs(o.first) + std::abs(o.second), std::max(std::abs(o.first), std::abs(o.second))};
    };
    return key(a) < key(b);
  });
  return out;
}

std::uint32_t neighborhood_reach(Neighborhood kind, std::uint32_t radius) {
  switch (kind) {
    case Neighborhood::von_neumann:
    case Neighborhood::moore: return 1;
    case Neighborhood::diamond: return 2;
    case Neighborhood::radius: return radius;
  }
  return radius;
}

Network make_lattice(const LatticeSpec& spec) {
  const auto side = static_cast<std::int64_t>(spec.side);
  const bool periodic = spec.boundary == Boundary::periodic;
  if (periodic && spec.side <= 2 * neighborhood_reach(spec.neighborhood, spec.radius)) {
    throw std::invalid_argument("periodic lattice side must exceed twice the neighbourhood reach");
  }
  if (!LatticeLayout::fits(spec.side, spec.order)) throw std::invalid_argument("a lattice in tiles needs a side that is a multiple of 16");
  const LatticeLayout layout{spec.side, spec.order};
  const auto offsets_xy = neighborhood_offsets(spec.neighborhood, spec.radius);
  const auto n = static_cast<std::size_t>(side * side);
  HugeVector<std::uint32_t> offsets(n + 1, 0);
  HugeVector<AgentIndex> neighbors;
  neighbors.reserve(n * offsets_xy.size());
  // A coordinate moved by at most the reach; periodic sides exceed twice the reach, so one
  // addition or subtraction of the side wraps it (no division per neighbour).
  const auto wrap = [side, periodic](std::int64_t c, bool& inside) {
    if (c < 0) {
      c += side;
      inside = inside && periodic;
    } else if (c >= side) {
      c -= side;
      inside = inside && periodic;
    }
    return c;
  };
  const bool rows = spec.order == LatticeOrder::rows;
  std::uint32_t x = 0;  // the site of `agent` in rows order, kept without a division
  std::uint32_t y = 0;
  for (AgentIndex agent = 0; agent < n; ++agent) {  // in index order: the CSR rows
    const auto [sx, sy] = rows ? std::array<std::uint32_t, 2>{x, y} : layout.site(agent);
    for (const auto& [dx, dy] : offsets_xy) {
      bool inside = true;
      const std::int64_t nx = wrap(std::int64_t{sx} + dx, inside);
      const std::int64_t ny = wrap(std::int64_t{sy} + dy, inside);
      if (!inside) continue;
      neighbors.push_back(layout.index(static_cast<std::uint32_t>(nx), static_cast<std::uint32_t>(ny)));
    }
    offsets[std::size_t{agent} + 1] = static_cast<std::uint32_t>(neighbors.size());
    if (++x == spec.side) {
      x = 0;
      ++y;
    }
  }
  Network network(std::move(offsets), std::move(neighbors));
  if (periodic && spec.neighborhood == Neighborhood::von_neumann) network.set_periodic_lattice(spec.side, spec.order);
  return network;
}

namespace {
std::vector<std::pair<AgentIndex, AgentIndex>> ring_edges(AgentIndex size, std::uint32_t degree) {
  std::vector<std::pair<AgentIndex, AgentIndex>> edges;
  edges.reserve(static_cast<std::size_t>(size) * (degree / 2));
  for (AgentIndex i = 0; i < size; ++i) {
    for (std::uint32_t j = 1; j <= degree / 2; ++j) {
      edges.emplace_back(i, static_cast<AgentIndex>((i + j) % size));
    }
  }
  return edges;
}
std::uint64_t edge_key(AgentIndex a, AgentIndex b) { return a < b ? (std::uint64_t{a} << 32) | b : (std::uint64_t{b} << 32) | a; }
}  // namespace

Network make_ring(AgentIndex size, std::uint32_t degree) { return Network(size, ring_edges(size, degree)); }

Network make_small_world(AgentIndex size, std::uint32_t degree, double rewire, const Rng& rng, std::uint64_t stream_id) {
  auto edges = ring_edges(size, degree);
  std::unordered_set<std::uint64_t> present;
  present.reserve(edges.size() * 2);
  for (const auto& [a, b] : edges) present.insert(edge_key(a, b));
  std::vector<std::uint32_t> degrees(size, degree);
  RandomStream stream(rng, stream_id, 0, Purpose::network_build);
  for (auto& edge : edges) {
    if (stream.next_unit() >= rewire) continue;
    const AgentIndex i = edge.first;
    if (degrees[i] >= size - 1) continue;  // i is linked to everyone: nowhere to rewire to
    AgentIndex u = 0;
    do {
      u = static_cast<AgentIndex>(stream.next_below(size));
    } while (u == i || present.count(edge_key(i, u)) != 0);
    present.erase(edge_key(edge.first, edge.second));
    --degrees[edge.second];
    ++degrees[u];
    present.insert(edge_key(i, u));
    edge.second = u;
  }
  return Network(size, edges);
}

Network make_random(AgentIndex size, double mean_degree, const Rng& rng, std::uint64_t stream_id) {
  std::vector<std::pair<AgentIndex, AgentIndex>> edges;
  const double p = size > 1 ? std::min(1.0, mean_degree / static_cast<double>(size - 1)) : 0.0;
  if (p > 0.0) {
    RandomStream stream(rng, stream_id, 0, Purpose::network_build);
    edges.reserve(static_cast<std::size_t>(mean_degree * size / 2 * 1.1) + 16);
    if (p >= 1.0) return make_complete(size);
    const double log_q = std::log1p(-p);
    std::int64_t v = 1;
    std::int64_t w = -1;
    const auto n = static_cast<std::int64_t>(size);
    while (v < n) {
      const double r = stream.next_unit();
      w += 1 + static_cast<std::int64_t>(std::floor(std::log1p(-r) / log_q));
      while (w >= v && v < n) {
        w -= v;
        ++v;
      }
      if (v < n) edges.emplace_back(static_cast<AgentIndex>(w), static_cast<AgentIndex>(v));
    }
  }
  return Network(size, edges);
}

Network make_complete(AgentIndex size) {
  HugeVector<std::uint32_t> offsets(static_cast<std::size_t>(size) + 1);
  HugeVector<AgentIndex> neighbors;
  neighbors.reserve(static_cast<std::size_t>(size) * (size - 1));
  for (AgentIndex i = 0; i < size; ++i) {
    for (AgentIndex j = 0; j < size; ++j) {
      if (j != i) neighbors.push_back(j);
    }
    offsets[i + 1] = static_cast<std::uint32_t>(neighbors.size());
  }
  return Network(std::move(offsets), std::move(neighbors));
}

}  // namespace glocal
