#include "glocal/metrics/culture_metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "glocal/world/places.hpp"

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
  EXPECT_EQ(culture_census(view, AgentRange{0, 6}, CultureCatalog{}).distinct, 3U);
  EXPECT_EQ(active_edges(view, net), 1U);  // only 1-2 has 0 < o < F
}

TEST(CultureMetrics, RegionsFollowTheNetworkNotIdentityAlone) {
  // Two agents with the same culture but not linked are two regions, one culture.
  const Network net(2, {});
  const std::vector<std::uint8_t> traits = {4, 4, 4, 4};
  const CultureView view{traits.data(), 2, 2};
  EXPECT_EQ(cultural_regions(view, net).count, 2U);
  EXPECT_EQ(culture_census(view, AgentRange{0, 2}, CultureCatalog{}).distinct, 1U);
}

TEST(CultureMetrics, CatalogAndNovelShare) {
  const std::vector<std::uint8_t> initial = {0, 1, 2, 0, 1, 2, 5, 5, 5};
  const CultureCatalog catalog(CultureView{initial.data(), 3, 3});
  EXPECT_EQ(catalog.size(), 2U);
  const std::vector<std::uint8_t> now = {0, 1, 2, 0, 1, 5, 5, 5, 5, 9, 9, 9};
  // agent 0 old; agent 1 (0,1,5) new; agent 2 (5,5,5) old; agent 3 new
  const CultureCensus census = culture_census(CultureView{now.data(), 3, 4}, AgentRange{0, 4}, catalog);
  EXPECT_DOUBLE_EQ(static_cast<double>(census.novel_agents) / 4.0, 0.5);
}

TEST(CultureMetrics, CensusCountsNovelCulturesAmongDistinctOnes) {
  const std::vector<std::uint8_t> initial = {0, 1, 2, 0, 1, 2, 5, 5, 5};
  const CultureCatalog catalog(CultureView{initial.data(), 3, 3});
  // (0,1,2) old, (0,1,5) new, (5,5,5) old, (9,9,9) new twice
  const std::vector<std::uint8_t> now = {0, 1, 2, 0, 1, 5, 5, 5, 5, 9, 9, 9, 9, 9, 9};
  const CultureCensus census = culture_census(CultureView{now.data(), 3, 5}, AgentRange{0, 5}, catalog);
  EXPECT_EQ(census.distinct, 4U);
  EXPECT_EQ(census.largest, 2U);
  EXPECT_EQ(census.novel_agents, 3U);
  EXPECT_EQ(census.novel_distinct, 2U);
  EXPECT_NEAR(census.entropy_bits, 3 * 0.2 * std::log2(5.0) + 0.4 * std::log2(2.5), 1e-12);
  const CultureCensus tail = culture_census(CultureView{now.data(), 3, 5}, AgentRange{3, 2}, catalog);
  EXPECT_EQ(tail.distinct, 1U);
  EXPECT_EQ(tail.novel_distinct, 1U);
}

TEST(CultureMetrics, PairOverlapWithinAndBetweenLocalitiesByHand) {
  // Locality 0: a = (0,0), b = (0,1); locality 1: c = (0,0), d = (1,1).
  // Within: o(a,b) = 1/2, o(c,d) = 0 -> 0.25. Between: a-c 1, a-d 0, b-c 1/2, b-d 1/2 -> 0.5.
  const std::vector<std::uint8_t> traits = {0, 0, 0, 1, 0, 0, 1, 1};
  const Places places(PlaceShape{1, 1, 2, 2});
  const PairOverlap world = pair_overlap(CultureView{traits.data(), 2, 4}, places, AgentRange{0, 4});
  EXPECT_DOUBLE_EQ(world.within, 0.25);
  EXPECT_DOUBLE_EQ(world.between, 0.5);
  const PairOverlap first = pair_overlap(CultureView{traits.data(), 2, 4}, places, places.place(Scale::locality, 0));
  EXPECT_DOUBLE_EQ(first.within, 0.5);
  EXPECT_TRUE(std::isnan(first.between));  // one locality: no pair between localities
}

