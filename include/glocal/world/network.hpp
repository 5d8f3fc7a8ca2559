#pragma once
// The interaction network of one locality: an undirected simple graph in compressed sparse rows.
//
// Agents are numbered 0..size()-1; on a lattice site (x, y) is agent y * side + x, or in tiles
// (LatticeOrder). Each node's neighbours are listed in a fixed, documented order, so a draw "the
// k-th neighbour" is reproducible. Memory: 4 bytes per directed edge plus 4 bytes per node.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "glocal/core/huge_pages.hpp"
#include "glocal/core/rng.hpp"

namespace glocal {

using AgentIndex = std::uint32_t;

enum class Boundary { open, periodic };
enum class Neighborhood { von_neumann, moore, diamond, radius };

/// The order in which a lattice's sites are numbered (and so stored in every per-agent column).
/// `rows`: site (x, y) is agent y L + x. `tiles`: the lattice is cut into tiles of 4 x 16 sites,
/// numbered tile by tile (tiles row after row, sites row after row within a tile), so that most
/// of a site's neighbours are stored a few bytes from it rather than a row of L sites away: on a
/// lattice far beyond the caches an event then reads fewer cache lines and pages. Same model and
/// same statistics; a different agent numbering, hence a different trajectory for the same seed.
enum class LatticeOrder { rows, tiles };

/// Where each site of an L x L lattice is stored, for either order.
struct LatticeLayout {
  static constexpr std::uint32_t kTileWidth = 4;
  static constexpr std::uint32_t kTileHeight = 16;
  static constexpr std::uint32_t kTileSites = kTileWidth * kTileHeight;
  std::uint32_t side = 0;
  LatticeOrder order = LatticeOrder::rows;

  /// True when the order can number this lattice (tiles: L a multiple of the tile's width and height).
  [[nodiscard]] static bool fits(std::uint32_t side, LatticeOrder order) noexcept {
    return order == LatticeOrder::rows || (side % kTileWidth == 0 && side % kTileHeight == 0);
  }
  [[nodiscard]] AgentIndex index(std::uint32_t x, std::uint32_t y) const noexcept {
    if (order == LatticeOrder::rows) return y * side + x;
    const AgentIndex tile = (y / kTileHeight) * (side / kTileWidth) + x / kTileWidth;
    return tile * kTileSites + (y % kTileHeight) * kTileWidth + x % kTileWidth;
  }
  /// The site of agent `index` (0 <= index < L^2), as {x, y}.
  [[nodiscard]] std::array<std::uint32_t, 2> site(AgentIndex index) const noexcept {
    if (order == LatticeOrder::rows) return {index % side, index / side};
    const AgentIndex tile = index / kTileSites;
    const AgentIndex within = index % kTileSites;
    const std::uint32_t tiles_per_row = side / kTileWidth;
    return {(tile % tiles_per_row) * kTileWidth + within % kTileWidth, (tile / tiles_per_row) * kTileHeight + within / kTileWidth};
  }
};

struct LatticeSpec {
  std::uint32_t side = 10;
  Boundary boundary = Boundary::open;
  Neighborhood neighborhood = Neighborhood::von_neumann;
  std::uint32_t radius = 1;  ///< von Neumann radius, used with Neighborhood::radius
  LatticeOrder order = LatticeOrder::rows;
};

class Network {
 public:
  Network() = default;
  /// Builds from an undirected edge list (each edge once, no self-loops or duplicates); neighbour
  /// lists come out sorted by index.
  Network(AgentIndex size, const std::vector<std::pair<AgentIndex, AgentIndex>>& edges);
  /// Builds from ready CSR arrays (offsets has size + 1 entries); the caller guarantees symmetry.
  Network(HugeVector<std::uint32_t> offsets, HugeVector<AgentIndex> neighbors);

