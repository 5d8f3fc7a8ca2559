// Governance under capital competition (fast tier): the race to the bottom and what stops it.
// Criteria fixed before the runs (the model's claims in MODEL.md 4.3; no published number).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "glocal/model/coupling.hpp"
#include "support/command.hpp"
#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

const std::string kRace = GLOCAL_SOURCE_DIR "/scenarios/validation/race-to-the-bottom.toml";

TEST(RaceToTheBottom, OpenCapitalMarketsPullPolicyDownAndFloorsHold) {
  // 4 runs of scenarios/validation/race-to-the-bottom.toml (100 ticks). Open (openness 1): mean
  // race_to_bottom index above 0.2 -- KNOWN DEVIATION, checked in the long tier
  // (RaceToTheBottomLong), where it fails: 0.160, because redistribution is under no competitive
  // pressure in this model and drifts up while tax and regulation fall (docs/model/governance.md).
  // Closed (openness 0): exactly 0 in every run. Floors of 0.3 on tax and regulation for every
  // nation: no nation below them at the end of any run, and the index below the open case's.
  const auto open = testing::run_outcomes(kRace, {}, 4);
  const auto closed = testing::run_outcomes(kRace, {"economy.openness=0"}, 4);
  const double open_index = testing::mean(open.column("race_to_bottom"));
  std::printf("race to the bottom: index %.4f open (mean regulation %.4f, tax %.4f, chi %.4f), %.4f closed\n", open_index,
              testing::mean(open.column("mean_regulation")), testing::mean(open.column("mean_tax")), testing::mean(open.column("mean_chi")),
              testing::mean(closed.column("race_to_bottom")));
  for (const double index : closed.column("race_to_bottom")) EXPECT_EQ(index, 0.0);

  Scenario floored = Scenario::load_file(kRace);
  floored.set_all({"governance.floor_tax=0.3", "governance.floor_regulation=0.3"});
  double floored_index = 0;
  for (std::uint64_t run = 0; run < 4; ++run) {
    Simulation simulation(floored, run);
    for (std::int64_t t = 0; t < floored.integer("run.ticks"); ++t) simulation.step();
    const auto* economy = dynamic_cast<const NationalPolicy*>(simulation.process("economy"));
    if (economy == nullptr) throw std::logic_error("no economy");
    for (std::uint32_t n = 0; n < simulation.places().count(Scale::nation); ++n) {
      EXPECT_GE(economy->policies()[n].tax, 0.3);
      EXPECT_GE(economy->policies()[n].regulation, 0.3);
    }
    floored_index += simulation.measure()[simulation.metric_index("race_to_bottom")] / 4.0;
  }
  std::printf("with floors: index %.4f\n", floored_index);
  EXPECT_LT(floored_index, open_index);
}

TEST(RaceToTheBottom, RedistributionFinancedByCapitalJoinsTheRace) {
  // With economy.redistribution_tax = 2 a firm's profit is taxed at tau + 2 chi, so redistribution
  // enters the choice of host. Criterion fixed before the runs: over 4 runs of the race scenario,
  // the mean chi at tick 100 is below its value at tick 0, and below the final mean chi of the same
  // runs without the levy.
  const auto mean_chi = [](const std::vector<std::string>& overrides) {
    Scenario scenario = Scenario::load_file(kRace);
    scenario.set_all(overrides);
    double first = 0, last = 0;
    for (std::uint64_t run = 0; run < 4; ++run) {
      Simulation simulation(scenario, run);
      first += simulation.measure()[simulation.metric_index("mean_chi")] / 4.0;
      for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
      last += simulation.measure()[simulation.metric_index("mean_chi")] / 4.0;
    }
    return std::pair{first, last};
  };
  // Shared streams: run r with and without the levy start from the same policies (paired runs).
  const auto [levied_first, levied_last] = mean_chi({"economy.redistribution_tax=2", "run.streams=shared"});
  const auto [plain_first, plain_last] = mean_chi({"run.streams=shared"});
  std::printf("redistribution financed by capital: mean chi %.4f -> %.4f (without the levy %.4f -> %.4f)\n", levied_first, levied_last,
              plain_first, plain_last);
  EXPECT_LT(levied_last, levied_first);
  EXPECT_LT(levied_last, plain_last);
}