TEST(CultureMetrics, PairOverlapMatchesAllPairsOnUnequalLocalities) {
  WorldLayout layout;
  layout.blocs = {"b"};
  layout.nations = {{"A", "", 0, {7, 3}, {}}, {"B", "", 0, {1, 9, 4}, {}}};
  const Places places(layout);
  const std::uint32_t features = 3;
  std::vector<std::uint8_t> traits(static_cast<std::size_t>(places.agents()) * features);
  for (std::size_t k = 0; k < traits.size(); ++k) traits[k] = static_cast<std::uint8_t>((k * 7919 + k / 5) % 4);
  const CultureView view{traits.data(), features, places.agents()};
  for (const AgentRange range : {AgentRange{0, places.agents()}, places.place(Scale::nation, 1)}) {
    double within = 0, within_pairs = 0, between = 0, between_pairs = 0;
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {
      for (AgentIndex j = i + 1; j < range.first + range.size; ++j) {
        const double o = overlap(view.of(i), view.of(j), features) / 3.0;
        const bool same = places.place_of(i, Scale::locality) == places.place_of(j, Scale::locality);
        (same ? within : between) += o;
        (same ? within_pairs : between_pairs) += 1;
      }
    }
    const PairOverlap fast = pair_overlap(view, places, range);
    EXPECT_NEAR(fast.within, within / within_pairs, 1e-12);
    EXPECT_NEAR(fast.between, between / between_pairs, 1e-12);
  }
}

TEST(CultureMetrics, OverlapCountsAgreeingFeatures) {
  const std::uint8_t a[] = {1, 2, 3, 4};
  const std::uint8_t b[] = {1, 0, 3, 0};
  EXPECT_EQ(overlap(a, b, 4), 2U);
  EXPECT_EQ(overlap(a, a, 4), 4U);
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

// The radix sort behind the census gives exactly std::sort's order, for keys of 1 to 8 bytes,
// sizes on both sides of its switch from std::sort, and keys sharing bytes (skipped passes).
TEST(RadixSortKeys, GivesTheOrderOfStdSort) {
  std::uint64_t state = 12345;
  const auto next = [&] {  // splitmix64
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  for (const std::uint32_t bytes : {1U, 3U, 5U, 8U}) {
    for (const std::size_t size : {std::size_t{1000}, std::size_t{200000}}) {
      std::vector<std::uint64_t> keys(size);
      const std::uint64_t mask = bytes == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * bytes)) - 1;
      for (auto& k : keys) k = next() & mask & 0xFFFFFFFFFF00FFFFULL;  // byte 2 shared by every key
      std::vector<std::uint64_t> expected = keys;
      std::sort(expected.begin(), expected.end());
      radix_sort_keys(keys, bytes);
      EXPECT_EQ(keys, expected) << bytes << " bytes, " << size << " keys";
    }
  }
}

/// A random configuration of `agents` agents, F features, traits below q, padded by 8 bytes.
std::vector<std::uint8_t> random_traits(AgentIndex agents, std::uint32_t features, std::uint32_t traits, std::uint64_t seed) {
  const Rng rng(seed, 0);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(agents) * features + 8, 0);
  for (std::size_t k = 0; k < static_cast<std::size_t>(agents) * features; ++k) {
    out[k] = static_cast<std::uint8_t>(uniform_below(rng.block(k, 0, Purpose::culture_init)[0], traits));
  }
  return out;
}

/// The components of the links where `linked(overlap)`, by breadth-first search over the CSR rows:
/// the reference the union-find must agree with.
template <typename Linked>
Components components_by_search(const CultureView& view, const Network& network, Linked linked) {
  std::vector<bool> seen(view.agents, false);
  Components out;
  std::vector<AgentIndex> queue;
  for (AgentIndex start = 0; start < view.agents; ++start) {
    if (seen[start]) continue;
    seen[start] = true;
    queue.assign(1, start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (const AgentIndex j : network.neighbors(queue[head])) {
        if (!seen[j] && linked(overlap(view.of(queue[head]), view.of(j), view.features))) {
          seen[j] = true;
          queue.push_back(j);
        }
      }
    }
    ++out.count;
    out.largest = std::max<std::uint64_t>(out.largest, queue.size());
  }
  return out;
}

