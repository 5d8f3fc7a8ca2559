// The shipped real world's between-nation inequality against the data, as its issue states it,
// before the runs: from the mean of 8 runs, the PPP 20:20 ratio within +-10 % of the data at each
// decade 1960-2000, and the between-nation Theil T within +-0.05.
// KNOWN DEVIATIONS (docs/model/real-world.md, "Known deviations"): the calibration fits its 12
// histories on shared streams (ratio 14.5, 16.5, 16.6, 18.4 in 1970-2000; Theil 0.529, 0.546 in
// 1980, 2000), but these moments vary so much from history to history that the fit does not carry
// over to independent runs: over 32 of them the 2000 ratio has a mean of 19.7 and a median of
// 12.9 (from 9.3 at the 10th percentile to 109.9), the Theil a mean of 0.495. On the 8 runs here
// the ratio is -8 %, -20 %, -15 %, -6 % off in 1970-2000 and the Theil 0.086 low in 2000.
#include <gtest/gtest.h>

#include "support/real_world.hpp"

namespace glocal {
namespace {

using testing::data_inequality;
using testing::world;

TEST(RealWorld, ThePppRatioFollowsTheDataEachDecade) {
  for (const int year : {1960, 1970, 1980, 1990, 2000}) {
    const double model = world().metric("country_ratio_ppp", year);
    const double data = data_inequality(year).first;
    std::printf("PPP 20:20 ratio %d: model %.2f, data %.2f (%+.1f %%)\n", year, model, data, 100.0 * (model / data - 1.0));
    EXPECT_NEAR(model / data, 1.0, 0.10) << year;
  }
}

TEST(RealWorld, TheilBetweenNationsFollowsTheDataEachDecade) {
  for (const int year : {1960, 1970, 1980, 1990, 2000}) {
    const double model = world().metric("theil_between_ppp", year);
    const double data = data_inequality(year).second;
    std::printf("Theil T between nations %d: model %.3f, data %.3f\n", year, model, data);
    EXPECT_NEAR(model, data, 0.05) << year;
  }
}

}  // namespace
}  // namespace glocal
