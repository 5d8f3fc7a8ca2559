// The exchange loop against the model's definition, one exchange at a time: exchange e of tick t
// reads the Philox block (e, t, economy_exchange): word 0 the agent, word 1 the kernel's scale,
// word 2 the partner (here a network neighbour: economy.reach.network = 1), word 3 the split. The
// engine draws the agents of later exchanges ahead and prefetches their wealth; the wealth must be
// the reference loop's, bit for bit.
#include <gtest/gtest.h>

#include <vector>

#include "processes/economy/economy.hpp"

namespace glocal::economy {
namespace {

/// Dragulescu-Yakovenko (no debt) on `net`, `ticks` ticks of `rate` exchanges per agent, one
/// exchange at a time; returns the wealth and counts the exchanges made in `made`.
std::vector<double> reference_dy(const Network& net, const Rng& rng, std::uint32_t rate, std::uint64_t ticks, std::uint64_t& made) {
  std::vector<double> wealth(net.size(), 1.0);
  made = 0;
  for (std::uint64_t tick = 1; tick <= ticks; ++tick) {
    for (std::uint64_t e = 0; e < std::uint64_t{net.size()} * rate; ++e) {
      const RandomBlock words = rng.block(e, tick, Purpose::economy_exchange);
      const auto agent = static_cast<AgentIndex>(uniform_below(words[0], net.size()));
      const auto neighbours = net.neighbors(agent);
      if (neighbours.empty()) continue;  // nobody to trade with
      const AgentIndex partner = neighbours[uniform_below(words[2], neighbours.size())];
      const double total = wealth[agent] + wealth[partner];
      wealth[agent] = uniform_unit(words[3]) * total;
      wealth[partner] = total - wealth[agent];
      ++made;
    }
  }
  return wealth;
}

TEST(ExchangeLoop, DrawingAheadGivesTheOneAtATimeWealthExactly) {
  // A world of 10 (a tick shorter than the 64 exchanges drawn ahead) and of 1,000 at 3 exchanges
  // per agent (3,000 a tick, not a multiple of 64), random graphs with isolated agents.
  std::uint64_t skipped = 0;  // exchanges drawn for an isolated agent
  for (const auto& [agents, rate] : {std::pair<AgentIndex, std::uint32_t>{10, 1}, std::pair<AgentIndex, std::uint32_t>{1000, 3}}) {
    const Rng rng(21, agents);
    const Network net = make_random(agents, 1.5, rng);
    const Places places(PlaceShape{1, 1, 1, agents});
    Parameters parameters;
    parameters.rate = rate;
    EconomyProcess process(parameters, net, places, rng);
    constexpr std::uint64_t kTicks = 5;
    for (std::uint64_t tick = 1; tick <= kTicks; ++tick) process.step(TickContext{tick, rng});
    std::uint64_t made = 0;
    const std::vector<double> expected = reference_dy(net, rng, rate, kTicks, made);
    EXPECT_EQ(std::vector<double>(process.wealth().begin(), process.wealth().end()), expected) << agents << " agents";
    EXPECT_EQ(process.exchanges(), made) << agents << " agents";
    skipped += std::uint64_t{agents} * rate * kTicks - made;
  }
  EXPECT_GT(skipped, 0U) << "the graphs must have isolated agents";
}

}  // namespace
}  // namespace glocal::economy