TEST(RaceToTheBottom, AnAdjustmentCutsTheSouthsPolicyOnce) {
  // governance.adjustment stepping to 1 at tick 10 (revision 0: no imitation): each of the 16
  // nations of the South has its redistribution and regulation halved once; adjustments = 16;
  // the North's regulation is unchanged.
  Scenario scenario = Scenario::load_file(kRace);
  scenario.set_all({"governance.revision=0", "run.ticks=30", "run.streams=shared"});  // the same run with and without the schedule
  Simulation before(scenario, 0);
  before.step();
  const double north_before = before.measure()[before.metric_index("regulation_north")];
  const double south_before = before.measure()[before.metric_index("regulation_south")];
  Scenario adjusted = Scenario::parse(
      scenario.source_text() + "\n[[schedule]]\nkey = \"governance.adjustment\"\nmode = \"step\"\npoints = [[0, 0.0], [9, 1.0]]\n",
      "adjusted.toml");
  adjusted.set_all({"governance.revision=0", "run.ticks=30", "run.streams=shared"});
  Simulation simulation(adjusted, 0);
  for (int t = 0; t < 30; ++t) simulation.step();
  const auto m = simulation.measure();
  std::printf("adjustment: South regulation %.4f -> %.4f, North %.4f -> %.4f, %g adjustments\n", south_before,
              m[simulation.metric_index("regulation_south")], north_before, m[simulation.metric_index("regulation_north")],
              m[simulation.metric_index("adjustments")]);
  double south = 0;
  for (std::uint32_t n = 0; n < simulation.places().count(Scale::nation); ++n)
    south += simulation.places().nation_group(n) == NationGroup::south ? 1 : 0;
  ASSERT_EQ(south, 16.0);  // the scenario's southern nations
  EXPECT_DOUBLE_EQ(m[simulation.metric_index("adjustments")], south);
  EXPECT_NEAR(m[simulation.metric_index("regulation_south")], 0.5 * south_before, 1e-12);
  EXPECT_DOUBLE_EQ(m[simulation.metric_index("regulation_north")], north_before);
}

