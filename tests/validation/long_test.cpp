// The long validation tier (`make validate`): Axelrod's (1997) other findings and the
// Castellano et al. (2000) transition at larger sizes. Each test states its run count and its
// criterion before the result is seen.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <cstdio>

#include "support/block_scheme.hpp"
#include "support/creolization.hpp"
#include "support/firms_and_culture.hpp"
#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

const std::string kCastellano = GLOCAL_SOURCE_DIR "/scenarios/validation/castellano2000.toml";
const std::string kRange = GLOCAL_SOURCE_DIR "/scenarios/validation/axelrod1997-range.toml";
const std::string kTerritory = GLOCAL_SOURCE_DIR "/scenarios/validation/axelrod1997-territory.toml";

struct Summary {
  double mean;
  double standard_error;
};

Summary regions(const std::string& scenario, const std::vector<std::string>& overrides, std::uint64_t runs, const char* label) {
  const auto values = testing::run_outcomes(scenario, overrides, runs).column("regions");
  const Summary s{testing::mean(values), testing::standard_deviation(values) / std::sqrt(static_cast<double>(values.size()))};
  std::printf("%s: %llu runs, regions %.3f +- %.3f (s.e.)\n", label, static_cast<unsigned long long>(runs), s.mean, s.standard_error);
  return s;
}

/// a > b by more than `z` combined standard errors.
void expect_greater(const Summary& a, const Summary& b, double z) {
  EXPECT_GT(a.mean - b.mean, z * std::hypot(a.standard_error, b.standard_error));
}

// Axelrod (1997): "the number of stable cultural regions ... decreases with the range of
// interaction". F = 5, q = 15, 10 x 10 open lattice, 1,000 runs per neighbourhood; each step
// down must exceed 5 standard errors.
TEST(AxelrodLong, RegionsDecreaseWithTheRangeOfInteraction) {
  const Summary four = regions(kRange, {"world.lattice.neighborhood=von-neumann"}, 1000, "F=5 q=15 von Neumann (4)");
  const Summary eight = regions(kRange, {"world.lattice.neighborhood=moore"}, 1000, "F=5 q=15 Moore (8)");
  const Summary twelve = regions(kRange, {"world.lattice.neighborhood=diamond"}, 1000, "F=5 q=15 diamond (12)");
  expect_greater(four, eight, 5);
  expect_greater(eight, twelve, 5);
}

// Axelrod (1997): the number of stable regions "decreases when the geographic territory grows
// beyond a certain size". F = 5, q = 15, open lattices of side 5, 10, 20, 40 (400, 400, 200, 50
// runs): the mean at L = 10 must exceed both L = 5 and L = 40 by 4 standard errors.
TEST(AxelrodLong, RegionsRiseThenFallWithTerritorySize) {
  const Summary l5 = regions(kTerritory, {"world.lattice.side=5"}, 400, "F=5 q=15 L=5");
  const Summary l10 = regions(kTerritory, {"world.lattice.side=10"}, 400, "F=5 q=15 L=10");
  (void)regions(kTerritory, {"world.lattice.side=20"}, 200, "F=5 q=15 L=20");
  const Summary l40 = regions(kTerritory, {"world.lattice.side=40"}, 50, "F=5 q=15 L=40");
  expect_greater(l10, l5, 4);
  expect_greater(l10, l40, 4);
}

double mean_smax(const std::vector<std::string>& overrides, std::uint64_t runs, const char* label) {
  const auto values = testing::run_outcomes(kCastellano, overrides, runs).column("smax");
  std::printf("%s: %llu runs, <smax> = %.4f (sd %.4f)\n", label, static_cast<unsigned long long>(runs), testing::mean(values),
              testing::standard_deviation(values));
  return testing::mean(values);
}

// Castellano et al. (2000), F = 10: the curve <smax>(q) at L = 50 (printed for the record) and
// the two sides of q_c ~ 55 at L = 100 (4 runs each): >= 0.8 at q = 40, <= 0.1 at q = 70.
TEST(CastellanoLong, TransitionCurveAndLargerLattice) {
  for (const int q : {30, 45, 50, 55, 60, 65, 80}) {
    const std::string label = "F=10 L=50 q=" + std::to_string(q);
    (void)mean_smax({"culture.traits=" + std::to_string(q)}, 8, label.c_str());
  }
  EXPECT_GE(mean_smax({"culture.traits=40", "world.lattice.side=100"}, 4, "F=10 L=100 q=40"), 0.8);
  EXPECT_LE(mean_smax({"culture.traits=70", "world.lattice.side=100"}, 4, "F=10 L=100 q=70"), 0.1);
}