TEST(CultureMetrics, TheLinkCensusAgreesWithASearchOnEveryKindOfNetwork) {
  // Regions, zones and active links in one pass (union-find, and on periodic lattices neighbours
  // computed instead of read) against a breadth-first search and a count over the CSR rows: rows
  // and tiles orders, three lattices side by side, a lattice with open edges and a small world;
  // vectors compared packed (a padded view) and byte by byte. q = 2 and F = 3 so that regions
  // and zones are both large.
  const LatticeSpec rows{32, Boundary::periodic};
  const LatticeSpec tiles{32, Boundary::periodic, Neighborhood::von_neumann, 1, LatticeOrder::tiles};
  const LatticeSpec open{20, Boundary::open, Neighborhood::moore};
  const std::vector<Network> networks = {make_lattice(rows), make_lattice(tiles),
                                         join_localities(3, [&](std::uint32_t) { return make_lattice(rows); }), make_lattice(open),
                                         make_small_world(1000, 4, 0.1, Rng(3, 0), 0)};
  for (std::size_t n = 0; n < networks.size(); ++n) {
    const Network& network = networks[n];
    for (const std::uint32_t traits : {2U, 3U}) {
      const std::vector<std::uint8_t> column = random_traits(network.size(), 3, traits, 10 + n);
      for (const bool padded : {false, true}) {
        const CultureView view{column.data(), 3, network.size(), 256, padded};
        const LinkCensus links = link_census(view, network);
        const Components regions = components_by_search(view, network, [](std::uint32_t same) { return same == 3; });
        const Components zones = components_by_search(view, network, [](std::uint32_t same) { return same > 0; });
        std::uint64_t active = 0;
        for (AgentIndex i = 0; i < network.size(); ++i) {
          for (const AgentIndex j : network.neighbors(i)) active += j > i && active_pair(overlap(view.of(i), view.of(j), 3), 3) ? 1 : 0;
        }
        SCOPED_TRACE(testing::Message() << "network " << n << ", q " << traits << ", packed " << padded);
        EXPECT_EQ(links.regions.count, regions.count);
        EXPECT_EQ(links.regions.largest, regions.largest);
        EXPECT_EQ(links.zones.count, zones.count);
        EXPECT_EQ(links.zones.largest, zones.largest);
        EXPECT_EQ(links.active, active);
        EXPECT_EQ(active_edges(view, network), active);
        EXPECT_GT(regions.largest, 1U);
      }
    }
  }
}

TEST(CultureMetrics, TheCensusCountedInATableIsTheCensusBySorting) {
  // Where q^F is small the census counts vectors in a table; a view that states no bound (256)
  // sorts. Same distinct count, largest, novelty and, to the bit, entropy (the table is read in
  // the vectors' lexicographic order, the order the sorted keys tally in). A trait at or above
  // the stated bound sends the census back to sorting, with the same result.
  const AgentIndex agents = 5000;
  const AgentIndex first_agents = 300;  // the initial catalogue holds some of the 5^4 vectors only
  std::vector<std::uint8_t> initial = random_traits(first_agents, 4, 5, 1);
  std::vector<std::uint8_t> now = random_traits(agents, 4, 5, 2);
  for (AgentIndex i = 0; i < first_agents; i += 3) std::copy_n(initial.data() + std::size_t{i} * 4, 4, now.data() + std::size_t{i} * 4);
  const CultureView table_initial{initial.data(), 4, first_agents, 5};
  const CultureView sort_initial{initial.data(), 4, first_agents, 256};
  const CultureCatalog table_catalog(table_initial);
  const CultureCatalog sort_catalog(sort_initial);
  EXPECT_EQ(table_catalog.size(), sort_catalog.size());
  EXPECT_LT(table_catalog.size(), 625U);  // membership is tested both ways below
  const auto same_census = [](const CultureCensus& a, const CultureCensus& b) {
    EXPECT_EQ(a.agents, b.agents);
    EXPECT_EQ(a.distinct, b.distinct);
    EXPECT_EQ(a.largest, b.largest);
    EXPECT_EQ(a.novel_agents, b.novel_agents);
    EXPECT_EQ(a.novel_distinct, b.novel_distinct);
    EXPECT_EQ(a.entropy_bits, b.entropy_bits);  // bit for bit
  };
  for (const AgentRange range : {AgentRange{0, agents}, AgentRange{100, 1200}}) {
    const CultureCensus by_table = culture_census(CultureView{now.data(), 4, agents, 5}, range, table_catalog);
    const CultureCensus by_sort = culture_census(CultureView{now.data(), 4, agents, 256}, range, sort_catalog);
    same_census(by_table, by_sort);
    EXPECT_GT(by_sort.novel_agents, 0U);
    EXPECT_GT(by_sort.distinct - by_sort.novel_distinct, 0U);
  }
  for (std::uint8_t t0 = 0; t0 < 6; ++t0) {
    for (std::uint8_t t3 = 0; t3 < 6; ++t3) {
      const std::array<std::uint8_t, 4> v = {t0, 1, 2, t3};
      EXPECT_EQ(table_catalog.contains(v.data()), sort_catalog.contains(v.data()));
    }
  }
  now[7] = 9;  // agent 1 breaks the stated bound q = 5
  same_census(culture_census(CultureView{now.data(), 4, agents, 5}, AgentRange{0, agents}, table_catalog),
              culture_census(CultureView{now.data(), 4, agents, 256}, AgentRange{0, agents}, sort_catalog));
}

}  // namespace
}  // namespace glocal
