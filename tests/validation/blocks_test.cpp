// The block update scheme (culture.update = "blocks") against random sequential updating: it
// changes the order of events near block edges, not the model, so the outcomes at absorption
// must have the same distributions.
//
// Decided before the runs (seeds 2027, run ids 0..R-1, both schemes): a 32 x 32 periodic lattice
// (4 strips of 8 rows), two-sample Kolmogorov-Smirnov on the number of regions and on the sweeps
// to absorption, reject at p < 0.001, and the mean largest region within 3 standard errors of the
// difference. Fast tier: F = 3, q = 20 (disordered; 300 runs each) and F = 5, q = 30 (100 runs
// each); long tier (long_test.cpp): F = 3, q = 10 (ordered; 300 runs each).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

void same_outcomes(int features, int traits, std::uint64_t runs) {
  const std::string text = "[run]\nseed = 2027\nstop = \"absorbing\"\nticks = 1000000\nrecord_every = 1000000\n"
                           "[world.lattice]\nside = 32\nboundary = \"periodic\"\n[culture]\nfeatures = " +
                           std::to_string(features) + "\ntraits = " + std::to_string(traits) + "\n";
  const Scenario sequential = Scenario::parse(text, "sequential.toml");
  Scenario blocks = Scenario::parse(text, "blocks.toml");
  blocks.set("culture.update=blocks");
  const auto a = testing::run_outcomes_of(sequential, runs);
  const auto b = testing::run_outcomes_of(blocks, runs);
  for (const auto& run : {a, b}) {
    for (const double absorbed : run.column("absorbed")) ASSERT_EQ(absorbed, 1.0) << "every run must reach absorption";
  }
  for (const char* metric : {"regions", "events"}) {
    const auto ks = testing::kolmogorov_smirnov(a.column(metric), b.column(metric));
    EXPECT_GE(ks.p_value, 0.001) << metric << ": D = " << ks.statistic << ", means " << testing::mean(a.column(metric)) << " (sequential) vs "
                                 << testing::mean(b.column(metric)) << " (blocks)";
  }
  const auto smax_a = a.column("smax");
  const auto smax_b = b.column("smax");
  const double se = std::sqrt(std::pow(testing::standard_deviation(smax_a), 2) / static_cast<double>(runs) +
                              std::pow(testing::standard_deviation(smax_b), 2) / static_cast<double>(runs));
  EXPECT_LE(std::abs(testing::mean(smax_a) - testing::mean(smax_b)), 3 * se)
      << "smax " << testing::mean(smax_a) << " (sequential) vs " << testing::mean(smax_b) << " (blocks)";
  std::printf("[blocks] F=%d q=%d, %llu runs each: regions %.2f vs %.2f, sweeps %.1f vs %.1f, smax %.4f vs %.4f\n", features, traits,
              static_cast<unsigned long long>(runs), testing::mean(a.column("regions")), testing::mean(b.column("regions")),
              testing::mean(a.column("events")) / 1024, testing::mean(b.column("events")) / 1024, testing::mean(smax_a), testing::mean(smax_b));
}

TEST(BlockScheme, SameOutcomesAsRandomSequentialUpdatingDisordered) { same_outcomes(3, 20, 300); }
TEST(BlockScheme, SameOutcomesAsRandomSequentialUpdatingF5Q30) { same_outcomes(5, 30, 100); }

}  // namespace
}  // namespace glocal
