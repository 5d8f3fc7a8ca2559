// The shipped real world's PPP 20:20 ratio against the data, as its issue states it, before the
// runs: from the mean of 8 runs, within +-10 % of the data at each decade 1960-2000.
// KNOWN DEVIATION (docs/model/real-world.md, "Known deviations"): the calibration fits its 12
// histories on shared streams (14.7, 15.7, 16.3, 17.0 in 1970-2000), but the ratio varies so much
// from history to history, with a right tail, that the fit does not carry over to the mean of
// independent runs: over 32 of them 14.9, 16.2, 17.7, 20.4 (medians 13.6, 14.3, 14.8, 16.9), and
// on the 8 runs here +15 %, +10 %, +22 %, +35 %. The between-nation Theil, which weighs every
// nation by its income share rather than the poorest fifth alone, carries over and passes in the
// fast tier.
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

}  // namespace
}  // namespace glocal
