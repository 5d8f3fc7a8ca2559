#include "glocal/world/renewal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <utility>
#include <vector>

namespace glocal {
namespace {

/// Two nations: A with localities of 30 and 20 agents, B with one of 50.
Places three_localities() {
  WorldLayout layout;
  layout.blocs = {"bloc"};
  layout.nations = {{"A", "", 0, {30, 20}, {}}, {"B", "", 0, {50}, {}}};
  return Places(layout);
}

TEST(Renewal, EveryLocalityReachesItsTargetAndStaysOneRange) {
  const Places places = three_localities();
  const Rng rng(3, 1);
  const std::vector<AgentIndex> targets = {35, 12, 50};  // grow, shrink, stay
  const Renewal plan = plan_renewal(places, targets, 0.1, rng, 7);
  ASSERT_EQ(plan.agents(), 97U);
  EXPECT_EQ(plan.locality_first, (std::vector<AgentIndex>{0, 35, 47, 97}));
  EXPECT_EQ(plan.locality_first_before, (std::vector<AgentIndex>{0, 30, 50, 100}));
  std::size_t survivors = 0;
  for (std::uint32_t l = 0; l < 3; ++l) {
    const AgentRange before = places.place(Scale::locality, l);
    AgentIndex last_survivor = 0;
    bool newborns_started = false;
    for (AgentIndex i = plan.locality_first[l]; i < plan.locality_first[l + 1]; ++i) {
      const AgentIndex source = plan.source[i];
      EXPECT_GE(source, before.first);  // parents and survivors come from the same locality
      EXPECT_LT(source, before.first + before.size);
      if (plan.is_born(i)) {
        newborns_started = true;
        EXPECT_NE(plan.after[source], Renewal::kDead);  // a parent among the survivors (some always survive here)
      } else {
        EXPECT_FALSE(newborns_started) << "survivors first, then newborns";
        EXPECT_EQ(plan.after[source], i);
        EXPECT_GE(source, last_survivor);  // in their old order
        last_survivor = source;
        ++survivors;
      }
    }
  }
  // Every agent before either survived or left an estate to an heir of its own locality after.
  EXPECT_EQ(survivors + plan.estates.size(), 100U);
  for (const auto& [dead, heir] : plan.estates) {
    EXPECT_EQ(plan.after[dead], Renewal::kDead);
    const std::uint32_t l = places.place_of(dead, Scale::locality);
    EXPECT_GE(heir, plan.locality_first[l]);
    EXPECT_LT(heir, plan.locality_first[l + 1]);
  }
  EXPECT_EQ(plan.born.size(), 97U - survivors);
  // Same stream, same plan: deaths and births are a function of the seed, run and tick.
  const Renewal again = plan_renewal(places, targets, 0.1, rng, 7);
  EXPECT_EQ(again.source, plan.source);
  EXPECT_EQ(again.estates, plan.estates);
  EXPECT_NE(plan_renewal(places, targets, 0.1, rng, 8).source, plan.source);
}

TEST(Renewal, DeathsFollowTheDeathRateWhenTheTargetAllowsThem) {
  // A locality of 1,000 agents kept at 1,000 with death rate 0.05: deaths ~ Binomial(1000, 0.05)
  // per tick, so over 200 ticks their mean is 50 +- 3 x sqrt(0.0475 x 1000 / 200) = 50 +- 1.5.
  WorldLayout layout;
  layout.blocs = {"b"};
  layout.nations = {{"A", "", 0, {1000}, {}}};
  const Places places(layout);
  const Rng rng(11, 2);
  const std::vector<AgentIndex> targets = {1000};
  double deaths = 0;
  for (std::uint64_t tick = 1; tick <= 200; ++tick)
    deaths += static_cast<double>(plan_renewal(places, targets, 0.05, rng, tick).estates.size());
  EXPECT_NEAR(deaths / 200.0, 50.0, 1.5);
}

TEST(Renewal, ALocalityWhoseAgentsAllDieIsRepeopledByTheirChildren) {
  WorldLayout layout;
  layout.blocs = {"b"};
  layout.nations = {{"A", "", 0, {4}, {}}};
  const Places places(layout);
  const std::vector<AgentIndex> targets = {6};
  const Renewal plan = plan_renewal(places, targets, 1.0, Rng(1, 1), 1);
  EXPECT_EQ(plan.agents(), 6U);
  EXPECT_EQ(plan.born.size(), 6U);
  EXPECT_EQ(plan.estates.size(), 4U);
  for (const AgentIndex child : plan.born) EXPECT_LT(plan.source[child], 4U);
}

TEST(Renewal, GatherCarriesSurvivorsAndGivesNewbornsTheirParentsRow) {
  const Places places = three_localities();
  const std::vector<AgentIndex> targets = {40, 25, 45};
  const Renewal plan = plan_renewal(places, targets, 0.2, Rng(5, 5), 3);
  std::vector<std::uint8_t> rows(100 * 3 + 8, 0);
  for (AgentIndex i = 0; i < 100; ++i) {
    for (std::size_t f = 0; f < 3; ++f) rows[i * 3 + f] = static_cast<std::uint8_t>(i + f);
  }
  plan.gather_rows(rows, 3, 8);
  ASSERT_EQ(rows.size(), 110U * 3 + 8);
  for (AgentIndex i = 0; i < plan.agents(); ++i) {
    for (std::size_t f = 0; f < 3; ++f) EXPECT_EQ(rows[i * 3 + f], static_cast<std::uint8_t>(plan.source[i] + f));
  }
  for (std::size_t k = 0; k < 8; ++k) EXPECT_EQ(rows[110 * 3 + k], 0);
}

TEST(Renewal, RandomNetworksKeepSurvivorsTiesAndTheirMeanDegree) {
  // 3 localities of an Erdos-Renyi graph with z = 6: after a renewal that grows them by about a
  // quarter, every tie between two survivors is kept, every newborn is tied to its parent, and
  // each locality's mean degree is within 0.5 of 6 (the newborns restore it).
  const Places places = three_localities();
  const Rng rng(9, 4);
  const Network before =
      join_localities(3, [&](std::uint32_t l) { return make_random(places.place(Scale::locality, l).size, 6.0, rng, l); });
  const std::vector<AgentIndex> targets = {38, 25, 62};
  const Renewal plan = plan_renewal(places, targets, 0.05, rng, 1);
  const Network after = renew_random_network(before, plan, 6.0, rng);
  ASSERT_EQ(after.size(), plan.agents());
  const auto linked = [](const Network& network, AgentIndex a, AgentIndex b) {
    const auto n = network.neighbors(a);
    return std::find(n.begin(), n.end(), b) != n.end();
  };
  for (AgentIndex i = 0; i < before.size(); ++i) {
    if (plan.after[i] == Renewal::kDead) continue;
    for (const AgentIndex j : before.neighbors(i)) {
      if (plan.after[j] != Renewal::kDead) {
        EXPECT_TRUE(linked(after, plan.after[i], plan.after[j]));
      }
    }
  }
  for (const AgentIndex child : plan.born) EXPECT_TRUE(linked(after, child, plan.after[plan.source[child]]));
  for (std::uint32_t l = 0; l < 3; ++l) {
    std::uint64_t degree = 0;
    for (AgentIndex i = plan.locality_first[l]; i < plan.locality_first[l + 1]; ++i) {
      degree += after.degree(i);
      for (const AgentIndex j : after.neighbors(i)) {  // ties stay inside the locality
        EXPECT_GE(j, plan.locality_first[l]);
        EXPECT_LT(j, plan.locality_first[l + 1]);
      }
    }
    EXPECT_NEAR(static_cast<double>(degree) / targets[l], 6.0, 0.5) << "locality " << l;
  }
  // The rows of Network(size, edges) on its own ties: each sorted, without repeats, symmetric.
  std::vector<std::pair<AgentIndex, AgentIndex>> ties;
  for (AgentIndex i = 0; i < after.size(); ++i) {
    const auto row = after.neighbors(i);
    EXPECT_TRUE(std::adjacent_find(row.begin(), row.end(), std::greater_equal<>()) == row.end()) << "row " << i;
    for (const AgentIndex j : row) {
      EXPECT_TRUE(linked(after, j, i));
      if (j > i) ties.emplace_back(i, j);
    }
  }
  const Network rebuilt(after.size(), ties);
  EXPECT_TRUE(std::equal(rebuilt.offsets().begin(), rebuilt.offsets().end(), after.offsets().begin(), after.offsets().end()));
  EXPECT_TRUE(std::equal(rebuilt.neighbor_array().begin(), rebuilt.neighbor_array().end(), after.neighbor_array().begin(),
                         after.neighbor_array().end()));
}

}  // namespace
}  // namespace glocal
