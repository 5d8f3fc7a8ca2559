// Governance under capital competition (fast tier): the race to the bottom and what stops it.
// Criteria fixed before the runs (the model's claims in MODEL.md 4.3; no published number).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "glocal/model/coupling.hpp"
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
