#include "glocal/world/renewal.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

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
  // Built as CSR directly, reading each old row once. A survivor's row is its old row's surviving
  // neighbours, renumbered: `after` rises with the old index, so the row stays sorted; the
  // newborns' ties are then inserted in order at both ends (the rows of Network(size, edges)).
  const AgentIndex size = renewal.agents();
  HugeVector<std::uint32_t> offsets(static_cast<std::size_t>(size) + 1, 0);
  HugeVector<std::uint32_t> fill(size, 0);                       // first the survivors' kept ties, at the end each row's end
  HugeVector<AgentIndex> kept(network.neighbor_array().size());  // the survivors' rows, renumbered, in turn
  std::size_t kept_count = 0;
  // Per locality: the survivors' ties (each counted at its lower end), which the newborns top up.
  const std::size_t localities = renewal.locality_first.size() - 1;
  std::vector<std::uint64_t> locality_edges(localities, 0);
  std::size_t l = 0;
  for (AgentIndex i = 0; i < network.size(); ++i) {
    const AgentIndex a = renewal.after[i];
    if (a == Renewal::kDead) continue;
    while (a >= renewal.locality_first[l + 1]) ++l;
    const std::size_t row = kept_count;
    std::uint32_t above = 0;
    for (const AgentIndex j : network.neighbors(i)) {
      const AgentIndex b = renewal.after[j];
      if (b == Renewal::kDead) continue;
      kept[kept_count++] = b;
      above += j > i ? 1U : 0U;
    }
    fill[a] = static_cast<std::uint32_t>(kept_count - row);
    offsets[a + 1] = fill[a];
    locality_edges[l] += above;
  }
  // Each newborn's ties: its parent and partners drawn uniformly among the locality's agents,
  // spread over the newborns so that the locality's mean degree is mean_degree again (2 E / n), as
  // far as the newborns can restore it.
  std::vector<std::pair<AgentIndex, AgentIndex>> born_ties;
  std::vector<AgentIndex> drawn;        // the partners each newborn of the locality drew, in turn
  std::vector<std::size_t> drawn_from;  // per newborn of the locality: where its partners start in `drawn`
  std::size_t next_born = 0;
  for (std::size_t loc = 0; loc < localities; ++loc) {
    const AgentIndex first = renewal.locality_first[loc];
    const AgentIndex place = renewal.locality_first[loc + 1] - first;
    std::size_t newborns = 0;
    while (next_born + newborns < renewal.born.size() && renewal.born[next_born + newborns] < first + place) ++newborns;
    if (newborns == 0) continue;
    const AgentIndex first_newborn = first + place - static_cast<AgentIndex>(newborns);  // newborns close the range
    RandomStream stream(rng, loc, renewal.tick, Purpose::network_renewal);
    const double wanted = mean_degree * static_cast<double>(place) / 2.0 - static_cast<double>(locality_edges[loc]);
    const double per_newborn = std::max(1.0, wanted / static_cast<double>(newborns));
    drawn.clear();
    drawn_from.assign(1, 0);
    for (std::size_t k = 0; k < newborns; ++k) {
      const AgentIndex child = first_newborn + static_cast<AgentIndex>(k);
      // Ties of this newborn: floor(per_newborn), plus one with the fractional part's probability.
      auto ties = static_cast<std::size_t>(per_newborn);
      if (stream.next_unit() < per_newborn - static_cast<double>(ties)) ++ties;
      ties = std::min<std::size_t>(ties, place - 1);
      const std::size_t mine = drawn.size();
      const AgentIndex parent = renewal.after[renewal.source[child]];
      if (parent != Renewal::kDead) drawn.push_back(parent);
      while (drawn.size() - mine < ties) {  // distinct partners, not the newborn itself
        const AgentIndex other = first + static_cast<AgentIndex>(stream.next_below(place));
        if (other != child && std::find(drawn.begin() + static_cast<std::ptrdiff_t>(mine), drawn.end(), other) == drawn.end()) {
          drawn.push_back(other);
        }
      }
      drawn_from.push_back(drawn.size());
      for (std::size_t t = mine; t < drawn.size(); ++t) {
        const AgentIndex other = drawn[t];
        // A newborn drawn earlier that drew this one already holds the tie: keep it once.
        if (other >= first_newborn && other < child) {
          const std::size_t theirs = other - first_newborn;
          const auto begin = drawn.begin() + static_cast<std::ptrdiff_t>(drawn_from[theirs]);
          const auto end = drawn.begin() + static_cast<std::ptrdiff_t>(drawn_from[theirs + 1]);
          if (std::find(begin, end, child) != end) continue;
        }
        born_ties.emplace_back(child, other);
        ++offsets[child + 1];
        ++offsets[other + 1];
      }
    }
    next_born += newborns;
  }
  for (std::size_t i = 1; i < offsets.size(); ++i) offsets[i] += offsets[i - 1];
  HugeVector<AgentIndex> neighbors(offsets.back());
  std::size_t from = 0;
  for (AgentIndex a = 0; a < size; ++a) {  // newborns keep nothing: fill[a] = 0
    const std::uint32_t count = fill[a];
    std::copy_n(kept.begin() + static_cast<std::ptrdiff_t>(from), count, neighbors.begin() + offsets[a]);
    from += count;
    fill[a] = offsets[a] + count;
  }
  const auto insert = [&](AgentIndex row, AgentIndex other) {  // into the sorted part of the row
    AgentIndex* begin = neighbors.data() + offsets[row];
    AgentIndex* end = neighbors.data() + fill[row]++;
    while (end != begin && *(end - 1) > other) {
      *end = *(end - 1);
      --end;
    }
    *end = other;
  };
  for (const auto& [child, other] : born_ties) {
    insert(child, other);
    insert(other, child);
  }
  return {std::move(offsets), std::move(neighbors)};
}

}  // namespace glocal
