#pragma once
// Whether two batches recorded the same runs, bit for bit (a metric may be NaN, e.g. global_share
// without media, so values are compared as bytes).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "glocal/run/simulation.hpp"

namespace glocal::testing {

/// The first `count` runs of `a` and `b` are the same runs (point key and replicate) with the same
/// ticks and recorded metrics.
inline void expect_same(const std::vector<RunResult>& a, const std::vector<RunResult>& b, std::size_t count) {
  ASSERT_GE(a.size(), count);
  ASSERT_GE(b.size(), count);
  for (std::size_t r = 0; r < count; ++r) {
    EXPECT_EQ(a[r].point_key, b[r].point_key);
    EXPECT_EQ(a[r].replicate, b[r].replicate);
    EXPECT_EQ(a[r].ticks, b[r].ticks);
    ASSERT_EQ(a[r].series.size(), b[r].series.size()) << "run " << r;
    for (std::size_t k = 0; k < a[r].series.size(); ++k) {
      EXPECT_EQ(a[r].series[k].tick, b[r].series[k].tick);
      // Bit for bit (a metric may be NaN, e.g. global_share without media).
      ASSERT_EQ(a[r].series[k].metrics.size(), b[r].series[k].metrics.size());
      EXPECT_EQ(std::memcmp(a[r].series[k].metrics.data(), b[r].series[k].metrics.data(), a[r].series[k].metrics.size() * sizeof(double)),
                0)
          << "run " << r << " record " << k;
    }
  }
}

}  // namespace glocal::testing
