// Taking a road apart lever by lever: the two-level design's properties, the main effects of a
// known linear model with an interaction, and the levers found between two scenarios.
#include "glocal/run/levers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace glocal {
namespace {

double sign(bool high) { return high ? 1.0 : -1.0; }

TEST(Levers, TheDesignIsBalancedOrthogonalAndOfResolutionFour) {
  for (std::size_t k = 1; k <= 16; ++k) {
    const auto design = two_level_design(k);
    const std::size_t expected = k <= 6 ? std::size_t{1} << k : k <= 8 ? 16 : 32;
    ASSERT_EQ(design.size(), expected) << k << " levers";
    for (bool high : design.front()) EXPECT_FALSE(high);  // FROM itself
    for (bool high : design.back()) EXPECT_TRUE(high);    // TO itself
    std::set<std::vector<bool>> distinct(design.begin(), design.end());
    EXPECT_EQ(distinct.size(), design.size());
    for (std::size_t a = 0; a < k; ++a) {
      double balance = 0;
      for (const auto& row : design) balance += sign(row[a]);
      EXPECT_EQ(balance, 0.0) << "lever " << a << " of " << k;
      for (std::size_t b = a + 1; b < k; ++b) {
        double dot = 0;
        for (const auto& row : design) dot += sign(row[a]) * sign(row[b]);
        EXPECT_EQ(dot, 0.0) << "levers " << a << ", " << b << " of " << k;
        // Resolution IV: no main effect aliased with a two-lever interaction.
        for (std::size_t c = 0; c < k; ++c) {
          double alias = 0;
          for (const auto& row : design) alias += sign(row[a]) * sign(row[b]) * sign(row[c]);
          EXPECT_EQ(alias, 0.0) << "levers " << a << " x " << b << " against " << c << " of " << k;
        }
      }
    }
  }
}

TEST(Levers, MainEffectsOfALinearModelWithAnInteraction) {
  // y = 1 + sum_j beta_j x_j + gamma x_0 x_1 + r / 10 (replicate r: a shift shared by every point,
  // as shared streams give): each main effect is exactly 2 beta_j, with an interval of zero width;
  // the whole difference y(+) - y(-) is 2 sum beta_j, the interactions' part 0 (x_0 x_1 is +1 at
  // both ends). With the interaction's sign flipped at one end it would not be; here it is not.
  for (const std::size_t k : {3U, 9U}) {
    const auto design = two_level_design(k);
    std::vector<double> beta(k);
    for (std::size_t j = 0; j < k; ++j) beta[j] = 0.1 * static_cast<double>(j + 1) * (j % 2 == 0 ? 1.0 : -1.0);
    const double gamma = 0.7;
    std::vector<std::vector<double>> y(design.size(), std::vector<double>(3));
    for (std::size_t i = 0; i < design.size(); ++i) {
      for (std::size_t r = 0; r < 3; ++r) {
        double value = 1.0 + gamma * sign(design[i][0]) * sign(design[i][1]) + 0.1 * static_cast<double>(r);
        for (std::size_t j = 0; j < k; ++j) value += beta[j] * sign(design[i][j]);
        y[i][r] = value;
      }
    }
    const LeverEffects effects = lever_effects(design, y);
    double sum = 0;
    for (std::size_t j = 0; j < k; ++j) {
      EXPECT_NEAR(effects.main[j].mean, 2.0 * beta[j], 1e-12) << k << " levers, lever " << j;
      EXPECT_NEAR(effects.main[j].high - effects.main[j].low, 0.0, 1e-12);
      sum += 2.0 * beta[j];
    }
    EXPECT_NEAR(effects.whole.mean, sum, 1e-12);
    EXPECT_NEAR(effects.interactions.mean, 0.0, 1e-12);
  }
}

const char* kFrom = R"(
[run]
ticks = 3
[world.lattice]
side = 6
[economy]
production = true
reach.nation = 0.8
reach.world = 0.2
[governance]
spread = 0.3
[[schedule]]
key = "economy.openness"
points = [[0, 0.1], [3, 0.5]]
)";

TEST(Levers, FoundBetweenTwoScenariosAndSetByTheDesign) {
  const Scenario from = Scenario::parse(kFrom, "from.toml");
  Scenario to = from;
  to.set_all({"economy.reach.nation=0.5", "economy.reach.world=0.5", "governance.floor_tax=0.2", "run.ticks=5"});
  // run.ticks is not a lever; the reach weights are one; the floor is one; openness (scheduled in
  // from, a constant in to after --set) is one.
  to.set_all({"economy.openness=0.3"});
  const auto levers = levers_between(from, to);
  ASSERT_EQ(levers.size(), 3U);
  EXPECT_EQ(levers[0].name, "economy.openness");
  EXPECT_EQ(levers[1].name, "economy.reach");
  EXPECT_EQ(levers[2].name, "governance.floor_tax");
  // Openness at +, the rest at -: openness is TO's constant (no schedule), reach and floor FROM's.
  const Scenario point = with_levers(from, to, levers, {true, false, false});
  EXPECT_EQ(point.real("economy.openness"), 0.3);
  EXPECT_TRUE(point.schedules().empty());
  EXPECT_EQ(point.real("economy.reach.world"), 0.2);
  EXPECT_EQ(point.real("governance.floor_tax"), 0.0);
  // Openness at -: FROM's schedule is kept.
  const Scenario back = with_levers(from, to, levers, {false, true, true});
  ASSERT_EQ(back.schedules().size(), 1U);
  EXPECT_EQ(back.schedules()[0].key, "economy.openness");
  EXPECT_EQ(back.real("economy.reach.world"), 0.5);
  EXPECT_EQ(back.real("governance.floor_tax"), 0.2);
  // A different world is refused.
  Scenario other = from;
  other.set_all({"world.lattice.side=8"});
  EXPECT_THROW((void)levers_between(from, other), std::invalid_argument);
}

}  // namespace
}  // namespace glocal
