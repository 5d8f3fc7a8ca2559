// Active-pair sampling (culture.sampling = "active-pairs"): the plain model simulated by jumping
// from one event that picks an active link to the next, the events between counted exactly.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "processes/culture/culture.hpp"  // IWYU pragma: associated

namespace glocal::culture {

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

}  // namespace glocal::culture
