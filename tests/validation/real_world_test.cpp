// The shipped real world (scenarios/world/real-1960-2010.toml, calibrated by `glocal calibrate`
// on 1960-2000) against the data, with the tolerances of its issue, stated before the runs: from
// the mean of 8 runs, the PPP 20:20 ratio within +-10 % of the data at each decade 1960-2000
// (KNOWN DEVIATION: it fails and lives in the long tier, real_world_long_test.cpp), the
// between-nation Theil within +-0.05, the regions' shares of world population within 1 point, the
// spread of growth per head 1960-2000 within +-0.3 points with at least 8 % of nations shrinking,
// and the 1990 world Gini at PPP within [0.61, 0.68]. Jobs from demand (the issue on the essay's
// claims): the scenario sets no share of jobs, and underemployment at each of 1990, 1995 and 2000
// lies in [0.25, 0.40]; across nations it falls with income per head (1990, Spearman's rank
// correlation of the 8 runs' mean per nation at most -0.7: Gollin, Parente & Rogerson's share in
// subsistence, gamma / (u a), falls with a). Adjustment triggered by stress (the same issue): pooled
// over the 8 runs, the yearly hazard of a southern nation's first lender's program is at least
// twice as high in 1981-1989 (after the rate shock) as in 1965-1978; by 1990 at least 30 % of the
// nations of Latin America and of Sub-Saharan Africa have entered one; no nation of group north
// ever does (by construction: it borrows in its own currency). Its effect on incomes is stated and
// tested in real_world_long_test.cpp (a known deviation). The data's figures are computed here from
// the shipped table for the model's own units (the 145 of 1960: federations throughout, PRK left
// out), the way data/maddison/ratios.py computes them.
//
// What two growth mechanisms do in the coupled world (docs/model/growth.md), stated 2026-12-07
// before the runs of the world calibrated with them, on shared streams:
// - Openness over time: absorption scales with the world's trade over output (0.25 in 1960-70 to
//   0.57 in 2010, World Bank). Against the same world with openness held at its 1960 value (8 runs),
//   the between-nation Theil of 2010 is at least 0.02 lower and the world's mean income per head
//   at least 2 % higher.
// - Capacity renewed with the cohorts (economy.capacity_renewal 0.025): a disaster lowers a
//   nation's capacity only as its people renew. Against capacity = relative technology at once
//   (renewal 1, 16 runs), the PPP 20:20 ratio of 2000 is at least 5 % lower on average and its
//   largest value over the runs is lower (the tail of collapsed large nations). On the world
//   calibrated without the stock the same comparison gave 17.0 against 20.1 (32 runs): the
//   direction was seen before, the size on this world was not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "support/real_world.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

using testing::data_inequality;
using testing::kRuns;
using testing::place_metric_index;
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
  const std::size_t population = place_metric_index(world().scenario, "population");
  const Places blocs = world_spec(world().scenario).places();
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
  const std::size_t income = place_metric_index(world().scenario, "income_ppp");
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

/// Per run, each nation's first year in a lender's program (absent: never), from places.csv's rows.
std::vector<std::map<std::uint32_t, int>> first_programs(const std::vector<RunResult>& runs, const Scenario& scenario) {
  const std::size_t program = place_metric_index(scenario, "program");
  std::vector<std::map<std::uint32_t, int>> out;
  for (const auto& run : runs) {
    auto& first = out.emplace_back();
    for (const auto& record : run.places) {
      if (record.scale != Scale::nation || record.metrics[program] <= 0.0 || first.count(record.place) != 0) continue;
      first[record.place] = 1960 + static_cast<int>(record.tick);
    }
  }
  return out;
}