TEST(AdjustmentByStress, ALenderStepsInWhereDebtPassesTheThresholdAndLeavesBelowItsExit) {
  // governance.debt_threshold 0.3 on the race scenario with jobs from demand (revision 0: no
  // imitation). Stated before the runs. (1) interest 10 % a tick, no growth: the 4 northern
  // nations (the frontier, productivity 4) never borrow; each of the 16 southern ones borrows
  // until its debt passes 0.3 of its income, then enters a program once and never leaves it (its
  // debt stays, its income does not grow): adjustments = 16, in_program = 0.8, the South's
  // regulation halved, the North's unchanged, and the South's income lower than in the same run
  // without the trigger (threshold 0; a set-up correction after the first run: at 100, a debt rolled
  // over at 10 % for 60 ticks passed it). (2) growth 5 % a tick, interest 0: programs end
  // (in_program falls below its peak before tick 60) as income outgrows the frozen debt.
  const std::vector<std::string> common = {"governance.revision=0",   "run.streams=shared",     "economy.jobs=demand",
                                           "economy.subsistence=0.3", "economy.borrowing=0.05", "run.ticks=60"};
  const auto run = [&](std::vector<std::string> sets) {
    Scenario scenario = Scenario::load_file(kRace);
    sets.insert(sets.begin(), common.begin(), common.end());
    scenario.set_all(sets);
    Simulation simulation(scenario, 0);
    std::vector<std::vector<double>> series;
    for (int t = 0; t < 60; ++t) {
      simulation.step();
      series.push_back(simulation.measure());
    }
    return std::pair{std::move(series), simulation.metric_index("in_program")};
  };
  Scenario probe = Scenario::load_file(kRace);
  probe.set_all(common);
  Simulation first(probe, 0);
  first.step();
  const double north_before = first.measure()[first.metric_index("regulation_north")];
  const double south_before = first.measure()[first.metric_index("regulation_south")];
  const auto [stressed, in_program] = run({"economy.interest_rate=0.1", "governance.debt_threshold=0.3"});
  const auto [spared, unused] = run({"economy.interest_rate=0.1", "governance.debt_threshold=0"});
  const auto index = [&](const char* name) { return first.metric_index(name); };
  const auto& end = stressed.back();
  std::printf("stress: %g adjustments, in program %.3f, South regulation %.4f -> %.4f, South income %.4f (%.4f without programs)\n",
              end[index("adjustments")], end[in_program], south_before, end[index("regulation_south")], end[index("income_south")],
              spared.back()[index("income_south")]);
  EXPECT_DOUBLE_EQ(end[index("adjustments")], 16.0);
  EXPECT_DOUBLE_EQ(end[in_program], 0.8);
  EXPECT_NEAR(end[index("regulation_south")], 0.5 * south_before, 1e-12);
  EXPECT_DOUBLE_EQ(end[index("regulation_north")], north_before);
  EXPECT_LT(end[index("income_south")], spared.back()[index("income_south")]);
  EXPECT_EQ(spared.back()[index("adjustments")], 0.0);

  const auto [growing, at] = run({"economy.growth=0.05", "governance.debt_threshold=0.3"});
  double peak = 0;
  bool fell = false;
  for (const auto& row : growing) {
    peak = std::max(peak, row[at]);
    fell = fell || row[at] < peak;
  }
  std::printf("with growth: peak in program %.3f, at the end %.3f, %g adjustments\n", peak, growing.back()[at],
              growing.back()[index("adjustments")]);
  EXPECT_GT(peak, 0.0);
  EXPECT_TRUE(fell);
}

// Best response (docs/model/governance.md, "Best response"). N identical nations of 20 agents,
// 2N firms, open capital, no regulation (every nation's firms earn the same profit per job,
// 1.5 - 1 = 0.5, so omega = w (1 - 0.3) / 0.5 = 1.4 w for every nation), initial taxes 0.3
// (1 +- 0.5 u), revision 0.5, 300 ticks. Criterion fixed before the runs: every nation's tax ends
// within 1e-9 of the symmetric Nash equilibrium tau* = N / (beta (N - 1)) - omega, clipped to
// [0, 1], for N = 2, 5, 20 at beta = 3.3 and beta = 1.5, 8 at N = 5, each with w = 0 and 0.1.
// The analytic tau* falls with beta and with N; the runs must follow it.
std::string symmetric_world(std::uint32_t nations, double beta, double weight) {
  return fmt::format(R"(
[run]
seed = 5
ticks = 300
[world]
nations_per_bloc = {0}
[world.network]
kind = "ring"
size = {1}
degree = 2
[economy]
production = true
measure = "income"
firms = {2}
firm_jobs = 0.05
openness = 1.0
tax = 0.3
regulation = 0.0
[governance]
rule = "best_response"
capital_elasticity = {3}
job_weight = {4}
spread = 0.5
revision = 0.5
)",
                     nations, 20 * nations, 2 * nations, beta, weight);
}