// Castellano et al. (2000), F = 2 with Poisson traits: a continuous transition near q_c ~ 3.1
// (Peres & Fontanari 2015: q_c = 3.10 +- 0.02).
// L = 50, 8 runs each: ordered (<smax> >= 0.5) at q = 2, disordered (<smax> <= 0.2) at q = 6.
// KNOWN DEVIATION (first run, 2026-11-28): <smax> = 0.36 at q = 2, L = 50, so this criterion
// fails. Investigation: at q = 2 <smax> grows with L (0.36 at L = 50, 0.54 at L = 100, 8 runs)
// and at q = 4 it shrinks (0.14 -> 0.04), the finite-size signature of a continuous transition
// between them; the L = 50 threshold of 0.5 was too strict for a continuous transition, where
// the ordered side approaches its limit slowly with L. The criterion is left as it was decided.
TEST(CastellanoLong, TwoFeaturesWithPoissonTraits) {
  const std::vector<std::string> base = {"culture.features=2", "culture.initial=poisson"};
  auto with = [&](int q) {
    auto o = base;
    o.push_back("culture.traits=" + std::to_string(q));
    return o;
  };
  EXPECT_GE(mean_smax(with(2), 8, "F=2 Poisson L=50 q=2"), 0.5);
  (void)mean_smax(with(3), 8, "F=2 Poisson L=50 q=3");
  (void)mean_smax(with(4), 8, "F=2 Poisson L=50 q=4");
  EXPECT_LE(mean_smax(with(6), 8, "F=2 Poisson L=50 q=6"), 0.2);
}

// Added after the test above failed (criterion chosen after a first look at 8 runs per point,
// then checked here on fresh seeds): the finite-size signature of the F = 2 transition. Below q_c
// (q = 2) <smax> must grow from L = 50 to L = 100; above it (q = 4) it must shrink; each by more
// than 2 combined standard errors, 16 runs per point, seed 31.
// RESULT (first run, 2026-11-28): FAILS. q = 2: 0.395 +- 0.034 (L = 50) -> 0.452 +- 0.034
// (L = 100), 1.2 s.e.; q = 4: 0.084 +- 0.025 -> 0.045 +- 0.008, 1.5 s.e. The directions are the
// expected ones but not significant at this size and run count. Open: larger L (Castellano et
// al. go beyond L = 100), more runs, and the domain density (Peres & Fontanari 2015) as the order
// parameter. Left failing, as decided.
TEST(CastellanoLong, TwoFeaturesPoissonFiniteSizeScaling) {
  auto smax = [](int q, int side) {
    const auto values = testing::run_outcomes(kCastellano,
                                              {"culture.features=2", "culture.initial=poisson", "run.seed=31",
                                               "culture.traits=" + std::to_string(q), "world.lattice.side=" + std::to_string(side)},
                                              16)
                            .column("smax");
    const Summary s{testing::mean(values), testing::standard_deviation(values) / std::sqrt(static_cast<double>(values.size()))};
    std::printf("F=2 Poisson q=%d L=%d: 16 runs, <smax> = %.4f +- %.4f (s.e.)\n", q, side, s.mean, s.standard_error);
    return s;
  };
  expect_greater(smax(2, 100), smax(2, 50), 2);
  expect_greater(smax(4, 50), smax(4, 100), 2);
}

