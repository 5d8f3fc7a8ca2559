// The three roads as futures of the real world (scenarios/world/roads/, written by
// scripts/regimes.py): each is the calibrated real world to 2000 with culture, ecology, movements,
// tax competition and transnational firms added so that none of them reaches anything the
// calibrated world records before 2000. Stated before the run: on shared streams, for every road,
// every metric the calibrated world records is bitwise equal to its value in the calibrated world,
// run for run, at every record from 1960 to 2000 (the state at the start of 2000); in 2005 each
// road's underemployment and Gini differ from the calibrated world's in every run (the firms and
// the roads' levers act from 2000). 2 runs each at 3,000 agents, to 2005.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "glocal/run/simulation.hpp"

namespace glocal {
namespace {

std::vector<RunResult> runs_of(const std::string& file) {
  Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/world/" + file);
  scenario.set_all({"run.streams=shared", "run.ticks=45", "world.agents=3000", "run.record_every=5"});
  BatchOptions options;
  options.threads = 2;
  std::vector<RunResult> runs = run_batch(scenario, 2, options);
  for (const auto& run : runs) EXPECT_EQ(run.status, RunStatus::ok) << file << ": " << run.error;
  return runs;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

TEST(RealRoads, EveryRoadSharesTheCalibratedHistoryRunForRun) {
  const Scenario calibrated = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/world/real-1960-2010.toml");
  const std::vector<RunResult> history = runs_of("real-1960-2010.toml");
  const std::vector<MetricSpec> columns = metric_columns(calibrated);
  for (const char* road : {"continuation", "hyperglobalization", "localization", "glocalization"}) {
    const std::string file = std::string("roads/") + road + ".toml";
    const Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/world/" + file);
    const std::vector<RunResult> runs = runs_of(file);
    ASSERT_EQ(runs.size(), history.size());
    std::size_t compared = 0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      ASSERT_EQ(runs[r].series.size(), history[r].series.size()) << road;
      for (std::size_t k = 0; k < runs[r].series.size(); ++k) {
        const TickRecord& mine = runs[r].series[k];
        const TickRecord& theirs = history[r].series[k];
        ASSERT_EQ(mine.tick, theirs.tick);
        const std::uint64_t year = 1960 + mine.tick;
        for (std::size_t c = 0; c < columns.size(); ++c) {
          const double value = mine.metrics[metric_index(scenario, columns[c].name)];
          if (year <= 2000) {
            ++compared;
            EXPECT_TRUE(same(value, theirs.metrics[c]))
                << road << " run " << r << " " << year << " " << columns[c].name << ": " << value << " vs " << theirs.metrics[c];
          }
        }
        if (year == 2005) {
          for (const char* metric : {"underemployment", "gini"}) {
            EXPECT_FALSE(same(mine.metrics[metric_index(scenario, metric)], theirs.metrics[metric_index(calibrated, metric)]))
                << road << " run " << r << ": " << metric << " in 2005 is the calibrated world's";
          }
        }
      }
    }
    EXPECT_GT(compared, 2U * 9U * 40U) << road;  // 2 runs x 9 records (1960-2000) x every recorded metric
  }
}

}  // namespace
}  // namespace glocal
