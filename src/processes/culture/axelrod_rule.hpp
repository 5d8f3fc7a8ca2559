#pragma once
// One Axelrod (1997) interaction, as a pure function of the two culture vectors and one random
// word (plus replacements in the rare case of a rejected draw), so that the rule can be tested
// alone and shared by every update scheme.
#include <array>
#include <cstdint>
#include <cstring>

#include "glocal/core/rng.hpp"
#include "glocal/metrics/culture_metrics.hpp"

namespace glocal::culture {

enum class Outcome : std::uint8_t {
  no_overlap,  ///< o = 0: nothing in common, no interaction
  identical,   ///< o = F: nothing left to copy
  declined,    ///< 0 < o < F but the o/F coin said no
  copied,      ///< the active agent copied one trait from its partner
};

struct Interaction {
  Outcome outcome = Outcome::no_overlap;
  std::uint32_t feature = 0;   ///< the feature copied (copied only)
  std::uint8_t old_trait = 0;  ///< the active agent's trait before the copy (copied only)
};

/// Culture vectors of at most this many features are compared eight bytes at a time (SWAR).
inline constexpr std::uint32_t kPackedFeatures = 8;

/// The position of the k-th (from 0) set bit of an 8-bit mask, by table (k < popcount(mask)).
[[nodiscard]] inline std::uint32_t kth_set_bit(std::uint32_t mask, std::uint32_t k) noexcept {
  static constexpr auto kTable = [] {
    std::array<std::array<std::uint8_t, 8>, 256> table{};
    for (std::uint32_t m = 0; m < 256; ++m) {
      std::uint32_t found = 0;
      for (std::uint32_t b = 0; b < 8; ++b) {
        if ((m >> b) & 1U) table[m][found++] = static_cast<std::uint8_t>(b);
      }
    }
    return table;
  }();
  return kTable[mask][k];
}

/// The overlap of two vectors (Packed: compared eight bytes at a time).
template <bool Packed>
[[nodiscard]] inline std::uint32_t overlap_of(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t features) noexcept {
  if constexpr (Packed) {
    return features - packed_count(packed_differing(a, b, features));
  } else {
    return overlap(a, b, features);
  }
}

/// How a link's status (active: 0 < o < F) changes after the agent at `mine` copied `change`
/// (its trait on change.feature is now the new one): -1, 0 or +1. The overlap with `theirs` moved
/// by (t == new) - (t == old) for the neighbour's trait t on that feature. Branch-free when packed.
template <bool Packed>
[[nodiscard]] inline std::int64_t link_change(const std::uint8_t* mine, const std::uint8_t* theirs, std::uint32_t features,
                                              const Interaction& change) noexcept {
  const std::uint8_t t = theirs[change.feature];
  const std::uint8_t new_trait = mine[change.feature];
  if constexpr (!Packed) {
    if (t != change.old_trait && t != new_trait) return 0;
  }
  const std::uint32_t after = overlap_of<Packed>(mine, theirs, features);
  const std::uint32_t before = after + static_cast<std::uint32_t>(t == change.old_trait) - static_cast<std::uint32_t>(t == new_trait);
  return static_cast<std::int64_t>(active_pair(after, features)) - static_cast<std::int64_t>(active_pair(before, features));
}

/// Axelrod's rule: with overlap o and d = F - o differing features, if 0 < o < F then with
/// probability o/F the active agent copies the partner's trait on one of the d features, drawn
/// uniformly. Both draws come from one integer u exactly uniform on [0, F d): accept when
/// u < o d (probability o/F), then copy the (u mod d)-th differing feature (uniform, and
/// independent of the acceptance, since o d is a multiple of d). `more` supplies replacement
/// words for Lemire's rejection (uniform_below32). Only `active` is written.
///
/// `Packed`: the vectors are read as one 64-bit word each (F <= 8, and 8 readable bytes at both
/// pointers); the result is the same as the byte loop's.
template <bool Packed = false, typename More>
inline Interaction interact(std::uint8_t* active, const std::uint8_t* partner, std::uint32_t features, std::uint32_t word,
                            More&& more) noexcept {
  if constexpr (Packed) {
    // Branch-free up to the copy itself (the outcomes are random, so branches would mispredict):
    // identical and disjoint pairs draw u from [0, 1) or [0, F^2) and can never pass u < o d = 0.
    const std::uint64_t differing = packed_differing(active, partner, features);
    const std::uint32_t differ = packed_count(differing);
    const std::uint32_t same = features - differ;
    const std::uint32_t n = features * differ;
    const std::uint32_t u = uniform_below32(word, n + static_cast<std::uint32_t>(n == 0), more);
    if (u >= same * differ) [[likely]] {
      return {differ == features ? Outcome::no_overlap : differ == 0 ? Outcome::identical : Outcome::declined};
    }
    // The (u mod d)-th differing feature: the differing bytes as an 8-bit mask, then a table.
    const auto mask = static_cast<std::uint32_t>((((differing >> 7) * 0x0102040810204080ULL) >> 56) & 0xFF);
    const std::uint32_t f = kth_set_bit(mask, u % differ);
    const Interaction result{Outcome::copied, f, active[f]};
    active[f] = partner[f];
    return result;
  } else {
    const std::uint32_t same = overlap(active, partner, features);
    if (same == 0) return {Outcome::no_overlap};
    if (same == features) return {Outcome::identical};
    const std::uint32_t differ = features - same;
    const std::uint32_t u = uniform_below32(word, features * differ, more);
    if (u >= same * differ) return {Outcome::declined};
    std::uint32_t pick = u % differ;
    std::uint32_t f = 0;
    for (;; ++f) {
      if (active[f] != partner[f]) {
        if (pick == 0) break;
        --pick;
      }
    }
    const Interaction result{Outcome::copied, f, active[f]};
    active[f] = partner[f];
    return result;
  }
}

/// What the fast kernels of the plain model hard-code (culture_plain.cpp: the plain loop's inlined
/// rule, the group rule; culture_active_pairs.cpp: active-pair sampling's thinning), stated once
/// for checking: with d of the F features differing and o = F - d, the pair is active iff
/// 0 < o < F; then u = uniform_below32(word, F d), the copy happens iff u < o d, and the feature
/// copied is the (u mod d)-th differing one, in increasing order.
struct KernelContract {
  std::uint32_t features;
  /// The outcome the kernels produce for `a` meeting `b` with this word (no rejection: the
  /// kernels redo a rejected draw by the exact path, which calls interact).
  [[nodiscard]] Interaction expected(const std::uint8_t* a, const std::uint8_t* b, std::uint32_t word) const noexcept {
    std::uint32_t differ = 0;
    for (std::uint32_t f = 0; f < features; ++f) differ += a[f] != b[f] ? 1U : 0U;
    if (differ == features) return {Outcome::no_overlap};
    if (differ == 0) return {Outcome::identical};
    const auto u = static_cast<std::uint32_t>((static_cast<std::uint64_t>(word) * (features * differ)) >> 32);
    if (u >= (features - differ) * differ) return {Outcome::declined};
    std::uint32_t pick = u % differ;
    for (std::uint32_t f = 0;; ++f) {
      if (a[f] != b[f] && pick-- == 0) return {Outcome::copied, f, a[f]};
    }
  }
};

/// True when `rule` (called as rule(active, partner, features, word), returning an Interaction
/// and writing only `active`) and `active` (active(o, F)) agree with KernelContract on every F
/// in [1, max_features], every overlap and a fixed set of words and trait vectors: then the fast
/// kernels may run the plain model. A rule edited in this file fails it, and the culture process
/// runs every event through the general loop, which calls interact<false> and active_pair only
/// (CultureProcess::kernel() says which ran).
template <typename Rule, typename Active>
[[nodiscard]] bool follows_kernel_contract(Rule&& rule, Active&& active, std::uint32_t max_features) noexcept {
  constexpr std::array<std::uint32_t, 9> kWords = {0x00000001U, 0x0FFFFFFFU, 0x2AAAAAABU, 0x40000000U, 0x5555ABCDU,
                                                   0x80000000U, 0xAAAAAAAAU, 0xD0000000U, 0xFFFFFFFFU};
  for (std::uint32_t features = 1; features <= max_features; ++features) {
    for (std::uint32_t o = 0; o <= features; ++o) {
      if (active(o, features) != (o > 0 && o < features)) return false;
    }
    // Pairs with every overlap, the differing features spread out (every third feature first).
    for (std::uint32_t differ = 0; differ <= features; ++differ) {
      std::array<std::uint8_t, 64> a{};
      std::array<std::uint8_t, 64> b{};
      for (std::uint32_t f = 0; f < features; ++f) a[f] = b[f] = static_cast<std::uint8_t>(f % 7);
      for (std::uint32_t k = 0, f = 0; k < differ; ++k, f = (f + 3) % features) {
        while (a[f] != b[f]) f = (f + 1) % features;
        b[f] = static_cast<std::uint8_t>(a[f] + 1 + k % 3);
      }
      const KernelContract contract{features};
      const std::uint32_t n = features * differ;
      for (const std::uint32_t word : kWords) {
        if (n != 0 && static_cast<std::uint32_t>(static_cast<std::uint64_t>(word) * n) < static_cast<std::uint32_t>(-n) % n) {
          continue;  // Lemire would reject this word: the kernels redo such events with interact itself
        }
        std::array<std::uint8_t, 64> mine = a;
        const Interaction want = contract.expected(a.data(), b.data(), word);
        const Interaction got = rule(mine.data(), b.data(), features, word);
        if (got.outcome != want.outcome) return false;
        std::array<std::uint8_t, 64> after = a;
        if (want.outcome == Outcome::copied) {
          if (got.feature != want.feature || got.old_trait != want.old_trait) return false;
          after[want.feature] = b[want.feature];
        }
        if (mine != after) return false;
      }
    }
  }
  return true;
}

/// follows_kernel_contract for the rule of this file (interact, packed and not, and active_pair),
/// checked once.
[[nodiscard]] bool canonical_rule() noexcept;

/// Tests: whether the plain loop runs the sixteen-event rule on the portable lanes where it would
/// otherwise run one event at a time (no AVX-512, or use_avx512(false)), so that every machine
/// runs the group rule's code. Off by default; not thread-safe (set it before a run).
void run_groups_on_portable_lanes(bool on) noexcept;

}  // namespace glocal::culture
