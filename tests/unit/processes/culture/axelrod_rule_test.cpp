#include "processes/culture/axelrod_rule.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace glocal::culture {
namespace {

/// Replacement words for a rejected draw: the words of a second block, in turn.
struct Spare {
  RandomBlock block;
  int used = 0;
  std::uint32_t operator()() noexcept { return static_cast<std::uint32_t>(block[static_cast<std::size_t>(used++ % 4)]); }
};

TEST(AxelrodRule, PairsWithNoOverlapOrFullOverlapNeverChange) {
  const Rng rng(1, 0);
  for (std::uint64_t e = 0; e < 2000; ++e) {
    const auto w = rng.block(e, 0, Purpose::culture_event);
    std::array<std::uint8_t, 4> a = {1, 2, 3, 4};
    const std::array<std::uint8_t, 4> disjoint = {5, 6, 7, 8};
    EXPECT_EQ(interact(a.data(), disjoint.data(), 4, static_cast<std::uint32_t>(w[0]), Spare{w}).outcome, Outcome::no_overlap);
    EXPECT_EQ(a, (std::array<std::uint8_t, 4>{1, 2, 3, 4}));
    const std::array<std::uint8_t, 4> same = a;
    EXPECT_EQ(interact(a.data(), same.data(), 4, static_cast<std::uint32_t>(w[0]), Spare{w}).outcome, Outcome::identical);
    EXPECT_EQ(a, same);
  }
}

TEST(AxelrodRule, CopyProbabilityIsOverlapOverF) {
  // F = 5, o = 2: p = 0.4. 100,000 trials: binomial sd = 155; tolerance 5 sd.
  const Rng rng(2, 0);
  constexpr int kTrials = 100000;
  int copies = 0;
  for (int e = 0; e < kTrials; ++e) {
    const auto w = rng.block(static_cast<std::uint64_t>(e), 0, Purpose::culture_event);
    std::array<std::uint8_t, 5> active = {1, 1, 0, 0, 0};
    const std::array<std::uint8_t, 5> partner = {1, 1, 9, 9, 9};
    copies += interact(active.data(), partner.data(), 5, static_cast<std::uint32_t>(w[2]), Spare{w}).outcome == Outcome::copied ? 1 : 0;
  }
  EXPECT_NEAR(copies, 0.4 * kTrials, 5 * std::sqrt(kTrials * 0.4 * 0.6));
}

TEST(AxelrodRule, CopiedFeatureIsUniformAmongDifferingOnesAndOnlyTheActiveAgentChanges) {
  // F = 6, agreeing on features 0 and 3; the copy lands on 1, 2, 4 or 5 with probability 1/4 each.
  // Chi-square with 3 d.o.f. at alpha = 0.001: 16.27.
  const Rng rng(3, 0);
  std::array<double, 6> hits{};
  int copies = 0;
  for (std::uint64_t e = 0; copies < 40000; ++e) {
    const auto w = rng.block(e, 0, Purpose::culture_event);
    std::array<std::uint8_t, 6> active = {7, 0, 0, 7, 0, 0};
    const std::array<std::uint8_t, 6> partner = {7, 1, 2, 7, 4, 5};
    const auto partner_before = partner;
    const Interaction r = interact(active.data(), partner.data(), 6, static_cast<std::uint32_t>(w[2]), Spare{w});
    EXPECT_EQ(partner, partner_before);
    if (r.outcome != Outcome::copied) continue;
    ++copies;
    ASSERT_NE(r.feature, 0U);
    ASSERT_NE(r.feature, 3U);
    EXPECT_EQ(r.old_trait, 0);
    EXPECT_EQ(active[r.feature], partner[r.feature]);
    int changed = 0;
    for (int f = 0; f < 6; ++f) changed += active[f] != std::array<std::uint8_t, 6>{7, 0, 0, 7, 0, 0}[f] ? 1 : 0;
    EXPECT_EQ(changed, 1);
    hits[r.feature] += 1;
  }
  double chi2 = 0;
  for (const int f : {1, 2, 4, 5}) chi2 += (hits[f] - 10000.0) * (hits[f] - 10000.0) / 10000.0;
  EXPECT_LT(chi2, 16.27);
}

TEST(AxelrodRule, PackedComparisonGivesTheByteLoopsResult) {
  // Random vectors of F = 1..8 features over 3 traits (so that every overlap occurs), padded to
  // 8 readable bytes with garbage that must be ignored: same outcome, feature and vector.
  const Rng rng(4, 0);
  for (std::uint64_t e = 0; e < 40000; ++e) {
    const auto w = rng.block(e, 0, Purpose::culture_event);
    const auto features = static_cast<std::uint32_t>(1 + e % 8);
    std::array<std::uint8_t, 8> a{};
    std::array<std::uint8_t, 8> b{};
    for (std::uint32_t f = 0; f < 8; ++f) {
      a[f] = static_cast<std::uint8_t>(f < features ? (w[0] >> (8 * f)) % 3 : (w[0] >> (8 * f)));
      b[f] = static_cast<std::uint8_t>(f < features ? (w[1] >> (8 * f)) % 3 : (w[3] >> (8 * f)));
    }
    auto plain = a;
    auto packed = a;
    const Interaction x = interact<false>(plain.data(), b.data(), features, static_cast<std::uint32_t>(w[2]), Spare{w});
    const Interaction y = interact<true>(packed.data(), b.data(), features, static_cast<std::uint32_t>(w[2]), Spare{w});
    ASSERT_EQ(x.outcome, y.outcome) << e;
    ASSERT_EQ(x.feature, y.feature) << e;
    ASSERT_EQ(plain, packed) << e;
  }
}

}  // namespace
}  // namespace glocal::culture
