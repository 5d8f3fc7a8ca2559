// Kinetic wealth exchange against analytic stationary laws (fast tier). Criteria fixed before the
// runs: Dragulescu-Yakovenko, the mean final Gini of 4 runs within 0.01 of 1/2 (exponential law);
// Chakraborti-Chakrabarti, within 0.02 of the Gini of the Gamma law of shape
// n = 1 + 3 lambda / (1 - lambda) at lambda = 0.25, 0.5, 0.75 (the Gamma law is Patriarca et al.'s
// fit, not an exact result, hence the wider band). N = 10^4, well mixed, 4 runs each.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"
#include "glocal/metrics/inequality.hpp"
#include "processes/economy/economy.hpp"

namespace glocal {
namespace {

/// Gini of the Gamma law of shape n: Gamma(n + 1/2) / (sqrt(pi) Gamma(n + 1)).
double gamma_gini(double n) { return std::exp(std::lgamma(n + 0.5) - std::lgamma(n + 1.0)) / std::sqrt(M_PI); }

TEST(KineticExchange, DragulescuYakovenkoReachesTheExponentialLaw) {
  const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/dragulescu2000.toml", {}, 4);
  const double g = testing::mean(runs.column("gini"));
  std::printf("Dragulescu-Yakovenko: mean Gini %.4f (exponential law: 0.5)\n", g);
  EXPECT_NEAR(g, 0.5, 0.01);
  EXPECT_NEAR(testing::mean(runs.column("mean_wealth")), 1.0, 1e-9);  // money is conserved
}

TEST(KineticExchange, DragulescuYakovenkoWithDebtShiftsTheExponentialLaw) {
  // Criterion fixed before the runs: with debt limit b the stationary law is exponential from -b
  // with temperature T = <m> + b (Dragulescu & Yakovenko 2000, section 4). At <m> = 1, b = 0.5:
  // Gini T / (2 <m>) = 0.75 and the share in debt 1 - exp(-b / T) = 1 - exp(-1/3); the mean over
  // the 4 runs of scenarios/validation/dragulescu2000.toml within 0.01 of each.
  const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/dragulescu2000.toml", {"economy.debt_limit=0.5"}, 4);
  const double g = testing::mean(runs.column("gini"));
  const double debt = testing::mean(runs.column("negative_share"));
  const double expected_debt = 1.0 - std::exp(-1.0 / 3.0);
  std::printf("Dragulescu-Yakovenko, debt limit 0.5: mean Gini %.4f (0.75), share in debt %.4f (%.4f)\n", g, debt, expected_debt);
  EXPECT_NEAR(g, 0.75, 0.01);
  EXPECT_NEAR(debt, expected_debt, 0.01);
  EXPECT_NEAR(testing::mean(runs.column("mean_wealth")), 1.0, 1e-9);
}

TEST(KineticExchange, ChakrabortiChakrabartiFollowsTheGammaLawsGini) {
  EXPECT_NEAR(gamma_gini(1.0), 0.5, 1e-12);  // shape 1 is the exponential law
  for (const double lambda : {0.25, 0.5, 0.75}) {
    const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/chakraborti2000.toml",
                                            {"economy.saving=" + std::to_string(lambda)}, 4);
    const double g = testing::mean(runs.column("gini"));
    const double expected = gamma_gini(1.0 + 3.0 * lambda / (1.0 - lambda));
    std::printf("Chakraborti-Chakrabarti lambda %.2f: mean Gini %.4f, Gamma law %.4f\n", lambda, g, expected);
    EXPECT_NEAR(g, expected, 0.02) << "lambda " << lambda;
  }
}

TEST(KineticExchange, ChatterjeeChakrabartiMannaHasAParetoTailNearOne) {
  // Criterion fixed before the runs: Hill's estimate of nu from the top 1 % of wealth, pooled over
  // the 4 runs of scenarios/validation/chatterjee2004.toml (N = 10^4, 2,000 ticks), in
  // [0.8, 1.25] around the paper's nu = 1 (finite N and run length bias the tail; the Gini is no
  // target: it depends on both).
  Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/validation/chatterjee2004.toml");
  std::vector<double> pooled;
  for (std::uint64_t run = 0; run < 4; ++run) {
    Simulation simulation(scenario, run);
    for (int t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
    const auto* economy = dynamic_cast<const economy::EconomyProcess*>(simulation.process("economy"));
    ASSERT_NE(economy, nullptr);
    pooled.insert(pooled.end(), economy->wealth().begin(), economy->wealth().end());
  }
  const double nu = hill_tail_index(pooled, pooled.size() / 100);
  std::printf("Chatterjee-Chakrabarti-Manna: Hill tail exponent %.3f from the top %zu of %zu (paper: 1)\n", nu, pooled.size() / 100,
              pooled.size());
  EXPECT_GE(nu, 0.8);
  EXPECT_LE(nu, 1.25);
}

TEST(KineticExchange, YardSaleCondensesWealth) {
  // Criterion fixed before the runs: the mean Gini of the 4 runs of
  // scenarios/validation/yard-sale.toml rises strictly from tick 10 to 100, 1,000 and 10,000, and
  // exceeds 0.95 at 10,000 (fair exchanges, yet oligarchy).
  Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/validation/yard-sale.toml");
  const std::vector<std::uint64_t> checkpoints = {10, 100, 1000, 10000};
  std::vector<double> mean_gini(checkpoints.size(), 0.0);
  for (std::uint64_t run = 0; run < 4; ++run) {
    Simulation simulation(scenario, run);
    std::size_t next = 0;
    while (next < checkpoints.size()) {
      simulation.step();
      if (simulation.tick() != checkpoints[next]) continue;
      mean_gini[next++] += simulation.measure()[0] / 4.0;  // gini is the economy's first metric
    }
    EXPECT_NEAR(simulation.measure()[8], 1.0, 1e-9);  // mean wealth conserved
  }
  std::printf("yard-sale: mean Gini %.4f, %.4f, %.4f, %.4f at ticks 10, 100, 1,000, 10,000\n", mean_gini[0], mean_gini[1], mean_gini[2],
              mean_gini[3]);
  for (std::size_t k = 1; k < checkpoints.size(); ++k) EXPECT_GT(mean_gini[k], mean_gini[k - 1]) << "tick " << checkpoints[k];
  EXPECT_GT(mean_gini.back(), 0.95);
}

TEST(KineticExchange, BouchaudMezardReachesTheInverseGammaLaw) {
  // Criterion fixed before the runs: in the mean field the stationary law of w = W / mean has 1/w
  // Gamma-distributed with mean mu / (mu - 1), mu = 1 + J / sigma^2. The mean of 1/w over all
  // agents of 4 runs of scenarios/validation/bouchaud2000.toml (N = 4,000, 600 time units) within
  // 5 % of it at J = 0.01 (mu = 2: 2) and J = 0.02 (mu = 3: 1.5), sigma = 0.1.
  for (const double coupling : {0.01, 0.02}) {
    Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/validation/bouchaud2000.toml");
    scenario.set("economy.coupling=" + std::to_string(coupling));
    double inverse = 0;
    std::size_t agents = 0;
    for (std::uint64_t run = 0; run < 4; ++run) {
      Simulation simulation(scenario, run);
      for (int t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
      const auto* economy = dynamic_cast<const economy::EconomyProcess*>(simulation.process("economy"));
      ASSERT_NE(economy, nullptr);
      for (const double w : economy->wealth()) inverse += 1.0 / w;
      agents += economy->wealth().size();
    }
    const double mu = 1.0 + coupling / (0.1 * 0.1);
    const double expected = mu / (mu - 1.0);
    std::printf("Bouchaud-Mezard J %.2f (mu %.1f): mean of 1/w %.4f, inverse-Gamma law %.4f\n", coupling, mu, inverse / agents, expected);
    EXPECT_NEAR(inverse / static_cast<double>(agents), expected, 0.05 * expected);
  }
}

TEST(KineticExchange, ExtendedYardSaleCondensesPartiallyExactlyWhenZetaExceedsChi) {
  // Criterion fixed before the runs: the richest agent's share of all wealth, mean over the 4 runs
  // of scenarios/validation/boghosian2017.toml (N = 200, dt = 0.01, 1,000 time units), within 0.05
  // of the continuum limit 1 - chi / zeta at (chi, zeta) = (0.025, 0.05) and (0.02, 0.05); below
  // 0.1 at (0.05, 0.025), where there is no oligarch.
  struct Case {
    double chi, zeta;
  };
  for (const Case c : {Case{0.025, 0.05}, Case{0.02, 0.05}, Case{0.05, 0.025}}) {
    const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/boghosian2017.toml",
                                            {"economy.chi=" + std::to_string(c.chi), "economy.zeta=" + std::to_string(c.zeta)}, 4);
    const double share = testing::mean(runs.column("oligarch_share"));
    const double expected = c.zeta > c.chi ? 1.0 - c.chi / c.zeta : 0.0;
    std::printf("extended yard-sale chi %.3f zeta %.3f: oligarch share %.4f (continuum %.4f), Gini %.4f\n", c.chi, c.zeta, share, expected,
                testing::mean(runs.column("gini")));
    if (c.zeta > c.chi) {
      EXPECT_NEAR(share, expected, 0.05) << "chi " << c.chi << " zeta " << c.zeta;
    } else {
      EXPECT_LT(share, 0.1) << "chi " << c.chi << " zeta " << c.zeta;
    }
    EXPECT_NEAR(testing::mean(runs.column("mean_wealth")), 1.0, 1e-9);
  }
}

TEST(KineticExchange, AffineWealthModelReproducesTheUs2016Fit) {
  // Criterion fixed before the runs: with Li, Boghosian & Li's (2019) US 2016 parameters
  // (scenarios/validation/li2019-us2016.toml: chi 0.036, zeta 0.050, kappa 0.058; N = 500,
  // dt = 0.005, 1,500 time units) the mean over 4 runs of the Gini in [0.82, 0.88] (paper: near
  // 0.85) and of the top 1 % share in [0.33, 0.42] (paper: 0.36-0.39).
  const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/li2019-us2016.toml", {}, 4);
  const double g = testing::mean(runs.column("gini"));
  const double top = testing::mean(runs.column("top1_share"));
  std::printf("AWM US 2016 fit: Gini %.4f, top 1 %% %.4f, oligarch %.4f, in debt %.4f\n", g, top,
              testing::mean(runs.column("oligarch_share")), testing::mean(runs.column("negative_share")));
  EXPECT_GE(g, 0.82);
  EXPECT_LE(g, 0.88);
  EXPECT_GE(top, 0.33);
  EXPECT_LE(top, 0.42);
}

}  // namespace
}  // namespace glocal