  [[nodiscard]] AgentIndex size() const noexcept { return static_cast<AgentIndex>(offsets_.size() - 1); }
  [[nodiscard]] std::uint32_t degree(AgentIndex i) const noexcept { return offsets_[i + 1] - offsets_[i]; }
  [[nodiscard]] std::span<const AgentIndex> neighbors(AgentIndex i) const noexcept { return {neighbors_.data() + offsets_[i], degree(i)}; }
  /// Number of undirected edges.
  [[nodiscard]] std::uint64_t edge_count() const noexcept { return neighbors_.size() / 2; }
  [[nodiscard]] const HugeVector<std::uint32_t>& offsets() const noexcept { return offsets_; }
  [[nodiscard]] const HugeVector<AgentIndex>& neighbor_array() const noexcept { return neighbors_; }
  /// The side L when the network is a periodic von Neumann L x L lattice, or several identical
  /// ones side by side (a world of such localities); 0 otherwise. Lets hot loops compute a
  /// neighbour instead of reading it: neighbour k of agent a is the k-th of neighbors(a), in the
  /// same order (up, left, right, down).
  [[nodiscard]] std::uint32_t periodic_lattice_side() const noexcept { return lattice_side_; }
  /// The numbering of those lattices' sites (meaningful when periodic_lattice_side() != 0).
  [[nodiscard]] LatticeOrder lattice_order() const noexcept { return lattice_order_; }
  void set_periodic_lattice(std::uint32_t side, LatticeOrder order) noexcept {
    lattice_side_ = side;
    lattice_order_ = order;
  }
  /// Bytes held by the adjacency arrays.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return offsets_.size() * sizeof(std::uint32_t) + neighbors_.size() * sizeof(AgentIndex);
  }

 private:
  HugeVector<std::uint32_t> offsets_{0};  // on huge pages: see glocal/core/huge_pages.hpp
  HugeVector<AgentIndex> neighbors_;
  std::uint32_t lattice_side_ = 0;
  LatticeOrder lattice_order_ = LatticeOrder::rows;
};

/// Neighbour k (0 up, 1 left, 2 right, 3 down: the order of Network::neighbors) of an agent of a
/// network whose periodic_lattice_side() is L, computed from the index: exact divisions by
/// multiply-high with a precomputed reciprocal, no memory reads. Either lattice order.
class LatticeNeighbors {
 public:
  LatticeNeighbors() = default;
  /// `agents`: the network's size when it is one lattice (L^2), which spares a division per call.
  explicit LatticeNeighbors(std::uint32_t side, std::uint32_t agents = 0, LatticeOrder order = LatticeOrder::rows) noexcept
      : side_(side),
        cells_(side * side),
        by_side_(reciprocal(side)),
        by_cells_(reciprocal(side * side)),
        by_tile_row_(reciprocal(std::max<std::uint32_t>(side / LatticeLayout::kTileWidth, 2))),
        single_(agents == side * side),
        tiles_(order == LatticeOrder::tiles),
        inverse_side_(side != 0 ? 1.0 / side : 0.0),
        inverse_cells_(side != 0 ? 1.0 / (static_cast<double>(side) * side) : 0.0),
        // Whole tiles per row: the division is meant to be an integer one.
        // NOLINTNEXTLINE(bugprone-integer-division)
        inverse_tile_row_(side >= LatticeLayout::kTileWidth ? 1.0 / (side / LatticeLayout::kTileWidth) : 0.0) {}
  [[nodiscard]] AgentIndex operator()(AgentIndex agent, std::uint32_t k) const noexcept {
    return tiles_ ? tiled(agent, locate_tile(agent), k) : in_rows(agent, k);
  }
  [[nodiscard]] std::uint32_t side() const noexcept { return side_; }
  [[nodiscard]] std::uint32_t cells() const noexcept { return cells_; }
  [[nodiscard]] bool tiles() const noexcept { return tiles_; }
  /// True when the network is this one lattice (no division by L^2 to find the lattice).
  [[nodiscard]] bool single() const noexcept { return single_; }
  /// 1/L, 1/L^2 and 1/(L/4) (tiles per row of tiles) in double precision (vectorised divisions
  /// start from them, then correct).
  [[nodiscard]] double inverse_side() const noexcept { return inverse_side_; }
  [[nodiscard]] double inverse_cells() const noexcept { return inverse_cells_; }
  [[nodiscard]] double inverse_tile_row() const noexcept { return inverse_tile_row_; }
  /// All four neighbours, in order, locating the agent once.
  [[nodiscard]] std::array<AgentIndex, 4> all(AgentIndex agent) const noexcept {
    if (tiles_) {
      const Tile t = locate_tile(agent);
      return {tiled(agent, t, 0), tiled(agent, t, 1), tiled(agent, t, 2), tiled(agent, t, 3)};
    }
    const Site s = locate(agent);
    return {s.y == 0 ? agent + cells_ - side_ : agent - side_, s.x == 0 ? agent + side_ - 1 : agent - 1,
            s.x == side_ - 1 ? agent - (side_ - 1) : agent + 1, s.y == side_ - 1 ? agent - (cells_ - side_) : agent + side_};
  }

