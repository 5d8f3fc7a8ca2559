// The economy's pairwise exchanges (economy.exchange: Dragulescu-Yakovenko, Chakraborti-Chakrabarti
// with and without distributed saving, the yard-sale model) and Bouchaud-Mezard's agent steps, each
// partner drawn through the trade kernel.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "processes/economy/economy.hpp"  // IWYU pragma: associated

namespace glocal::economy {

AgentIndex EconomyProcess::partner_of(AgentIndex agent, const RandomBlock& words) const noexcept {
  // A network neighbour with the network's weight, otherwise a uniform other agent of the place
  // at a scale drawn from the other weights.
  const double network_weight = params_.reach[0];
  const double unit = uniform_unit(words[1]);
  if (unit < network_weight) {
    const std::uint32_t slot = neighbour_slot(agent, words[2]);
    return slot == kNoSlot ? agent : network_->neighbor_array()[slot];
  }
  return draw_beyond_network(params_.reach, *places_, agent, (unit - network_weight) / (1.0 - network_weight), words[2]).partner;
}

std::uint32_t EconomyProcess::neighbour_slot(AgentIndex agent, std::uint64_t word) const noexcept {
  const std::uint32_t* offsets = network_->offsets().data();
  const std::uint32_t degree = offsets[agent + 1] - offsets[agent];
  return degree == 0 ? kNoSlot : offsets[agent] + static_cast<std::uint32_t>(uniform_below(word, degree));
}

void EconomyProcess::bouchaud_mezard_step(std::uint64_t tick, std::uint64_t k, const Rng& rng) {
  // Operator splitting of dW_i = W_i o eta_i dt + J (target_i - W_i) dt (Stratonovich): the
  // multiplicative part exactly, W_i exp(sqrt(2 sigma^2 dt) xi_i), then the exchange part with
  // the targets of the wealth before the step; then all wealth divided by its mean (the law of
  // w = W / mean is what the model predicts; the overall growth factor is free).
  const AgentIndex agents = network_->size();
  const auto& w = params_.reach;
  target_.assign(agents, 0.0);
  if (w[0] > 0.0) {  // network neighbours' mean (an isolated agent is its own target)
    for (AgentIndex i = 0; i < agents; ++i) {
      const auto neighbours = network_->neighbors(i);
      double sum = 0;
      for (const AgentIndex j : neighbours) sum += wealth_[j];
      target_[i] += w[0] * (neighbours.empty() ? wealth_[i] : sum / static_cast<double>(neighbours.size()));
    }
  }
  for (std::size_t s = 1; s < kScaleCount; ++s) {  // each place's mean (the agent itself included: O(1/n))
    if (w[s] <= 0.0) continue;
    const auto scale = static_cast<Scale>(s);
    for (std::uint32_t p = 0; p < places_->count(scale); ++p) {
      const AgentRange place = places_->place(scale, p);
      double sum = 0;
      for (AgentIndex i = place.first; i < place.first + place.size; ++i) sum += wealth_[i];
      const double mean = sum / static_cast<double>(place.size);
      for (AgentIndex i = place.first; i < place.first + place.size; ++i) target_[i] += w[s] * mean;
    }
  }
  const double spread = std::sqrt(2.0 * params_.volatility * params_.volatility * params_.dt);
  const double pull = params_.coupling * params_.dt;
  double total = 0;
  for (AgentIndex i = 0; i < agents; ++i) {
    const RandomBlock words = rng.block(i, tick, Purpose::economy_noise, k);
    const double grown = wealth_[i] * std::exp(spread * normal_from_words(words[0], words[1]));
    wealth_[i] = grown + pull * (target_[i] - wealth_[i]);
    total += wealth_[i];
  }
  const double scale = static_cast<double>(agents) * params_.initial_wealth / total;
  for (double& x : wealth_) x *= scale;
}

void EconomyProcess::exchange_events(std::uint64_t first, std::uint64_t count, std::uint64_t tick, const Rng& rng) {
  switch (params_.exchange) {  // one loop per model: the rule is chosen once, not per exchange
    case Exchange::dy: exchange_events_as<Exchange::dy>(first, count, tick, rng); break;
    case Exchange::cc: exchange_events_as<Exchange::cc>(first, count, tick, rng); break;
    case Exchange::ccm: exchange_events_as<Exchange::ccm>(first, count, tick, rng); break;
    case Exchange::yard_sale: exchange_events_as<Exchange::yard_sale>(first, count, tick, rng); break;
    case Exchange::awm: exchange_events_as<Exchange::awm>(first, count, tick, rng); break;
    case Exchange::bm: break;  // stepped by bouchaud_mezard_step
  }
}

template <Exchange Model>
EconomyProcess::TradeTerms EconomyProcess::trade_terms() const {
  // awm: the shift and the shifted mean follow the world's wealth, which exchange conserves.
  TradeTerms terms;
  terms.mean = Model == Exchange::awm ? std::accumulate(wealth_.begin(), wealth_.end(), 0.0) / static_cast<double>(wealth_.size()) : 0.0;
  terms.shift = params_.kappa * terms.mean;
  terms.sqrt_dt = std::sqrt(params_.dt);
  return terms;
}

template <Exchange Model>
__attribute__((always_inline)) inline void EconomyProcess::trade(AgentIndex agent, AgentIndex partner, double unit,
                                                                 const TradeTerms& terms) noexcept {
  if (partner == agent) return;  // nobody to trade with
  double& a = wealth_[agent];
  double& b = wealth_[partner];
  const double debt = params_.debt_limit;
  if constexpr (Model == Exchange::dy) {  // the split of the wealth above the debt floor
    const double total = a + b + 2.0 * debt;
    a = unit * total - debt;
    b = total - (a + debt) - debt;
  } else if constexpr (Model == Exchange::cc) {
    exchange(a, b, params_.saving, params_.saving, unit);
  } else if constexpr (Model == Exchange::ccm) {
    exchange(a, b, saving_[agent], saving_[partner], unit);
  } else if constexpr (Model == Exchange::yard_sale) {
    // The stake is a fraction of the poorer agent's wealth; the coin is fair (unit < 1/2: the agent wins).
    const double stake = params_.stake * std::min(a, b);
    const double sign = unit < 0.5 ? 1.0 : -1.0;
    a += sign * stake;
    b -= sign * stake;
  } else {
    affine_transaction(a, b, terms.shift, terms.mean + terms.shift, params_.zeta, terms.sqrt_dt, unit);
  }
  ++exchanges_;
}

template <Exchange Model>
void EconomyProcess::exchange_events_as(std::uint64_t first, std::uint64_t count, std::uint64_t tick, const Rng& rng) {
  if (params_.reach[0] > 0.0) {
    exchange_staged_as<Model>(first, count, tick, rng);
    return;
  }
  const AgentIndex agents = network_->size();
  const TradeTerms terms = trade_terms<Model>();
  double* wealth = wealth_.data();
  const double* saving = saving_.data();
  // The agents of an exchange depend on its random words alone, never on wealth: exchange e + 64
  // is drawn (and its two wealth entries prefetched) while exchange e runs, so the cache misses of
  // 64 exchanges overlap (64 gave about 1.3x the exchanges/s of 16 at N = 10^8, the same at 10^6).
  // Same words, same order of updates, same trajectory. Every partner here is beyond the network
  // (no memory read to find it); network partners go through exchange_staged_as.
  struct Drawn {
    AgentIndex agent = 0;
    AgentIndex partner = 0;
    double unit = 0;
  };
  constexpr std::uint64_t kAhead = 64;
  std::array<Drawn, kAhead> ring;
  const std::uint64_t end = first + count;
  // always_inline: a call that only prefetches and returns may be judged pure and dropped (GCC 12).
  EntityBlockStream blocks(rng, first, end, tick, Purpose::economy_exchange);  // exchange e's block at the e-th call
  const auto draw = [&](std::uint64_t e) __attribute__((always_inline)) {
    const RandomBlock& words = blocks.next();
    Drawn d;
    d.agent = static_cast<AgentIndex>(uniform_below(words[0], agents));
    d.partner = partner_of(d.agent, words);
    d.unit = uniform_unit(words[3]);
    __builtin_prefetch(wealth + d.agent, 1);
    __builtin_prefetch(wealth + d.partner, 1);
    if constexpr (Model == Exchange::ccm) {
      __builtin_prefetch(saving + d.agent);
      __builtin_prefetch(saving + d.partner);
    }
    ring[e % kAhead] = d;
  };
  for (std::uint64_t e = first; e < std::min(end, first + kAhead); ++e) draw(e);
  for (std::uint64_t e = first; e < end; ++e) {
    const Drawn drawn = ring[e % kAhead];
    if (e + kAhead < end) draw(e + kAhead);
    trade<Model>(drawn.agent, drawn.partner, drawn.unit, terms);
  }
}

template <Exchange Model>
void EconomyProcess::exchange_staged_as(std::uint64_t first, std::uint64_t count, std::uint64_t tick, const Rng& rng) {
  // Finding a network partner costs two dependent misses (the agent's CSR offsets, then the
  // neighbour's slot) before its wealth can be prefetched, so the drawing runs in three stages
  // kStage apart, each prefetching what the next reads: exchange e + 3 kStage draws its block and
  // agent (prefetching the offsets when its partner is a neighbour), e + 2 kStage prefetches the
  // agent's wealth and draws a partner beyond the network (prefetching its wealth) or picks the
  // neighbour's slot (prefetching it), e + kStage reads a neighbour partner (prefetching its
  // wealth), and e runs. Same words, same partner (partner_of's rule), same order of updates,
  // same trajectory. The real world at 10^6 agents, every partner a neighbour on a random
  // network, runs 1960-2010 in 0.55-0.7 of the time of the one-stage loop (bench/README.md).
  const AgentIndex agents = network_->size();
  const TradeTerms terms = trade_terms<Model>();
  const double network_weight = params_.reach[0];
  double* wealth = wealth_.data();
  const double* saving = saving_.data();
  const std::uint32_t* offsets = network_->offsets().data();
  const AgentIndex* neighbors = network_->neighbor_array().data();
  struct Staged {
    RandomBlock words{};
    AgentIndex agent = 0;
    AgentIndex partner = 0;
    std::uint32_t slot = 0;  ///< the neighbour's CSR slot (neighbour draws with a neighbour)
    bool neighbour = false;  ///< the partner is a network neighbour, at `slot`
    double unit = 0;
  };
  constexpr std::uint64_t kStage = 32;
  constexpr std::uint64_t kRing = 4 * kStage;  // a power of two: e % kRing is a mask
  std::array<Staged, kRing> ring;
  const std::uint64_t end = first + count;
  const auto prefetch_wealth = [&](AgentIndex i) __attribute__((always_inline)) {
    __builtin_prefetch(wealth + i, 1);
    if constexpr (Model == Exchange::ccm) __builtin_prefetch(saving + i);
  };
  EntityBlockStream blocks(rng, first, end, tick, Purpose::economy_exchange);  // exchange e's block at the e-th call
  const auto draw = [&](std::uint64_t e) __attribute__((always_inline)) {
    Staged& d = ring[e % kRing];
    d.words = blocks.next();
    d.agent = static_cast<AgentIndex>(uniform_below(d.words[0], agents));
    d.unit = uniform_unit(d.words[3]);
    d.neighbour = uniform_unit(d.words[1]) < network_weight;
    if (d.neighbour) __builtin_prefetch(offsets + d.agent);
  };
  const auto pick = [&](std::uint64_t e) __attribute__((always_inline)) {
    Staged& d = ring[e % kRing];
    prefetch_wealth(d.agent);
    if (!d.neighbour) {  // a partner beyond the network: known now
      d.partner = partner_of(d.agent, d.words);
      prefetch_wealth(d.partner);
      return;
    }
    d.slot = neighbour_slot(d.agent, d.words[2]);  // the offsets were prefetched a stage ago
    d.neighbour = d.slot != kNoSlot;               // an isolated agent trades with nobody (partner_of: itself)
    d.partner = d.agent;
    if (d.neighbour) __builtin_prefetch(neighbors + d.slot);
  };
  const auto locate = [&](std::uint64_t e) __attribute__((always_inline)) {
    Staged& d = ring[e % kRing];
    if (!d.neighbour) return;
    d.partner = neighbors[d.slot];
    prefetch_wealth(d.partner);
  };
  for (std::uint64_t e = first; e < std::min(end, first + 3 * kStage); ++e) draw(e);
  for (std::uint64_t e = first; e < std::min(end, first + 2 * kStage); ++e) pick(e);
  for (std::uint64_t e = first; e < std::min(end, first + kStage); ++e) locate(e);
  for (std::uint64_t e = first; e < end; ++e) {
    if (e + 3 * kStage < end) draw(e + 3 * kStage);
    if (e + 2 * kStage < end) pick(e + 2 * kStage);
    if (e + kStage < end) locate(e + kStage);
    const Staged& staged = ring[e % kRing];
    trade<Model>(staged.agent, staged.partner, staged.unit, terms);
  }
}

}  // namespace glocal::economy
