// Governance under capital competition (fast tier): the race to the bottom and what stops it.
// Criteria fixed before the runs (the model's claims in MODEL.md 4.3; no published number).
#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>

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
      EXPECT_GE(economy->policy(n).tax, 0.3);
      EXPECT_GE(economy->policy(n).regulation, 0.3);
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

}  // namespace
}  // namespace glocal
