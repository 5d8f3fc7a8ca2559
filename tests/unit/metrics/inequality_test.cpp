#include "glocal/metrics/inequality.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace glocal {
namespace {

TEST(Inequality, GiniOfHandMadePopulations) {
  EXPECT_DOUBLE_EQ(gini(std::vector<double>{5, 5, 5, 5}), 0.0);
  // One person holds everything: (n - 1) / n.
  EXPECT_DOUBLE_EQ(gini(std::vector<double>{0, 0, 0, 10}), 0.75);
  // {1, 2, 3, 4}: mean absolute difference 1.25 over all ordered pairs, mean 2.5: 1.25 / 5 = 0.25.
  EXPECT_DOUBLE_EQ(gini(std::vector<double>{4, 1, 3, 2}), 0.25);
  EXPECT_TRUE(std::isnan(gini(std::vector<double>{})));
  EXPECT_TRUE(std::isnan(gini(std::vector<double>{0, 0})));
}

TEST(Inequality, GiniOfContinuousLawsFromTheirQuantiles) {
  // Deterministic samples at the midpoints of n quantile bins: exponential (Gini 1/2, the
  // Dragulescu-Yakovenko law) and uniform on [0, 1] (Gini 1/3), to within 1e-4 at n = 10^5.
  const int n = 100000;
  std::vector<double> exponential;
  std::vector<double> uniform;
  for (int i = 0; i < n; ++i) {
    const double u = (i + 0.5) / n;
    exponential.push_back(-std::log(1.0 - u));
    uniform.push_back(u);
  }
  EXPECT_NEAR(gini(exponential), 0.5, 1e-4);
  EXPECT_NEAR(gini(uniform), 1.0 / 3.0, 1e-4);
}

TEST(Inequality, SharesCountTheBoundaryPersonInPart) {
  const std::vector<double> x = {1, 2, 3, 4, 10};  // total 20
  EXPECT_DOUBLE_EQ(share_of_lowest(x, 0.2), 1.0 / 20);
  EXPECT_DOUBLE_EQ(share_of_highest(x, 0.2), 10.0 / 20);
  EXPECT_DOUBLE_EQ(quintile_ratio(x), 10.0);
  // 30 % of 5 people is 1.5 people: the poorest and half of the second: (1 + 0.5 x 2) / 20.
  EXPECT_DOUBLE_EQ(share_of_lowest(x, 0.3), 2.0 / 20);
  // Top 1 % of 5 people: 5 % of the richest person.
  EXPECT_DOUBLE_EQ(share_of_highest(x, 0.01), 0.05 * 10 / 20);
}

TEST(Inequality, CountryRatioSplitsTheBoundaryCountryByPopulation) {
  // Population 100: A (30 people, 1 per head), B (40, 5), C (30, 20). Poorest 20 %: 20 people of
  // A, mean 1. Richest 20 %: 20 people of C, mean 20. Ratio 20. Order of listing does not matter.
  EXPECT_DOUBLE_EQ(country_ratio(std::vector<CountryIncome>{{40, 5}, {30, 20}, {30, 1}}), 20.0);
  // Poorest fifth spans two countries: A (10 people, 1), B (40, 4), C (50, 10): the poorest 20 are
  // 10 of A and 10 of B, mean 2.5; the richest 20 are all in C: ratio 4.
  EXPECT_DOUBLE_EQ(country_ratio(std::vector<CountryIncome>{{10, 1}, {40, 4}, {50, 10}}), 4.0);
}

TEST(Inequality, TheilDecomposesIntoBetweenAndWithin) {
  // Two groups: {1, 3} and {4, 4, 8}. Total, within and between from the definitions.
  const std::vector<double> x = {1, 3, 4, 4, 8};
  const std::vector<std::uint32_t> g = {0, 0, 1, 1, 1};
  const TheilIndex t = theil(x, g, 2);
  const double mu = 4.0;
  double total = 0;
  for (const double v : x) total += v / mu * std::log(v / mu);
  total /= 5;
  EXPECT_NEAR(t.total, total, 1e-12);
  EXPECT_NEAR(t.within + t.between, t.total, 1e-12);
  // between: shares 4/20 and 16/20, group means 2 and 16/3.
  EXPECT_NEAR(t.between, 0.2 * std::log(2.0 / mu) + 0.8 * std::log((16.0 / 3.0) / mu), 1e-12);
  // Equal groups: all inequality is within.
  const TheilIndex same = theil(std::vector<double>{1, 3, 1, 3}, std::vector<std::uint32_t>{0, 0, 1, 1}, 2);
  EXPECT_NEAR(same.between, 0.0, 1e-12);
  EXPECT_NEAR(same.within, same.total, 1e-12);
  EXPECT_TRUE(std::isnan(theil(std::vector<double>{-1, 2}, std::vector<std::uint32_t>{0, 0}, 1).total));
}

TEST(Inequality, HillRecoversTheExponentOfAParetoLaw) {
  // Quantile sample of a Pareto law with nu = 1.5, P(X > x) = x^-1.5: the estimate from the top
  // 1,000 of 10^5 is within 2 % (deterministic sample, so only the estimator's bias counts).
  std::vector<double> x;
  for (int i = 0; i < 100000; ++i) x.push_back(std::pow(1.0 - (i + 0.5) / 100000.0, -1.0 / 1.5));
  EXPECT_NEAR(hill_tail_index(x, 1000), 1.5, 0.03);
  EXPECT_TRUE(std::isnan(hill_tail_index(std::vector<double>{1, 2}, 5)));
}

TEST(Inequality, PovertyIsTheShareBelowAFractionOfTheMedian) {
  // Median 4 (even count: mean of 3 and 5); half of it is 2: only the value 1 is below.
  EXPECT_DOUBLE_EQ(poverty_rate(std::vector<double>{1, 2, 3, 5, 8, 9}, 0.5), 1.0 / 6);
  EXPECT_DOUBLE_EQ(poverty_rate(std::vector<double>{1, 2, 3, 5, 8, 9}, 1.0), 0.5);
}

}  // namespace
}  // namespace glocal
