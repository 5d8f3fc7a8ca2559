// Same scenario + seed => identical results, whatever the thread count or the number of other
// runs in the invocation (MODEL.md section 5). Checked in-process on every metric of every
// recorded tick, and through the CLI on the bytes of outcomes.csv and model.csv.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
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

// Stable run identities: a run's stream is keyed by (seed, its point's key, its replicate), so a
// run gives the same rows whatever else its experiment holds. Runs are matched by (point key,
// replicate) and compared bit for bit (series and places).
const Scenario kSweep = Scenario::parse(
    "[run]\nseed = 9\nticks = 40\nrecord_every = 10\nrecord_places = \"locality\"\n"
    "[world]\nlocalities_per_nation = 2\n[world.lattice]\nside = 8\nboundary = \"periodic\"\n"
    "[culture]\nfeatures = 4\ndrift = 0.001\n[[sweep]]\nkey = \"culture.traits\"\nvalues = [6, 9, 12]\n",
    "sweep.toml");

const RunResult& find_run(const std::vector<RunResult>& runs, std::uint64_t point_key, std::uint64_t replicate) {
  for (const auto& run : runs) {
    if (run.point_key == point_key && run.replicate == replicate) return run;
  }
  throw std::logic_error("no such run");
}

/// Every run of `part` appears in `whole` (same point key and replicate) with the same records.
void expect_runs_within(const std::vector<RunResult>& part, const std::vector<RunResult>& whole) {
  for (const auto& run : part) {
    const RunResult& same = find_run(whole, run.point_key, run.replicate);
    testing::expect_same({run}, {same}, 1);
    ASSERT_EQ(run.places.size(), same.places.size());
    for (std::size_t k = 0; k < run.places.size(); ++k) {
      EXPECT_EQ(std::memcmp(run.places[k].metrics.data(), same.places[k].metrics.data(), run.places[k].metrics.size() * sizeof(double)), 0);
    }
  }
}

BatchOptions two_threads() {
  BatchOptions options;
  options.threads = 2;
  return options;
}

TEST(RunIdentity, MoreReplicatesLeaveEveryRunOfEveryPointAsItWas) {
  const auto four = run_batch(kSweep, 4, two_threads());
  const auto eight = run_batch(kSweep, 8, two_threads());
  ASSERT_EQ(four.size(), 12U);
  expect_runs_within(four, eight);
  EXPECT_NE(four[4].run_id, find_run(eight, four[4].point_key, four[4].replicate).run_id);  // its place in the batch moved
}

TEST(RunIdentity, APointRunAloneGivesTheRunsItHasInTheSweep) {
  const auto sweep = run_batch(kSweep, 3, two_threads());
  Scenario alone = kSweep;
  alone.set("culture.traits=9");  // pins the swept key: one point
  ASSERT_EQ(alone.point_count(), 1U);
  const auto runs = run_batch(alone, 3, two_threads());
  EXPECT_EQ(runs[0].point_key, kSweep.point(1).point_key());
  expect_runs_within(runs, sweep);
}

TEST(RunIdentity, AnotherSweepValueLeavesTheOtherPointsRunsAsTheyWere) {
  Scenario wider = Scenario::parse(std::string(kSweep.source_text()).replace(kSweep.source_text().find("[6, 9, 12]"), 10, "[3, 6, 9, 12]"),
                                   "wider.toml");
  ASSERT_EQ(wider.point_count(), 4U);
  const auto runs = run_batch(kSweep, 2, two_threads());
  const auto more = run_batch(wider, 2, two_threads());
  expect_runs_within(runs, more);  // every point moved one place along: matched by key
}

TEST(RunIdentity, StreamedAndChosenRunsEqualTheRunsKeptInMemory) {
  // on_result (the journal's feed) gets each run as it finishes, in any order; `only` runs a
  // subset (a shard, or what a resume has left): each run is the one the whole batch holds.
  const auto whole = run_batch(kSweep, 3, two_threads());
  std::vector<RunResult> streamed;
  BatchOptions options = two_threads();
  const std::vector<std::uint64_t> only = {1, 4, 5, 8};
  options.only = &only;
  options.on_result = [&](RunResult&& run) { streamed.push_back(std::move(run)); };
  EXPECT_TRUE(run_batch(kSweep, 3, options).empty());
  ASSERT_EQ(streamed.size(), only.size());
  std::sort(streamed.begin(), streamed.end(), [](const RunResult& a, const RunResult& b) { return a.run_id < b.run_id; });
  for (std::size_t k = 0; k < only.size(); ++k) {
    EXPECT_EQ(streamed[k].run_id, only[k]);
    EXPECT_EQ(streamed[k].point, only[k] / 3);
  }
  expect_runs_within(streamed, whole);
  // A sink that fails stops the batch and its error reaches the caller.
  options.on_result = [](RunResult&&) { throw std::runtime_error("disk full"); };
  EXPECT_THROW((void)run_batch(kSweep, 3, options), std::runtime_error);
}

TEST(RunIdentity, APointsKeyNamesItsModelNotItsText) {
  const auto key = [](const std::string& text) { return Scenario::parse(text, "k.toml").point_key(); };
  const std::string base = "[world.lattice]\nside = 8\n[culture]\ntraits = 12\n";
  const std::uint64_t k = key(base);
  EXPECT_EQ(k, key("[culture]\ntraits = 12\n[world.lattice]\nside = 8\n"));                     // order of keys
  EXPECT_EQ(k, key(base + "features = 5\n"));                                                   // a default given explicitly
  EXPECT_EQ(k, key(base + "[run]\nticks = 77\nreplicates = 3\nseed = 4\nrecord_every = 7\n"));  // how long and how often
  EXPECT_EQ(key(base + "[culture.reach]\nnetwork = 0.5\nworld = 0.5\n"), key(base + "[culture.reach]\nnetwork = 0.5\nworld = 0.50\n"));
  EXPECT_NE(k, key("[world.lattice]\nside = 8\n[culture]\ntraits = 13\n"));  // another model
  EXPECT_NE(k, key(base + "[[schedule]]\nkey = \"culture.drift\"\npoints = [[0, 0.0], [10, 0.01]]\n"));
  EXPECT_NE(k, key(base + "[run]\nstart_year = 1960\n"));
}

TEST(RunIdentity, SharedStreamsGiveEveryPointTheSameRandomNumbers) {
  // run.streams = "shared": replicate r of points that differ only in drift starts from the same
  // initial culture (same stream), and then differs; with the default streams the starts differ.
  const auto initial_cultures = [](const std::string& streams) {
    Scenario s = Scenario::parse(
        "[run]\nticks = 20\nrecord_every = 20\n[world.lattice]\nside = 10\n[culture]\ntraits = 30\n"
        "[[sweep]]\nkey = \"culture.drift\"\nvalues = [0.0, 0.05]\n",
        "shared.toml");
    s.set("run.streams=" + streams);
    const auto runs = run_batch(s, 1, two_threads());
    const auto same = [&](std::size_t record) {  // as bytes: global_share is NaN without media
      const auto& a = runs[0].series[record].metrics;
      return std::memcmp(a.data(), runs[1].series[record].metrics.data(), a.size() * sizeof(double)) == 0;
    };
    return std::pair{same(0), same(runs[0].series.size() - 1)};
  };
  const auto [shared_start, shared_end] = initial_cultures("shared");
  EXPECT_TRUE(shared_start);
  EXPECT_FALSE(shared_end);
  EXPECT_FALSE(initial_cultures("point").first);
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
