// The plain model's event loop (Axelrod 1997 on the network, nothing else acting): the same
// events, the same random words and the same rule as the general loop in culture_events.cpp,
// so the same trajectory byte for byte, at a fraction of the cost. What makes it cheaper:
//
// - Events are prepared a batch of 64 at a time (their Philox words, agents, neighbours and row
//   offsets; sixteen at a time with AVX-512 on a lattice), one batch (lattice) or three (any other
//   network: the agent's CSR offsets, then its neighbour slot, then the neighbour) ahead of the
//   batch that executes; each executing event prefetches what the event 64 places later will
//   read, so the cache misses of 64 events overlap.
// - Nothing is kept per event beyond the copy itself. Absorption (no link with 0 < o < F) is
//   detected after the call by a scan that stops at the first active link, starting where the
//   last one was found; the events to absorption are those up to the last change, as before.
// - An event whose agent word Lemire's method rejects (low word below 2^32 mod N: about 2 % of
//   events at N = 10^8) takes its spare word, as uniform_below32 would: the AVX-512 lattice batch
//   draws that agent itself, so its rows are prefetched like any other. Events it cannot finish
//   that way (the spare word rejected too; a rejected rule draw; the portable batches, which flag
//   every low word below N) go to the exact scalar path, which redraws with the replacement words
//   in order.
// - With AVX-512 (BW, CD) and F <= 16 the rule is decided sixteen events at a time from the
//   rows as they are before them (group_rule.hpp, written over the lane vocabulary of
//   core/lanes.hpp and built for AVX-512 and for portable lanes, the build the tests run on every
//   machine; rows read as one 8-byte word, or two when
//   F > 8): the overlap, the draw, the acceptance and the feature copied, without a branch. When
//   no later event of the sixteen reads the row of one that copies (AVX-512 conflict detection),
//   nothing any of them reads changes before it runs,
//   so the decisions are those of the events one after another and the copies are made in a
//   branch-free loop; otherwise the sixteen run in order, each event whose row an earlier one
//   changed redone. The scalar loop mispredicted the copy branch (about one event in four
//   copies); this is about 1.4 to 1.6 times as fast at N <= 10^6 for F = 5, and 3 times for
//   F = 10 (whose scalar rule compares byte by byte).
//
// The block update scheme (culture_blocks.cpp) runs this loop on blocks of agents side by side.
#include <algorithm>
#include <array>
#include <cstring>

#include "core/lanes.hpp"
#include "glocal/core/error.hpp"
#include "processes/culture/culture.hpp"  // IWYU pragma: associated

