#include "glocal/run/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace glocal {
namespace {

const char* kWealthWorld =
    "[run]\nstart_year = 2000\nticks = 3\n[world.network]\nkind = \"random\"\nsize = 50\n"
    "[economy]\ninitial_wealth = 1.5   # calibrated\nchi = 0.2\n";

const char* kWealthTargets =
    "[calibration]\nreplicates = 2\nbudget = 80\ndraws = 4\n"
    "[[parameter]]\nkey = \"economy.initial_wealth\"\nmin = 0.5\nmax = 10.0\n"
    "[[parameter]]\nkey = \"economy.chi\"\nmin = 0.0\nmax = 1.0\n"
    "[[target]]\nmetric = \"mean_wealth\"\nyear = 2001\nvalue = 3.7\nsd = 0.1\n"
    "[[target]]\nmetric = \"mean_wealth\"\nyear = 2003\nvalue = 3.7\nsd = 0.1\n"
    "[[target]]\nmetric = \"mean_wealth\"\nyear = 2002\nvalue = 3.0\nsd = 0.1\nfit = false\n";

TEST(Calibration, RecoversAParameterAMetricEqualsAndFlagsOneNoTargetSees) {
  // An economy's mean wealth is economy.initial_wealth exactly (exchange and redistribution
  // conserve it), so D = 1 for it on both targets: the estimate is 3.7, within 10^-3 of its range,
  // and its standard error sd / sqrt(2). economy.chi changes no target: zero singular value,
  // no standard error, weakly identified. The out-of-sample target (3.0) lies outside the band.
  const Scenario scenario = Scenario::parse(kWealthWorld, "wealth.toml");
  const CalibrationSpec spec = CalibrationSpec::parse(kWealthTargets, "targets.toml");
  CalibrationOptions options;
  options.threads = 2;
  options.profile_points = 3;
  const CalibrationResult result = calibrate(scenario, spec, options);
  EXPECT_NEAR(result.estimate[0], 3.7, 1e-3 * 9.5);
  EXPECT_NEAR(result.se[0], 0.1 / std::sqrt(2.0), 0.01 * 0.1 / std::sqrt(2.0));
  EXPECT_NEAR(result.jacobian[0][0], 1.0, 1e-9);
  EXPECT_NEAR(result.jacobian[0][1], 0.0, 1e-9);  // rounding in the redistribution's means
  EXPECT_FALSE(result.weak[0]);
  EXPECT_TRUE(result.weak[1]);
  EXPECT_TRUE(std::isnan(result.se[1]));
  ASSERT_EQ(result.singular_values.size(), 2U);
  EXPECT_GT(result.singular_values[0], 100.0);
  EXPECT_NEAR(result.singular_values[1], 0.0, 1e-9);
  EXPECT_EQ(result.identified_by[0], "mean_wealth 2001");
  EXPECT_GT(result.band_low[2], 3.0);  // the model says 3.7 +- its se: 3.0 is outside the band
  EXPECT_LE(result.trace.size(), 80U);
  // The calibrated scenario: the estimate written in place, the comment kept.
  const std::string text = scenario_text_with(scenario, {"economy.initial_wealth", "economy.chi"}, {result.estimate[0], 0.25});
  const Scenario again = Scenario::parse(text, "again.toml");
  EXPECT_DOUBLE_EQ(again.real("economy.initial_wealth"), result.estimate[0]);
  EXPECT_DOUBLE_EQ(again.real("economy.chi"), 0.25);
  EXPECT_NE(text.find("# calibrated"), std::string::npos);
}

TEST(Calibration, NationStatisticsAreComputedFromTheRunsPlaces) {
  // Three nations with incomes per head 1 -> e^0.4, 2 -> 2, 4 -> 4 e^-0.2 over 20 years: growth
  // rates 0.02, 0, -0.01 a year: spread = population sd = 0.01247, one of three shrinking. Blocs:
  // region "r1" holds nations 0 and 1 (10 + 30 people), "r2" nation 2 (60): share of r1 = 0.4.
  const Scenario scenario = Scenario::parse(
      "[run]\nstart_year = 1980\n[[world.nation]]\nname = \"a\"\nbloc = \"r1\"\n[[world.nation]]\nname = \"b\"\nbloc = \"r1\"\n"
      "[[world.nation]]\nname = \"c\"\nbloc = \"r2\"\n[economy]\nproduction = true\n",
      "three.toml");
  RunResult run;
  const auto columns = place_metric_columns(scenario);
  const auto column = [&](const char* name) {
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].name == name) return k;
    }
    throw std::logic_error(name);
  };
  const double start[3] = {1.0, 2.0, 4.0};
  const double end[3] = {std::exp(0.4), 2.0, 4.0 * std::exp(-0.2)};
  for (std::uint32_t n = 0; n < 3; ++n) {
    PlaceRecord before{0, Scale::nation, n, std::vector<double>(columns.size(), 0.0)};
    before.metrics[column("income_ppp")] = start[n];
    PlaceRecord after{20, Scale::nation, n, std::vector<double>(columns.size(), 0.0)};
    after.metrics[column("income_ppp")] = end[n];
    run.places.push_back(before);
    run.places.push_back(after);
  }
  std::vector<CalibrationTarget> targets(2);
  targets[0].kind = CalibrationTarget::Kind::growth_spread;
  targets[1].kind = CalibrationTarget::Kind::shrinking_share;
  for (auto& t : targets) {
    t.from = 1980;
    t.to = 2000;
  }
  const auto moments = run_moments(scenario, run, targets);
  const double mean = (0.02 + 0.0 - 0.01) / 3.0;
  const double sd = std::sqrt((std::pow(0.02 - mean, 2) + std::pow(0.0 - mean, 2) + std::pow(-0.01 - mean, 2)) / 3.0);
  EXPECT_NEAR(moments[0], sd, 1e-12);
  EXPECT_NEAR(moments[1], 1.0 / 3.0, 1e-12);
}

