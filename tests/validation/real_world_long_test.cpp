// The shipped real world's PPP 20:20 ratio against the data, as its issue states it, before the
// runs: from the mean of 8 runs, within +-10 % of the data at each decade 1960-2000.
// KNOWN DEVIATION (docs/model/real-world.md, "Known deviations"). With openness over time and
// capacity renewed with the cohorts (2026-12-07) the calibration's 16 shared histories give 14.7,
// 15.7, 16.8, 17.4 in 1970-2000; 32 independent runs -5 %, -12 %, +3 %, +7 %; the 8 runs here -6.8 %,
// -16.3 %, -2.3 %, +2.3 % (1980 fails: the data's jump of the 1970s). Before them the 8 runs here gave
// +1.4 %, -0.3 %, +9.9 %, +16.4 % (2000 failed: the right tail of collapsed large nations), and with a
// fixed share of jobs +15 %, +10 %, +22 %, +35 %. The between-nation Theil, which weighs every nation
// by its income share rather than the poorest fifth alone, carries over and passes in the fast tier.
//
// The cost of a lender's program (the issue on the essay's claims), stated before the runs: with
// shared streams against the same world without the trigger (governance.debt_threshold = 0, the
// loans going on), the nations in a program in 1990 have an income per head at least 2 % lower
// (mean of log ratios over nations and runs, 8 runs). KNOWN DEVIATION (docs/model/governance.md):
// -1.70 % (575 nation-runs; -1.67 % before openness over time), with underemployment +2.6 points: the program cuts formal spending by
// the lost loans and the interest (about 2.5 % of income), which costs jobs, but an underemployed
// agent keeps u = 0.66 of a job's income in the calibrated world, so the jobs lost cost little
// income. First run: -100 %, because a nation whose interest exceeded its income kept nothing; the
// service cap (economy.service_cap) was added after it, and the criterion was kept.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

#include "support/real_world.hpp"

namespace glocal {
namespace {

using testing::data_inequality;
using testing::kRuns;
using testing::world;

TEST(RealWorld, ThePppRatioFollowsTheDataEachDecade) {
  for (const int year : {1960, 1970, 1980, 1990, 2000}) {
    const double model = world().metric("country_ratio_ppp", year);
    const double data = data_inequality(year).first;
    std::printf("PPP 20:20 ratio %d: model %.2f, data %.2f (%+.1f %%)\n", year, model, data, 100.0 * (model / data - 1.0));
    EXPECT_NEAR(model / data, 1.0, 0.10) << year;
  }
}

TEST(RealWorld, ALendersProgramCostsItsNationIncome) {
  const auto runs = [](const char* threshold) {
    Scenario scenario = world().scenario;
    scenario.set_all({"run.streams=shared", std::string("governance.debt_threshold=") + threshold});
    auto results = testing::checked_batch(scenario, kRuns);
    return std::pair{scenario, std::move(results)};
  };
  const auto [with, triggered] = runs(std::to_string(world().scenario.real("governance.debt_threshold")).c_str());
  const auto [without, untriggered] = runs("0");
  const std::size_t income = testing::place_metric_index(with, "income_ppp");
  const std::size_t program = testing::place_metric_index(with, "program");
  const std::size_t underemployment = testing::place_metric_index(with, "underemployment");
  double log_ratio = 0, more_underemployed = 0, count = 0;
  for (std::size_t r = 0; r < triggered.size(); ++r) {
    std::map<std::uint32_t, const PlaceRecord*> other;
    for (const auto& record : untriggered[r].places) {
      if (record.scale == Scale::nation && record.tick == 30) other[record.place] = &record;
    }
    for (const auto& record : triggered[r].places) {
      if (record.scale != Scale::nation || record.tick != 30 || record.metrics[program] <= 0.0) continue;
      log_ratio += std::log(record.metrics[income] / other[record.place]->metrics[income]);
      more_underemployed += record.metrics[underemployment] - other[record.place]->metrics[underemployment];
      count += 1;
    }
  }
  ASSERT_GT(count, 0.0);
  std::printf("1990, %.0f nation-runs in a program: income per head %+.2f %%, underemployment %+.3f against no trigger\n", count,
              100.0 * (std::exp(log_ratio / count) - 1.0), more_underemployed / count);
  EXPECT_LE(log_ratio / count, std::log(0.98));
}

}  // namespace
}  // namespace glocal
