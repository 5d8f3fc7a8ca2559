// The block update scheme (culture.update = "blocks"): blocks of agents in two colours, no link
// joining two blocks of one colour, each block running the plain loop (culture_plain.cpp) on its
// own agents, the blocks of a colour side by side on threads.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <omp.h>

#include "glocal/core/error.hpp"
#include "processes/culture/culture.hpp"  // IWYU pragma: associated

namespace glocal::culture {

void CultureProcess::build_blocks() {
  // Each locality is a block of colour 0 (localities are never linked to one another), except a
  // periodic lattice of side L >= 2 kMinRows, cut into an even number of strips of whole rows,
  // at most kMaxStrips and at least kMinRows rows each, coloured alternately: a von Neumann link
  // stays within its row or goes to the next row up or down, so it joins a strip to itself or to
  // a neighbouring strip of the other colour (the first and last strips are neighbours across
  // the torus, hence the even number). A lattice in tiles is cut between rows of tiles (16 rows
  // of sites, a contiguous range of agents). The blocks depend on the world alone, never on threads.
  constexpr std::uint32_t kMinRows = 8;
  constexpr std::uint32_t kMaxStrips = 64;
  blocks_ = {};
  const std::uint32_t side = network_->periodic_lattice_side();
  const std::uint32_t unit = network_->lattice_order() == LatticeOrder::tiles ? LatticeLayout::kTileHeight : 1;  // rows a cut falls between
  for (std::uint32_t l = 0; l < places_.count(Scale::locality); ++l) {
    const AgentRange locality = places_.place(Scale::locality, l);
    const std::uint32_t strips =
        side != 0 && locality.size == side * side ? std::min(kMaxStrips, side / std::max(kMinRows, unit)) / 2 * 2 : 0;
    if (strips < 2) {
      if (locality.size > 0) blocks_[0].push_back(locality);
      continue;
    }
    const std::uint32_t units = side / unit;
    for (std::uint32_t k = 0; k < strips; ++k) {
      const AgentIndex top = unit * (units * k / strips);
      const AgentIndex bottom = unit * (units * (k + 1) / strips);
      blocks_[k % 2].push_back(AgentRange{locality.first + top * side, (bottom - top) * side});
    }
  }
}

std::uint64_t CultureProcess::run_blocks(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept {
  // Blocks of agents in two colours; no link joins two blocks of one colour. Each tick is
  // 2 x phases_ phases, colour 0 then colour 1, repeated: in a phase every block of that colour
  // runs its next share of its own events (agents uniform within the block, partners any
  // neighbour), the blocks side by side on any number of threads. A block writes only its
  // agents and reads only them and blocks of the other colour, idle in that phase, so each block
  // sees exactly what it would alone: the result is that of running the blocks one after another,
  // whatever the thread count. A block's events of a tick are the tick's events numbered
  // [rate x first agent, rate x (first agent + size)), in its own counter lane (culture_blocks).
  GLOCAL_ASSERT(first == 0 && count % network_->size() == 0, "the block scheme runs whole ticks");
  (void)first;
  const std::uint64_t start = events_;
  const std::uint64_t rate = count / network_->size();  // a whole tick: rate x N events
  const std::uint32_t phases = 2 * params_.block_phases;
  const auto share_of = [&](const AgentRange& block, std::uint64_t share) {  // [from, to) of the block's events in the tick
    const std::uint64_t total = rate * block.size;
    return std::pair<std::uint64_t, std::uint64_t>{total * share / params_.block_phases, total * (share + 1) / params_.block_phases};
  };
  // changed[phase][k]: block k of the phase's colour changed something (written by one thread each)
  std::vector<std::vector<std::uint8_t>> changed(phases);
  for (std::uint32_t phase = 0; phase < phases; ++phase) changed[phase].assign(blocks_[phase % 2].size(), 0);
  const auto threads = static_cast<int>(params_.threads);
#pragma omp parallel num_threads(threads)
  for (std::uint32_t phase = 0; phase < phases; ++phase) {
    const std::vector<AgentRange>& group = blocks_[phase % 2];
#pragma omp for schedule(dynamic, 1)
    for (std::size_t k = 0; k < group.size(); ++k) {
      if (cancel_ != nullptr && cancel_->load(std::memory_order_relaxed)) continue;  // a cancelled run: its state is dropped
      const auto [from, to] = share_of(group[k], phase / 2);
      const PlainOutcome outcome =
          run_plain_range(tick, rate * group[k].first + from, to - from, EventSource{group[k], Purpose::culture_blocks}, rng);
      changed[phase][k] = outcome.last != 0 ? 1 : 0;
    }  // the barrier here ends the phase
  }
  events_ += count;
  // The events up to the end of the last phase that changed something: the events to absorption
  // if the scan finds no active link left.
  std::uint64_t done = start;
  std::uint64_t last = 0;
  for (std::uint32_t phase = 0; phase < phases; ++phase) {
    bool any = false;
    for (std::size_t k = 0; k < blocks_[phase % 2].size(); ++k) {
      const auto [from, to] = share_of(blocks_[phase % 2][k], phase / 2);
      done += to - from;
      any = any || changed[phase][k] != 0;
    }
    if (any) last = done;
  }
  return after_plain(start, last);
}

}  // namespace glocal::culture
