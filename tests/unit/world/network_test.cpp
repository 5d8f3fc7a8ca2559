#include "glocal/world/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace glocal {
namespace {

void expect_simple_undirected(const Network& net) {
  for (AgentIndex i = 0; i < net.size(); ++i) {
    const auto nbrs = net.neighbors(i);
    std::set<AgentIndex> unique(nbrs.begin(), nbrs.end());
    EXPECT_EQ(unique.size(), nbrs.size()) << "duplicate neighbour at " << i;
    EXPECT_EQ(unique.count(i), 0U) << "self-loop at " << i;
    for (const AgentIndex j : nbrs) {
      const auto back = net.neighbors(j);
      EXPECT_NE(std::find(back.begin(), back.end(), i), back.end()) << "edge " << i << "-" << j << " is one-way";
    }
  }
}

Network lattice(std::uint32_t side, Boundary b, Neighborhood n, std::uint32_t r = 1) { return make_lattice(LatticeSpec{side, b, n, r}); }

TEST(Lattice, OpenVonNeumannHasCornerDegreeTwoAndEdgeDegreeThree) {
  const Network net = lattice(10, Boundary::open, Neighborhood::von_neumann);
  ASSERT_EQ(net.size(), 100U);
  EXPECT_EQ(net.degree(0), 2U);       // corner (0, 0)
  EXPECT_EQ(net.degree(99), 2U);      // corner (9, 9)
  EXPECT_EQ(net.degree(5), 3U);       // edge (5, 0)
  EXPECT_EQ(net.degree(50), 3U);      // edge (0, 5)
  EXPECT_EQ(net.degree(55), 4U);      // interior
  EXPECT_EQ(net.edge_count(), 180U);  // 2 * 10 * 9
  const auto n55 = net.neighbors(55);
  EXPECT_EQ(std::set<AgentIndex>(n55.begin(), n55.end()), (std::set<AgentIndex>{45, 54, 56, 65}));
  expect_simple_undirected(net);
}

TEST(Lattice, MooreAndDiamondDegrees) {
  const Network moore = lattice(10, Boundary::open, Neighborhood::moore);
  EXPECT_EQ(moore.degree(0), 3U);
  EXPECT_EQ(moore.degree(5), 5U);
  EXPECT_EQ(moore.degree(55), 8U);
  const Network diamond = lattice(10, Boundary::open, Neighborhood::diamond);
  EXPECT_EQ(diamond.degree(0), 5U);  // 3 Moore + (2, 0) + (0, 2)
  EXPECT_EQ(diamond.degree(55), 12U);
  expect_simple_undirected(moore);
  expect_simple_undirected(diamond);
}

TEST(Lattice, RadiusNeighborhoodCountsManhattanBall) {
  EXPECT_EQ(neighborhood_offsets(Neighborhood::radius, 1).size(), 4U);
  EXPECT_EQ(neighborhood_offsets(Neighborhood::radius, 2).size(), 12U);
  EXPECT_EQ(neighborhood_offsets(Neighborhood::radius, 3).size(), 24U);  // 2 r (r + 1)
  const Network net = lattice(11, Boundary::periodic, Neighborhood::radius, 3);
  for (AgentIndex i = 0; i < net.size(); ++i) EXPECT_EQ(net.degree(i), 24U);
  expect_simple_undirected(net);
}

TEST(Lattice, PeriodicWrapsAround) {
  const Network net = lattice(5, Boundary::periodic, Neighborhood::von_neumann);
  const auto n0 = net.neighbors(0);
  EXPECT_EQ(std::set<AgentIndex>(n0.begin(), n0.end()), (std::set<AgentIndex>{1, 4, 5, 20}));
  for (AgentIndex i = 0; i < net.size(); ++i) EXPECT_EQ(net.degree(i), 4U);
  EXPECT_THROW((void)lattice(4, Boundary::periodic, Neighborhood::diamond), std::invalid_argument);
}

TEST(Lattice, TilesNumberTheSameLatticeDifferently) {
  // Every site has one index and back; in tiles the 64 sites of a 4 x 16 tile are consecutive;
  // and the lattice in tiles is the lattice in rows relabelled: the same neighbours, as sites, in
  // the same order, for each neighbourhood and boundary.
  const LatticeLayout rows{32, LatticeOrder::rows};
  const LatticeLayout tiles{32, LatticeOrder::tiles};
  std::set<AgentIndex> seen;
  for (std::uint32_t y = 0; y < 32; ++y) {
    for (std::uint32_t x = 0; x < 32; ++x) {
      const AgentIndex i = tiles.index(x, y);
      ASSERT_TRUE(seen.insert(i).second) << x << ", " << y;
      EXPECT_EQ(tiles.site(i), (std::array<std::uint32_t, 2>{x, y}));
      EXPECT_EQ(rows.site(rows.index(x, y)), (std::array<std::uint32_t, 2>{x, y}));
      EXPECT_EQ(i / 64, (y / 16) * 8 + x / 4) << "tile of " << x << ", " << y;
    }
  }
  EXPECT_EQ(*seen.rbegin(), 32U * 32U - 1U);
  for (const auto& [boundary, hood] :
       {std::pair{Boundary::periodic, Neighborhood::von_neumann}, std::pair{Boundary::open, Neighborhood::moore},
        std::pair{Boundary::periodic, Neighborhood::diamond}}) {
    const Network by_rows = make_lattice(LatticeSpec{32, boundary, hood, 1, LatticeOrder::rows});
    const Network by_tiles = make_lattice(LatticeSpec{32, boundary, hood, 1, LatticeOrder::tiles});
    expect_simple_undirected(by_tiles);
    for (std::uint32_t y = 0; y < 32; ++y) {
      for (std::uint32_t x = 0; x < 32; ++x) {
        const auto a = by_rows.neighbors(rows.index(x, y));
        const auto b = by_tiles.neighbors(tiles.index(x, y));
        ASSERT_EQ(a.size(), b.size());
        for (std::size_t k = 0; k < a.size(); ++k) ASSERT_EQ(rows.site(a[k]), tiles.site(b[k])) << x << ", " << y << " neighbour " << k;
      }
    }
  }
  const Network torus = make_lattice(LatticeSpec{32, Boundary::periodic, Neighborhood::von_neumann, 1, LatticeOrder::tiles});
  EXPECT_EQ(torus.periodic_lattice_side(), 32U);
  EXPECT_EQ(torus.lattice_order(), LatticeOrder::tiles);
  EXPECT_THROW((void)make_lattice(LatticeSpec{40, Boundary::periodic, Neighborhood::von_neumann, 1, LatticeOrder::tiles}),
               std::invalid_argument);
}

TEST(Graphs, RingAndComplete) {
  const Network ring = make_ring(10, 4);
  for (AgentIndex i = 0; i < 10; ++i) EXPECT_EQ(ring.degree(i), 4U);
  const auto n0 = ring.neighbors(0);
  EXPECT_EQ(std::set<AgentIndex>(n0.begin(), n0.end()), (std::set<AgentIndex>{1, 2, 8, 9}));
  expect_simple_undirected(ring);
  const Network complete = make_complete(7);
  for (AgentIndex i = 0; i < 7; ++i) EXPECT_EQ(complete.degree(i), 6U);
  EXPECT_EQ(complete.edge_count(), 21U);
}

TEST(Graphs, SmallWorldKeepsTheEdgeCountAndRewiresAboutBetaOfThem) {
  const Rng rng(5, 0);
  const Network zero = make_small_world(200, 4, 0.0, rng);
  const Network ring = make_ring(200, 4);
  EXPECT_EQ(zero.neighbor_array(), ring.neighbor_array());
  const Network sw = make_small_world(2000, 6, 0.2, rng);
  EXPECT_EQ(sw.edge_count(), 6000U);
  expect_simple_undirected(sw);
  // Edges no longer between ring neighbours: about 0.2 of 6000 (binomial sd ~31); 6 sd tolerance.
  std::uint64_t long_ties = 0;
  for (AgentIndex i = 0; i < sw.size(); ++i) {
    for (const AgentIndex j : sw.neighbors(i)) {
      const std::uint32_t gap = std::min((i + 2000 - j) % 2000, (j + 2000 - i) % 2000);
      long_ties += (j > i && gap > 3) ? 1 : 0;
    }
  }
  EXPECT_NEAR(static_cast<double>(long_ties), 1200.0, 6 * 31.0);
}

TEST(Graphs, RandomGraphHasTheRequestedMeanDegree) {
  // G(n, p), n = 20000, z = 4: edges ~ Binomial(n(n-1)/2, p), sd ~ 200 on 40000; 5 sd tolerance.
  const Rng rng(6, 0);
  const Network net = make_random(20000, 4.0, rng);
  EXPECT_NEAR(static_cast<double>(net.edge_count()), 40000.0, 5 * 200.0);
  expect_simple_undirected(net);
  const Network same = make_random(20000, 4.0, rng);
  EXPECT_EQ(net.neighbor_array(), same.neighbor_array());
}

}  // namespace
}  // namespace glocal
