// Same scenario + seed => identical results, whatever the thread count or the number of other
// runs in the invocation (MODEL.md section 5). Checked in-process on every metric of every
// recorded tick, and through the CLI on the bytes of outcomes.csv and model.csv.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>

#include "glocal/run/simulation.hpp"
#include "support/command.hpp"
#include "support/same_runs.hpp"

namespace glocal {
namespace {

Scenario small_scenario() {
  return Scenario::parse(
      "[run]\nseed = 77\nstop = \"absorbing\"\nticks = 100000\nrecord_every = 50\n"
      "[world.lattice]\nside = 12\nboundary = \"periodic\"\n[culture]\nfeatures = 5\ntraits = 12\n",
      "determinism.toml");
}

/// `runs` replicates on 1 and on 2 threads agree bit for bit.
void expect_thread_independent(const Scenario& s, std::uint64_t runs) {
  BatchOptions one;
  one.threads = 1;
  BatchOptions two;
  two.threads = 2;
  testing::expect_same(run_batch(s, runs, one), run_batch(s, runs, two), runs);
}

TEST(Determinism, ThreadCountDoesNotChangeAnyRecordedValue) { expect_thread_independent(small_scenario(), 6); }

TEST(Determinism, ARunDoesNotDependOnHowManyOtherRunsThereAre) {
  const Scenario s = small_scenario();
  BatchOptions options;
  options.threads = 2;
  testing::expect_same(run_batch(s, 3, options), run_batch(s, 7, options), 3);
}

TEST(Determinism, SchedulesAreAppliedAtTickStartsAndDoNotDependOnThreads) {
  // Drift switched on at tick 101 (time 100) and a locality reach fading out: runs with 1 and 2
  // threads agree bit for bit at every recorded tick.
  const Scenario s = Scenario::parse(
      "[run]\nseed = 5\nticks = 200\nrecord_every = 50\n[world.lattice]\nside = 12\nboundary = \"periodic\"\n"
      "[culture]\n[[schedule]]\nkey = \"culture.drift\"\nmode = \"step\"\npoints = [[0, 0.0], [100, 0.01]]\n"
      "[[schedule]]\nkey = \"culture.reach.locality\"\npoints = [[0, 0.2], [200, 0.0]]\n",
      "schedule.toml");
  expect_thread_independent(s, 3);
}

TEST(Determinism, TheCoupledEconomyDoesNotDependOnThreads) {
  // Culture and the economy with production, firms on the move (openness rising on a schedule),
  // adapting products and the market field, and the AWM across places: 1 and 2 threads agree bit
  // for bit, places included.
  Scenario s = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/examples/firms-and-culture.toml");
  s.set_all({"run.ticks=12", "run.record_every=3"});
  expect_thread_independent(s, 3);
}

TEST(Determinism, DifferentSeedsGiveDifferentRuns) {
  Scenario s = small_scenario();
  BatchOptions options;
  options.threads = 1;
  const auto a = run_batch(s, 1, options);
  s.set("run.seed=78");
  const auto b = run_batch(s, 1, options);
  EXPECT_NE(a[0].series.back().metrics, b[0].series.back().metrics);
}

std::string first_lines(const std::string& text, int lines) {
  std::size_t pos = 0;
  for (int k = 0; k < lines && pos != std::string::npos; ++k) pos = text.find('\n', pos + 1);
  return pos == std::string::npos ? text : text.substr(0, pos + 1);
}

TEST(Determinism, OutcomesCsvIsIdenticalAcrossThreadsAndReplicateCounts) {
  testing::TempDir tmp("determinism");
  const std::string scenario = GLOCAL_SOURCE_DIR "/scenarios/default.toml";
  ASSERT_EQ(testing::run_command(testing::glocal("run " + scenario + " -q --threads 1 -r 4 --out " + (tmp / "t1").string())).status, 0);
  ASSERT_EQ(testing::run_command(testing::glocal("run " + scenario + " -q --threads 2 -r 4 --out " + (tmp / "t2").string())).status, 0);
  ASSERT_EQ(testing::run_command(testing::glocal("run " + scenario + " -q --threads 2 -r 6 --out " + (tmp / "r6").string())).status, 0);
  const auto t1 = testing::read_text(tmp / "t1/outcomes.csv");
  EXPECT_EQ(t1, testing::read_text(tmp / "t2/outcomes.csv"));
  EXPECT_EQ(testing::read_text(tmp / "t1/model.csv"), testing::read_text(tmp / "t2/model.csv"));
  EXPECT_EQ(first_lines(testing::read_text(tmp / "r6/outcomes.csv"), 5), t1);  // header + 4 runs
}

}  // namespace
}  // namespace glocal
