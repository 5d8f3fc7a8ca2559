// The culture process's update schemes: one by one (a software pipeline over the counter-based
// stream), active-pair sampling, and deterministic reservations on several threads; and the
// bookkeeping that keeps absorption exact. Set-up, parameters and metrics are in culture.cpp.
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

void CultureProcess::collect_active_slots() noexcept {
  active_slots_.clear();
  std::fill(active_by_degree_.begin(), active_by_degree_.end(), 0);
  const auto& offsets = network_->offsets();
  const auto& neighbors = network_->neighbor_array();
  const std::uint32_t features = params_.features;
  for (AgentIndex i = 0; i < network_->size(); ++i) {
    for (std::uint32_t slot = offsets[i]; slot < offsets[i + 1]; ++slot) {
      const std::uint32_t same = overlap(view().of(i), view().of(neighbors[slot]), features);
      if (active_pair(same, features) && i < neighbors[slot]) mark_link(i, slot, true);
    }
  }
}

std::uint64_t CultureProcess::run_parallel(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept {
  // Deterministic reservations (Blelloch, Fineman, Gibbons & Shun 2012). An event's footprint is
  // its agent and the agent's neighbours (its partner is one; copying changes the agent's row,
  // and the bookkeeping reads the neighbours'). In each round every pending event writes its
  // index into the reservation of each agent of its footprint, keeping the smallest (owner
  // computes: each thread keeps its share of the agents' reservations); an event
  // that holds every reservation of its footprint executes. Two events that execute in one round
  // have disjoint footprints, and an event never executes before an earlier event whose
  // footprint meets its own, so the result is that of executing the events in index order:
  // random sequential updating, whatever the number of threads. Counts are summed per round.
  const std::uint32_t features = params_.features;
  const bool packed = packed_rule();  // read once: canonical_rule() is a call, not a constant
  const AgentIndex agents = network_->size();
  const std::uint32_t* offsets = network_->offsets().data();
  const AgentIndex* neighbors = network_->neighbor_array().data();
  std::uint8_t* traits = traits_.data();
  const auto threads = static_cast<int>(params_.threads);
  if (reservations_.size() != agents || round_ >= (std::uint64_t{1} << 31)) {  // first use, or round stamps near overflow
    std::vector<std::atomic<std::uint64_t>> fresh(agents);
    for (auto& r : fresh) r.store(0, std::memory_order_relaxed);
    reservations_.swap(fresh);
    round_ = 0;
  }
  struct Pending {
    std::uint64_t e;  // index within the tick
    RetryWords more;
    AgentIndex agent;
    AgentIndex partner;  // == agent for an isolated agent (nothing happens)
    std::uint32_t rule_word;
    bool done;
  };
  const std::size_t window = 2048 * static_cast<std::size_t>(threads);
  std::vector<Pending> pending;
  pending.reserve(window);
  std::uint64_t next = first;
  const std::uint64_t end = first + count;
  std::int64_t active_change = 0;
  std::uint64_t last_change = 0;               // 1 + the latest event (index within the run) that changed a trait
  const std::uint64_t base = events_ - first;  // run index of the tick's event e is base + e
  const auto footprint = [&](AgentIndex a, auto&& visit) {
    visit(a);
    for (std::uint32_t s = offsets[a]; s < offsets[a + 1]; ++s) visit(neighbors[s]);
  };
  while (next < end || !pending.empty()) {
    // Refill the window with the next events, drawn independently of the state.
    const std::size_t old = pending.size();
    const auto add = static_cast<std::size_t>(std::min<std::uint64_t>(window - old, end - next));
    pending.resize(old + add);
    // Blocks of 64 events, one per iteration: each draws its Philox words in one batch.
    const std::size_t blocks = (add + EventWords::kBatch - 1) / EventWords::kBatch;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t from = b * EventWords::kBatch;
      const std::size_t size = std::min(EventWords::kBatch, add - from);
      EventWords words;
      philox4x32_events(rng.event_key(), rng.event_lane(), tick, Purpose::culture_event, next + from, size, words);
      for (std::size_t i = 0; i < size; ++i) {
        Pending& p = pending[old + from + i];
        p.e = next + from + i;
        p.more = RetryWords(rng, p.e, tick, words.words[3][i]);
        p.agent = uniform_below32(words.words[0][i], agents, p.more);
        const std::uint32_t degree = offsets[p.agent + 1] - offsets[p.agent];
        p.partner = degree == 0 ? p.agent : neighbors[offsets[p.agent] + uniform_below32(words.words[1][i], degree, p.more)];
        p.rule_word = words.words[2][i];
        p.done = false;
      }
    }
    next += add;
    const std::size_t n = pending.size();
    // A reservation is (round << 32) + the event's position in the window: one from an earlier
    // round is free, so no pass is needed to clear them.
    ++round_;
    const std::uint64_t stamp = round_ << 32;
    // Owner computes: thread t writes only the reservations of the agents in its share of the
    // index range, visiting the events in window order, so the first event that touches an
    // agent (the smallest index) keeps it. No atomic read-modify-write, hence no lock.
#pragma omp parallel num_threads(threads)
    {
      const auto t = static_cast<std::uint64_t>(omp_get_thread_num());
      const auto team = static_cast<std::uint64_t>(omp_get_num_threads());
      const auto lo = static_cast<AgentIndex>(agents * t / team);
      const auto hi = static_cast<AgentIndex>(agents * (t + 1) / team);
      for (std::size_t k = 0; k < n; ++k) {
        const std::uint64_t mine = stamp + k;  // the window is in index order, so position order is index order
        footprint(pending[k].agent, [&](AgentIndex x) {
          if (x < lo || x >= hi) return;
          if (reservations_[x].load(std::memory_order_relaxed) < stamp) reservations_[x].store(mine, std::memory_order_relaxed);
        });
      }
    }
#pragma omp parallel for num_threads(threads) schedule(static) reduction(+ : active_change) reduction(max : last_change)
    for (std::size_t k = 0; k < n; ++k) {  // execute the events that hold their whole footprint
      Pending& p = pending[k];
      if (k + 8 < n) __builtin_prefetch(traits + static_cast<std::size_t>(pending[k + 8].agent) * features, 1);
      bool owner = true;
      footprint(p.agent, [&](AgentIndex x) { owner = owner && reservations_[x].load(std::memory_order_relaxed) == stamp + k; });
      if (!owner) continue;
      p.done = true;
      if (p.partner == p.agent) continue;
      std::uint8_t* mine = traits + static_cast<std::size_t>(p.agent) * features;
      const std::uint8_t* theirs = traits + static_cast<std::size_t>(p.partner) * features;
      const Interaction change = packed ? interact<true>(mine, theirs, features, p.rule_word, p.more)
                                        : interact<false>(mine, theirs, features, p.rule_word, p.more);
      if (change.outcome != Outcome::copied) continue;
      last_change = std::max(last_change, base + p.e + 1);
      for (std::uint32_t s = offsets[p.agent]; s < offsets[p.agent + 1]; ++s) {
        const std::uint8_t* other = traits + static_cast<std::size_t>(neighbors[s]) * features;
        active_change += features <= kPackedFeatures ? link_change<true>(mine, other, features, change)
                                                     : link_change<false>(mine, other, features, change);
      }
    }
    std::erase_if(pending, [](const Pending& p) { return p.done; });  // keeps index order
  }
  active_edges_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(active_edges_) + active_change);
  if (last_change > 0) {
    last_change_ = last_change;
    frozen_far_ = false;
  }
  // Absorbed during the tick: nothing changed after the last change, so the events to absorption
  // are exactly those up to it (as the one-by-one loop, which stops there).
  events_ = active_edges_ == 0 ? std::max(last_change_, events_) : events_ + count;
  return count;
}

