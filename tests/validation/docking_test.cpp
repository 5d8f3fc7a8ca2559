// Docking (Axtell, Axelrod, Epstein & Cohen 1996, "Aligning simulation models"): an independent,
// deliberately plain implementation of Axelrod's model, written from the paper's text, must give
// the same distributions of stable regions and of events to stability as the engine.
//
// Decided before looking: 1,000 runs each side per cell, two-sample Kolmogorov-Smirnov,
// reject at p < 0.001 (4 comparisons: family-wise alpha ~ 0.004). KS is conservative for
// discrete data such as region counts, so this errs toward passing a small difference; the
// Axelrod table test and the unit tests of the rule cover the rest.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

/// The reference: a 10 x 10 grid of sites with open edges, each a vector<int> culture; pick a
/// random site, a random one of its 2-4 neighbours, interact with probability overlap/F, copy one
/// differing feature. Absorption is checked by scanning every pair after every 100 events; the
/// events to absorption are those up to the last change (after which nothing can change).
struct ReferenceOutcome {
  double regions = 0;
  double events = 0;
};

ReferenceOutcome reference_run(int features, int traits, std::uint64_t seed) {
  constexpr int kSide = 10;
  std::mt19937_64 gen(seed);
  std::uniform_int_distribution<int> trait_dist(0, traits - 1);
  std::vector<std::vector<int>> culture(kSide * kSide, std::vector<int>(static_cast<std::size_t>(features)));
  for (auto& site : culture) {
    for (auto& t : site) t = trait_dist(gen);
  }
  auto neighbours = [&](int s) {
    std::vector<int> out;
    const int x = s % kSide;
    const int y = s / kSide;
    if (x > 0) out.push_back(s - 1);
    if (x < kSide - 1) out.push_back(s + 1);
    if (y > 0) out.push_back(s - kSide);
    if (y < kSide - 1) out.push_back(s + kSide);
    return out;
  };
  auto similarity = [&](int a, int b) {
    int same = 0;
    for (int f = 0; f < features; ++f) same += culture[a][f] == culture[b][f] ? 1 : 0;
    return same;
  };
  auto stable = [&] {
    for (int s = 0; s < kSide * kSide; ++s) {
      for (int n : neighbours(s)) {
        const int o = similarity(s, n);
        if (o > 0 && o < features) return false;
      }
    }
    return true;
  };
  long long events = 0;
  long long last_change = 0;
  while (!stable()) {
    for (int k = 0; k < 100; ++k) {
      ++events;
      const int site = std::uniform_int_distribution<int>(0, kSide * kSide - 1)(gen);
      const auto nbrs = neighbours(site);
      const int other = nbrs[std::uniform_int_distribution<std::size_t>(0, nbrs.size() - 1)(gen)];
      const int o = similarity(site, other);
      if (o == 0 || o == features) continue;
      if (std::uniform_real_distribution<double>(0.0, 1.0)(gen) >= static_cast<double>(o) / features) continue;
      std::vector<int> differing;
      for (int f = 0; f < features; ++f) {
        if (culture[site][f] != culture[other][f]) differing.push_back(f);
      }
      const int f = differing[std::uniform_int_distribution<std::size_t>(0, differing.size() - 1)(gen)];
      culture[site][f] = culture[other][f];
      last_change = events;
    }
  }
  // Regions by flood fill over identical neighbours.
  std::vector<int> label(kSide * kSide, -1);
  int regions = 0;
  for (int s = 0; s < kSide * kSide; ++s) {
    if (label[s] >= 0) continue;
    std::vector<int> stack = {s};
    label[s] = regions;
    while (!stack.empty()) {
      const int c = stack.back();
      stack.pop_back();
      for (int n : neighbours(c)) {
        if (label[n] < 0 && culture[n] == culture[c]) {
          label[n] = regions;
          stack.push_back(n);
        }
      }
    }
    ++regions;
  }
  return {static_cast<double>(regions), static_cast<double>(last_change)};
}

void dock(int features, int traits, const std::string& sampling = "events") {
  constexpr int kRuns = 1000;
  constexpr double kAlpha = 0.001;
  std::vector<double> ref_regions;
  std::vector<double> ref_events;
  for (int r = 0; r < kRuns; ++r) {
    const auto out = reference_run(features, traits,
                                   1000003ULL * static_cast<std::uint64_t>(r + 1) + static_cast<std::uint64_t>(features * 100 + traits));
    ref_regions.push_back(out.regions);
    ref_events.push_back(out.events);
  }
  const auto engine = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/axelrod1997.toml",
                                            {"culture.features=" + std::to_string(features), "culture.traits=" + std::to_string(traits),
                                             "run.seed=" + std::to_string(500 + features * 100 + traits), "culture.sampling=" + sampling},
                                            kRuns);
  const auto regions = testing::kolmogorov_smirnov(ref_regions, engine.column("regions"));
  const auto events = testing::kolmogorov_smirnov(ref_events, engine.column("events"));
  std::printf(
      "docking (%s) F=%d q=%d: regions mean ref %.3f engine %.3f (KS D=%.4f p=%.3f); events mean ref %.0f engine %.0f (KS D=%.4f p=%.3f)\n",
      sampling.c_str(), features, traits, testing::mean(ref_regions), testing::mean(engine.column("regions")), regions.statistic,
      regions.p_value, testing::mean(ref_events), testing::mean(engine.column("events")), events.statistic, events.p_value);
  EXPECT_GT(regions.p_value, kAlpha);
  EXPECT_GT(events.p_value, kAlpha);
}

TEST(Docking, EngineMatchesPlainReferenceAtF5Q10) { dock(5, 10); }
TEST(Docking, EngineMatchesPlainReferenceAtF5Q15) { dock(5, 15); }
// Active-pair sampling (exact in distribution, with the clock advanced by geometric gaps) against
// the same reference, same criterion; the open lattice has degrees 2, 3 and 4, so the thinning by
// deg_min / deg(i) is exercised.
TEST(Docking, ActivePairSamplingMatchesPlainReferenceAtF5Q10) { dock(5, 10, "active-pairs"); }
TEST(Docking, ActivePairSamplingMatchesPlainReferenceAtF5Q15) { dock(5, 15, "active-pairs"); }

}  // namespace
}  // namespace glocal
