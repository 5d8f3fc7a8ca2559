// Castellano, Marsili & Vespignani (2000), PRL 85:3536: for F = 10 on a periodic L x L lattice
// the order parameter <smax>/N falls from ~1 to ~0 at q_c ~ 55 (a discontinuous transition).
//
// Decided before looking: L = 50, 8 runs per point, run to absorption. Ordered side q = 40:
// mean smax >= 0.8. Disordered side q = 70: mean smax <= 0.1.
#include <gtest/gtest.h>

#include <cstdio>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

double mean_smax(int traits) {
  const auto smax =
      testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/castellano2000.toml", {"culture.traits=" + std::to_string(traits)}, 8)
          .column("smax");
  std::printf("Castellano F=10 L=50 q=%d: 8 runs, <smax> = %.4f (sd %.4f)\n", traits, testing::mean(smax),
              testing::standard_deviation(smax));
  return testing::mean(smax);
}

TEST(Castellano2000, OrderedWellBelowTheTransition) { EXPECT_GE(mean_smax(40), 0.8); }
TEST(Castellano2000, DisorderedWellAboveTheTransition) { EXPECT_LE(mean_smax(70), 0.1); }

}  // namespace
}  // namespace glocal
