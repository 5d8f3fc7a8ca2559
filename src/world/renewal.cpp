#include "glocal/world/renewal.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace glocal {

Renewal plan_renewal(const Places& places, std::span<const AgentIndex> targets, double death_rate, const Rng& rng, std::uint64_t tick) {
  const std::uint32_t localities = places.count(Scale::locality);
  if (targets.size() != localities) throw std::invalid_argument("plan_renewal: one target per locality");
  Renewal plan;
  plan.tick = tick;
  plan.before = places.agents();
  plan.after.assign(plan.before, Renewal::kDead);
  plan.locality_first.reserve(localities + 1);
  std::uint64_t total = 0;
  for (const AgentIndex target : targets) total += target;
  if (total >= 0xFFFFFFFFULL) throw std::invalid_argument("plan_renewal: 2^32 - 1 agents or more");
  plan.source.reserve(total);
  std::vector<AgentIndex> survivors;
  std::vector<AgentIndex> dead;
  for (std::uint32_t l = 0; l < localities; ++l) {
    const AgentRange range = places.place(Scale::locality, l);
    plan.locality_first_before.push_back(range.first);
    const AgentIndex target = targets[l];
    if (target == 0) throw std::invalid_argument("plan_renewal: a locality keeps at least one agent");
    RandomStream stream(rng, l, tick, Purpose::demography);
    survivors.clear();
    dead.clear();
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {
      (stream.next_unit() < death_rate ? dead : survivors).push_back(i);
    }
    if (survivors.size() > target) {  // more deaths, uniform among the survivors (partial Fisher-Yates)
      const std::size_t extra = survivors.size() - target;
      for (std::size_t k = 0; k < extra; ++k) std::swap(survivors[k], survivors[k + stream.next_below(survivors.size() - k)]);
      dead.insert(dead.end(), survivors.begin(), survivors.begin() + static_cast<std::ptrdiff_t>(extra));
      survivors.erase(survivors.begin(), survivors.begin() + static_cast<std::ptrdiff_t>(extra));
      std::sort(survivors.begin(), survivors.end());
      std::sort(dead.begin(), dead.end());
    }
    const AgentIndex first = static_cast<AgentIndex>(plan.source.size());
    plan.locality_first.push_back(first);
    for (const AgentIndex i : survivors) {
      plan.after[i] = static_cast<AgentIndex>(plan.source.size());
      plan.source.push_back(i);
    }
    const std::size_t births = target - survivors.size();
    for (std::size_t b = 0; b < births; ++b) {  // parents among the survivors, else among all who lived here
      const AgentIndex parent = survivors.empty() ? range.first + static_cast<AgentIndex>(stream.next_below(range.size))
                                                  : survivors[stream.next_below(survivors.size())];
      plan.born.push_back(static_cast<AgentIndex>(plan.source.size()));
      plan.source.push_back(parent);
    }
    for (const AgentIndex d : dead) plan.estates.emplace_back(d, first + static_cast<AgentIndex>(stream.next_below(target)));
  }
  plan.locality_first.push_back(static_cast<AgentIndex>(plan.source.size()));
  plan.locality_first_before.push_back(plan.before);
  return plan;
}

Network renew_random_network(const Network& network, const Renewal& renewal, double mean_degree, const Rng& rng) {
  std::vector<std::pair<AgentIndex, AgentIndex>> edges;
  edges.reserve(network.edge_count() + renewal.born.size() * static_cast<std::size_t>(std::ceil(mean_degree)));
  for (AgentIndex i = 0; i < network.size(); ++i) {  // ties among survivors
    const AgentIndex a = renewal.after[i];
    if (a == Renewal::kDead) continue;
    for (const AgentIndex j : network.neighbors(i)) {
      const AgentIndex b = renewal.after[j];
      if (j > i && b != Renewal::kDead) edges.emplace_back(a, b);
    }
  }
  // Per locality: the survivors' ties, then each newborn's: its parent and ties drawn uniformly
  // among the locality's agents, spread over the newborns so that the locality's mean degree is
  // mean_degree again (2 E / n), as far as the newborns can restore it.
  std::vector<std::uint64_t> locality_edges(renewal.locality_first.size() - 1, 0);
  std::size_t l = 0;
  for (const auto& [a, b] : edges) {
    while (a >= renewal.locality_first[l + 1]) ++l;
    ++locality_edges[l];
    (void)b;
  }
  std::size_t next_born = 0;
  std::vector<std::vector<AgentIndex>> picks;  // per newborn of the locality: the partners it drew
  for (std::size_t loc = 0; loc + 1 < renewal.locality_first.size(); ++loc) {
    const AgentIndex first = renewal.locality_first[loc];
    const AgentIndex size = renewal.locality_first[loc + 1] - first;
    std::size_t newborns = 0;
    while (next_born + newborns < renewal.born.size() && renewal.born[next_born + newborns] < first + size) ++newborns;
    if (newborns == 0) continue;
    const AgentIndex first_newborn = first + size - static_cast<AgentIndex>(newborns);  // newborns close the range
    RandomStream stream(rng, loc, renewal.tick, Purpose::network_renewal);
    const double wanted = mean_degree * static_cast<double>(size) / 2.0 - static_cast<double>(locality_edges[loc]);
    const double per_newborn = std::max(1.0, wanted / static_cast<double>(newborns));
    picks.assign(newborns, {});
    for (std::size_t k = 0; k < newborns; ++k) {
      const AgentIndex child = first_newborn + static_cast<AgentIndex>(k);
      // Ties of this newborn: floor(per_newborn), plus one with the fractional part's probability.
      auto ties = static_cast<std::size_t>(per_newborn);
      if (stream.next_unit() < per_newborn - static_cast<double>(ties)) ++ties;
      ties = std::min<std::size_t>(ties, size - 1);
      std::vector<AgentIndex>& mine = picks[k];
      const AgentIndex parent = renewal.after[renewal.source[child]];
      if (parent != Renewal::kDead) mine.push_back(parent);
      while (mine.size() < ties) {  // distinct partners, not the newborn itself
        const AgentIndex other = first + static_cast<AgentIndex>(stream.next_below(size));
        if (other != child && std::find(mine.begin(), mine.end(), other) == mine.end()) mine.push_back(other);
      }
      for (const AgentIndex other : mine) {
        // A newborn drawn earlier that drew this one already holds the tie: keep it once.
        if (other >= first_newborn && other < child) {
          const auto& theirs = picks[other - first_newborn];
          if (std::find(theirs.begin(), theirs.end(), child) != theirs.end()) continue;
        }
        edges.emplace_back(std::min(child, other), std::max(child, other));
      }
    }
    next_born += newborns;
  }
  return Network(renewal.agents(), edges);
}

}  // namespace glocal