namespace glocal::culture {

namespace {

constexpr std::size_t kBatch = EventWords::kBatch;
static_assert(kBatch == 64, "the plain loop draws a batch in parts of 16 or 64 (part_shift 4 or 6)");
constexpr std::uint32_t kNoSlot = 0xFFFFFFFFU;       ///< an isolated agent's event: no neighbour
constexpr std::uint64_t kNoRow = ~std::uint64_t{0};  ///< an event that changed no row

/// One batch of prepared events. `exact` flags (bit i) the events whose agent or neighbour draw
/// may need a replacement word: they run on the scalar path. Entries past `size` hold offset 0
/// (prefetching them is harmless).
struct PlainBatch {
  EventWords words;
  alignas(64) std::array<AgentIndex, kBatch> agent;         ///< other networks
  alignas(64) std::array<std::uint32_t, kBatch> slot;       ///< other networks
  alignas(64) std::array<std::uint64_t, kBatch> mine_at;    ///< byte offset of the agent's row
  alignas(64) std::array<std::uint64_t, kBatch> theirs_at;  ///< byte offset of the neighbour's row
  std::uint64_t first = 0;                                  ///< index within the tick of the batch's first event
  std::size_t size = 0;
  std::uint64_t exact = 0;
};

/// The agents and neighbours of lanes [from, to) of a batch on a periodic lattice (`to` at most
/// the batch's size), one event at a time: where the CPU lacks AVX-512 (lattice_draw.hpp draws
/// sixteen at a time, on AVX-512 or, in the tests, on portable lanes). Every low word below N is
/// flagged for the exact path.
void lattice_batch(PlainBatch& b, std::size_t from, std::size_t to, AgentIndex lowest, AgentIndex agents, const LatticeNeighbors& lattice,
                   std::uint32_t features) noexcept {
  for (std::size_t i = from; i < to; ++i) {
    const std::uint64_t m = static_cast<std::uint64_t>(b.words.words[0][i]) * agents;
    const AgentIndex agent = lowest + static_cast<AgentIndex>(m >> 32);
    b.exact |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(m) < agents) << i;
    b.mine_at[i] = static_cast<std::uint64_t>(agent) * features;
    b.theirs_at[i] =
        static_cast<std::uint64_t>(lattice(agent, b.words.words[1][i] >> 30)) * features;  // uniform_below32(w, 4): never rejected
  }
}

/// u mod d for u < 64 and 1 <= d <= 8 (the feature a packed rule copies), by table.
constexpr auto kModulo = [] {
  std::array<std::array<std::uint8_t, 64>, kPackedFeatures + 1> table{};
  for (std::uint32_t d = 1; d <= kPackedFeatures; ++d) {
    for (std::uint32_t u = 0; u < 64; ++u) table[d][u] = static_cast<std::uint8_t>(u % d);
  }
  return table;
}();

/// What a group of events changed: 1 + the lane of its last change (0 if none), and how many
/// copies it made.
struct GroupChanges {
  std::uint32_t last = 0;
  std::uint32_t copies = 0;
};

// The group rule and the lattice draw, each written once over the lane vocabulary (group_rule.hpp,
// lattice_draw.hpp), compiled for each set: AVX-512 where the CPU has it, and the portable lanes,
// which the tests run on every machine.
namespace wide {
using namespace lanes::avx512;
using lanes::Mask;
#define GLOCAL_GROUP_TARGET __attribute__((target(GLOCAL_LANES_AVX512_TARGET)))
#include "processes/culture/group_rule.hpp"    // IWYU pragma: keep
#include "processes/culture/lattice_draw.hpp"  // IWYU pragma: keep
#undef GLOCAL_GROUP_TARGET
}  // namespace wide
namespace portable {
using namespace lanes::portable;
using lanes::Mask;
#define GLOCAL_GROUP_TARGET
#include "processes/culture/group_rule.hpp"    // IWYU pragma: keep
#include "processes/culture/lattice_draw.hpp"  // IWYU pragma: keep
#undef GLOCAL_GROUP_TARGET
}  // namespace portable

/// Rows of at most this many features run the group rule (two 8-byte words a row beyond 8).
constexpr std::uint32_t kGroupFeatures = 16;

const bool kGroupRule = lanes::cpu_has_avx512_lanes();
bool portable_groups = false;  // tests: the group rule on the portable lanes (run_groups_on_portable_lanes)

}  // namespace

bool canonical_rule() noexcept {
  static const bool canonical = [] {
    const auto no_more = [] { return 0x9E3779B9U; };  // never called: follows_kernel_contract skips rejected words
    const auto active = [](std::uint32_t o, std::uint32_t f) { return active_pair(o, f); };
    const auto bytes = [&](std::uint8_t* a, const std::uint8_t* b, std::uint32_t f, std::uint32_t w) {
      return interact<false>(a, b, f, w, no_more);
    };
    const auto packed = [&](std::uint8_t* a, const std::uint8_t* b, std::uint32_t f, std::uint32_t w) {
      return interact<true>(a, b, f, w, no_more);
    };
    return follows_kernel_contract(bytes, active, 32) && follows_kernel_contract(packed, active, kPackedFeatures);
  }();
  return canonical;
}

void run_groups_on_portable_lanes(bool on) noexcept { portable_groups = on; }

