#pragma once
// The block update scheme against random sequential updating on a 32 x 32 periodic lattice (4
// strips): the criteria of tests/validation/blocks_test.cpp, shared with the long tier.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal::testing {

/// `runs` runs each (seed 2027), run to absorption: two-sample KS on regions and on events to
/// absorption, p >= 0.001, and mean smax within 3 standard errors of the difference.
inline void same_outcomes(int features, int traits, std::uint64_t runs) {
  const std::string text =
      "[run]\nseed = 2027\nstop = \"absorbing\"\nticks = 1000000\nrecord_every = 1000000\n"
      "[world.lattice]\nside = 32\nboundary = \"periodic\"\n[culture]\nfeatures = " +
      std::to_string(features) + "\ntraits = " + std::to_string(traits) + "\n";
  const Scenario sequential = Scenario::parse(text, "sequential.toml");
  Scenario blocks = Scenario::parse(text, "blocks.toml");
  blocks.set("culture.update=blocks");
  const auto a = run_outcomes_of(sequential, runs);
  const auto b = run_outcomes_of(blocks, runs);
  for (const auto& run : {a, b}) {
    for (const double absorbed : run.column("absorbed")) ASSERT_EQ(absorbed, 1.0) << "every run must reach absorption";
  }
  for (const char* metric : {"regions", "events"}) {
    const auto ks = kolmogorov_smirnov(a.column(metric), b.column(metric));
    EXPECT_GE(ks.p_value, 0.001) << metric << ": D = " << ks.statistic << ", means " << mean(a.column(metric)) << " (sequential) vs "
                                 << mean(b.column(metric)) << " (blocks)";
  }
  const auto smax_a = a.column("smax");
  const auto smax_b = b.column("smax");
  const double se = std::sqrt(std::pow(standard_deviation(smax_a), 2) / static_cast<double>(runs) +
                              std::pow(standard_deviation(smax_b), 2) / static_cast<double>(runs));
  EXPECT_LE(std::abs(mean(smax_a) - mean(smax_b)), 3 * se) << "smax " << mean(smax_a) << " (sequential) vs " << mean(smax_b) << " (blocks)";
  std::printf("[blocks] F=%d q=%d, %llu runs each: regions %.2f vs %.2f, sweeps %.1f vs %.1f, smax %.4f vs %.4f\n", features, traits,
              static_cast<unsigned long long>(runs), mean(a.column("regions")), mean(b.column("regions")), mean(a.column("events")) / 1024,
              mean(b.column("events")) / 1024, mean(smax_a), mean(smax_b));
}

}  // namespace glocal::testing
