#pragma once
// The creolization world of tests/validation/creolization_test.cpp and its long-tier twin
// (real_world_long_test.cpp's neighbour, long_test.cpp): scenarios/examples/glocal-culture.toml's
// world, 4 runs, the 2030 means of the hybrid metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "glocal/run/simulation.hpp"

namespace glocal::testing {

inline constexpr const char* kCreolizationWorld = R"(
[run]
seed = 1960
replicates = 4
stop = "ticks"
ticks = 70
record_every = 10
start_year = 1960
[world]
blocs = 2
nations_per_bloc = 3
localities_per_nation = 2
[world.lattice]
side = 15
boundary = "periodic"
[culture]
features = 6
traits = 12
rate = 100
prototype = "nation"
similarity = 0.6
heritage = 0.002
reach.locality = 0.05
reach.nation = 0.02
)";

struct Outcome {
  double hybrid_share = 0;
  double hybrid_size = 0;
  double novel_cultures = 0;
};

inline Outcome creolization_run(const std::string& extra) {
  const Scenario scenario = Scenario::parse(std::string(kCreolizationWorld) + extra, "creolization.toml");
  BatchOptions options;
  options.threads = 2;
  const std::vector<RunResult> runs = run_batch(scenario, 4, options);
  Outcome mean;
  for (const auto& r : runs) {
    EXPECT_EQ(r.status, RunStatus::ok) << r.error;
    const auto& last = r.series.back().metrics;
    mean.hybrid_share += last[metric_index(scenario, "hybrid_share")] / 4.0;
    const double size = last[metric_index(scenario, "hybrid_size")];
    mean.hybrid_size += (std::isnan(size) ? 0.0 : size) / 4.0;  // a run without hybrids: none shared
    mean.novel_cultures += last[metric_index(scenario, "novel_cultures")] / 4.0;
  }
  return mean;
}

/// World media (0.001) and a world reach rising to 0.1 by 2000.
inline const std::string kGlobalContact =
    "media.kind = \"world\"\nmedia.strength = 0.001\n[[schedule]]\nkey = \"culture.reach.world\"\npoints = [[1960, 0.0], [2000, 0.1]]\n";

}  // namespace glocal::testing
