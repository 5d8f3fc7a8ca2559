#include "glocal/world/places.hpp"

#include <gtest/gtest.h>

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

TEST(Places, JoinedLocalitiesHaveNoLinksBetweenThem) {
  const Network ring = make_ring(5, 2);
  const Network world = join_localities(3, [&](std::uint32_t) { return ring; });
  ASSERT_EQ(world.size(), 15U);
  EXPECT_EQ(world.edge_count(), 15U);
  for (AgentIndex i = 0; i < 15; ++i) {
    for (const AgentIndex j : world.neighbors(i)) EXPECT_EQ(i / 5, j / 5) << i << "-" << j;
  }
}

}  // namespace
}  // namespace glocal