TEST(BestResponse, TaxesSettleOnTheSymmetricEquilibrium) {
  const std::vector<std::pair<std::uint32_t, double>> cases = {{2, 3.3}, {5, 3.3}, {20, 3.3}, {5, 1.5}, {5, 8.0}};
  for (const double weight : {0.0, 0.1}) {
    for (const auto& [nations, beta] : cases) {
      const Scenario scenario = Scenario::parse(symmetric_world(nations, beta, weight), "symmetric.toml");
      Simulation simulation(scenario, 0);
      for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
      const auto* economy = dynamic_cast<const NationalPolicy*>(simulation.process("economy"));
      if (economy == nullptr) throw std::logic_error("no economy");
      const double n = nations;
      const double expected = std::clamp(n / (beta * (n - 1.0)) - weight * 1.4, 0.0, 1.0);
      double low = 1.0, high = 0.0;
      for (std::uint32_t k = 0; k < nations; ++k) {
        EXPECT_NEAR(economy->firm_job_value(k), 1.4, 1e-12);
        EXPECT_NEAR(economy->policies()[k].tax, expected, 1e-9)
            << "N " << nations << " beta " << beta << " w " << weight << " nation " << k;
        low = std::min(low, economy->policies()[k].tax);
        high = std::max(high, economy->policies()[k].tax);
      }
      std::printf("best response: N %2u beta %.1f w %.1f: taxes %.10f .. %.10f (tau* = %.10f)\n", nations, beta, weight, low, high,
                  expected);
    }
  }
}

TEST(BestResponse, OpenCapitalRacesBelowTheLowestInitialTax) {
  // scenarios/validation/race-to-the-bottom.toml (20 nations, 40 firms, openness 1, 100 ticks)
  // with governance.rule = "best_response" (beta = 3.3, w = 1), 10 runs at each governance.spread
  // of 0.1, 0.5, 0.9. Criteria fixed before the runs (issue 14): the mean tax at the end is below
  // the lowest initial national tax of the same run in at least 90 % of the 30 runs; the mean
  // race_to_bottom index varies by less than 0.05 across the three spreads. And with closed
  // capital (openness 0, beta = 0: nothing a nation does moves a firm), every nation's tax ends at
  // 1 in every run (the revenue maximum of immobile capital).
  int below = 0;
  int runs = 0;
  std::vector<double> indices;
  for (const double spread : {0.1, 0.5, 0.9}) {
    Scenario scenario = Scenario::load_file(kRace);
    scenario.set_all({"governance.rule=best_response", "governance.spread=" + std::to_string(spread)});
    double index = 0;
    double lowest_mean = 0, final_mean = 0;
    for (std::uint64_t run = 0; run < 10; ++run) {
      Simulation simulation(scenario, run);
      const auto* economy = dynamic_cast<const NationalPolicy*>(simulation.process("economy"));
      if (economy == nullptr) throw std::logic_error("no economy");
      const std::uint32_t nations = simulation.places().count(Scale::nation);
      double lowest = 1.0;
      for (std::uint32_t n = 0; n < nations; ++n) lowest = std::min(lowest, economy->policies()[n].tax);
      for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
      const double mean_tax = simulation.measure()[simulation.metric_index("mean_tax")];
      below += mean_tax < lowest ? 1 : 0;
      ++runs;
      index += simulation.measure()[simulation.metric_index("race_to_bottom")] / 10.0;
      lowest_mean += lowest / 10.0;
      final_mean += mean_tax / 10.0;
    }
    std::printf("best response, spread %.1f: lowest initial tax %.4f (mean of 10 runs), final mean tax %.4f, race index %.4f\n", spread,
                lowest_mean, final_mean, index);
    indices.push_back(index);
  }
  std::printf("best response: mean tax below the lowest initial tax in %d of %d runs\n", below, runs);
  EXPECT_GE(below, 27);
  EXPECT_LT(*std::max_element(indices.begin(), indices.end()) - *std::min_element(indices.begin(), indices.end()), 0.05);

  Scenario closed = Scenario::load_file(kRace);
  closed.set_all({"governance.rule=best_response", "economy.openness=0"});
  for (std::uint64_t run = 0; run < 4; ++run) {
    Simulation simulation(closed, run);
    for (std::int64_t t = 0; t < closed.integer("run.ticks"); ++t) simulation.step();
    const auto* economy = dynamic_cast<const NationalPolicy*>(simulation.process("economy"));
    if (economy == nullptr) throw std::logic_error("no economy");
    for (std::uint32_t n = 0; n < simulation.places().count(Scale::nation); ++n) EXPECT_EQ(economy->policies()[n].tax, 1.0);
  }
}