std::uint64_t CultureProcess::run_active_pairs(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept {
  // Random sequential updating picks, at each event, agent i with probability 1/N and one of its
  // neighbours j with probability 1/deg(i). Only a pick of an active link (0 < o < F) can change
  // anything, and that happens at each event independently with probability
  // W = sum over active directed links of 1/(N deg(i)). So the events up to the next such pick
  // are Geometric(W) (the clock), and the link picked is an active one with probability
  // proportional to 1/deg(i) (a uniform active link, kept with probability deg_min/deg(i)).
  // W changes only when a trait does; by memorylessness the gap is redrawn after every jump and
  // at the start of every call. Then Axelrod's rule applies to the pair as in an event.
  const std::uint32_t features = params_.features;
  const auto agents = static_cast<double>(network_->size());
  const AgentIndex* neighbors = network_->neighbor_array().data();
  const std::uint64_t start = events_;
  std::uint64_t now = events_;  // global index of the next event to happen
  const std::uint64_t end = events_ + count;
  (void)tick;  // the jumps are numbered through the run, not by tick
  (void)first;
  double log_miss = 0;  // log(1 - W), recomputed only when a trait changed
  bool stale = true;
  while (now < end && active_slots_.size() > 0) {
    if (stale) {
      double rate = 0;
      for (const std::uint32_t d : degrees_) rate += static_cast<double>(active_by_degree_[d]) / d;
      rate /= agents;
      log_miss = rate >= 1.0 ? -std::numeric_limits<double>::infinity() : std::log1p(-rate);
      stale = false;
    }
    const std::uint64_t jump = jumps_++;
    const RandomBlock words = rng.block(jump, 0, Purpose::culture_pairs);
    const double unit = 1.0 - uniform_unit(words[0]);                // (0, 1]
    const double gap = 1.0 + std::floor(std::log(unit) / log_miss);  // log_miss = -inf: gap 1
    if (gap > static_cast<double>(end - now)) {                      // no pick before the end of this call
      now = end;
      break;
    }
    const std::uint64_t pick = now + static_cast<std::uint64_t>(gap) - 1;
    now = pick + 1;
    // The link: uniform among the active ones, kept with probability deg_min / deg(i).
    RandomStream extra(rng, jump, 1, Purpose::culture_pairs);
    std::uint64_t choice = words[1];
    std::uint64_t keep = words[2];
    std::uint32_t slot = 0;
    AgentIndex i = 0;
    for (;;) {
      slot = active_slots_[uniform_below(choice, active_slots_.size())];
      i = neighbors[reverse_slot_[slot]];
      if (network_->degree(i) == min_degree_ || uniform_unit(keep) * network_->degree(i) < min_degree_) break;
      choice = extra.next();
      keep = extra.next();
    }
    RetryWords more(rng, jump, std::uint64_t{1} << 32, static_cast<std::uint32_t>(words[3] >> 32));
    std::uint8_t* mine = traits_.data() + static_cast<std::size_t>(i) * features;
    current_event_ = pick;
    const std::uint8_t* theirs = traits_.data() + static_cast<std::size_t>(neighbors[slot]) * features;
    const Interaction change = features <= kPackedFeatures
                                   ? interact<true>(mine, theirs, features, static_cast<std::uint32_t>(words[3]), more)
                                   : interact<false>(mine, theirs, features, static_cast<std::uint32_t>(words[3]), more);
    if (change.outcome != Outcome::copied) continue;
    stale = true;
    after_copy(i, change);
    for (std::uint32_t s = network_->offsets()[i]; s < network_->offsets()[i + 1]; ++s) {
      const std::uint32_t same = overlap(mine, traits_.data() + static_cast<std::size_t>(neighbors[s]) * features, features);
      mark_link(i, s, active_pair(same, features));
    }
    if (active_edges_ == 0) break;  // absorbed at this very event
  }
  events_ = now;
  return now - start;
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
