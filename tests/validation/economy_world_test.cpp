// The economy on a multi-scale world (fast tier): cross-border inequality and the coupling of
// firms to culture. Criteria fixed before the runs, from the statement of the model's claim
// (MODEL.md 4.2): with wealth-attained advantage and national redistribution only, the UNDP
// country ratio grows with the share of trade that crosses borders; with global redistribution,
// or with trade kept at home, it does not grow.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "support/scenario_runs.hpp"
#include "support/firms_and_culture.hpp"
#include "support/stats.hpp"
#include "processes/culture/culture.hpp"

namespace glocal {
namespace {

double country_ratio(double world_weight, bool global_redistribution) {
  std::vector<std::string> overrides = {"economy.reach.world=" + std::to_string(world_weight),
                                        "economy.reach.nation=" + std::to_string(1.0 - world_weight)};
  if (global_redistribution) {
    overrides.emplace_back("economy.chi=0");
    overrides.emplace_back("economy.chi_global=0.1");
  }
  const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/cross-border.toml", overrides, 4);
  return testing::mean(runs.column("country_ratio"));
}

TEST(CrossBorder, CountryRatioGrowsWithCrossBorderTradeUnderNationalRedistributionOnly) {
  // scenarios/validation/cross-border.toml: North starts with twice the South's wealth (country
  // ratio 2). Mean over 4 runs of the final country ratio: exactly 2 with no trade abroad (every
  // nation's wealth is conserved), and strictly rising with the world weight 0, 0.1, 0.25, 0.5.
  // With chi_global = 0.1 instead of national chi: at most 2 at every weight.
  double previous = 0;
  for (const double w : {0.0, 0.1, 0.25, 0.5}) {
    const double national = country_ratio(w, false);
    const double global = country_ratio(w, true);
    std::printf("cross-border trade weight %.2f: country ratio %.3f (national redistribution), %.3f (global)\n", w, national, global);
    if (w == 0.0) {
      EXPECT_NEAR(national, 2.0, 1e-9);
    }
    EXPECT_GT(national, previous) << "world weight " << w;
    EXPECT_LE(global, 2.0) << "world weight " << w;
    previous = national;
  }
}

/// Mean share of features an agent shares with the product on sale in its locality, over the
/// agents of localities where one is on sale, at the end of each of 4 runs.
double product_overlap(double market) {
  Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/examples/firms-and-culture.toml");
  scenario.set_all({"culture.market=" + std::to_string(market)});
  double sum = 0;
  double agents = 0;
  for (std::uint64_t run = 0; run < 4; ++run) {
    Simulation simulation(scenario, run);
    for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
    const auto* culture = dynamic_cast<const culture::CultureProcess*>(simulation.process("culture"));
    if (culture == nullptr) throw std::logic_error("no culture process");
    const auto view = culture->view();
    for (AgentIndex i = 0; i < view.agents; ++i) {
      const std::uint8_t* product = culture->product_of(i);
      if (product == nullptr) continue;
      sum += static_cast<double>(overlap(view.of(i), product, view.features)) / view.features;
      agents += 1;
    }
  }
  return sum / agents;
}

TEST(FirmsAndCulture, TheProductOnSaleDrawsLocalCultureTowardIt) {
  // scenarios/examples/firms-and-culture.toml, 4 runs: where a firm sells, agents share more of
  // its product culture when they meet it (culture.market = 0.05) than when they do not (0).
  const double without = product_overlap(0.0);
  const double with = product_overlap(0.05);
  std::printf("overlap with the product on sale: %.4f without the market field, %.4f with it\n", without, with);
  EXPECT_GT(with, without);
}

TEST(FirmsAndCulture, AdaptingTheProductBringsJobsWhenCultureSetsSales) {
  // scenarios/examples/firms-and-culture.toml (12 firms, mu = 0.5, openness rising to 0.8 by 2020;
  // every locality's local jobs are exactly 0.6 of it, so the share of agents employed by firms is
  // 0.4 - underemployment), 4 runs each, at 2020. Criteria fixed before the runs:
  //   - economy.acceptance = "sales": with the glocal strategy (adaptation 0.2) firms employ at
  //     least 20 % more agents than without it (adaptation 0). KNOWN DEVIATION: +10.2 %, checked in
  //     the long tier (FirmsAndCultureLong), where it fails. Investigated: the scenario's product
  //     broadcast (culture.market = 0.02) draws the host's culture toward an unadapted product, so
  //     acceptance rises without adaptation; with culture.market = 0 the gain is +38 %
  //     (docs/model/economy.md, "Acceptance");
  //   - "margin" (the model before this mechanism): the two differ by less than 5 % (the issue's
  //     finding: adapting raises the profit, not the jobs).
  const double sales_adapt = testing::firm_job_share("sales", 0.2);
  const double sales_fixed = testing::firm_job_share("sales", 0.0);
  const double margin_adapt = testing::firm_job_share("margin", 0.2);
  const double margin_fixed = testing::firm_job_share("margin", 0.0);
  std::printf(
      "firms' jobs (share of agents), 2020: sales acceptance %.4f adapting vs %.4f not (%+.1f %%); margin %.4f vs %.4f (%+.1f %%)\n",
      sales_adapt, sales_fixed, 100.0 * (sales_adapt / sales_fixed - 1.0), margin_adapt, margin_fixed,
      100.0 * (margin_adapt / margin_fixed - 1.0));
  EXPECT_LT(std::abs(margin_adapt / margin_fixed - 1.0), 0.05);
}

}  // namespace
}  // namespace glocal