// Regulation by best response (governance.instruments = "tax_and_regulation"): the symmetric
// world above with [ecology] (regulation removes the harvest share 1 - exp(-g rho)), g = 10,
// initial regulation 0. Firms' profit per job before regulation is 1.5 - 1 = 0.5, so kappa = 1 / 0.5
// = 2 in every nation, and a nation regulating rho has pi = 0.5 - rho, omega = w 0.7 / (0.5 - rho).
// At a symmetric profile (s = 1/N) the first-order conditions give, stated before the runs:
//  - interior tax (w = 0, lambda = 1): tau* = N / (beta (N - 1)) and rho* = ln(lambda g / kappa) / g
//    = ln(5) / 10, the same for every beta and N (the tax is the margin against capital);
//  - tax at its corner 0 (w = 1, lambda = 3, beta (1 - 1/N) omega >= 1): rho* solves
//    lambda g exp(-g rho) = beta kappa (1 - 1/N) omega(rho), so it falls with beta and with N.
// The profile is a rest point of the revisions only if no nation gains by regulating to the top
// (1) and giving up its firms: value(1) <= value(rho*), both computed here from the closed forms.
// Criterion: where it is a rest point, every nation's tax and regulation end within 1e-9 of
// (tau*, rho*) after 300 ticks; where it is not, at least one nation ends at the top.
struct RegulationCase {
  std::uint32_t nations;
  double beta;
  double weight;  ///< w
  double lambda;
};

TEST(BestResponse, RegulationSettlesOnTheSymmetricEquilibriumWhereItIsOne) {
  const std::vector<RegulationCase> cases = {{2, 3.3, 0.0, 1.0}, {5, 3.3, 0.0, 1.0}, {20, 3.3, 0.0, 1.0}, {5, 1.5, 0.0, 1.0},
                                             {5, 8.0, 0.0, 1.0}, {2, 3.3, 1.0, 3.0}, {5, 3.3, 1.0, 3.0},  {20, 3.3, 1.0, 3.0},
                                             {5, 1.5, 1.0, 3.0}, {5, 8.0, 1.0, 3.0}};
  constexpr double g = 10.0;
  constexpr double kappa = 2.0;
  int rest_points = 0, not_rest_points = 0;
  for (const auto& c : cases) {
    const double n = c.nations;
    const auto omega = [&](double rho) { return c.weight * 0.7 / (0.5 - rho); };
    double tax = 0.0;
    double rho = 0.0;
    if (c.weight == 0.0) {
      tax = n / (c.beta * (n - 1.0));
      rho = std::log(c.lambda * g / kappa) / g;
    } else {
      double low = 0.0, high = 0.5;  // lambda g exp(-g rho) - beta kappa (1 - 1/N) omega(rho) falls in rho
      for (int k = 0; k < 200; ++k) {
        const double middle = 0.5 * (low + high);
        (c.lambda * g * std::exp(-g * middle) > c.beta * kappa * (1.0 - 1.0 / n) * omega(middle) ? low : high) = middle;
      }
      rho = 0.5 * (low + high);
      ASSERT_GE(c.beta * (1.0 - 1.0 / n) * omega(rho), 1.0) << "the tax is at its corner";
    }
    ASSERT_GT(rho, 0.0);
    ASSERT_LE(tax, 1.0);
    // The value of regulating to the top, the others at (tau*, rho*): its share of the firms is
    // 1 / (1 + (N - 1) exp(beta kappa (1 - rho*))).
    const double share_at_top = 1.0 / (1.0 + (n - 1.0) * std::exp(c.beta * kappa * (1.0 - rho)));
    const double at_top = n * share_at_top * (tax + omega(rho)) + c.lambda * (1.0 - std::exp(-g));
    const double at_rho = tax + omega(rho) + c.lambda * (1.0 - std::exp(-g * rho));
    const bool rest_point = at_top <= at_rho;

    std::string text = symmetric_world(c.nations, c.beta, c.weight);
    text += fmt::format("instruments = \"tax_and_regulation\"\nenvironment_weight = {}\n[ecology]\nregulation_effect = {}\n", c.lambda, g);
    const Scenario scenario = Scenario::parse(text, "symmetric.toml");
    Simulation simulation(scenario, 0);
    for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
    const auto* economy = dynamic_cast<const NationalPolicy*>(simulation.process("economy"));
    if (economy == nullptr) throw std::logic_error("no economy");
    int at_the_top = 0;
    double low = 1.0, high = 0.0;
    for (std::uint32_t k = 0; k < c.nations; ++k) {
      const Policy p = economy->policies()[k];
      // The closed forms' kappa and omega are the model's own (added 2026-12-08, after the runs
      // above: a check that the derivation reads the scenario as the economy does).
      EXPECT_NEAR(economy->regulation_cost_share(k), kappa, 1e-12) << "nation " << k;
      if (p.regulation < 0.5) {
        EXPECT_NEAR(c.weight * economy->firm_job_value(k), omega(p.regulation), 1e-9) << "nation " << k;
      }
      if (rest_point) {
        EXPECT_NEAR(p.tax, tax, 1e-9) << "N " << c.nations << " beta " << c.beta << " w " << c.weight << " nation " << k;
        EXPECT_NEAR(p.regulation, rho, 1e-9) << "N " << c.nations << " beta " << c.beta << " w " << c.weight << " nation " << k;
      }
      at_the_top += p.regulation == 1.0 ? 1 : 0;
      low = std::min(low, p.regulation);
      high = std::max(high, p.regulation);
    }
    if (!rest_point) {
      EXPECT_GE(at_the_top, 1) << "N " << c.nations << " beta " << c.beta << " w " << c.weight;
    }
    (rest_point ? rest_points : not_rest_points) += 1;
    std::printf(
        "regulation by best response: N %2u beta %.1f w %.0f lambda %.0f: rho* %.10f tau* %.10f (%s; value %.4f, at the top %.4f): "
        "regulation %.10f .. %.10f, %d at the top\n",
        c.nations, c.beta, c.weight, c.lambda, rho, tax, rest_point ? "a rest point" : "not a rest point", at_rho, at_top, low, high,
        at_the_top);
  }
  std::printf("%d rest points, %d not\n", rest_points, not_rest_points);
}

