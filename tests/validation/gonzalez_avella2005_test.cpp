// Gonzalez-Avella, Cosenza & Tucci (2005), PRE 72:065102(R): a fixed mass-media field met with
// probability B per event. Below the zero-field transition a weak field homogenizes the system
// onto the media culture; a strong one raises the number of cultural regions.
//
// The criteria were chosen after one exploratory sweep (8 runs per B, another seed: at B = 0.01,
// 1.1 regions and 0.999 of agents on the media culture; at B = 0.3, 52.5 regions). Checked here
// on the shipped scenario's seed, 8 runs per point, L = 20, F = 5, q = 10: at B = 0.01
// <global_share> >= 0.8 and <regions> <= 2; at B = 0.3 <regions> >= 10 x the B = 0.01 value.
// The whole curve of regions against B is printed.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

const std::string kScenario = GLOCAL_SOURCE_DIR "/scenarios/validation/gonzalez-avella2005.toml";

TEST(GonzalezAvella2005, WeakMediaHomogenizesStrongMediaFragments) {
  double weak_regions = 0;
  double weak_share = 0;
  double strong_regions = 0;
  for (const char* strength : {"0", "0.001", "0.01", "0.1", "0.3", "0.5"}) {
    const auto outcomes = testing::run_outcomes(kScenario, {std::string("culture.media.strength=") + strength}, 8);
    const double regions = testing::mean(outcomes.column("regions"));
    const double share = testing::mean(outcomes.column("global_share"));
    std::printf("Gonzalez-Avella F=5 q=10 L=20 B=%s: 8 runs, regions %.3f, global_share %.3f, smax %.3f\n", strength, regions, share,
                testing::mean(outcomes.column("smax")));
    if (std::string(strength) == "0.01") {
      weak_regions = regions;
      weak_share = share;
    }
    if (std::string(strength) == "0.3") strong_regions = regions;
  }
  EXPECT_GE(weak_share, 0.8);
  EXPECT_LE(weak_regions, 2.0);
  EXPECT_GE(strong_regions, 10.0 * weak_regions);
}

}  // namespace
}  // namespace glocal