CultureProcess::Kernel CultureProcess::plain_kernel() const noexcept {
  if (params_.features <= kGroupFeatures && kGroupRule && avx512_available()) return Kernel::plain_groups;
  if (params_.features <= kGroupFeatures && portable_groups) return Kernel::plain_groups_portable;
  return params_.features <= kPackedFeatures ? Kernel::plain_packed : Kernel::plain;
}

bool CultureProcess::plain_rule() const noexcept {
  return canonical_rule() && params_.media == MediaKind::none && params_.heritage == 0.0 && field_counts_.empty() &&
         world_counts_.empty() && drift_events_.probability() == 0.0 && media_events_.probability() == 0.0 &&
         reach_events_.probability() == 0.0 && heritage_events_.probability() == 0.0 && market_events_.probability() == 0.0;
}

std::uint64_t CultureProcess::first_active_link() const noexcept {
  // From the agent where the last search stopped, around the index range once: links stay
  // active for a while, so in an active run this returns almost at once; a full pass is made
  // only when none is left (once per absorption).
  const std::uint32_t features = params_.features;
  const AgentIndex agents = network_->size();
  const std::uint8_t* traits = traits_.data();
  const bool lattice = network_->periodic_lattice_side() != 0;
  const auto active = [&](AgentIndex i, AgentIndex j) {
    const std::uint32_t same =
        features <= kPackedFeatures
            ? overlap_of<true>(traits + static_cast<std::size_t>(i) * features, traits + static_cast<std::size_t>(j) * features, features)
            : overlap(traits + static_cast<std::size_t>(i) * features, traits + static_cast<std::size_t>(j) * features, features);
    return active_pair(same, features);
  };
  for (AgentIndex k = 0; k < agents; ++k) {
    const AgentIndex i = search_from_ + k < agents ? search_from_ + k : search_from_ + k - agents;
    if (lattice) {
      const std::array<AgentIndex, 4> around = lattice_.all(i);
      if (active(i, around[2]) || active(i, around[3])) return i;  // each link once: right and down
    } else {
      for (const AgentIndex j : network_->neighbors(i)) {
        if (j > i && active(i, j)) return i;
      }
    }
  }
  return agents;
}

CultureProcess::PlainOutcome CultureProcess::run_plain_range(std::uint64_t tick, std::uint64_t first, std::uint64_t count,
                                                             const EventSource& source, const Rng& rng) noexcept {
  const bool packed = params_.features <= kPackedFeatures;
  const Kernel loop = plain_kernel();
  const auto run = [&]<bool Lattice, bool Packed>() {
    if (loop == Kernel::plain_groups) return run_plain_as<Lattice, Packed, Kernel::plain_groups>(tick, first, count, source, rng);
    if (loop == Kernel::plain_groups_portable)
      return run_plain_as<Lattice, Packed, Kernel::plain_groups_portable>(tick, first, count, source, rng);
    return run_plain_as<Lattice, Packed, Kernel::plain>(tick, first, count, source, rng);
  };
  if (network_->periodic_lattice_side() != 0) return packed ? run.operator()<true, true>() : run.operator()<true, false>();
  return packed ? run.operator()<false, true>() : run.operator()<false, false>();
}

std::uint64_t CultureProcess::after_plain(std::uint64_t start, std::uint64_t last_change) noexcept {
  links_counted_ = false;
  if (last_change == 0) return events_ - start;  // nothing changed: still no active link, or still some
  last_change_ = last_change;
  const std::uint64_t found = first_active_link();
  if (found < network_->size()) {
    search_from_ = static_cast<AgentIndex>(found);
    active_edges_ = 1;  // a lower bound: some link is active
    return events_ - start;
  }
  // Absorbed: nothing changed after the last change, so the events to absorption are exactly
  // those up to it (as the general loop, which stops there).
  active_edges_ = 0;
  links_counted_ = true;
  events_ = last_change_;
  return events_ - start;
}

