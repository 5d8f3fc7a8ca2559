// Experiments on disk: finished runs streamed to a journal, an interrupted batch (Ctrl-C,
// kill -9) resumed to the same bytes as an uninterrupted one, shards merged to the same bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "support/command.hpp"

namespace glocal {
namespace {

namespace fs = std::filesystem;
using testing::glocal;
using testing::run_command;

/// 48 runs of a few tens of milliseconds each: long enough to interrupt after some have finished.
constexpr const char* kBatch = R"([scenario]
name = "batch"
[run]
ticks = 2000
replicates = 24
record_every = 250
[[sweep]]
key = "culture.traits"
values = [5, 10]
[culture]
[world.lattice]
side = 40
)";

/// The data files of a results folder (the manifest differs: it records times and commands).
void expect_same_files(const fs::path& a, const fs::path& b) {
  for (const char* f : {"runs.csv", "model.csv", "outcomes.csv", "results.sqlite"}) {
    ASSERT_TRUE(fs::exists(a / f)) << a / f;
    ASSERT_TRUE(fs::exists(b / f)) << b / f;
    EXPECT_TRUE(testing::read_text(a / f) == testing::read_text(b / f)) << f << " differs between " << a << " and " << b;
  }
}

nlohmann::json manifest_of(const fs::path& folder) { return nlohmann::json::parse(testing::read_text(folder / "manifest.json")); }

class Experiment : public ::testing::Test {
 protected:
  Experiment() : tmp_("experiment") { std::ofstream(scenario()) << kBatch; }
  [[nodiscard]] fs::path scenario() const { return tmp_ / "batch.toml"; }
  [[nodiscard]] fs::path at(const std::string& leaf) const { return tmp_ / leaf; }
  /// The batch run at once, the reference for every other way of running it.
  void run_whole() {
    const auto r = run_command(glocal("run " + scenario().string() + " -q -j 2 --out " + at("whole").string()));
    ASSERT_EQ(r.status, 0) << r.output;
  }
  /// Starts the batch into `out`, sends `signal` once its journal holds a finished run, and returns
  /// the exit status and output.
  testing::CommandResult interrupt(const std::string& out, const std::string& signal, const std::string& launcher = "",
                                   const std::string& batch = "") {
    const std::string journal = at(out).string() + ".partial/runs.journal";
    const std::string script =
        launcher + glocal("run " + (batch.empty() ? scenario().string() : batch) + " -q -j 2 --out " + at(out).string()) +
        " & pid=$!; for i in $(seq 1 3000); do s=$(stat -c %s " + journal +
        " 2>/dev/null || echo 0); [ \"$s\" -gt 16 ] && break; sleep 0.005; done; kill -" + signal + " $pid; wait $pid; echo exit=$?";
    return run_command("bash -c '" + script + "'");
  }

