#pragma once
// Births and deaths between two ticks (docs/model/demography.md): which agents die, who is born to
// whom, who inherits the estates, and the new numbering, which keeps every locality (and so every
// nation and bloc) one contiguous range: a locality's survivors in their old order, then its
// newborns in order of birth.
//
// A Renewal is a plan that every process applies to its own columns (Process::renew): a
// survivor keeps its state, a newborn starts from its parent's (vertical transmission: culture,
// and half the parent's wealth), a dead agent's estate goes to its heir. It is a pure function of
// the run's stream, the tick and the targets, so births and deaths do not depend on threads.
#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "glocal/core/rng.hpp"
#include "glocal/world/network.hpp"
#include "glocal/world/places.hpp"

namespace glocal {

struct Renewal {
  static constexpr AgentIndex kDead = 0xFFFFFFFFU;

  std::uint64_t tick = 0;
  AgentIndex before = 0;  ///< agents before
  /// For every agent after: its own index before (a survivor) or its parent's (a newborn).
  std::vector<AgentIndex> source;
  /// For every agent before: its index after, or kDead.
  std::vector<AgentIndex> after;
  /// The newborns (indices after), in order of birth; a newborn's place in this list numbers its
  /// own random draws (entity) in the tick.
  std::vector<AgentIndex> born;
  /// Each dead agent (index before) with the agent after that inherits its estate, in order.
  std::vector<std::pair<AgentIndex, AgentIndex>> estates;
  /// Each locality's first agent after, then the total (localities + 1 entries).
  std::vector<AgentIndex> locality_first;
  /// The same before.
  std::vector<AgentIndex> locality_first_before;

  [[nodiscard]] AgentIndex agents() const noexcept { return static_cast<AgentIndex>(source.size()); }
  [[nodiscard]] bool is_born(AgentIndex agent) const noexcept { return after[source[agent]] != agent; }
  /// A column of one value per agent, renumbered: a survivor keeps its value, a newborn gets its
  /// parent's.
  template <typename T>
  void gather(std::vector<T>& column) const {
    std::vector<T> next(source.size());
    for (std::size_t i = 0; i < source.size(); ++i) next[i] = column[source[i]];
    column = std::move(next);
  }
  /// The same for a column of `width` values per agent (e.g. F culture traits); `padding` values
  /// after the last agent are kept zero.
  template <typename T>
  void gather_rows(std::vector<T>& column, std::size_t width, std::size_t padding = 0) const;
};

/// Plans the births and deaths of one tick. Locality l's agents become exactly `targets[l]`
/// (>= 1): each agent dies with probability `death_rate` (its own coin); if more survive than the
/// target, further survivors, uniform without replacement, die; if fewer, the missing ones are
/// born, each to a parent drawn uniformly among the survivors (among all of the locality's agents
/// if none survived). Each dead agent's heir is drawn uniformly among the locality's agents after.
/// Draws: locality l reads the sequential stream (l, tick, demography).
[[nodiscard]] Renewal plan_renewal(const Places& places, std::span<const AgentIndex> targets, double death_rate, const Rng& rng,
                                   std::uint64_t tick);

/// The world's network after a renewal, for random graphs (Erdos-Renyi at the start): ties among
/// survivors are kept; each newborn is tied to its parent and to agents of its locality drawn
/// uniformly, as many as keep the locality's mean degree at `mean_degree` (at least the parent).
/// Draws: locality l reads the sequential stream (l, tick, network_renewal).
[[nodiscard]] Network renew_random_network(const Network& network, const Renewal& renewal, double mean_degree, const Rng& rng);

template <typename T>
void Renewal::gather_rows(std::vector<T>& column, std::size_t width, std::size_t padding) const {
  std::vector<T> next(source.size() * width + padding, T{});
  for (std::size_t i = 0; i < source.size(); ++i) {
    const T* from = column.data() + static_cast<std::size_t>(source[i]) * width;
    std::copy(from, from + width, next.data() + i * width);
  }
  column = std::move(next);
}

}  // namespace glocal
