// Threshold models of collective action against their papers (fast tier). Criteria fixed before
// the runs.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include <numeric>

#include "processes/ecology/ecology.hpp"
#include "processes/movements/movements.hpp"
#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

const std::string kGranovetter = GLOCAL_SOURCE_DIR "/scenarios/validation/granovetter1978.toml";
const std::string kWatts = GLOCAL_SOURCE_DIR "/scenarios/validation/watts2002.toml";
const std::string kCentola = GLOCAL_SOURCE_DIR "/scenarios/validation/centola2007.toml";

TEST(Granovetter1978, OnePersonsThresholdDecidesTheRiot) {
  // Thresholds 0..99 in a crowd of 100: all 100 riot. Raise the threshold-1 person to 2: only
  // the instigator does. Exact.
  const double all = testing::mean(testing::run_outcomes(kGranovetter, {}, 1).column("mobilised"));
  const double one = testing::mean(testing::run_outcomes(kGranovetter, {"movements.raise=1"}, 1).column("mobilised"));
  std::printf("Granovetter: %.2f of the crowd riots; with the threshold-1 person at 2: %.2f\n", all, one);
  EXPECT_DOUBLE_EQ(all, 1.0);
  EXPECT_DOUBLE_EQ(one, 0.01);
}

TEST(Watts2002, GlobalCascadesOnlyInsideTheWindowOfMeanDegree) {
  // N = 10^4, phi = 0.18, one random seed, 100 runs per mean degree z; a global cascade is a final
  // mobilised share of at least 0.1. The analytic window for phi = 0.18 is about 1.02 < z < 5.76
  // (z e^-z (1 + z + z^2/2 + z^3/6) = 1). Criterion: cascade frequency at least 0.05 at z = 2, 3,
  // 4, 5, and at most 0.01 at z = 0.5 and z = 10.
  for (const double z : {0.5, 2.0, 3.0, 4.0, 5.0, 10.0}) {
    const auto runs = testing::run_outcomes(kWatts, {"world.network.mean_degree=" + std::to_string(z)}, 100);
    std::size_t cascades = 0;
    for (const double share : runs.column("mobilised")) cascades += share >= 0.1 ? 1 : 0;
    const double frequency = static_cast<double>(cascades) / 100.0;
    std::printf("Watts: z = %4.1f: global cascades in %.2f of 100 runs, mean final share %.4f\n", z, frequency,
                testing::mean(runs.column("mobilised")));
    if (z > 1.5 && z < 5.5) {
      EXPECT_GE(frequency, 0.05) << "z " << z;
    } else {
      EXPECT_LE(frequency, 0.01) << "z " << z;
    }
  }
}

TEST(CentolaMacy2007, LongTiesSpeedSimpleContagionAndBlockComplexContagion) {
  // Ring of 1,000, 6 neighbours, a seed and its neighbours active, 20 runs per case. Simple
  // contagion: every run reaches at least 0.9 at p = 0 and p = 0.1, and the mean number of rounds
  // at p = 0.1 is below half of that at p = 0. Complex contagion, threshold 2 and 3: every run
  // reaches at least 0.9 at p = 0; the mean final share at p = 0.5 is below 0.5.
  const auto simple_ring = testing::run_outcomes(kCentola, {"movements.contagion=simple", "world.network.rewire=0"}, 20);
  const auto simple_long = testing::run_outcomes(kCentola, {"movements.contagion=simple", "world.network.rewire=0.1"}, 20);
  const double ring_rounds = testing::mean(simple_ring.column("rounds"));
  const double long_rounds = testing::mean(simple_long.column("rounds"));
  std::printf("Centola-Macy simple: %.1f rounds on the ring, %.1f with 10 %% long ties\n", ring_rounds, long_rounds);
  for (const double share : simple_ring.column("mobilised")) EXPECT_GE(share, 0.9);
  for (const double share : simple_long.column("mobilised")) EXPECT_GE(share, 0.9);
  EXPECT_LT(long_rounds, 0.5 * ring_rounds);
  for (const int threshold : {2, 3}) {
    const std::string theta = "movements.threshold=" + std::to_string(threshold);
    const auto ring = testing::run_outcomes(kCentola, {theta, "world.network.rewire=0"}, 20);
    const auto random = testing::run_outcomes(kCentola, {theta, "world.network.rewire=0.5"}, 20);
    std::printf("Centola-Macy complex, threshold %d: final share %.3f on the ring (%.1f rounds), %.3f with half the ties rewired\n",
                threshold, testing::mean(ring.column("mobilised")), testing::mean(ring.column("rounds")),
                testing::mean(random.column("mobilised")));
    for (const double share : ring.column("mobilised")) EXPECT_GE(share, 0.9) << "threshold " << threshold;
    EXPECT_LT(testing::mean(random.column("mobilised")), 0.5) << "threshold " << threshold;
  }
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

const char* kGrievanceWorld = R"(
[run]
seed = 4
ticks = 40
record_every = 10
[world.network]
kind = "ring"
size = 100
degree = 2
[[world.nation]]
name = "Rich"
productivity = 4.0
[[world.nation]]
name = "Poor"
productivity = 1.0
[economy]
production = true
measure = "income"
reach.nation = 1.0
[movements]
contagion = "complex"
threshold = 3
)";