TEST(RealWorld, TheRateShockOf1981TriggersTheLendersPrograms) {
  const auto firsts = first_programs(world().runs, world().scenario);
  const Places places = world_spec(world().scenario).places();
  const auto units = world().units();
  // The hazard: first programs in a period over the nation-years at risk (South, not yet in one).
  const auto hazard = [&](int from, int to) {
    double entries = 0, at_risk = 0;
    for (const auto& first : firsts) {
      for (std::uint32_t n = 0; n < places.count(Scale::nation); ++n) {
        if (places.nation_group(n) == NationGroup::north) continue;
        const auto found = first.find(n);
        const int year = found == first.end() ? 9999 : found->second;
        if (year < from) continue;
        at_risk += std::min(year, to + 1) - from;
        entries += year <= to ? 1 : 0;
      }
    }
    return entries / at_risk;
  };
  const double before = hazard(1965, 1978), after = hazard(1981, 1989);
  std::printf("first programs a year among the South's nations at risk: 1965-78 %.4f, 1981-89 %.4f\n", before, after);
  EXPECT_GE(after, 2.0 * before);
  std::map<std::string, std::pair<double, double>> regions;  // nations entered by 1990, nations
  for (const auto& first : firsts) {
    for (std::uint32_t n = 0; n < places.count(Scale::nation); ++n) {
      auto& [entered, all] = regions[units[n]->region];
      all += 1;
      const auto found = first.find(n);
      if (found != first.end() && found->second <= 1990) entered += 1;
      if (places.nation_group(n) == NationGroup::north) {
        EXPECT_TRUE(found == first.end()) << units[n]->code;
      }
    }
  }
  for (const auto& [region, counts] : regions) std::printf("  %s: %.2f entered by 1990\n", region.c_str(), counts.first / counts.second);
  EXPECT_GE(regions["Latin America"].first / regions["Latin America"].second, 0.3);
  EXPECT_GE(regions["Sub Saharan Africa"].first / regions["Sub Saharan Africa"].second, 0.3);
}

TEST(RealWorld, UnderemploymentInThe1990sIsAnOutcomeNearTheIlosThird) {
  EXPECT_EQ(world().scenario.text("economy.jobs"), "demand");
  EXPECT_FALSE(world().scenario.is_set("economy.local_jobs"));
  for (const int year : {1990, 1995, 2000}) {
    const double share = world().metric("underemployment", year);
    std::printf("underemployment %d: %.3f (ILO: about 0.30, the essay: one third)\n", year, share);
    EXPECT_GE(share, 0.25) << year;
    EXPECT_LE(share, 0.40) << year;
  }
}

TEST(RealWorld, PoorerNationsAreMoreUnderemployed) {
  const std::size_t income = place_metric_index(world().scenario, "income_ppp");
  const std::size_t underemployment = place_metric_index(world().scenario, "underemployment");
  std::map<std::uint32_t, std::pair<double, double>> nations;  // mean income, mean underemployment
  for (const auto& run : world().runs) {
    for (const auto& record : run.places) {
      if (record.scale != Scale::nation || record.tick != 30) continue;
      nations[record.place].first += record.metrics[income] / kRuns;
      nations[record.place].second += record.metrics[underemployment] / kRuns;
    }
  }
  std::vector<double> x, y;
  for (const auto& [nation, values] : nations) {
    x.push_back(values.first);
    y.push_back(values.second);
  }
  const double rho = testing::spearman(x, y);
  std::printf("1990, %zu nations: Spearman correlation of income per head and underemployment %.3f\n", x.size(), rho);
  EXPECT_LE(rho, -0.7);
}

/// The shipped scenario with economy.openness's schedule replaced by its first point, held.
Scenario with_openness_held() {
  const Scenario& shipped = world().scenario;
  std::string text = shipped.source_text();
  const std::size_t key = text.find("key = \"economy.openness\"");
  const std::size_t points = text.find("points = [[", key);
  const std::size_t first = text.find(']', points) + 1;
  const std::size_t end = text.find('\n', points);
  if (key == std::string::npos || points == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("the shipped scenario schedules no economy.openness");
  }
  text.replace(points, end - points, text.substr(points, first - points) + "]");
  return Scenario::parse(text, shipped.source_name());
}