TEST(BestResponse, RegulationWithoutEcologyIsAClearError) {
  // Regulation is worth what it protects of ecology's resources: without [ecology] the scenario is
  // refused at the key, with its file and line.
  const std::string text = symmetric_world(5, 3.3, 0.0) + "instruments = \"tax_and_regulation\"\n";
  try {
    (void)Scenario::parse(text, "symmetric.toml");
    FAIL() << "accepted";
  } catch (const ScenarioError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("symmetric.toml:"), std::string::npos) << message;
    EXPECT_NE(message.find("governance.instruments"), std::string::npos) << message;
    EXPECT_NE(message.find("[ecology]"), std::string::npos) << message;
  }
}

// The coupled world: scenarios/validation/race-to-the-bottom.toml with regulation by best response
// and [ecology] at its defaults (g = 1), lambda = 1, regulation_max = 1, 10 runs at each of closed
// capital (openness 0), beta = 1.5 and beta = 8. Criteria fixed before these runs, after one
// exploratory sweep of 4 runs (g 1 and 4, lambda 0.5 / 1 / 2, beta 0 / 1.5 / 3.3 / 8; at g = 1,
// lambda = 1: the South's regulation 0.79 at beta 1.5 and 0.41 at beta 8, integrity 0.807 closed
// and 0.722 at beta 8): with closed capital every nation ends at tax 1 and regulation 1 in every
// run (nothing it does moves a firm); the South's mean regulation at the end is lower at beta = 8
// than at beta = 1.5; and the mean integrity of the localities at beta = 8 is below the closed
// runs' by at least 0.03: the regulation race costs the resources.
TEST(BestResponse, RegulationRacesWithCapitalMobilityAndTheResourcesPayForIt) {
  std::string text = testing::read_text(kRace);
  text += "rule = \"best_response\"\ninstruments = \"tax_and_regulation\"\nenvironment_weight = 1.0\nregulation_max = 1.0\n[ecology]\n";
  const auto runs = [&](const std::vector<std::string>& overrides) {
    Scenario scenario = Scenario::parse(text, "race-with-ecology.toml");
    scenario.set_all(overrides);
    double south = 0, integrity = 0;
    bool closed_at_top = true;
    for (std::uint64_t run = 0; run < 10; ++run) {
      Simulation simulation(scenario, run);
      for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
      const auto measured = simulation.measure();
      south += measured[simulation.metric_index("regulation_south")] / 10.0;
      integrity += measured[simulation.metric_index("integrity")] / 10.0;
      const auto* economy = dynamic_cast<const NationalPolicy*>(simulation.process("economy"));
      if (economy == nullptr) throw std::logic_error("no economy");
      for (std::uint32_t n = 0; n < simulation.places().count(Scale::nation); ++n) {
        closed_at_top = closed_at_top && economy->policies()[n].tax == 1.0 && economy->policies()[n].regulation == 1.0;
      }
    }
    return std::tuple{south, integrity, closed_at_top};
  };
  const auto [closed_south, closed_integrity, closed_at_top] = runs({"economy.openness=0"});
  const auto [slow_south, slow_integrity, slow_top] = runs({"governance.capital_elasticity=1.5"});
  const auto [fast_south, fast_integrity, fast_top] = runs({"governance.capital_elasticity=8"});
  std::printf(
      "regulation race (10 runs each): the South's regulation %.4f closed, %.4f at beta 1.5, %.4f at beta 8; integrity %.4f / %.4f / "
      "%.4f\n",
      closed_south, slow_south, fast_south, closed_integrity, slow_integrity, fast_integrity);
  EXPECT_TRUE(closed_at_top);
  EXPECT_LT(fast_south, slow_south);
  EXPECT_LT(fast_integrity, closed_integrity - 0.03);
}

