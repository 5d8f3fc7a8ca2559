#include "processes/culture/axelrod_rule.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>

namespace glocal::culture {
namespace {

TEST(AxelrodRule, PairsWithNoOverlapOrFullOverlapNeverChange) {
  const Rng rng(1, 0);
  for (std::uint64_t e = 0; e < 2000; ++e) {
    const auto w = rng.block(e, 0, Purpose::culture_event);
    std::array<std::uint8_t, 4> a = {1, 2, 3, 4};
    const std::array<std::uint8_t, 4> disjoint = {5, 6, 7, 8};
    EXPECT_EQ(interact(a.data(), disjoint.data(), 4, w[0], w[1]).outcome, Outcome::no_overlap);
    EXPECT_EQ(a, (std::array<std::uint8_t, 4>{1, 2, 3, 4}));
    const std::array<std::uint8_t, 4> same = a;
    EXPECT_EQ(interact(a.data(), same.data(), 4, w[0], w[1]).outcome, Outcome::identical);
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
    copies += interact(active.data(), partner.data(), 5, w[2], w[3]).outcome == Outcome::copied ? 1 : 0;
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
    const Interaction r = interact(active.data(), partner.data(), 6, w[2], w[3]);
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

}  // namespace
}  // namespace glocal::culture