TEST(RealWorld, OpeningTheWorldNarrowsTheGapBetweenNations) {
  const Scenario held = with_openness_held();
  EXPECT_EQ(held.schedules().size(), world().scenario.schedules().size());
  const auto open = testing::shared_runs(world().scenario, kRuns);
  const auto closed = testing::shared_runs(held, kRuns);
  const double theil_open = testing::mean(testing::metric_by_run(world().scenario, open, "theil_between_ppp", 2010));
  const double theil_closed = testing::mean(testing::metric_by_run(held, closed, "theil_between_ppp", 2010));
  const double income_open = testing::mean(testing::metric_by_run(world().scenario, open, "mean_income", 2010));
  const double income_closed = testing::mean(testing::metric_by_run(held, closed, "mean_income", 2010));
  std::printf(
      "2010, the data's openness against openness held at 1960's: Theil between %.3f against %.3f, mean income %.3f against %.3f (%+.1f "
      "%%)\n",
      theil_open, theil_closed, income_open, income_closed, 100.0 * (income_open / income_closed - 1.0));
  EXPECT_LE(theil_open, theil_closed - 0.02);
  EXPECT_GE(income_open, 1.02 * income_closed);
}

TEST(RealWorld, CapacityRenewedWithTheCohortsTamesTheCollapsesOfLargeNations) {
  ASSERT_LT(world().scenario.real("economy.capacity_renewal"), 1.0);
  constexpr std::uint64_t kPairs = 16;
  const auto lagged = testing::metric_by_run(world().scenario, testing::shared_runs(world().scenario, kPairs), "country_ratio_ppp", 2000);
  const auto at_once = testing::metric_by_run(
      world().scenario, testing::shared_runs(world().scenario, kPairs, {"economy.capacity_renewal=1"}), "country_ratio_ppp", 2000);
  const double largest_lagged = *std::max_element(lagged.begin(), lagged.end());
  const double largest_at_once = *std::max_element(at_once.begin(), at_once.end());
  std::printf("PPP 20:20 ratio 2000, %llu runs: mean %.2f with the stock against %.2f at once; largest %.2f against %.2f\n",
              static_cast<unsigned long long>(kPairs), testing::mean(lagged), testing::mean(at_once), largest_lagged, largest_at_once);
  EXPECT_LE(testing::mean(lagged), 0.95 * testing::mean(at_once));
  EXPECT_LT(largest_lagged, largest_at_once);
}

TEST(RealWorld, TransfersToThePoorLowerTheDemandForJobs) {
  // Stated before the run (8 shared runs each): a local flat income tax of 39 % with equal
  // transfers (economy.redistribute = "income", chi_local = 0.5 from 1960; each nation is one
  // locality) moves income from the employed, who spend above subsistence, to the underemployed of
  // poor nations, who buy little beyond subsistence. Formal spending is convex in income, so the
  // demand for jobs falls (Jensen) and the world's underemployment in 1990 is higher than untaxed,
  // by about one point expected (a rough estimate from the poorest nations' agents below the kink);
  // the criterion: at least 0.3 points higher.
  constexpr std::uint64_t kPairs = 8;
  const Scenario& shipped = world().scenario;
  ASSERT_EQ(shipped.text("economy.jobs"), "demand");
  const auto untaxed =
      testing::metric_by_run(shipped, testing::shared_runs(shipped, kPairs, {"economy.redistribute=income"}), "underemployment", 1990);
  const auto taxed = testing::metric_by_run(
      shipped, testing::shared_runs(shipped, kPairs, {"economy.redistribute=income", "economy.chi_local=0.5"}), "underemployment", 1990);
  std::printf("underemployment 1990, %llu runs: %.4f with a local tax of 39 %% and equal transfers against %.4f untaxed\n",
              static_cast<unsigned long long>(kPairs), testing::mean(taxed), testing::mean(untaxed));
  EXPECT_GE(testing::mean(taxed), testing::mean(untaxed) + 0.003);
}