TEST(Calibration, ABadFileNamesItsPlace) {
  const auto error_of = [](const std::string& text) {
    try {
      (void)CalibrationSpec::parse(text, "t.toml");
    } catch (const ScenarioError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  const std::string parameter = "[[parameter]]\nkey = \"economy.chi\"\nmin = 0.0\nmax = 1.0\n";
  const std::string target = "[[target]]\nmetric = \"gini\"\nyear = 2000\nvalue = 0.5\nsd = 0.1\n";
  EXPECT_EQ(error_of(parameter + target), "");
  EXPECT_NE(error_of(target).find("frees no parameter"), std::string::npos);
  EXPECT_NE(error_of(parameter).find("0 fitted targets cannot pin down 1 parameters"), std::string::npos);
  EXPECT_NE(error_of("[[parameter]]\nkey = \"economy.chi\"\nmin = 1.0\nmax = 0.5\n" + target)
                .find("t.toml:1:1: 'economy.chi': expected min < max"),
            std::string::npos);
  EXPECT_NE(error_of(parameter + "[[target]]\nmetric = \"gini\"\nvalue = 0.5\nsd = 0.1\n").find("needs its year"), std::string::npos);
  EXPECT_NE(error_of(parameter + "[[target]]\nstatistic = \"spread\"\nvalue = 0.5\nsd = 0.1\n").find("expected \"growth_spread\""),
            std::string::npos);
  EXPECT_NE(error_of(parameter + "[[target]]\nmetric = \"gini\"\nyear = 2000\nvalue = 0.5\nsd = 0.0\n").find("an sd above 0"),
            std::string::npos);
  EXPECT_NE(error_of(parameter + target + "[[target]]\nmetrik = \"gini\"\n").find("'target.metrik': unknown field"), std::string::npos);
  // Against a scenario: the key must be set in its file; the metric must be recorded.
  const Scenario scenario = Scenario::parse("[run]\nstart_year = 2000\n[economy]\nchi = 0.1\n", "s.toml");
  const auto check_error = [&](const std::string& text) {
    try {
      CalibrationSpec::parse(text, "t.toml").check(scenario);
    } catch (const ScenarioError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  EXPECT_EQ(check_error(parameter + target), "");
  EXPECT_NE(check_error("[[parameter]]\nkey = \"economy.zeta\"\nmin = 0.0\nmax = 1.0\n" + target).find("must be set in s.toml"),
            std::string::npos);
  EXPECT_NE(
      check_error(parameter + "[[target]]\nmetric = \"ginni\"\nyear = 2000\nvalue = 0.5\nsd = 0.1\n").find("records no metric 'ginni'"),
      std::string::npos);
  EXPECT_NE(check_error(parameter + "[[target]]\nmetric = \"gini\"\nyear = 1990\nvalue = 0.5\nsd = 0.1\n").find("before the run starts"),
            std::string::npos);
}

}  // namespace
}  // namespace glocal