 private:
  struct Site {
    AgentIndex base;  ///< the first agent of its lattice
    AgentIndex x;
    AgentIndex y;
  };
  [[nodiscard]] AgentIndex base_of(AgentIndex agent) const noexcept { return single_ ? 0 : divide(agent, by_cells_) * cells_; }
  [[nodiscard]] Site locate(AgentIndex agent) const noexcept {  // rows
    const AgentIndex base = base_of(agent);
    const AgentIndex within = agent - base;
    const AgentIndex y = divide(within, by_side_);
    return {base, within - y * side_, y};
  }
  [[nodiscard]] AgentIndex in_rows(AgentIndex agent, std::uint32_t k) const noexcept {
    // Branch-free (k is random): a step of `stride` along the row (k = 1, 2) or the column
    // (k = 0, 3), forward for k >= 2; at the edge it comes back around by `span` instead.
    const Site site = locate(agent);
    const bool along_row = k - 1 < 2;
    const bool forward = k >= 2;
    const AgentIndex coordinate = along_row ? site.x : site.y;
    const AgentIndex stride = along_row ? 1 : side_;
    const AgentIndex span = along_row ? side_ : cells_;
    const AgentIndex step = coordinate == (forward ? side_ - 1 : 0) ? stride - span : stride;  // modulo 2^32
    return forward ? agent + step : agent - step;
  }
  struct Tile {         // an agent's place in the tiles order
    AgentIndex column;  ///< within its tile: 0..3 along the row
    AgentIndex row;     ///< within its tile: 0..15 down the column
    AgentIndex tile_x;  ///< its tile's column among the L/4 of a row of tiles
    AgentIndex tile_y;  ///< its tile's row among the L/16
  };
  [[nodiscard]] Tile locate_tile(AgentIndex agent) const noexcept {
    constexpr AgentIndex kWidth = LatticeLayout::kTileWidth;
    constexpr AgentIndex kSites = LatticeLayout::kTileSites;
    const AgentIndex within = agent - base_of(agent);
    const AgentIndex tile = within / kSites;
    const AgentIndex tile_y = divide(tile, by_tile_row_);
    return {within % kWidth, (within % kSites) / kWidth, tile - tile_y * (side_ / kWidth), tile_y};
  }
  [[nodiscard]] AgentIndex tiled(AgentIndex agent, const Tile& t, std::uint32_t k) const noexcept {
    // The same step, in two levels: within the tile (stride 1 along a row of 4 sites, 4 along a
    // column of 16) unless at the tile's edge; then to the next tile (stride 64 along a row of
    // tiles, 64 L/4 along a column), less the way back across the tile; at the lattice's edge, the
    // whole row (column) of tiles back around as well.
    constexpr AgentIndex kWidth = LatticeLayout::kTileWidth;
    constexpr AgentIndex kSites = LatticeLayout::kTileSites;
    const AgentIndex tiles_per_row = side_ / kWidth;
    const bool along_row = k - 1 < 2;
    const bool forward = k >= 2;
    const AgentIndex inner = along_row ? t.column : t.row;
    const AgentIndex outer = along_row ? t.tile_x : t.tile_y;
    const AgentIndex inner_last = along_row ? kWidth - 1 : LatticeLayout::kTileHeight - 1;
    const AgentIndex outer_last = along_row ? tiles_per_row - 1 : side_ / LatticeLayout::kTileHeight - 1;
    const AgentIndex stride = along_row ? 1 : kWidth;
    const AgentIndex tile_stride = along_row ? kSites : kSites * tiles_per_row;
    const AgentIndex tile_span = along_row ? kSites * tiles_per_row : cells_;
    AgentIndex step = stride;
    if (inner == (forward ? inner_last : 0)) {
      step = tile_stride - inner_last * stride;  // modulo 2^32, as below
      if (outer == (forward ? outer_last : 0)) step -= tile_span;
    }
    return forward ? agent + step : agent - step;
  }
  // floor(2^64 / d) + 1: then floor(n * r / 2^64) = floor(n / d) for every n < 2^32 (d >= 2).
  static std::uint64_t reciprocal(std::uint64_t d) noexcept {
    __extension__ using u128 = unsigned __int128;
    return static_cast<std::uint64_t>((static_cast<u128>(1) << 64) / d + 1);
  }
  static AgentIndex divide(AgentIndex n, std::uint64_t r) noexcept {
    __extension__ using u128 = unsigned __int128;
    return static_cast<AgentIndex>((static_cast<u128>(n) * r) >> 64);
  }
  std::uint32_t side_ = 0;
  std::uint32_t cells_ = 0;
  std::uint64_t by_side_ = 0;
  std::uint64_t by_cells_ = 0;
  std::uint64_t by_tile_row_ = 0;
  bool single_ = false;
  bool tiles_ = false;
  double inverse_side_ = 0.0;
  double inverse_cells_ = 0.0;
  double inverse_tile_row_ = 0.0;
};

