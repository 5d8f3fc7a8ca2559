// The culture process's general loop (one event at a time, any rule written in axelrod_rule.hpp,
// with media, heritage, drift and reach), the dispatch among the update schemes, and the
// bookkeeping that keeps absorption exact. The other schemes have a file each: the plain loop
// (culture_plain.cpp), blocks (culture_blocks.cpp), active-pair sampling (culture_active_pairs.cpp)
// and deterministic reservations (culture_parallel.cpp); set-up and parameters are in culture.cpp,
// metrics in culture_measures.cpp.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <omp.h>

#include "processes/culture/culture.hpp"  // IWYU pragma: associated

namespace glocal::culture {

void CultureProcess::apply_drift(const Rng& rng) noexcept {
  const RandomBlock words = rng.block(drift_events_.advance(rng), 0, Purpose::culture_drift);
  const auto agent = static_cast<AgentIndex>(uniform_below(words[1], network_->size()));
  const auto feature = static_cast<std::uint32_t>(uniform_below(words[2], params_.features));
  const auto trait = static_cast<std::uint8_t>(uniform_below(words[3], params_.traits));
  std::uint8_t& slot = traits_[static_cast<std::size_t>(agent) * params_.features + feature];
  if (slot == trait) return;
  const Interaction change{Outcome::copied, feature, slot};
  slot = trait;
  after_copy(agent, change);
}

void CultureProcess::count_links() noexcept {
  active_edges_ = active_edges(view(), *network_);
  links_counted_ = true;
}

void CultureProcess::mark_link(AgentIndex i, std::uint32_t slot, bool active) noexcept {
  const std::uint32_t back = reverse_slot_[slot];
  const AgentIndex j = network_->neighbor_array()[slot];
  if (active) {
    if (active_slots_.contains(slot)) return;
    active_slots_.insert(slot);
    active_slots_.insert(back);
    ++active_by_degree_[network_->degree(i)];
    ++active_by_degree_[network_->degree(j)];
  } else {
    if (!active_slots_.contains(slot)) return;
    active_slots_.erase(slot);
    active_slots_.erase(back);
    --active_by_degree_[network_->degree(i)];
    --active_by_degree_[network_->degree(j)];
  }
}

std::uint64_t CultureProcess::run_events(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept {
  if (absorbed() || count == 0) return 0;
  if (plain_model() && blocks_scheme()) {
    kernel_ = Kernel::blocks;
    return run_blocks(tick, first, count, rng);
  }
  if (plain_model() && params_.threads == 1) {
    kernel_ = plain_kernel();
    return run_plain(tick, first, count, rng);
  }
  if (active_pair_sampling() && plain_rule() && params_.threads == 1) {
    // Event by event (the plain loop) while many links are active; jumps once few are (a jump
    // costs several events' time). Both simulate the same process exactly, so when to switch is
    // free: to jumps when under 1 % of a call's events copied a trait (then the links are
    // counted and collected), back to events when over a quarter of the links are active.
    // Decided from the state after each call, so the choice is reproducible.
    if (jumping_) {
      const double active_share =
          2.0 * static_cast<double>(active_edges_) / static_cast<double>(std::max<std::size_t>(1, reverse_slot_.size()));
      if (active_share <= 0.25) {
        kernel_ = Kernel::active_pairs;
        return run_active_pairs(tick, first, count, rng);
      }
      jumping_ = false;
    }
    kernel_ = plain_kernel();
    const std::uint64_t done = run_plain(tick, first, count, rng);
    if (!absorbed() && plain_copies_ * 100 < done) {
      count_links();
      collect_active_slots();
      jumping_ = true;
    }
    return done;
  }
  if (!links_counted_) count_links();  // the plain loop ran before (a schedule has since switched something on)
  if (params_.threads > 1) {
    kernel_ = Kernel::parallel;
    return run_parallel(tick, first, count, rng);
  }
  const bool packed = packed_rule();
  kernel_ = packed ? Kernel::general_packed : Kernel::general;
  const bool lattice = network_->periodic_lattice_side() != 0;
  if (packed) return lattice ? run_events_as<true, true>(tick, first, count, rng) : run_events_as<false, true>(tick, first, count, rng);
  return lattice ? run_events_as<true, false>(tick, first, count, rng) : run_events_as<false, false>(tick, first, count, rng);
}

template <bool Lattice, bool Packed>
std::uint64_t CultureProcess::run_events_as(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept {
  // Event e of the tick reads the four 32-bit words of its Philox4x32 block (generated 64 events
  // at a time): word 0 draws the agent, word 1 its neighbour, word 2 the rule (accept and
  // feature), word 3 replaces a rejected draw (then the culture_retry lane). A software pipeline
  // over the counter-based stream: while event e executes, the agent of e + 3*kLag is drawn and
  // its row prefetched; on a periodic lattice the neighbour of e + 2*kLag is computed and its row
  // prefetched, on any other network its slot is prefetched there and read at e + kLag. Events
  // still execute one by one in index order, reading memory as it is then: the result is exactly
  // that of the plain loop, only the cache misses overlap.
  constexpr std::uint64_t kLag = 8;
  constexpr std::uint64_t kRing = 32;  // power of two > 3 * kLag
  struct Pending {
    RetryWords more;
    std::uint32_t neighbor_word, rule_word;
    AgentIndex agent;
    AgentIndex partner;
    std::uint32_t slot;
    std::uint32_t degree;
  };
  std::array<Pending, kRing> ring;  // per call: no state outlives it
  EventWords words;                 // the blocks of events [batch, batch + kBatch)
  std::uint64_t batch = first;

  const std::uint32_t features = params_.features;
  const AgentIndex agents = network_->size();
  const std::uint32_t* offsets = network_->offsets().data();
  const AgentIndex* neighbors = network_->neighbor_array().data();
  std::uint8_t* traits = traits_.data();
  const std::uint64_t end = first + count;
  std::uint64_t performed = 0;
  const std::uint64_t seed = rng.event_key();
  const std::uint64_t run = rng.event_lane();
  philox4x32_events(seed, run, tick, Purpose::culture_event, batch, std::min<std::uint64_t>(EventWords::kBatch, count), words);

  for (std::uint64_t e = first; e < end + 3 * kLag; ++e) {
    if (e < end) {  // stage 1: draw the event, prefetch the agent's row and traits
      if (e - batch == EventWords::kBatch) {
        batch = e;
        philox4x32_events(seed, run, tick, Purpose::culture_event, batch, std::min<std::uint64_t>(EventWords::kBatch, end - e), words);
      }
      const std::size_t i = e - batch;
      Pending& p = ring[e % kRing];
      p.more = RetryWords(rng, e, tick, words.words[3][i]);
      p.agent = uniform_below32(words.words[0][i], agents, p.more);
      p.neighbor_word = words.words[1][i];
      p.rule_word = words.words[2][i];
      if constexpr (!Lattice) __builtin_prefetch(offsets + p.agent);
      __builtin_prefetch(traits + static_cast<std::size_t>(p.agent) * features);
    }
    if (e >= first + kLag && e - kLag < end) {  // stage 2: the neighbour (lattice) or its slot
      Pending& p = ring[(e - kLag) % kRing];
      if constexpr (Lattice) {
        p.degree = 4;
        p.partner = lattice_(p.agent, uniform_below32(p.neighbor_word, 4, p.more));
        __builtin_prefetch(traits + static_cast<std::size_t>(p.partner) * features);
      } else {
        const std::uint32_t begin = offsets[p.agent];
        p.degree = offsets[p.agent + 1] - begin;
        if (p.degree != 0) {
          p.slot = begin + uniform_below32(p.neighbor_word, p.degree, p.more);
          __builtin_prefetch(neighbors + p.slot);
        }
      }
    }
    if constexpr (!Lattice) {
      if (e >= first + 2 * kLag && e - 2 * kLag < end) {  // stage 3: the neighbour; prefetch its traits
        Pending& p = ring[(e - 2 * kLag) % kRing];
        if (p.degree != 0) {
          p.partner = neighbors[p.slot];
          __builtin_prefetch(traits + static_cast<std::size_t>(p.partner) * features);
        }
      }
    }
    if (e >= first + 3 * kLag) {  // stage 4: execute event e - 3 * kLag
      Pending& p = ring[(e - 3 * kLag) % kRing];
      const std::uint64_t event = events_ + performed;  // global index of this event in the run
      ++performed;
      // The partner: the media field (González-Avella et al. 2005) on the events its lane picks,
      // else a random network neighbour (an isolated agent meets nobody: the event does nothing).
      // Beyond the network, on the events the reach lane picks (scale and agent from its block).
      current_event_ = event;
      const bool meets_field = event == media_events_.next();
      if (meets_field) media_events_.advance(rng);
      const bool meets_heritage = event == heritage_events_.next();
      if (meets_heritage) heritage_events_.advance(rng);
      const bool meets_market = event == market_events_.next();
      if (meets_market) market_events_.advance(rng);
      const bool reaches_far = event == reach_events_.next();
      const FarPartner far = reaches_far ? far_partner(p.agent, reach_events_.advance(rng), rng) : FarPartner{};
      const std::uint8_t* partner = meets_field      ? field_of(p.agent)
                                    : meets_heritage ? heritage_of(p.agent)
                                    : meets_market   ? product_of(p.agent)
                                    : reaches_far    ? far.traits
                                    : p.degree != 0  ? traits + static_cast<std::size_t>(p.partner) * features
                                                     : nullptr;
      if (partner != nullptr) {
        std::uint8_t* mine = traits + static_cast<std::size_t>(p.agent) * features;
        const Interaction change = interact<Packed>(mine, partner, features, p.rule_word, p.more);
        if (change.outcome == Outcome::copied) {
          // Creolization: a copy across localities may yield a trait nobody holds.
          if (far.other_locality && !meets_field && !meets_heritage && !meets_market && params_.innovation > 0.0 &&
              uniform_unit(far.spare_word) < params_.innovation) {
            const std::uint32_t fresh = unused_trait(change.feature);
            if (fresh < 256) {
              mine[change.feature] = static_cast<std::uint8_t>(fresh);
              ++innovations_;
            }
          }
          after_copy_as<Lattice, Packed>(p.agent, change);
        }
      }
      if (event == drift_events_.next()) apply_drift(rng);  // drift follows its event
      if (active_edges_ == 0 && absorbed()) break;
    }
  }
  events_ += performed;
  return performed;
}

void CultureProcess::after_copy(AgentIndex agent, const Interaction& change) noexcept {
  const bool packed = params_.features <= kPackedFeatures;
  const bool lattice = network_->periodic_lattice_side() != 0;
  if (packed) {
    lattice ? after_copy_as<true, true>(agent, change) : after_copy_as<false, true>(agent, change);
  } else {
    lattice ? after_copy_as<true, false>(agent, change) : after_copy_as<false, false>(agent, change);
  }
}

template <bool Lattice, bool Packed>
void CultureProcess::after_copy_as(AgentIndex agent, const Interaction& change) noexcept {
  last_change_ = current_event_ + 1;
  frozen_far_ = false;
  // Only edges at `agent` can change status, and only those whose other end holds the old or the
  // new trait on the copied feature; their overlap moved by exactly one.
  const std::uint32_t features = params_.features;
  const std::uint8_t* mine = traits_.data() + static_cast<std::size_t>(agent) * features;
  const std::uint8_t new_trait = mine[change.feature];
  std::int64_t delta = 0;
  const auto update = [&](AgentIndex m) {
    delta += link_change<Packed>(mine, traits_.data() + static_cast<std::size_t>(m) * features, features, change);
  };
  if constexpr (Lattice) {
    for (const AgentIndex m : lattice_.all(agent)) update(m);
  } else {
    for (const AgentIndex m : network_->neighbors(agent)) update(m);
  }
  active_edges_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(active_edges_) + delta);
  // The same bookkeeping against a fixed vector: the media field, the locality's heritage.
  const auto track = [&](const std::uint8_t* target, std::uint64_t& active) {
    const std::uint32_t after = overlap(mine, target, features);
    const std::uint8_t t = target[change.feature];
    const std::uint32_t before = after + (change.old_trait == t ? 1U : 0U) - (new_trait == t ? 1U : 0U);
    const bool was_active = active_pair(before, features);
    const bool is_active = active_pair(after, features);
    if (was_active && !is_active) --active;
    if (!was_active && is_active) ++active;
  };
  if (params_.media == MediaKind::fixed) track(field_.data(), field_active_);
  if (params_.heritage > 0.0) track(heritage_of(agent), heritage_active_);
  if (!field_counts_.empty()) field_counts_.move(places_.place_of(agent, media_scale_), change.feature, change.old_trait, new_trait);
  if (!world_counts_.empty()) world_counts_.move(0, change.feature, change.old_trait, new_trait);
}

}  // namespace glocal::culture