// Klemm et al. (2003): the drift rate that separates order (r < 1/T) from disorder (r > 1/T)
// falls as N grows, because the relaxation time T of a perturbation grows with N. Operationalised
// at one rate between the crossovers seen in an exploratory run (N = 64: ordered up to r = 3e-3;
// N = 256: <smax> 0.80 at 1e-3, 0.29 at 3e-3; 4 runs each): at r = 2e-3, F = 10, q = 100,
// periodic L = 8, 16, 32, 10^6 ticks, 8 runs each on the shipped scenario's seed, <smax> must fall
// with L, each step by more than 2 combined standard errors.
TEST(KlemmLong, TheOrderingDriftRateFallsAsTheSystemGrows) {
  auto smax = [](int side) {
    const auto values = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/klemm2003.toml",
                                              {"culture.drift=0.002", "run.ticks=1000000", "world.lattice.side=" + std::to_string(side)}, 8)
                            .column("smax");
    const Summary s{testing::mean(values), testing::standard_deviation(values) / std::sqrt(static_cast<double>(values.size()))};
    std::printf("Klemm F=10 q=100 r=0.002 L=%d: 8 runs, <smax> = %.4f +- %.4f (s.e.)\n", side, s.mean, s.standard_error);
    return s;
  };
  const Summary l8 = smax(8);
  const Summary l16 = smax(16);
  const Summary l32 = smax(32);
  expect_greater(l8, l16, 2);
  expect_greater(l16, l32, 2);
}

// The extended yard-sale model closer to the continuum: N = 1,000, dt = 0.001 (the coin's bias
// stays below saturation for an oligarch holding half of all wealth), 1,000 time units, 4 runs;
// the oligarch's share within 0.03 of 1 - chi / zeta = 0.5.
TEST(EconomyLong, PartialOligarchyAtLargerN) {
  const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/boghosian2017.toml",
                                          {"world.network.size=1000", "economy.dt=0.001", "economy.rate=1000"}, 4);
  const double share = testing::mean(runs.column("oligarch_share"));
  std::printf("extended yard-sale N = 1,000, dt = 0.001: oligarch share %.4f (continuum 0.5)\n", share);
  EXPECT_NEAR(share, 0.5, 0.03);
}

// The AWM's US 2016 fit at N = 2,000 and dt = 0.001 (1,500 time units, 4 runs): Gini in
// [0.82, 0.88], top 1 % share in [0.33, 0.42], as in the fast tier at N = 500.
// KNOWN DEVIATION (found when the run identities changed, 2026-12-06): the top 1 % share at this
// N is 0.4252 over 16 runs (sd 0.0077, so se 0.002), above the band and the paper's 0.36-0.39;
// the 4-run mean of 0.4190 recorded before was a draw below it. The test stays as stated and
// fails (docs/model/economy.md, Known deviations).
TEST(EconomyLong, AffineWealthModelUs2016AtLargerN) {
  const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/li2019-us2016.toml",
                                          {"world.network.size=2000", "economy.dt=0.001", "economy.rate=1000"}, 4);
  const double g = testing::mean(runs.column("gini"));
  const double top = testing::mean(runs.column("top1_share"));
  std::printf("AWM US 2016 fit, N = 2,000: Gini %.4f, top 1 %% %.4f\n", g, top);
  EXPECT_GE(g, 0.82);
  EXPECT_LE(g, 0.88);
  EXPECT_GE(top, 0.33);
  EXPECT_LE(top, 0.42);
}

