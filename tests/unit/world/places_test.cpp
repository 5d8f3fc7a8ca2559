#include "glocal/world/places.hpp"

#include <gtest/gtest.h>

#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal {
namespace {

TEST(Places, EveryPlaceIsOneContiguousRange) {
  const Places places(PlaceShape{2, 3, 4, 10});  // 2 blocs x 3 nations x 4 localities x 10 agents
  EXPECT_EQ(places.agents(), 240U);
  EXPECT_EQ(places.count(Scale::locality), 24U);
  EXPECT_EQ(places.count(Scale::nation), 6U);
  EXPECT_EQ(places.count(Scale::bloc), 2U);
  EXPECT_EQ(places.count(Scale::world), 1U);
  // Agent 57: locality 5 = [50, 60), nation 1 = [40, 80), bloc 0 = [0, 120), world [0, 240).
  EXPECT_EQ(places.range(57, Scale::locality).first, 50U);
  EXPECT_EQ(places.range(57, Scale::locality).size, 10U);
  EXPECT_EQ(places.range(57, Scale::nation).first, 40U);
  EXPECT_EQ(places.range(57, Scale::nation).size, 40U);
  EXPECT_EQ(places.range(57, Scale::bloc).first, 0U);
  EXPECT_EQ(places.range(57, Scale::bloc).size, 120U);
  EXPECT_EQ(places.range(239, Scale::bloc).first, 120U);
  EXPECT_EQ(places.range(57, Scale::world).size, 240U);
  EXPECT_EQ(places.place_of(57, Scale::nation), 1U);
  EXPECT_THROW(Places(PlaceShape{1000, 1000, 1000, 10}), std::invalid_argument);
}

TEST(Places, UnequalPlacesUseOffsetTables) {
  // Bloc "north": nation A (2 localities of 3), bloc "south": B (1 of 5), C (3 of 2).
  WorldLayout layout;
  layout.blocs = {"north", "south"};
  layout.nations = {{"A", "n", 0, {3, 3}, {"a1", "a2"}}, {"B", "s", 1, {5}, {}}, {"C", "s", 1, {2, 2, 2}, {}}};
  const Places places(layout);
  EXPECT_FALSE(places.uniform());
  EXPECT_EQ(places.agents(), 17U);
  EXPECT_EQ(places.count(Scale::locality), 6U);
  EXPECT_EQ(places.count(Scale::nation), 3U);
  EXPECT_EQ(places.count(Scale::bloc), 2U);
  // Localities start at 0, 3 (A), 6 (B), 11, 13, 15 (C).
  EXPECT_EQ(places.place_of(12, Scale::locality), 3U);
  EXPECT_EQ(places.range(12, Scale::locality).first, 11U);
  EXPECT_EQ(places.range(12, Scale::locality).size, 2U);
  EXPECT_EQ(places.range(12, Scale::nation).first, 11U);
  EXPECT_EQ(places.range(12, Scale::nation).size, 6U);
  EXPECT_EQ(places.range(12, Scale::bloc).first, 6U);
  EXPECT_EQ(places.range(12, Scale::bloc).size, 11U);
  EXPECT_EQ(places.range(12, Scale::world).size, 17U);
  EXPECT_EQ(places.place_of(7, Scale::nation), 1U);
  EXPECT_EQ(places.place_of(16, Scale::bloc), 1U);
  EXPECT_EQ(places.name(Scale::locality, 1), "a2");
  EXPECT_EQ(places.name(Scale::locality, 4), "C-2");
  EXPECT_EQ(places.name(Scale::bloc, 1), "south");
  EXPECT_EQ(places.group(Scale::locality, 0), "n");
  EXPECT_EQ(places.group(Scale::bloc, 1), "s");  // B and C share it
  // Every agent's range holds it, at every scale.
  for (AgentIndex i = 0; i < places.agents(); ++i) {
    for (const Scale s : {Scale::locality, Scale::nation, Scale::bloc, Scale::world}) {
      const AgentRange r = places.range(i, s);
      EXPECT_TRUE(r.first <= i && i < r.first + r.size) << i;
      EXPECT_EQ(places.place(s, places.place_of(i, s)).first, r.first);
    }
  }
  WorldLayout unordered = layout;
  std::swap(unordered.nations[0], unordered.nations[1]);
  EXPECT_THROW(Places{unordered}, std::invalid_argument);  // a bloc's nations must be adjacent
}

TEST(Places, JoinedLocalitiesHaveNoLinksBetweenThem) {
  const Network ring = make_ring(5, 2);
  const Network world = join_localities(3, [&](std::uint32_t) { return ring; });
  ASSERT_EQ(world.size(), 15U);
  EXPECT_EQ(world.edge_count(), 15U);
  for (AgentIndex i = 0; i < 15; ++i) {
    for (const AgentIndex j : world.neighbors(i)) EXPECT_EQ(i / 5, j / 5) << i << "-" << j;
  }
}

TEST(Places, AScenarioNumbersItsLatticesInTiles) {
  // world.lattice.order reaches the network of every locality, and the world keeps computed
  // neighbours (one periodic lattice size, one order).
  const Scenario scenario = Scenario::parse(
      "[world]\nlocalities_per_nation = 3\n[world.lattice]\nside = 32\nboundary = \"periodic\"\norder = \"tiles\"\n[culture]\n", "s.toml");
  const WorldSpec spec = world_spec(scenario);
  const Places places = spec.places();
  const Network world = spec.network_of(places, Rng(1, 0));
  ASSERT_EQ(world.size(), 3U * 32U * 32U);
  EXPECT_EQ(world.periodic_lattice_side(), 32U);
  EXPECT_EQ(world.lattice_order(), LatticeOrder::tiles);
  const LatticeLayout tiles{32, LatticeOrder::tiles};
  const AgentIndex second = 32U * 32U;  // the second locality's first agent
  const auto around = world.neighbors(second + tiles.index(5, 20));
  EXPECT_EQ(around[0], second + tiles.index(5, 19));  // up
  EXPECT_EQ(around[3], second + tiles.index(5, 21));  // down
}

}  // namespace
}  // namespace glocal
