// The range of interaction (MODEL.md section 3): the culture reach kernel's world weight from 0
// (Axelrod's lattice) to 1 (the "soup" of Axtell, Axelrod, Epstein & Cohen 1996, who report one
// culture in the long run for q = 15). F = 5, q = 15, 10 x 10 open lattice.
//
// The criteria were chosen after one exploratory sweep (40 runs per point, another seed: mean
// cultures 22.2, 5.0, 3.5, 1.3, 1.2 for world weight 0, 0.01, 0.1, 0.5, 1). Checked here on the
// shipped scenario's seed, 100 runs per point: mean cultures falls from each weight to the next
// up to 0.5 by more than 2 combined standard errors, and in the soup at least half of the runs
// end with a single culture. (Two cultures with no trait in common are also absorbing in the
// soup, so "one culture in the long run" cannot hold in every run.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

TEST(ReachRange, CulturesFallAsTheReachGoesGlobal) {
  std::vector<double> means;
  std::vector<double> errors;
  for (const char* world : {"0", "0.01", "0.1", "0.5", "1"}) {
    const auto cultures = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/reach-range.toml",
                                                {std::string("culture.reach.world=") + world}, 100)
                              .column("cultures");
    const double mean = testing::mean(cultures);
    const double error = testing::standard_deviation(cultures) / std::sqrt(static_cast<double>(cultures.size()));
    const double single = static_cast<double>(std::count(cultures.begin(), cultures.end(), 1.0)) / static_cast<double>(cultures.size());
    std::printf("reach range F=5 q=15 world=%s: 100 runs, cultures %.3f +- %.3f (s.e.), share of runs with one culture %.2f\n", world, mean,
                error, single);
    means.push_back(mean);
    errors.push_back(error);
    if (std::string(world) == "1") {
      EXPECT_GE(single, 0.5);
    }
  }
  for (std::size_t k = 0; k + 2 < means.size(); ++k) {
    EXPECT_GT(means[k] - means[k + 1], 2 * std::hypot(errors[k], errors[k + 1])) << "step " << k;
  }
}

}  // namespace
}  // namespace glocal