// The calibrated history (scenarios/world/history-1960-2000.toml, 4 runs; the fit is
// scripts/history.py calibrate): country ratio within 20 % of 30 (1960), 60 (1990) and 74 (1997);
// underemployment in the 1990s within 0.05 of 1/3; the 1990 world income Gini in [0.60, 0.70].
// A record at year Y holds the income of year Y - 1. KNOWN DEVIATION: the fitted model misses the
// 1960 and 1997 country ratios and the Gini (docs/model/history-calibration.md gives by how much);
// the test stays failing until the model's divergence mechanism reproduces them.
TEST(HistoryLong, CalibratedWorldMeetsTheUndpIloAndMilanovicTargets) {
  Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/world/history-1960-2000.toml");
  std::map<std::int64_t, std::array<double, 3>> by_year;  // year of income -> country ratio, underemployment, gini (sums)
  const auto column = [&](const std::string& name) { return metric_index(scenario, name); };
  BatchOptions options;
  options.threads = 2;
  const auto runs = run_batch(scenario, 4, options);
  for (const auto& run : runs) {
    ASSERT_EQ(run.status, RunStatus::ok) << run.error;
    std::uint64_t previous = ~std::uint64_t{0};
    for (const auto& record : run.series) {
      if (record.tick == previous) continue;  // the final state is recorded once
      previous = record.tick;
      const auto year = static_cast<std::int64_t>(scenario.integer("run.start_year") + static_cast<std::int64_t>(record.tick)) - 1;
      auto& sums = by_year[year];
      sums[0] += record.metrics[column("country_ratio")] / 4.0;
      sums[1] += record.metrics[column("underemployment")] / 4.0;
      sums[2] += record.metrics[column("gini")] / 4.0;
    }
  }
  double nineties = 0;
  for (std::int64_t y = 1990; y < 2000; ++y) nineties += by_year.at(y)[1] / 10.0;
  std::printf("history: country ratio %.2f (1960), %.2f (1990), %.2f (1997); underemployment %.3f (1990s); Gini %.3f (1990)\n",
              by_year.at(1960)[0], by_year.at(1990)[0], by_year.at(1997)[0], nineties, by_year.at(1990)[2]);
  EXPECT_NEAR(by_year.at(1960)[0], 30.0, 0.2 * 30.0);
  EXPECT_NEAR(by_year.at(1990)[0], 60.0, 0.2 * 60.0);
  EXPECT_NEAR(by_year.at(1997)[0], 74.0, 0.2 * 74.0);
  EXPECT_NEAR(nineties, 1.0 / 3.0, 0.05);
  EXPECT_GE(by_year.at(1990)[2], 0.60);
  EXPECT_LE(by_year.at(1990)[2], 0.70);
}

// The race to the bottom's composite index (tests/validation/governance_test.cpp states the
// criterion: mean over 4 runs above 0.2 with open capital markets). KNOWN DEVIATION: 0.160 --
// redistribution chi is under no competitive pressure in this model (nothing ties it to firms'
// returns), so it drifts while tax and regulation fall; see docs/model/governance.md.
TEST(RaceToTheBottomLong, CompositeIndexAboveOneFifth) {
  const auto open = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/race-to-the-bottom.toml", {}, 4);
  const double index = testing::mean(open.column("race_to_bottom"));
  std::printf("race to the bottom, open: composite index %.4f (criterion > 0.2)\n", index);
  EXPECT_GT(index, 0.2);
}

// Firms' acceptance (tests/validation/economy_world_test.cpp, criterion fixed before the runs):
// with economy.acceptance = "sales", the glocal strategy (adaptation 0.2) raises the share of agents
// that firms employ in firms-and-culture.toml by at least 20 % (4 runs each). KNOWN DEVIATION:
// +10.2 % -- the product broadcast (culture.market) brings the host's culture to an unadapted
// product; with culture.market = 0 the gain is +38 % (docs/model/economy.md, "Acceptance").
TEST(FirmsAndCultureLong, AdaptationRaisesFirmsJobsByAFifth) {
  const double adapting = testing::firm_job_share("sales", 0.2);
  const double fixed = testing::firm_job_share("sales", 0.0);
  std::printf("firms' jobs with sales acceptance: %.4f adapting vs %.4f not (%+.1f %%; criterion >= +20 %%)\n", adapting, fixed,
              100.0 * (adapting / fixed - 1.0));
  EXPECT_GE(adapting, 1.2 * fixed);
}

// The block update scheme in the ordered phase (F = 3, q = 10: smax near 1), 300 runs each; the
// criteria of tests/validation/blocks_test.cpp, fixed before the runs.
TEST(BlockSchemeLong, SameOutcomesAsRandomSequentialUpdatingOrdered) { testing::same_outcomes(3, 10, 300); }

TEST(Creolization, ATenthOfAgentsHoldHybrids) {
  // KNOWN DEVIATION (validation/creolization_test.cpp states the criteria and records the first
  // run): with world media and a world reach rising to 0.1 by 2000, at least a tenth of agents
  // hold a mixture of their locality's heritage and the global culture in 2030 (4 runs). First run:
  // 0.0872. The mixtures that exist are shared (10.8 agents per hybrid vector, tested in the fast
  // tier); they are fewer than stated.
  const auto mixing = testing::creolization_run(testing::kGlobalContact);
  std::printf("hybrid_share in 2030: %.4f (criterion >= 0.10)\n", mixing.hybrid_share);
  EXPECT_GE(mixing.hybrid_share, 0.10);
}

}  // namespace
}  // namespace glocal