TEST(BestResponse, TheRegimesRaceWhereCapitalIsMobile) {
  // The three regimes (scenarios/world/*.toml, 1960-2030, 4 runs each), whose governance now uses
  // best response. A regression check of the effect described in docs/model/governance.md, not a
  // prediction: written after one exploratory run of each regime, and re-based once, when the
  // regimes moved to economy.acceptance = "sales" (hyperglobalization's taxes then stopped at a mean
  // of 0.057 instead of 0, because a firm's profit per job no longer carries its cultural fit, so
  // jobs weigh less against it in some nations). Hyperglobalization's open capital takes the mean
  // tax below 0.1 by 2030 and its race index above 0.2; localization's closed capital lets taxes
  // rise (race index below 0); glocalization's floor of 0.2 binds (mean tax within 0.01 of it).
  const auto run = [](const std::string& regime) {
    return testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/world/" + regime + ".toml", {}, 4);
  };
  const auto hyper = run("hyperglobalization");
  const auto local = run("localization");
  const auto glocal = run("glocalization");
  std::printf(
      "regimes with best response, 2030: mean tax %.4f / %.4f / %.4f, race index %.4f / %.4f / %.4f (hyperglobalization / "
      "localization / glocalization)\n",
      testing::mean(hyper.column("mean_tax")), testing::mean(local.column("mean_tax")), testing::mean(glocal.column("mean_tax")),
      testing::mean(hyper.column("race_to_bottom")), testing::mean(local.column("race_to_bottom")),
      testing::mean(glocal.column("race_to_bottom")));
  EXPECT_LT(testing::mean(hyper.column("mean_tax")), 0.1);
  EXPECT_GT(testing::mean(hyper.column("race_to_bottom")), 0.2);
  EXPECT_LT(testing::mean(local.column("race_to_bottom")), 0.0);
  EXPECT_NEAR(testing::mean(glocal.column("mean_tax")), 0.2, 0.01);
}

}  // namespace
}  // namespace glocal
