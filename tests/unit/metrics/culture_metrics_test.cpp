#include "glocal/metrics/culture_metrics.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace glocal {
namespace {


Network path(AgentIndex n) {
  std::vector<std::pair<AgentIndex, AgentIndex>> edges;
  for (AgentIndex i = 0; i + 1 < n; ++i) edges.emplace_back(i, i + 1);
  return Network(n, edges);
}

TEST(CultureMetrics, RegionsZonesAndLargestOnAHandMadePath) {
  const Network net = path(6);
  // cultures: A A B C C A  with A=(1,1) B=(1,2) C=(3,3)
  const std::vector<std::uint8_t> traits = {1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 1, 1};
  const CultureView view{traits.data(), 2, 6};
  const Components regions = cultural_regions(view, net);
  EXPECT_EQ(regions.count, 4U);  // {0,1} {2} {3,4} {5}
  EXPECT_EQ(regions.largest, 2U);
  const Components zones = cultural_zones(view, net);
  EXPECT_EQ(zones.count, 3U);  // {0,1,2} share trait 1; {3,4}; {5}
  EXPECT_EQ(zones.largest, 3U);
  EXPECT_EQ(distinct_cultures(view), 3U);
  EXPECT_EQ(active_edges(view, net), 1U);  // only 1-2 has 0 < o < F
}

TEST(CultureMetrics, RegionsFollowTheNetworkNotIdentityAlone) {
  // Two agents with the same culture but not linked are two regions, one culture.
  const Network net(2, {});
  const std::vector<std::uint8_t> traits = {4, 4, 4, 4};
  const CultureView view{traits.data(), 2, 2};
  EXPECT_EQ(cultural_regions(view, net).count, 2U);
  EXPECT_EQ(distinct_cultures(view), 1U);
}

TEST(CultureMetrics, CatalogAndNovelShare) {
  const std::vector<std::uint8_t> initial = {0, 1, 2, 0, 1, 2, 5, 5, 5};
  const CultureCatalog catalog(CultureView{initial.data(), 3, 3});
  EXPECT_EQ(catalog.size(), 2U);
  const std::vector<std::uint8_t> now = {0, 1, 2, 0, 1, 5, 5, 5, 5, 9, 9, 9};
  // agent 0 old; agent 1 (0,1,5) new; agent 2 (5,5,5) old; agent 3 new
  EXPECT_DOUBLE_EQ(novel_share(CultureView{now.data(), 3, 4}, catalog), 0.5);
}

TEST(CultureMetrics, OverlapCountsAgreeingFeatures) {
  const std::uint8_t a[] = {1, 2, 3, 4};
  const std::uint8_t b[] = {1, 0, 3, 0};
  EXPECT_EQ(overlap(a, b, 4), 2U);
  EXPECT_EQ(overlap(a, a, 4), 4U);
}

}  // namespace
}  // namespace glocal