TEST(RealWorld, MedianVotersTaxMoreWherePeopleArePoorer) {
  // Each nation (one locality) sets its income tax by its median voter (economy.local_rule =
  // "median_voter", deadweight delta = 1: t = 1 - median / mean; Meltzer & Richard 1981) from 1960,
  // against the same world without local taxes, 8 shared runs each. Criteria stated before these
  // runs, after one exploratory run of 4 (2010: mean local tax 0.193, world Gini 0.596,
  // underemployment 0.226), in 1990:
  //  1. the world's mean local tax is interior: between 0.05 and 0.5;
  //  2. the poorest fifth of nations (by income per head, 29 of 145) tax more than the richest
  //     fifth, in the mean over runs: their median voter is underemployed, the rich nations' is
  //     employed and differs from the mean only by the spread of earnings;
  //  3. the within-nation Theil falls by at least a fifth;
  //  4. underemployment rises by at least 0.3 points (transfers toward the poor lower the demand
  //     for jobs, as in TransfersToThePoorLowerTheDemandForJobs, and the deadweight loss removes
  //     spending).
  // First run (2026-12-08): tax 0.1969; poorest fifth 0.1787 against richest 0.1784 (criterion 2
  // met by a margin that is no difference: where nearly everyone is underemployed, incomes again
  // differ only by the spread of earnings, so the median-to-mean ratio is alike in rich and poor
  // nations; kept as stated, docs/model/economy.md); within Theil 0.1454 against 0.2111;
  // underemployment 0.3375 against 0.2965.
  constexpr std::uint64_t kPairs = 8;
  const Scenario& shipped = world().scenario;
  Scenario voting_scenario = shipped;
  voting_scenario.set_all({"economy.redistribute=income", "economy.local_rule=median_voter", "economy.deadweight=1"});
  const auto untaxed = testing::shared_runs(shipped, kPairs, {"economy.redistribute=income"});
  const auto voting = testing::shared_runs(
      shipped, kPairs,
      {"economy.redistribute=income", "economy.local_rule=median_voter", "economy.deadweight=1", "run.record_places=nation"});
  const double tax = testing::mean(testing::metric_by_run(shipped, voting, "local_tax", 1990));
  const std::size_t income_column = testing::place_metric_index(voting_scenario, "income_ppp");
  const std::size_t tax_column = testing::place_metric_index(voting_scenario, "local_tax");
  double poorest = 0, richest = 0;
  for (const auto& run : voting) {
    std::vector<std::pair<double, double>> nations;  // income per head, local tax
    for (const auto& record : run.places) {
      if (record.tick == 1990 - 1960 && record.scale == Scale::nation) {
        nations.emplace_back(record.metrics[income_column], record.metrics[tax_column]);
      }
    }
    ASSERT_EQ(nations.size(), 145U);
    std::sort(nations.begin(), nations.end());
    for (std::size_t k = 0; k < 29; ++k) {
      poorest += nations[k].second / (29.0 * kPairs);
      richest += nations[nations.size() - 1 - k].second / (29.0 * kPairs);
    }
  }
  const auto in_1990 = [&](const std::vector<RunResult>& runs, const char* metric) {
    return testing::mean(testing::metric_by_run(shipped, runs, metric, 1990));
  };
  std::printf(
      "median voters, 1990, %llu runs: mean local tax %.4f (poorest fifth of nations %.4f, richest %.4f); within-nation Theil %.4f "
      "against %.4f untaxed; underemployment %.4f against %.4f; world Gini %.4f against %.4f\n",
      static_cast<unsigned long long>(kPairs), tax, poorest, richest, in_1990(voting, "theil_within_ppp"),
      in_1990(untaxed, "theil_within_ppp"), in_1990(voting, "underemployment"), in_1990(untaxed, "underemployment"),
      in_1990(voting, "gini_ppp"), in_1990(untaxed, "gini_ppp"));
  EXPECT_GT(tax, 0.05);
  EXPECT_LT(tax, 0.5);
  EXPECT_GT(poorest, richest);
  EXPECT_LE(in_1990(voting, "theil_within_ppp"), 0.8 * in_1990(untaxed, "theil_within_ppp"));
  EXPECT_GE(in_1990(voting, "underemployment"), in_1990(untaxed, "underemployment") + 0.003);
}

}  // namespace
}  // namespace glocal