std::uint64_t CultureProcess::run_plain(std::uint64_t tick, std::uint64_t first, std::uint64_t count, const Rng& rng) noexcept {
  const std::uint64_t start = events_;
  const PlainOutcome outcome =
      run_plain_range(tick, first, count, EventSource{AgentRange{0, network_->size()}, Purpose::culture_event}, rng);
  events_ += count;
  plain_copies_ = outcome.copies;
  return after_plain(start, outcome.last == 0 ? 0 : start - first + outcome.last);
}

template <bool Lattice, bool Packed, CultureProcess::Kernel Loop>
CultureProcess::PlainOutcome CultureProcess::run_plain_as(std::uint64_t tick, std::uint64_t first, std::uint64_t count,
                                                          const EventSource& source, const Rng& rng) noexcept {
  const std::uint32_t features = params_.features;
  const AgentIndex lowest = source.agents.first;  // the agent of an event is uniform in [lowest, lowest + agents)
  const AgentIndex agents = source.agents.size;
  const Purpose purpose = source.purpose;
  const std::uint32_t* offsets = network_->offsets().data();
  const AgentIndex* neighbors = network_->neighbor_array().data();
  std::uint8_t* traits = traits_.data();
  const std::uint64_t seed = rng.event_key();
  const std::uint64_t run = rng.event_lane();
  const std::uint64_t end = first + count;
  // The bytes of a row's 8-byte word that hold features (F <= 8), or of its second word (F <= 16).
  const std::uint32_t in_word = features <= kPackedFeatures ? features : features - kPackedFeatures;
  const std::uint64_t row_mask = in_word >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * in_word)) - 1;
  // The last byte an event reads of a row: its 8-byte word, its two (F <= 16), or its F bytes.
  const std::uint64_t row_last = Packed ? 7 : features <= kGroupFeatures ? 15 : features - 1;
  PlainOutcome outcome;

  // Stages, each applied to a whole batch: draw (words, agents; on a lattice also the neighbour),
  // then on other networks the slot and the neighbour. Nothing is prefetched here: the executing
  // batch prefetches, one event at a time, what the batches after it will read (a burst of 64
  // prefetches would fill the miss buffers and stall).
  const auto row = [&](AgentIndex a) { return traits + static_cast<std::size_t>(a) * features; };
  const bool avx512 = avx512_available() && kGroupRule;  // the lane set's CPU features (F, BW, CD), not only F
  // Part `part` (events [part_size x part, part_size x (part + 1))) of the batch of events from
  // `from`. Where the column is beyond the caches a lattice batch is drawn a quarter at a time,
  // between the executing batch's quarters, so that prefetches keep flowing (+0.06 of the gather
  // ceiling at N = 10^8); below, whole batches (each part has a fixed cost). Same numbers.
  const std::size_t part_shift = Lattice && static_cast<std::uint64_t>(network_->size()) * features > (std::uint64_t{32} << 20) ? 4 : 6;
  const std::size_t part_size = std::size_t{1} << part_shift;  // 16 or kBatch
  const auto draw_part = [&](PlainBatch& b, std::uint64_t from, std::size_t part) {
    if (part == 0) {
      b.first = from;
      b.size = from < end ? static_cast<std::size_t>(std::min<std::uint64_t>(kBatch, end - from)) : 0;
      b.exact = 0;
    }
    const std::size_t lo = std::min(part_size * part, b.size);
    const std::size_t hi = std::min(part_size * part + part_size, b.size);
    if (hi > lo) {
      philox4x32_events(seed, run, tick, purpose, from + lo, hi - lo, b.words, lo);
      if constexpr (Lattice) {
        if (avx512) {
          wide::lattice_draw(b, lo, hi, lowest, agents, lattice_, features, Packed);
        } else if constexpr (Loop == Kernel::plain_groups_portable) {  // tests: the AVX-512 path's code on portable lanes
          portable::lattice_draw(b, lo, hi, lowest, agents, lattice_, features, Packed);
        } else {
          lattice_batch(b, lo, hi, lowest, agents, lattice_, features);
        }
      } else {
        for (std::size_t i = lo; i < hi; ++i) {
          const std::uint64_t m = static_cast<std::uint64_t>(b.words.words[0][i]) * agents;
          b.agent[i] = lowest + static_cast<AgentIndex>(m >> 32);
          b.exact |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(m) < agents) << i;
        }
      }
    }
    for (std::size_t i = hi; i < part_size * (part + 1); ++i) {  // entries past the end: harmless prefetches
      b.mine_at[i] = 0;
      b.theirs_at[i] = 0;
    }
  };
  const auto draw = [&](PlainBatch& b, std::uint64_t from) {
    for (std::size_t part = 0; part < kBatch / part_size; ++part) draw_part(b, from, part);
  };
  const auto pick_slot = [&](PlainBatch& b) {  // other networks: the neighbour's CSR slot
    for (std::size_t i = 0; i < b.size; ++i) {
      const std::uint32_t begin = offsets[b.agent[i]];
      const std::uint32_t degree = offsets[b.agent[i] + 1] - begin;
      const std::uint64_t m = static_cast<std::uint64_t>(b.words.words[1][i]) * degree;
      b.slot[i] = degree == 0 ? kNoSlot : begin + static_cast<std::uint32_t>(m >> 32);
      b.exact |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(m) < degree) << i;
    }
  };
  const auto pick_partner = [&](PlainBatch& b) {
    for (std::size_t i = 0; i < b.size; ++i) {
      const AgentIndex partner = b.slot[i] == kNoSlot ? b.agent[i] : neighbors[b.slot[i]];  // isolated: meets itself
      b.mine_at[i] = static_cast<std::uint64_t>(b.agent[i]) * features;
      b.theirs_at[i] = static_cast<std::uint64_t>(partner) * features;
    }
  };
  // What event i of a batch prefetches: the rows of event i of the next batch; on other
  // networks also the slot of the one after and the offsets of the third.
  struct Ahead {
    const PlainBatch* rows = nullptr;
    const PlainBatch* slots = nullptr;
    const PlainBatch* offsets = nullptr;
  };
  // always_inline, here and in `burst`: GCC 12 judges a lambda of prefetches alone pure when it
  // is not inlined early, and deletes its calls (the CSR path had no prefetch left at all).
  const auto prefetch = [&](const Ahead& ahead, std::size_t i) __attribute__((always_inline)) {
    // 64 events ahead: measured no better or worse than 16, 32, 96 or 128 at N = 2.5e7. Both
    // ends of each 8-byte row read: one read in nine straddles two cache lines, and a miss on
    // the second line, not prefetched, stalled the loop (+0.1 of the gather ceiling at 10^8).
    __builtin_prefetch(traits + ahead.rows->mine_at[i], 1);
    __builtin_prefetch(traits + ahead.rows->theirs_at[i]);
    __builtin_prefetch(traits + ahead.rows->mine_at[i] + row_last, 1);
    __builtin_prefetch(traits + ahead.rows->theirs_at[i] + row_last);
    if constexpr (!Lattice) {
      if (i < ahead.slots->size && ahead.slots->slot[i] != kNoSlot) __builtin_prefetch(neighbors + ahead.slots->slot[i]);
      if (i < ahead.offsets->size) __builtin_prefetch(offsets + ahead.offsets->agent[i]);
    }
  };
  // The exact scalar path: every draw in order with the replacement words (RetryWords). The byte
  // offset of the row it changed, or kNoRow.
  const auto execute_exact = [&](std::uint64_t e) -> std::uint64_t {
    const auto w = event_block(seed, run, tick, purpose, e);
    RetryWords more(rng, e, tick, w[3]);
    const AgentIndex i = lowest + uniform_below32(w[0], agents, more);
    AgentIndex j = i;
    if constexpr (Lattice) {
      j = lattice_(i, uniform_below32(w[1], 4, more));
    } else {
      const std::uint32_t degree = offsets[i + 1] - offsets[i];
      if (degree == 0) return kNoRow;
      j = neighbors[offsets[i] + uniform_below32(w[1], degree, more)];
    }
    return interact<Packed>(row(i), row(j), features, w[2], more).outcome == Outcome::copied ? static_cast<std::uint64_t>(i) * features
                                                                                             : kNoRow;
  };
  const auto execute = [&](const PlainBatch& b, const Ahead& ahead, auto&& prepare) {
    // Everything the loop reads, in locals: the byte stores below may alias any memory, so
    // values reached through the closure would be reloaded after each of them.
    std::uint8_t* const column = traits;
    const std::uint32_t row_features = features;
    const std::uint64_t compared = row_mask;
    const std::uint64_t exact = b.exact;
    const std::size_t size = b.size;
    const std::uint64_t* const mine_at = b.mine_at.data();
    const std::uint64_t* const theirs_at = b.theirs_at.data();
    const std::uint32_t* const rule = b.words.words[2].data();
    std::size_t changed = 0;  // 1 + the position of the batch's last change, 0 if none
    std::uint64_t copied = 0;
    // Event i of the batch (not flagged exact), on the rows as they are now: true when it copied
    // a trait (into its agent's row, mine_at[i], on the exact path too: the agent's draw was not
    // rejected or was replaced by the spare word, as the exact path replaces it).
    const auto event_now = [&](std::size_t i) -> bool {
      std::uint8_t* mine = column + mine_at[i];
      const std::uint8_t* theirs = column + theirs_at[i];
      if constexpr (!Packed) {
        RetryWords more(rng, b.first + i, tick, b.words.words[3][i]);
        return interact<false>(mine, theirs, row_features, rule[i], more).outcome == Outcome::copied;
      } else {
        // Axelrod's rule as in interact<true> (same u, same acceptance, same feature), inlined.
        const std::uint64_t x = load_row8(mine);
        const std::uint64_t y = load_row8(theirs);
        const std::uint64_t z = (x ^ y) & compared;
        constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
        const std::uint64_t differing = (((z & kLow7) + kLow7) | z) & ~kLow7;
        const std::uint32_t differ = packed_count(differing);
        const std::uint32_t n = row_features * differ + static_cast<std::uint32_t>(differ == 0);
        const std::uint64_t m = static_cast<std::uint64_t>(rule[i]) * n;
        if (static_cast<std::uint32_t>(m) < n) [[unlikely]]
          return execute_exact(b.first + i) != kNoRow;  // Lemire may reject: redraw exactly
        const auto u = static_cast<std::uint32_t>(m >> 32);
        if (u < (row_features - differ) * differ) {  // a branch: storing every event (branch-free) measured slower
          const auto mask = static_cast<std::uint32_t>((((differing >> 7) * 0x0102040810204080ULL) >> 56) & 0xFF);
          const std::uint32_t f = kth_set_bit(mask, kModulo[differ][u]);
          mine[f] = theirs[f];
          return true;
        }
        return false;
      }
    };
    if constexpr (Loop == Kernel::plain_groups || Loop == Kernel::plain_groups_portable) {
      // Sixteen events at a time (group_rule.hpp): the rule decided for all of them from
      // the rows as they are, then in order the copies made and the events redone that must be.
      for (std::size_t g = 0; g < size; g += 16) {
        if ((g & (part_size - 1)) == 0) prepare(g >> part_shift);  // part_size is 16 or 64
        for (std::size_t i = g; i < g + 16; ++i) prefetch(ahead, i);
        const std::uint32_t lanes = size - g >= 16 ? 0xFFFFU : (1U << (size - g)) - 1;
        const auto group_exact = static_cast<std::uint32_t>((exact >> g) & 0xFFFF);
        const auto redo = [&](std::uint32_t k) {
          if (((group_exact >> k) & 1U) != 0) return execute_exact(b.first + g + k);
          return event_now(g + k) ? mine_at[g + k] : kNoRow;
        };
        GroupChanges group;
        if constexpr (Loop == Kernel::plain_groups) {
          group =
              wide::packed_group<!Packed>(column, mine_at + g, theirs_at + g, rule + g, row_features, compared, lanes, group_exact, redo);
        } else {
          group = portable::packed_group<!Packed>(column, mine_at + g, theirs_at + g, rule + g, row_features, compared, lanes, group_exact,
                                                  redo);
        }
        if (group.last != 0) changed = g + group.last;
        copied += group.copies;
      }
    } else {
      for (std::size_t i = 0; i < size; ++i) {
        if ((i & (part_size - 1)) == 0) prepare(i >> part_shift);  // part_size is a power of two
        prefetch(ahead, i);
        bool copies = false;
        if ((exact >> i) & 1U) [[unlikely]] {
          copies = execute_exact(b.first + i) != kNoRow;
        } else {
          copies = event_now(i);
        }
        if (copies) {
          changed = i + 1;
          ++copied;
        }
      }
    }
    if (changed != 0) outcome.last = b.first + changed;
    outcome.copies += copied;
  };

  // The pipeline: a ring of batches, kAhead of them prepared ahead of the one executing. Before
  // the first batch executes, the batches ahead of it are prepared and prefetched in bursts.
  constexpr std::size_t kAhead = Lattice ? 1 : 3;
  std::array<PlainBatch, kAhead + 1> ring;
  const auto at = [&](std::uint64_t k) -> PlainBatch& { return ring[k % ring.size()]; };
  const auto ahead_of = [&](std::uint64_t k) { return Ahead{&at(k + 1), &at(k + std::min<std::size_t>(2, kAhead)), &at(k + kAhead)}; };
  const auto burst = [&](const PlainBatch& b, bool rows, bool slots, bool agents_offsets) __attribute__((always_inline)) {
    for (std::size_t i = 0; i < b.size; ++i) {
      if (rows) {
        __builtin_prefetch(traits + b.mine_at[i], 1);
        __builtin_prefetch(traits + b.theirs_at[i]);
        __builtin_prefetch(traits + b.mine_at[i] + row_last, 1);
        __builtin_prefetch(traits + b.theirs_at[i] + row_last);
      }
      if (slots && b.slot[i] != kNoSlot) __builtin_prefetch(neighbors + b.slot[i]);
      if (agents_offsets) __builtin_prefetch(offsets + b.agent[i]);
    }
  };
  for (std::uint64_t k = 0; k < kAhead; ++k) draw(at(k), first + k * kBatch);
  if constexpr (!Lattice) {
    for (std::uint64_t k = 0; k < kAhead; ++k) burst(at(k), false, false, true);
    pick_slot(at(0));
    pick_slot(at(1));
    burst(at(0), false, true, false);
    burst(at(1), false, true, false);
    pick_partner(at(0));
  }
  burst(at(0), true, false, false);
  const std::uint64_t batches = (count + kBatch - 1) / kBatch;
  for (std::uint64_t k = 0; k < batches; ++k) {
    if constexpr (Lattice) {
      // Batch k + 1 is drawn part by part as batch k executes (its part c just before the
      // events of batch k that prefetch it); the last batch of a call may be short.
      PlainBatch& next = at(k + 1);
      const std::uint64_t next_from = first + (k + 1) * kBatch;
      const auto prepare = [&](std::size_t part) { draw_part(next, next_from, part); };
      execute(at(k), ahead_of(k), prepare);
      for (std::size_t part = (at(k).size + part_size - 1) / part_size; part < kBatch / part_size; ++part) draw_part(next, next_from, part);
    } else {
      draw(at(k + kAhead), first + (k + kAhead) * kBatch);
      pick_slot(at(k + 2));
      pick_partner(at(k + 1));
      execute(at(k), ahead_of(k), [](std::size_t) {});
    }
  }
  return outcome;
}

}  // namespace glocal::culture
