// The ecology process against the analytic logistic-harvest results, and its couplings to the
// economy. Criteria fixed before the runs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"
#include "processes/ecology/ecology.hpp"

namespace glocal {
namespace {

const std::string kSchaefer = GLOCAL_SOURCE_DIR "/scenarios/validation/schaefer1954.toml";

double final_metric(const std::vector<std::string>& overrides, const std::string& metric) {
  return testing::mean(testing::run_outcomes(kSchaefer, overrides, 1).column(metric));
}

TEST(Schaefer1954, EquilibriumCollapseAndMaximumSustainableYield) {
  // r = 0.5, K = 100: after 2,000 ticks the integrity equals 1 - qE/r within 1e-9 for qE = 0.05,
  // ..., 0.45; the harvest equals qE K (1 - qE/r), largest at qE = 0.25 with rK/4 = 12.5; for
  // qE = 0.55 and 0.75 the stock collapses (integrity below 1e-9, one collapse, collapsed = 1).
  double best_yield = 0;
  double best_effort = 0;
  for (int k = 1; k <= 9; ++k) {
    const double qe = 0.05 * k;
    const std::string effort = "ecology.effort=" + std::to_string(qe / 0.05);
    const double integrity = final_metric({effort}, "integrity");
    const double yield = final_metric({effort}, "harvest");
    EXPECT_NEAR(integrity, 1.0 - qe / 0.5, 1e-9) << "qE " << qe;
    EXPECT_NEAR(yield, qe * 100.0 * (1.0 - qe / 0.5), 1e-7) << "qE " << qe;
    if (yield > best_yield) {
      best_yield = yield;
      best_effort = qe;
    }
  }
  std::printf("Schaefer: maximum sustained yield %.6f at qE = %.2f (analytic rK/4 = 12.5 at r/2 = 0.25)\n", best_yield, best_effort);
  EXPECT_NEAR(best_effort, 0.25, 1e-12);
  EXPECT_NEAR(best_yield, 12.5, 1e-7);
  for (const double qe : {0.55, 0.75}) {
    const std::string effort = "ecology.effort=" + std::to_string(qe / 0.05);
    EXPECT_LT(final_metric({effort}, "integrity"), 1e-9) << "qE " << qe;
    EXPECT_DOUBLE_EQ(final_metric({effort}, "collapsed"), 1.0);
    EXPECT_DOUBLE_EQ(final_metric({effort}, "collapses"), 1.0);
  }
}

const char* kCoupled = R"(
[run]
seed = 3
ticks = 60
record_every = 10
record_places = "nation"
[world.network]
kind = "ring"
size = 200
degree = 2
[[world.nation]]
name = "Rich"
group = "north"
productivity = 4.0
[[world.nation]]
name = "Poor"
group = "south"
productivity = 1.0
[economy]
production = true
measure = "income"
reach.nation = 1.0
[ecology]
growth = 0.5
catchability = 0.05
effort = 4.0
)";

/// Final integrity of each nation's (single) locality.
std::vector<double> integrity_by_locality(const std::vector<std::string>& overrides) {
  Scenario scenario = Scenario::parse(kCoupled, "coupled.toml");
  scenario.set_all(overrides);
  Simulation simulation(scenario, 0);
  for (std::int64_t t = 0; t < scenario.integer("run.ticks"); ++t) simulation.step();
  const auto* ecology = dynamic_cast<const ecology::EcologyProcess*>(simulation.process("ecology"));
  if (ecology == nullptr) throw std::logic_error("no ecology");
  return {ecology->locality_integrity().begin(), ecology->locality_integrity().end()};
}

TEST(EcologyCoupling, HarvestFollowsIncomeAndRegulationProtects) {
  // Two nations of one locality each, A = 4 and 1: effort scales with the locality's income, so the
  // rich locality's resource ends lower; regulation (economy.regulation = 1, g = 1) raises both.
  const auto base = integrity_by_locality({});
  const auto regulated = integrity_by_locality({"economy.regulation=1.0"});
  std::printf("integrity rich %.4f poor %.4f; with regulation rich %.4f poor %.4f\n", base[0], base[1], regulated[0], regulated[1]);
  EXPECT_LT(base[0], base[1]);
  EXPECT_GT(regulated[0], base[0]);
  EXPECT_GT(regulated[1], base[1]);
}

TEST(EcologyCoupling, AFailingResourceCutsTheUnderemployedsLivelihood) {
  // economy.livelihood = 1: an underemployed agent's income is u A_n times its locality's
  // integrity. With the poor locality's resource collapsed (effort 40: qE = 2 > r), mean income
  // there falls by the underemployed's whole share: exactly 0.4 x 0.3 x 1 per agent less than with
  // livelihood 0 (local_jobs 0.6, u = 0.3, A = 1; no wealth return).
  const char* poor_only = R"(
[run]
seed = 3
ticks = 30
[world.network]
kind = "ring"
size = 100
degree = 2
[economy]
production = true
measure = "income"
livelihood = 1.0
[ecology]
growth = 0.5
catchability = 0.05
effort = 40.0
activity = 0.0
)";
  Scenario scenario = Scenario::parse(poor_only, "livelihood.toml");
  const auto with = testing::run_outcomes_of(scenario, 1);
  scenario.set_all({"economy.livelihood=0"});
  const auto without = testing::run_outcomes_of(scenario, 1);
  const double lost = testing::mean(without.column("mean_income")) - testing::mean(with.column("mean_income"));
  std::printf("livelihood: mean income %.4f with a collapsed commons, %.4f without the dependence\n",
              testing::mean(with.column("mean_income")), testing::mean(without.column("mean_income")));
  EXPECT_NEAR(lost, 0.4 * 0.3, 1e-9);
}

TEST(EcologyCoupling, DisplacementCostsTheUnderemployedTheirCommons) {
  // One locality of 100 agents, a project at tick 1 that displaces everyone, livelihood 1, no
  // harvest (effort 0, integrity stays 1 but for the project's capacity loss, which lowers K and R
  // alike): the 40 underemployed, all displaced, earn nothing; the 60 employed plus the project's
  // 5 jobs (project_jobs 0.05) earn A = 1. Mean income exactly 0.65.
  const char* text = R"(
[run]
seed = 2
ticks = 5
[world.network]
kind = "ring"
size = 100
degree = 2
[economy]
production = true
measure = "income"
livelihood = 1.0
[ecology]
effort = 0.0
project_rate = 1.0
project_displacement = 1.0
)";
  const auto runs = testing::run_outcomes_of(Scenario::parse(text, "displaced.toml"), 1);
  std::printf("displacement: mean income %.4f (expected 0.65), displaced %.2f\n", testing::mean(runs.column("mean_income")),
              testing::mean(runs.column("displaced")));
  EXPECT_NEAR(testing::mean(runs.column("mean_income")), 0.65, 1e-12);
}

}  // namespace
}  // namespace glocal
