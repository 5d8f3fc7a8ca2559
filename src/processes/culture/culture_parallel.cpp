// Deterministic reservations on several threads (culture.threads > 1 with the sequential scheme):
// exactly one-by-one random sequential updating, executed in rounds.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <omp.h>

#include "processes/culture/culture.hpp"  // IWYU pragma: associated

namespace glocal::culture {

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

}  // namespace glocal::culture