 private:
  testing::TempDir tmp_;
};

TEST_F(Experiment, ABatchKilledWithSigkillResumesToTheSameFiles) {
  const auto killed = interrupt("killed", "KILL");
  ASSERT_NE(killed.output.find("exit=137"), std::string::npos) << killed.output;
  ASSERT_TRUE(fs::exists(at("killed.partial") / "runs.journal")) << killed.output;
  EXPECT_FALSE(fs::exists(at("killed")));
  EXPECT_FALSE(manifest_of(at("killed.partial"))["complete"].get<bool>());  // never mistaken for results
  const auto resumed = run_command(glocal("run --resume " + at("killed").string() + " -q -j 1"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming"), std::string::npos) << resumed.output;
  EXPECT_FALSE(fs::exists(at("killed.partial")));
  EXPECT_FALSE(fs::exists(at("killed") / "runs.journal"));
  const auto manifest = manifest_of(at("killed"));
  EXPECT_TRUE(manifest["complete"].get<bool>());
  EXPECT_EQ(manifest["runs"], 48);
  ASSERT_EQ(manifest["history"].size(), 1U);  // the invocation that was killed
  run_whole();
  expect_same_files(at("whole"), at("killed"));
  // A complete folder has nothing to resume.
  const auto again = run_command(glocal("run --resume " + at("killed").string()));
  EXPECT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.output.find("nothing to resume"), std::string::npos) << again.output;
}

TEST_F(Experiment, CtrlCKeepsTheFinishedRunsAndTheResumeIsGuarded) {
  const auto stopped = interrupt("stopped", "INT");
  ASSERT_NE(stopped.output.find("exit=130"), std::string::npos) << stopped.output;
  EXPECT_NE(stopped.output.find("complete them with: glocal run --resume " + at("stopped").string()), std::string::npos) << stopped.output;
  // A new batch into the same folder must not throw the finished runs away.
  const auto fresh = run_command(glocal("run " + scenario().string() + " -q --out " + at("stopped").string()));
  EXPECT_EQ(fresh.status, 3) << fresh.output;
  EXPECT_NE(fresh.output.find("holds an interrupted run"), std::string::npos) << fresh.output;
  EXPECT_TRUE(fs::exists(at("stopped.partial") / "runs.journal"));
  // A resume takes everything from the interrupted batch: changing it is refused.
  const auto changed = run_command(glocal("run --resume " + at("stopped").string() + " --set culture.features=3"));
  EXPECT_EQ(changed.status, 2) << changed.output;
  std::ofstream(at("other.toml")) << "[culture]\n";
  const auto other = run_command(glocal("run " + at("other.toml").string() + " --resume " + at("stopped").string()));
  EXPECT_EQ(other.status, 2) << other.output;
  EXPECT_NE(other.output.find("differs from the scenario of the interrupted batch"), std::string::npos) << other.output;
  const auto nothing = run_command(glocal("run --resume " + at("absent").string()));
  EXPECT_EQ(nothing.status, 3) << nothing.output;
  EXPECT_NE(nothing.output.find("no interrupted run to resume"), std::string::npos) << nothing.output;
  const auto resumed = run_command(glocal("run " + scenario().string() + " --resume " + at("stopped").string() + " -q"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  run_whole();
  expect_same_files(at("whole"), at("stopped"));
}

// A second Ctrl-C stops the process at once (the first waits for a safe point, which building or
// measuring a world of 10^8 agents can take tens of seconds to reach); the journal stays
// resumable, a record cut off mid-write dropped.
TEST_F(Experiment, ASecondCtrlCStopsAtOnceAndTheBatchStillResumes) {
  const auto stopped = interrupt("twice", "INT; sleep 0.05; kill -INT $pid");
  ASSERT_NE(stopped.output.find("exit=130"), std::string::npos) << stopped.output;
  EXPECT_NE(stopped.output.find("Ctrl-C again: at once"), std::string::npos) << stopped.output;
  ASSERT_TRUE(fs::exists(at("twice.partial") / "runs.journal")) << stopped.output;
  const auto resumed = run_command(glocal("run --resume " + at("twice").string() + " -q"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  run_whole();
  expect_same_files(at("whole"), at("twice"));
}

TEST_F(Experiment, ShardsMergedInAnyOrderGiveTheFilesOfOneRun) {
  for (int i = 0; i < 3; ++i) {
    const auto r = run_command(glocal("run " + scenario().string() + " -q -j 1 --shard " + std::to_string(i) + "/3 --out " +
                                      at("shard" + std::to_string(i)).string()));
    ASSERT_EQ(r.status, 0) << r.output;
    const auto manifest = manifest_of(at("shard" + std::to_string(i)));
    EXPECT_EQ(manifest["runs"], 16);
    EXPECT_EQ(manifest["shard"]["count"], 3);
  }
  const std::string s0 = at("shard0").string();
  const std::string s1 = at("shard1").string();
  const std::string s2 = at("shard2").string();
  const auto missing = run_command(glocal("merge --out " + at("m").string() + " " + s0 + " " + s2));
  EXPECT_EQ(missing.status, 3);
  EXPECT_NE(missing.output.find("shard 1/3 is missing"), std::string::npos) << missing.output;
  const auto twice = run_command(glocal("merge --out " + at("m").string() + " " + s0 + " " + s1 + " " + s0));
  EXPECT_EQ(twice.status, 3);
  EXPECT_NE(twice.output.find("given twice"), std::string::npos) << twice.output;
  const auto seeded = run_command(glocal("run " + scenario().string() + " -q --seed 7 --shard 1/3 --out " + at("seed7").string()));
  ASSERT_EQ(seeded.status, 0) << seeded.output;
  const auto foreign = run_command(glocal("merge --out " + at("m").string() + " " + s0 + " " + at("seed7").string() + " " + s2));
  EXPECT_EQ(foreign.status, 3);
  EXPECT_NE(foreign.output.find("not shards of one batch"), std::string::npos) << foreign.output;
  EXPECT_FALSE(fs::exists(at("m")));
  const auto bad = run_command(glocal("run " + scenario().string() + " --shard 3/3 --out " + at("bad").string()));
  EXPECT_EQ(bad.status, 2) << bad.output;

  const auto merged = run_command(glocal("merge --out " + at("merged").string() + " " + s2 + " " + s0 + " " + s1));
  ASSERT_EQ(merged.status, 0) << merged.output;
  EXPECT_EQ(manifest_of(at("merged"))["history"].size(), 3U);
  run_whole();
  expect_same_files(at("whole"), at("merged"));
}

/// mpirun with K ranks on this one machine, or "" when glocal was built without MPI.
std::string mpirun(int ranks) {
  const std::string mpiexec = GLOCAL_MPIEXEC;
  if (mpiexec.empty()) return "";
  return mpiexec + " --oversubscribe" + (::geteuid() == 0 ? " --allow-run-as-root" : "") + " -n " + std::to_string(ranks) + " ";
}

// mpirun -n K glocal run: every rank runs a share and sends its runs to rank 0, which writes the
// folder: the files are those of one process, for 2 and 3 ranks.
TEST_F(Experiment, MpiRanksWriteTheFilesOfOneProcess) {
  if (mpirun(2).empty()) GTEST_SKIP() << "built without MPI";
  run_whole();
  for (const int ranks : {2, 3}) {
    const std::string out = "mpi" + std::to_string(ranks);
    const auto r = run_command(mpirun(ranks) + glocal("run " + scenario().string() + " -q -j 1 --out " + at(out).string()));
    ASSERT_EQ(r.status, 0) << r.output;
    expect_same_files(at("whole"), at(out));
    EXPECT_EQ(manifest_of(at(out))["runs"], 48);
  }
  // Rank 0 cannot start (the folder exists): every rank ends, none waits.
  const auto taken = run_command(mpirun(2) + glocal("run " + scenario().string() + " -q --out " + at("mpi2").string()));
  EXPECT_NE(taken.status, 0);
  EXPECT_NE(taken.output.find("already exists"), std::string::npos) << taken.output;
}

// Ctrl-C under mpirun keeps the runs every rank finished; a resume under mpirun with another
// number of ranks completes the same files.
TEST_F(Experiment, MpiBatchInterruptedAndResumedWithOtherRanksGivesTheSameFiles) {
  if (mpirun(2).empty()) GTEST_SKIP() << "built without MPI";
  // 16 runs of the same length (drift: none absorbs), about 0.1 s each: the first to finish
  // leaves most of the batch to interrupt.
  const std::string batch = at("long.toml").string();
  std::ofstream(batch)
      << "[run]\nticks = 4000\nreplicates = 16\nrecord_every = 1000\n[world.lattice]\nside = 40\n[culture]\ndrift = 0.001\n";
  const auto stopped = interrupt("mpistop", "INT", mpirun(2), batch);
  ASSERT_TRUE(fs::exists(at("mpistop.partial") / "runs.journal")) << stopped.output;
  EXPECT_FALSE(manifest_of(at("mpistop.partial"))["complete"].get<bool>());
  const auto resumed = run_command(mpirun(3) + glocal("run --resume " + at("mpistop").string() + " -q -j 1"));
  ASSERT_EQ(resumed.status, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("resuming"), std::string::npos) << resumed.output;
  const auto whole = run_command(glocal("run " + batch + " -q -j 2 --out " + at("longwhole").string()));
  ASSERT_EQ(whole.status, 0) << whole.output;
  expect_same_files(at("longwhole"), at("mpistop"));
}

// glocal study under mpirun: its batches (the regimes, then the sensitivity variants) are spread
// over the ranks in turn, and rank 0 writes the same files as one process. With 3 ranks and 2
// runs per batch one rank has nothing to do and races ahead to the next batch.
TEST(MpiStudy, ThreeRanksWriteTheStudyOfOneProcess) {
  if (mpirun(3).empty()) GTEST_SKIP() << "built without MPI";
  const testing::TempDir tmp("mpi-study");
  const std::string args = "study three-roads -r 2 --ticks 5 -q -j 1 --out ";
  const auto one = run_command(glocal(args + (tmp / "one").string()));
  ASSERT_EQ(one.status, 0) << one.output;
  const auto three = run_command(mpirun(3) + glocal(args + (tmp / "three").string()));
  ASSERT_EQ(three.status, 0) << three.output;
  for (const char* f : {"summary.csv", "series.csv", "sensitivity.csv", "glocalization/model.csv", "localization/outcomes.csv",
                        "hyperglobalization/runs.csv"}) {
    EXPECT_TRUE(testing::read_text(tmp / "one" / f) == testing::read_text(tmp / "three" / f)) << f;
  }
}

}  // namespace
}  // namespace glocal

namespace glocal {
namespace {

// A batch that cannot fit is refused before anything runs or is written, with the estimate and
// the machine's memory: 2.1 x 10^9 agents, and 4 x 10^9 ticks each recorded.
TEST(MemoryRefusal, CheckAndRunRefuseWhatCannotFit) {
  const testing::TempDir tmp("memory");
  std::ofstream(tmp / "huge.toml") << "[world.lattice]\nside = 46340\n[culture]\n";
  std::ofstream(tmp / "long.toml") << "[run]\nticks = 4000000000\nrecord_every = 1\n[world.lattice]\nside = 10\n[culture]\n";
  for (const char* name : {"huge.toml", "long.toml"}) {
    const auto checked = run_command(glocal("check " + (tmp / name).string()));
    EXPECT_EQ(checked.status, 2) << checked.output;
    EXPECT_NE(checked.output.find("would need about"), std::string::npos) << checked.output;
    EXPECT_NE(checked.output.find("this machine has"), std::string::npos) << checked.output;
    const auto ran = run_command(glocal("run " + (tmp / name).string() + " -q --out " + (tmp / "out").string()));
    EXPECT_EQ(ran.status, 2) << ran.output;
    EXPECT_NE(ran.output.find("would need about"), std::string::npos) << ran.output;
    EXPECT_FALSE(fs::exists(tmp / "out"));
    EXPECT_FALSE(fs::exists(tmp / "out.partial"));
  }
  const auto fits = run_command(glocal("check " + (tmp / "huge.toml").string() + " --set world.lattice.side=100"));
  EXPECT_EQ(fits.status, 0) << fits.output;
  EXPECT_NE(fits.output.find("memory on"), std::string::npos) << fits.output;
}

}  // namespace
}  // namespace glocal
