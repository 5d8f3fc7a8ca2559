// The shipped real world (scenarios/world/real-1960-2010.toml, calibrated by `glocal calibrate`
// on 1960-2000) against the data, with the tolerances of its issue, stated before the runs: from
// the mean of 8 runs, the PPP 20:20 ratio within +-10 % of the data at each decade 1960-2000
// (KNOWN DEVIATION: it fails and lives in the long tier, real_world_long_test.cpp), the
// between-nation Theil within +-0.05, the regions' shares of world population within 1 point, the
// spread of growth per head 1960-2000 within +-0.3 points with at least 8 % of nations shrinking,
// and the 1990 world Gini at PPP within [0.61, 0.68]. The data's figures are computed here from
// the shipped table for the model's own units (the 145 of 1960: federations throughout, PRK left
// out), the way data/maddison/ratios.py computes them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "support/real_world.hpp"

namespace glocal {
namespace {

using testing::data_inequality;
using testing::kRuns;
using testing::world;

TEST(RealWorld, TheilBetweenNationsFollowsTheDataEachDecade) {
  for (const int year : {1960, 1970, 1980, 1990, 2000}) {
    const double model = world().metric("theil_between_ppp", year);
    const double data = data_inequality(year).second;
    std::printf("Theil T between nations %d: model %.3f, data %.3f\n", year, model, data);
    EXPECT_NEAR(model, data, 0.05) << year;
  }
}

TEST(RealWorld, RegionsHoldTheirShareOfTheWorldsPeople) {
  const CountryData& data = *world().scenario.country_data();
  const auto places = place_metric_columns(world().scenario);
  std::size_t population = 0;
  while (places[population].name != "population") ++population;
  const Places blocs = build_places(world().scenario);
  for (const int year : {1980, 2000, 2010}) {
    std::map<std::string, double> model, truth;
    double model_total = 0, truth_total = 0;
    for (const auto& run : world().runs) {
      for (const auto& record : run.places) {
        if (record.scale != Scale::bloc || static_cast<int>(record.tick) != year - 1960) continue;
        model[blocs.name(Scale::bloc, record.place)] += record.metrics[population];
        model_total += record.metrics[population];
      }
    }
    for (const auto* unit : world().units()) {
      truth[unit->region] += data.population(*unit, year);
      truth_total += data.population(*unit, year);
    }
    for (const auto& [region, people] : truth) {
      const double share = model[region] / model_total;
      EXPECT_NEAR(share, people / truth_total, 0.01) << region << " " << year;
    }
  }
}

TEST(RealWorld, GrowthPerHeadSpreadsAndSomeNationsShrink) {
  const auto places = place_metric_columns(world().scenario);
  std::size_t income = 0;
  while (places[income].name != "income_ppp") ++income;
  double spread = 0, shrinking = 0;
  for (const auto& run : world().runs) {
    std::map<std::uint32_t, double> start, end;
    for (const auto& record : run.places) {
      if (record.scale != Scale::nation) continue;
      if (record.tick == 0) start[record.place] = record.metrics[income];
      if (record.tick == 40) end[record.place] = record.metrics[income];
    }
    std::vector<double> rates;
    for (const auto& [nation, y0] : start) rates.push_back(std::log(end[nation] / y0) / 40.0);
    double mean = 0;
    for (const double g : rates) mean += g / static_cast<double>(rates.size());
    double variance = 0;
    for (const double g : rates) variance += (g - mean) * (g - mean) / static_cast<double>(rates.size());
    spread += std::sqrt(variance) / kRuns;
    shrinking += static_cast<double>(std::count_if(rates.begin(), rates.end(), [](double g) { return g < 0.0; })) /
                 static_cast<double>(rates.size()) / kRuns;
  }
  std::printf("growth per head 1960-2000: spread %.4f (data 0.0184), shrinking %.3f (data 0.131)\n", spread, shrinking);
  EXPECT_NEAR(spread, 0.0184, 0.003);
  EXPECT_GE(shrinking, 0.08);
}

TEST(RealWorld, TheWorldGiniOf1990IsMilanovics) {
  const double gini = world().metric("gini_ppp", 1990);
  std::printf("world Gini at PPP 1990: %.3f (Milanovic 0.63-0.66)\n", gini);
  EXPECT_GE(gini, 0.61);
  EXPECT_LE(gini, 0.68);
}

}  // namespace
}  // namespace glocal