TEST(Grievance, PovertyMobilisesThePoorestWhenNoOneElseCan) {
  // Threshold 3 on a ring (2 neighbours): nobody can activate through others. With w_p = 1 an
  // agent below half the median income has G = 1, threshold 0. Incomes: 4 and 1.2 (rich, employed
  // and not), 1 and 0.3 (poor): the median is 1.2, the line 0.6, and exactly the 40 underemployed
  // of the poor nation are below it: mobilised = 40 / 200 exactly.
  Scenario scenario = Scenario::parse(kGrievanceWorld, "grievance.toml");
  scenario.set_all({"movements.grievance_poverty=1"});
  const auto runs = testing::run_outcomes_of(scenario, 1);
  std::printf("grievance from poverty: mobilised %.4f (expected 0.2), mean grievance %.4f\n", testing::mean(runs.column("mobilised")),
              testing::mean(runs.column("grievance")));
  EXPECT_DOUBLE_EQ(testing::mean(runs.column("mobilised")), 0.2);
  EXPECT_DOUBLE_EQ(testing::mean(runs.column("grievance")), 0.2);
}

TEST(Grievance, ResourceCollapseMobilisesItsLocality) {
  // Ecology with effort 12 and activity 1: the rich locality's effort gives qE = 0.96 > r = 0.5
  // (collapse), the poor's qE = 0.24 (integrity near 0.52). With w_r = 1.25, grievance saturates
  // (G = 1) once integrity is below 0.2: the rich locality's agents all mobilise; the poor's have
  // G near 0.6 and threshold 3 (1 - G) > 0, out of reach on a ring with nobody active: mobilised =
  // 100 / 200 exactly.
  Scenario scenario =
      Scenario::parse(std::string(kGrievanceWorld) + "[ecology]\ngrowth = 0.5\ncatchability = 0.05\neffort = 12.0\n", "grievance.toml");
  scenario.set_all({"movements.grievance_resource=1.25"});
  Simulation simulation(scenario, 0);
  for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
  const auto* ecology = dynamic_cast<const ecology::EcologyProcess*>(simulation.process("ecology"));
  ASSERT_NE(ecology, nullptr);
  const auto integrity = ecology->locality_integrity();
  ASSERT_LT(integrity[0], 0.2);
  ASSERT_GT(integrity[1], 0.3);
  const auto* movements = dynamic_cast<const movements::MovementsProcess*>(simulation.process("movements"));
  ASSERT_NE(movements, nullptr);
  const auto active = movements->active();
  const double rich = std::accumulate(active.begin(), active.begin() + 100, 0.0) / 100.0;
  const double poor = std::accumulate(active.begin() + 100, active.end(), 0.0) / 100.0;
  std::printf("grievance from resource loss: integrity %.4f / %.4f, mobilised %.2f / %.2f\n", integrity[0], integrity[1], rich, poor);
  EXPECT_DOUBLE_EQ(rich, 1.0);
  EXPECT_DOUBLE_EQ(poor, 0.0);
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

TEST(Boomerang, CancellationRisesWithNgoTieDensity) {
  // scenarios/validation/boomerang.toml, 4 runs of 40 localities each: the share of projects
  // cancelled (ecology's projects_cancelled / projects_funded) rises strictly with the NGO tie
  // density 0, 0.25, 0.5, 1; at most 0.38 without ties (1 - 0.99^40 = 0.33 at full mobilisation
  // throughout, plus 0.05) and at least 0.9 with ties everywhere.
  double previous = -1;
  for (const double density : {0.0, 0.25, 0.5, 1.0}) {
    const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/boomerang.toml",
                                            {"movements.ngo_ties=" + std::to_string(density)}, 4);
    const double cancelled = testing::mean(runs.column("projects_cancelled")) / testing::mean(runs.column("projects_funded"));
    std::printf("boomerang: NGO tie density %.2f: %.3f of projects cancelled (mobilised %.3f)\n", density, cancelled,
                testing::mean(runs.column("mobilised")));
    EXPECT_GT(cancelled, previous) << "density " << density;
    previous = cancelled;
    if (density == 0.0) {
      EXPECT_LE(cancelled, 0.38);
    }
    if (density == 1.0) {
      EXPECT_GE(cancelled, 0.9);
    }
  }
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

TEST(NgoTies, ActivationCrossesLocalitiesOnlyThroughTies) {
  // Three localities of 100 agents (rings), the first fully mobilised at the start, fractional
  // threshold 0.2, two virtual NGO contacts. With ties everywhere, an agent of another locality sees
  // (0 + 2 x 0.5) / (2 + 2) = 0.25 >= 0.2 and activates: everyone is mobilised. Without ties no one
  // outside the first locality is: exactly 1/3.
  const char* text = R"(
[run]
seed = 9
ticks = 10
[world]
localities_per_nation = 3
[world.network]
kind = "ring"
size = 100
degree = 2
[movements]
contagion = "fractional"
threshold = 0.2
seeds = 1.0
seed_locality = "locality-1-1-1"
ngo_contacts = 2.0
)";
  Scenario scenario = Scenario::parse(text, "ngo.toml");
  scenario.set_all({"movements.ngo_ties=1"});
  const double tied = testing::mean(testing::run_outcomes_of(scenario, 1).column("mobilised"));
  scenario.set_all({"movements.ngo_ties=0"});
  const double untied = testing::mean(testing::run_outcomes_of(scenario, 1).column("mobilised"));
  std::printf("NGO ties: mobilised %.4f with ties everywhere, %.4f without\n", tied, untied);
  EXPECT_DOUBLE_EQ(tied, 1.0);
  EXPECT_DOUBLE_EQ(untied, 1.0 / 3.0);
}

}  // namespace
}  // namespace glocal
