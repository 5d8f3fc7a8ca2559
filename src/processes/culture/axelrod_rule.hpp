#pragma once
// One Axelrod (1997) interaction, as a pure function of the two culture vectors and two random
// words, so that the rule can be tested alone and shared by every update scheme.
#include <cstdint>

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

/// Axelrod's rule: with overlap o, if 0 < o < F then with probability o/F the active agent copies
/// the partner's trait on one feature drawn uniformly among the F - o where they differ.
/// `accept_word` decides the o/F coin (uniform integer below F compared with o, so the
/// probability is exactly o/F up to the 2^-64-level bias of uniform_below); `feature_word` picks
/// the feature. Only `active` is written.
inline Interaction interact(std::uint8_t* active, const std::uint8_t* partner, std::uint32_t features,
                            std::uint64_t accept_word, std::uint64_t feature_word) noexcept {
  const std::uint32_t same = overlap(active, partner, features);
  if (same == 0) return {Outcome::no_overlap};
  if (same == features) return {Outcome::identical};
  if (uniform_below(accept_word, features) >= same) return {Outcome::declined};
  auto pick = static_cast<std::uint32_t>(uniform_below(feature_word, features - same));
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

}  // namespace glocal::culture