/// The offsets (dx, dy) of a lattice neighbourhood, in the order neighbours are listed:
/// by distance |dx| + |dy| (then Chebyshev), then dy, then dx. von Neumann: 4; Moore: 8;
/// diamond: Moore plus (+-2, 0), (0, +-2) = 12; radius r: every offset with 1 <= |dx|+|dy| <= r.
[[nodiscard]] std::vector<std::pair<int, int>> neighborhood_offsets(Neighborhood kind, std::uint32_t radius);

/// Largest |dx| or |dy| in the neighbourhood (a periodic lattice needs side > 2 * reach).
[[nodiscard]] std::uint32_t neighborhood_reach(Neighborhood kind, std::uint32_t radius);

/// A 2D square lattice. Throws std::invalid_argument if the side is too small for a periodic
/// neighbourhood (the scenario loader checks this first, with a located message).
[[nodiscard]] Network make_lattice(const LatticeSpec& spec);
/// A ring where each node links to the `degree / 2` nearest nodes on each side (degree even).
[[nodiscard]] Network make_ring(AgentIndex size, std::uint32_t degree);
/// Watts & Strogatz (1998): the ring, then each edge (i, i + j) rewired with probability `rewire`
/// to (i, u), u uniform among nodes that are neither i nor already linked to i.
/// `stream` selects an independent random stream (one per locality).
[[nodiscard]] Network make_small_world(AgentIndex size, std::uint32_t degree, double rewire, const Rng& rng, std::uint64_t stream = 0);
/// Erdős–Rényi G(n, p) with p = mean_degree / (n - 1), by geometric skipping
/// (Batagelj & Brandes 2005), O(n + m).
[[nodiscard]] Network make_random(AgentIndex size, double mean_degree, const Rng& rng, std::uint64_t stream = 0);
/// Every pair linked. O(n^2) memory: the scenario loader caps n.
[[nodiscard]] Network make_complete(AgentIndex size);

}  // namespace glocal
