// The study's statistics against hand-computed values.
#include "glocal/run/study.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace glocal {
namespace {

TEST(Study, StudentQuantilesAndTheirNormalLimit) {
  EXPECT_DOUBLE_EQ(t_quantile_975(1), 12.706);
  EXPECT_DOUBLE_EQ(t_quantile_975(9), 2.262);
  EXPECT_DOUBLE_EQ(t_quantile_975(30), 2.042);
  EXPECT_NEAR(t_quantile_975(120), 1.980, 0.002);  // tables: 1.980
  EXPECT_NEAR(t_quantile_975(1000000), 1.960, 1e-3);
  EXPECT_THROW((void)t_quantile_975(0), std::invalid_argument);
}

TEST(Study, MeanAndConfidenceInterval) {
  // Values 1..5: mean 3, sd sqrt(2.5), se sqrt(0.5), t(4) = 2.776.
  const Estimate e = estimate_mean({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(e.mean, 3.0);
  EXPECT_NEAR(e.high - e.mean, 2.776 * std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(e.mean - e.low, 2.776 * std::sqrt(0.5), 1e-12);
  EXPECT_EQ(e.runs, 5U);
  const Estimate one = estimate_mean({7.0, std::nan("")});  // NaNs are skipped
  EXPECT_EQ(one.runs, 1U);
  EXPECT_DOUBLE_EQ(one.low, 7.0);
  EXPECT_DOUBLE_EQ(one.high, 7.0);
  EXPECT_TRUE(std::isnan(estimate_mean({}).mean));
}

TEST(Study, RankingBestFirstWithStableTies) {
  const std::vector<Estimate> by_regime = {{2.0, 0, 0, 1}, {3.0, 0, 0, 1}, {2.0, 0, 0, 1}};
  EXPECT_EQ(ranking(by_regime, true), (std::vector<std::size_t>{1, 0, 2}));
  EXPECT_EQ(ranking(by_regime, false), (std::vector<std::size_t>{0, 2, 1}));
}

}  // namespace
}  // namespace glocal
