// The command-line tool end to end: outputs, bad input, atomicity, shipped scenarios, docs.
#include <gtest/gtest.h>

#include <fstream>
#include <sqlite3.h>
#include <unistd.h>

#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "glocal/io/output.hpp"
#include "glocal/run/calibration.hpp"
#include "support/command.hpp"

namespace glocal {
namespace {

namespace fs = std::filesystem;
using testing::glocal;
using testing::run_command;

const std::string kDefault = GLOCAL_SOURCE_DIR "/scenarios/default.toml";

std::size_t line_count(const fs::path& path) {
  const std::string text = testing::read_text(path);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::int64_t sqlite_count(const fs::path& db_path, const std::string& table) {
  sqlite3* db = nullptr;
  std::int64_t count = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, ("SELECT COUNT(*) FROM " + table).c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
}

/// Nothing at all was left in `dir` (no results folder, no staging folder).
void expect_nothing_written(const fs::path& dir) { EXPECT_TRUE(fs::is_empty(dir)) << "something was written in " << dir; }

TEST(Cli, RunWritesEveryOutputAndTheyAgree) {
  testing::TempDir tmp("outputs");
  const auto out = tmp / "res";
  const auto r = run_command(glocal("run " + kDefault + " -q -r 3 --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("regions"), std::string::npos) << r.output;
  for (const char* f : {"manifest.json", "runs.csv", "model.csv", "outcomes.csv", "results.sqlite"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  EXPECT_EQ(line_count(out / "runs.csv"), 4U);
  EXPECT_EQ(line_count(out / "outcomes.csv"), 4U);
  EXPECT_EQ(sqlite_count(out / "results.sqlite", "runs"), 3);
  EXPECT_EQ(sqlite_count(out / "results.sqlite", "outcomes"), 3);
  EXPECT_EQ(sqlite_count(out / "results.sqlite", "model") + 1, static_cast<std::int64_t>(line_count(out / "model.csv")));
  const std::string header =
      "run_id,point,replicate,status,stop_reason,ticks,regions,zones,smax,cultures,novel_share,events,absorbed,global_share,"
      "heritage_retention,novel_cultures,overlap_within,overlap_between,overlap_ratio,innovations,hybrid_share,hybrid_size,error\n";
  EXPECT_EQ(testing::read_text(out / "outcomes.csv").substr(0, header.size() + 18), header + "0,0,0,ok,absorbed,");
  const auto manifest = nlohmann::json::parse(testing::read_text(out / "manifest.json"));
  EXPECT_EQ(manifest["seed"], 1);
  EXPECT_EQ(manifest["replicates"], 3);
  EXPECT_EQ(manifest["scenario"]["sha256"].get<std::string>().size(), 64U);
  EXPECT_EQ(manifest["scenario"]["text"], testing::read_text(kDefault));
  for (const char* key : {"glocal_version", "git_commit", "command_line", "started_at", "finished_at", "host"}) {
    EXPECT_TRUE(manifest.contains(key)) << key;
  }
}

TEST(Cli, RefusesToOverwriteANonEmptyFolder) {
  testing::TempDir tmp("overwrite");
  fs::create_directories(tmp / "res");
  std::ofstream(tmp / "res" / "keep.txt") << "precious";
  const auto r = run_command(glocal("run " + kDefault + " -q -r 1 --out " + (tmp / "res").string()));
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.output.find("already exists and is not empty"), std::string::npos) << r.output;
  EXPECT_EQ(testing::read_text(tmp / "res" / "keep.txt"), "precious");
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator{}), 1);
}

struct BadInput {
  const char* name;
  const char* toml;          ///< scenario text ("" = no file at all)
  const char* set;           ///< extra --set, or ""
  const char* expect_error;  ///< must appear in the message
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsTwoWithALocatedMessageAndWritesNothing) {
  const BadInput c = GetParam();
  testing::TempDir tmp(std::string("bad-") + c.name);
  const auto scenario = tmp / "scenario.toml";
  if (std::string(c.toml).empty()) {
    // missing file: nothing to write
  } else {
    std::ofstream(scenario) << c.toml;
  }
  const auto outdir = tmp / "out";
  fs::create_directories(outdir);
  const std::string set = std::string(c.set).empty() ? "" : std::string(" --set ") + c.set;
  const auto r = run_command(glocal("run " + scenario.string() + " -q --out " + (outdir / "res").string() + set));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("error: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(c.expect_error), std::string::npos) << r.output;
  expect_nothing_written(outdir);
  const auto check = run_command(glocal("check " + scenario.string() + set));
  EXPECT_EQ(check.status, 2) << check.output;
}

INSTANTIATE_TEST_SUITE_P(
    Classes, CliBadInput,
    ::testing::Values(BadInput{"unknown_key", "[culture]\nfeaturs = 5\n", "",
                               "scenario.toml:2:11: 'culture.featurs': unknown key; did you mean 'culture.features'?"},
                      BadInput{"wrong_type", "[culture]\ntraits = \"ten\"\n", "",
                               "scenario.toml:2:10: 'culture.traits': expected an integer in [1, 255], got \"ten\""},
                      BadInput{"out_of_range", "[culture]\nfeatures = 0\n", "",
                               "scenario.toml:2:12: 'culture.features': expected an integer in [1, 64], got 0"},
                      BadInput{"missing_file", "", "", "scenario.toml: cannot open scenario file: no such file"},
                      BadInput{"malformed_toml", "[culture\nfeatures = 5\n", "", "scenario.toml:1:"},
                      BadInput{"bad_choice", "[world.lattice]\nneighborhood = \"moor\"\n[culture]\n", "", "did you mean \"moore\"?"},
                      BadInput{"bad_override", "[culture]\n", "culture.traits=1000",
                               "--set culture.traits=1000: 'culture.traits': expected an integer in [1, 255], got 1000"},
                      BadInput{"inconsistent", "[world.lattice]\nside = 2\nboundary = \"periodic\"\n[culture]\n", "",
                               "scenario.toml:2:8: 'world.lattice.side': a periodic lattice"}),
    [](const ::testing::TestParamInfo<BadInput>& param_info) { return std::string(param_info.param.name); });

TEST(Cli, InterruptLeavesNoResultsBehind) {
  testing::TempDir tmp("interrupt");
  const auto out = tmp / "res";
  // A run long enough to be interrupted (L = 200 to absorption takes minutes).
  const std::string cmd = glocal("run " + kDefault + " -q -r 2 --set world.lattice.side=200 --out " + out.string()) +
                          " & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo exit=$?";
  const auto r = run_command("bash -c '" + cmd + "'");
  EXPECT_NE(r.output.find("exit=130"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("interrupted before any run finished: nothing kept"), std::string::npos) << r.output;
  expect_nothing_written(tmp.path());
}

TEST(Cli, EveryShippedScenarioRunsWithAFixedSeed) {
  testing::TempDir tmp("shipped");
  int k = 0;
  for (const auto& entry : fs::recursive_directory_iterator(GLOCAL_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    if (entry.path().parent_path().filename() == "calibration") {  // targets files: checked against the scenario they fit
      const std::map<std::string, std::string> fits = {{"real-1960-2000.toml", "world/real-1960-2010.toml"}};
      ASSERT_TRUE(fits.contains(entry.path().filename().string())) << entry.path() << ": which scenario does it fit?";
      const CalibrationSpec spec = CalibrationSpec::load_file(entry.path());
      EXPECT_NO_THROW(
          spec.check(Scenario::load_file(std::string(GLOCAL_SOURCE_DIR "/scenarios/") + fits.at(entry.path().filename().string()))));
      continue;
    }
    const auto check = run_command(glocal("check " + entry.path().string()));
    EXPECT_EQ(check.status, 0) << entry.path() << check.output;
    const auto out = tmp / ("s" + std::to_string(k++));
    // One replicate, a short tick limit: this checks that the file runs, not what it finds.
    const auto r = run_command(glocal("run " + entry.path().string() + " -q -r 1 --seed 5 --set run.ticks=50 --out " + out.string()));
    EXPECT_EQ(r.status, 0) << entry.path() << r.output;
    EXPECT_TRUE(fs::exists(out / "outcomes.csv")) << entry.path();
  }
  EXPECT_GE(k, 3);
}

TEST(Cli, ASweepRunsEveryPointWithItsOwnParameters) {
  testing::TempDir tmp("sweep");
  std::ofstream(tmp / "sweep.toml") << "[run]\nreplicates = 3\nstop = \"absorbing\"\nticks = 100000\n[culture]\n"
                                       "[[sweep]]\nkey = \"culture.traits\"\nvalues = [5, 15]\n"
                                       "[[sweep]]\nkey = \"world.lattice.neighborhood\"\nvalues = [\"von-neumann\", \"moore\"]\n";
  const auto out = tmp / "res";
  const auto r = run_command(glocal("run " + (tmp / "sweep.toml").string() + " -q --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(line_count(out / "outcomes.csv"), 13U);  // 4 points x 3 replicates + header
  const std::string runs = testing::read_text(out / "runs.csv");
  // Point 3 (traits 15, moore) holds runs 9..11; the first axis varies slowest.
  EXPECT_NE(runs.find("\n9,3,0,1,"), std::string::npos) << runs;
  // ... world.lattice.neighborhood, radius, order, demography.death_rate, culture.features, traits, initial ...
  EXPECT_NE(runs.find(",moore,1,rows,0.01,5,15,uniform,"), std::string::npos) << runs;
  EXPECT_NE(runs.find(",von-neumann,1,rows,0.01,5,5,uniform,"), std::string::npos) << runs;
  const auto manifest = nlohmann::json::parse(testing::read_text(out / "manifest.json"));
  EXPECT_EQ(manifest["points"], 4);
  EXPECT_EQ(manifest["runs"], 12);
  // --set pins a swept key: one axis left, 2 points.
  const auto pinned =
      run_command(glocal("run " + (tmp / "sweep.toml").string() + " -q --set culture.traits=10 --out " + (tmp / "pinned").string()));
  ASSERT_EQ(pinned.status, 0) << pinned.output;
  EXPECT_EQ(line_count(tmp / "pinned" / "outcomes.csv"), 7U);
}

TEST(Cli, PlaceMetricsCoverEveryPlaceFromTheChosenScaleUp) {
  testing::TempDir tmp("places");
  const auto out = tmp / "res";
  // 2 blocs x 2 nations x 3 localities of 5 x 5: 12 + 4 + 2 + 1 = 19 places per recorded tick.
  const auto r = run_command(glocal("run " + kDefault + " -q -r 2 --set world.blocs=2 --set world.nations_per_bloc=2 " +
                                    "--set world.localities_per_nation=3 --set world.lattice.side=5 --set run.record_places=locality " +
                                    "--set culture.reach.nation=0.1 --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::size_t ticks_recorded = line_count(out / "model.csv") - 1;
  EXPECT_EQ(line_count(out / "places.csv") - 1, ticks_recorded * 19);
  EXPECT_EQ(sqlite_count(out / "results.sqlite", "places") + 1, static_cast<std::int64_t>(line_count(out / "places.csv")));
  const std::string places = testing::read_text(out / "places.csv");
  EXPECT_EQ(places.substr(0, places.find('\n')),
            "run_id,point,tick,scale,place,name,group,agents,cultures,entropy,dominant_share,global_share,heritage_retention,novel_share,"
            "novel_cultures,overlap_within,overlap_between");
  EXPECT_NE(places.find("\n0,0,0,locality,11,locality-2-2-3,,25,"), std::string::npos);
  EXPECT_NE(places.find("\n0,0,0,world,0,world,,300,"), std::string::npos);
}

TEST(Cli, ACalendarAddsAYearColumn) {
  testing::TempDir tmp("calendar");
  const auto out = tmp / "res";
  const auto r = run_command(glocal("run " + kDefault + " -q -r 1 --set run.stop=ticks --set run.ticks=20 --set run.record_every=10 " +
                                    "--set run.start_year=1960 --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string model = testing::read_text(out / "model.csv");
  EXPECT_EQ(model.substr(0, model.find('\n')),
            "run_id,point,tick,year,regions,zones,smax,cultures,novel_share,events,absorbed,global_share,heritage_retention,novel_cultures,"
            "overlap_within,overlap_between,overlap_ratio,innovations,hybrid_share,hybrid_size");
  EXPECT_NE(model.find("\n0,0,0,1960,"), std::string::npos);
  EXPECT_NE(model.find("\n0,0,20,1980,"), std::string::npos);
}

TEST(Cli, CalibrateWritesItsReportAndTheScenarioWithTheEstimates) {
  testing::TempDir tmp("calibrate");
  std::ofstream(tmp / "world.toml") << "[run]\nstart_year = 2000\nticks = 2\n[world.network]\nkind = \"random\"\nsize = 40\n"
                                       "[economy]\ninitial_wealth = 2.0   # to be fitted\n";
  std::ofstream(tmp / "targets.toml") << "[calibration]\nreplicates = 2\nbudget = 20\ndraws = 2\n"
                                         "[[parameter]]\nkey = \"economy.initial_wealth\"\nmin = 0.5\nmax = 10.0\n"
                                         "[[target]]\nmetric = \"mean_wealth\"\nyear = 2001\nvalue = 4.0\nsd = 0.2\nunit = \"money\"\n";
  const auto out = tmp / "fit";
  const auto r = run_command(
      glocal("calibrate " + (tmp / "world.toml").string() + " --targets " + (tmp / "targets.toml").string() + " -q --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* file :
       {"report.md", "parameters.csv", "targets.csv", "trace.csv", "profiles.csv", "jacobian.csv", "manifest.json", "calibrated.toml"}) {
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  }
  const Scenario fitted = Scenario::load_file(out / "calibrated.toml");
  EXPECT_NEAR(fitted.real("economy.initial_wealth"), 4.0, 0.05);
  EXPECT_NE(testing::read_text(out / "calibrated.toml").find("# to be fitted"), std::string::npos);
  EXPECT_NE(testing::read_text(out / "report.md").find("| `economy.initial_wealth` |"), std::string::npos);
  // A bad targets file: exit 2, its place named, nothing written.
  std::ofstream(tmp / "bad.toml") << "[[parameter]]\nkey = \"economy.initial_wealth\"\nmin = 5.0\nmax = 1.0\n";
  const auto bad = run_command(glocal("calibrate " + (tmp / "world.toml").string() + " --targets " + (tmp / "bad.toml").string() +
                                      " -q --out " + (tmp / "nothing").string()));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.output.find("bad.toml:1:1: 'economy.initial_wealth': expected min < max"), std::string::npos) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(tmp / "nothing"));
}

TEST(Cli, OutputFoldersAreWrittenOnceWhereTheyAreNamed) {
  testing::TempDir tmp("outputs");
  const std::string scenario = GLOCAL_SOURCE_DIR "/scenarios/default.toml";
  // A trailing slash names the folder itself.
  const auto slash = run_command(glocal("run " + scenario + " -q -r 1 --out " + (tmp / "slash").string() + "/"));
  EXPECT_EQ(slash.status, 0) << slash.output;
  EXPECT_TRUE(fs::exists(tmp / "slash" / "outcomes.csv"));
  EXPECT_FALSE(fs::exists(tmp / "slash.lock"));  // released
  // A folder another live glocal is writing (its lock holds a live process: this test's) is refused
  // at once; a lock left by a process that is gone is taken over.
  std::ofstream(tmp / "busy.lock") << ::getpid() << "\n";
  const auto busy = run_command(glocal("run " + scenario + " -q -r 1 --out " + (tmp / "busy").string()));
  EXPECT_EQ(busy.status, 3);
  EXPECT_NE(busy.output.find("another glocal"), std::string::npos) << busy.output;
  EXPECT_FALSE(fs::exists(tmp / "busy"));
  std::ofstream(tmp / "stale.lock") << 2147483646 << "\n";
  const auto stale = run_command(glocal("run " + scenario + " -q -r 1 --out " + (tmp / "stale").string()));
  EXPECT_EQ(stale.status, 0) << stale.output;
  // A scenario's name cannot lead the default folder out of runs/.
  std::ofstream(tmp / "escape.toml") << "[scenario]\nname = \"../../escaped\"\n[culture]\n";
  const auto escape = run_command("cd " + tmp.path().string() + " && " + glocal("run escape.toml -q -r 1"));
  EXPECT_EQ(escape.status, 0) << escape.output;
  EXPECT_TRUE(fs::exists(tmp / "runs"));
  for (const auto& entry : fs::directory_iterator(tmp.path()))
    EXPECT_EQ(entry.path().filename().string().find("escaped"), std::string::npos);
}

TEST(Cli, TheVersionNamesTheCommitItWasBuiltFrom) {
  // Stamped at every build, not at configure time (a later commit is not missed).
  const auto head = run_command("git -C " GLOCAL_SOURCE_DIR " rev-parse HEAD 2>/dev/null");
  if (head.status != 0) GTEST_SKIP() << "not a git checkout";
  const auto version = run_command(glocal("--version"));
  ASSERT_EQ(version.status, 0);
  EXPECT_NE(version.output.find(head.output.substr(0, 40)), std::string::npos) << version.output << " vs " << head.output;
}

TEST(Cli, PlotReportsABrokenFolderInOneLine) {
  testing::TempDir tmp("plotbad");
  fs::create_directories(tmp / "res");
  std::ofstream(tmp / "res" / "model.csv") << "run_id,point,tick,regions\n0,0,0,not-a-number\n";
  std::ofstream(tmp / "res" / "outcomes.csv") << "garbage\n";
  const auto r = run_command(glocal("plot " + (tmp / "res").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("error: cannot draw the figures of"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("Traceback"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("matplotlib"), std::string::npos) << r.output;  // not blamed on the set-up
}

TEST(Cli, ASeedOutOfRangeIsRefusedNotClamped) {
  testing::TempDir tmp("seed");
  const auto r = run_command(glocal(
      std::string("run ") + GLOCAL_SOURCE_DIR "/scenarios/default.toml -q -r 1 --seed 9223372036854775808 --out " + (tmp / "s").string()));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("'run.seed'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(tmp / "s"));
}

TEST(Cli, TheDefaultThreadCountFollowsTheAffinityMask) {
  testing::TempDir tmp("affinity");
  const auto r = run_command(
      "taskset -c 0 " + glocal(std::string("run ") + GLOCAL_SOURCE_DIR "/scenarios/default.toml -q -r 2 --out " + (tmp / "a").string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(nlohmann::json::parse(testing::read_text(tmp / "a/manifest.json"))["threads"], 1);
}

TEST(Cli, DescribeJsonListsEveryDeclaredKey) {
  const auto r = run_command(glocal("describe --json"));
  ASSERT_EQ(r.status, 0);
  const auto j = nlohmann::json::parse(r.output);
  std::size_t keys = j["engine"]["parameters"].size();
  for (const auto& p : j["processes"]) keys += p["parameters"].size();
  EXPECT_EQ(keys, scenario_schema().size());
  EXPECT_EQ(j["processes"][0]["name"], "demography");  // registry order: the order within a tick
  EXPECT_EQ(j["processes"][1]["name"], "culture");
  EXPECT_EQ(j["processes"][1]["metrics"].size(), metric_columns(Scenario::parse("[culture]\n", "s.toml")).size());
}

TEST(Cli, ScenarioReferenceInDocsIsUpToDate) {
  const auto r = run_command(glocal("describe --markdown") + " 2>/dev/null");
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.output, testing::read_text(GLOCAL_SOURCE_DIR "/docs/reference/scenario.md"))
      << "docs/reference/scenario.md is stale: run `make docs`";
}

TEST(Cli, PlotDrawsFigures) {
  testing::TempDir tmp("plot");
  const auto out = tmp / "res";
  ASSERT_EQ(run_command(glocal("run " + kDefault + " -q -r 4 --out " + out.string())).status, 0);
  const auto r = run_command(glocal("plot " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_GT(fs::file_size(out / "plots" / "timeseries.png"), 1000U);
  EXPECT_GT(fs::file_size(out / "plots" / "outcomes.png"), 1000U);
  // Several processes: one pair of figures per process, from the metric map in manifest.json.
  const auto coupled = tmp / "coupled";
  ASSERT_EQ(run_command(glocal("run " GLOCAL_SOURCE_DIR "/scenarios/examples/firms-and-culture.toml -q -r 2 --set run.ticks=3 --out " +
                               coupled.string()))
                .status,
            0);
  ASSERT_EQ(run_command(glocal("plot " + coupled.string())).status, 0);
  EXPECT_GT(fs::file_size(coupled / "plots" / "timeseries-culture.png"), 1000U);
  EXPECT_GT(fs::file_size(coupled / "plots" / "outcomes-economy.png"), 1000U);
  const auto manifest = nlohmann::json::parse(testing::read_text(coupled / "manifest.json"));
  EXPECT_EQ(manifest["metrics"][0]["process"], "culture");
  // The real world: a constant metric gets no panel, and the figure says so; births is a flow.
  const auto real = tmp / "real";
  ASSERT_EQ(run_command(glocal("run " GLOCAL_SOURCE_DIR "/scenarios/world/real-1960-2010.toml -q -r 2 --set world.agents=2000 "
                               "--set run.ticks=10 --out " +
                               real.string()))
                .status,
            0);
  const auto drawn = run_command(glocal("plot " + real.string()));
  ASSERT_EQ(drawn.status, 0) << drawn.output;
  EXPECT_NE(drawn.output.find("timeseries-economy.png: Not drawn: negative_share (constant 0)"), std::string::npos) << drawn.output;
  const auto real_manifest = nlohmann::json::parse(testing::read_text(real / "manifest.json"));
  EXPECT_EQ(real_manifest["metrics"][1]["name"], "births");
  EXPECT_EQ(real_manifest["metrics"][1]["flow"], true);
  EXPECT_EQ(real_manifest["metrics"][0]["flow"], false);  // population: a state
}

TEST(Cli, ThreeRoadsStudyWritesItsReport) {
  // A quick look (3 ticks, 2 runs per regime, no sensitivity check): the report, its table and
  // figures, the summary (10 indicators x 3 regimes), and each regime's results folder.
  testing::TempDir tmp("study");
  const auto out = tmp / "study";
  const auto r = run_command(glocal("study three-roads -q -r 2 --ticks 3 --no-sensitivity --no-uncertainty --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string report = testing::read_text(out / "report.md");
  EXPECT_NE(report.find("| ecological integrity | `integrity` |"), std::string::npos);
  EXPECT_NE(report.find("glocalization"), std::string::npos);
  EXPECT_EQ(line_count(out / "summary.csv"), 1U + 10U * 3U);
  for (const char* regime : {"hyperglobalization", "localization", "glocalization"}) EXPECT_TRUE(fs::exists(out / regime / "outcomes.csv"));
  EXPECT_GT(fs::file_size(out / "figures" / "gini.png"), 1000U);
  // An output folder that is not empty is refused, and nothing is written.
  EXPECT_EQ(run_command(glocal("study three-roads -q -r 2 --ticks 3 --no-sensitivity --no-uncertainty --out " + out.string())).status, 3);
}

TEST(Cli, AStudyFileOfOnesOwnRunsAsTheThreeRoadsDo) {
  // A study of two shipped scenarios (Barrett's commons, ozone-like and climate-like), written as
  // a data file: the report ranks them on its indicators, sensitivity variants (a factor, and a
  // choice given as text) rerun both, and the results folders are named after the study's
  // scenarios.
  testing::TempDir tmp("own-study");
  const std::string validation = GLOCAL_SOURCE_DIR "/scenarios/validation/";
  std::ofstream(tmp / "commons.toml") << "[study]\nname = \"commons\"\ntitle = \"Ozone and climate\"\nreplicates = 2\n"
                                      << "assumptions = [\"Barrett's payoffs, as the paper states them.\"]\n"
                                      << "[[scenario]]\nname = \"ozone\"\nfile = \"" << validation << "barrett1994-ozone.toml\"\n"
                                      << "[[scenario]]\nname = \"climate\"\nfile = \"" << validation << "barrett1994-climate.toml\"\n"
                                      << "[[indicator]]\ndimension = \"cooperation\"\nmetric = \"coalition\"\nbetter = \"higher\"\n"
                                      << "[[indicator]]\ndimension = \"pollution\"\nmetric = \"global_stock\"\nbetter = \"lower\"\n"
                                      << "[[sensitivity]]\nkey = \"ecology.commons_revision\"\nfactor = 0.5\n"
                                      << "[[sensitivity]]\nkey = \"run.stop\"\nvalue = \"ticks\"\n"  // a choice, given as text
                                      << "with = [\"ecology.commons_decay=0.05\"]\n"                 // and what it needs with it
                                      << "[uncertainty]\nparameters = \"draws.toml\"\ndraws = 3\nreplicates = 1\n";
  // The draws: the commons' decay and revision rate over ranges; 3 draws, 1 run each.
  std::ofstream(tmp / "draws.toml") << "[[parameter]]\nkey = \"ecology.commons_decay\"\nmin = 0.02\nmax = 0.1\n"
                                    << "[[parameter]]\nkey = \"ecology.commons_revision\"\nmin = 0.2\nmax = 0.8\n";
  const auto out = tmp / "out";
  const auto r = run_command(glocal("study " + (tmp / "commons.toml").string() + " -q --ticks 40 --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string report = testing::read_text(out / "report.md");
  EXPECT_NE(report.find("# Ozone and climate"), std::string::npos);
  EXPECT_NE(report.find("| cooperation | `coalition` |"), std::string::npos);
  EXPECT_NE(report.find("ozone > climate"), std::string::npos);  // the cheap agreement is larger, and abates more
  EXPECT_EQ(line_count(out / "summary.csv"), 1U + 2U * 2U);
  // Paired differences: one pair per indicator, with its verdict, and the established ranking.
  const std::string paired = testing::read_text(out / "differences.csv");
  EXPECT_EQ(line_count(out / "differences.csv"), 1U + 2U);
  EXPECT_NE(paired.find("\"cooperation\",coalition,ozone,climate,"), std::string::npos) << paired;
  EXPECT_NE(report.find("| best first | established |"), std::string::npos);
  // The report leads with what is robust, then what depends on assumptions, then the assumptions.
  const auto robust = report.find("## What is robust");
  const auto fragile = report.find("## What depends on assumptions");
  const auto assumptions = report.find("## Assumptions\n\n- Barrett's payoffs, as the paper states them.");
  const auto table = report.find("## The table");
  EXPECT_LT(robust, fragile);
  EXPECT_LT(fragile, assumptions);
  EXPECT_LT(assumptions, table);
  EXPECT_NE(table, std::string::npos) << report;
  EXPECT_NE(report.find("- `coalition`: ozone first at 100 % of the draws"), std::string::npos) << report;
  EXPECT_TRUE(fs::exists(out / "climate" / "outcomes.csv"));
  EXPECT_NE(testing::read_text(out / "sensitivity.csv").find("ecology.commons_revision"), std::string::npos);
  EXPECT_NE(testing::read_text(out / "sensitivity.csv").find("run.stop,ticks,"), std::string::npos);
  EXPECT_NE(testing::read_text(out / "sensitivity.csv").find(",ecology.commons_decay=0.05\n"), std::string::npos);
  EXPECT_NE(report.find("run.stop = ticks (with ecology.commons_decay=0.05)"), std::string::npos) << report;
  EXPECT_NE(report.find("## Robustness over parameter draws"), std::string::npos);
  EXPECT_NE(report.find("| `coalition` | ozone > climate | 100 % | 100 % | 100 % | robust |"), std::string::npos) << report;
  EXPECT_EQ(line_count(out / "draws.csv"), 1U + 3U * 2U);  // 3 draws x 2 ranked indicators
  // A bad study file: exit 2, its line named, nothing written.
  std::ofstream(tmp / "bad.toml") << "[study]\nname = \"x\"\ntitle = \"X\"\ncolour = 1\n";
  const auto bad = run_command(glocal("study " + (tmp / "bad.toml").string() + " -q --out " + (tmp / "none").string()));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.output.find("bad.toml:4:"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(tmp / "none"));
  // A variant's `with` must hold "key=value" strings.
  std::string study = testing::read_text(tmp / "commons.toml");
  study.replace(study.find("with = [\"ecology.commons_decay=0.05\"]"), 37, "with = [\"ecology.commons_decay\"]");
  std::ofstream(tmp / "bad-with.toml") << study;
  const auto bad_with = run_command(glocal("study " + (tmp / "bad-with.toml").string() + " -q --out " + (tmp / "none").string()));
  EXPECT_EQ(bad_with.status, 2);
  EXPECT_NE(bad_with.output.find("bad-with.toml:"), std::string::npos) << bad_with.output;
  EXPECT_NE(bad_with.output.find("key=value"), std::string::npos) << bad_with.output;
  EXPECT_FALSE(fs::exists(tmp / "none"));
}

TEST(Cli, TheShippedRoadsAreWhatTheirScriptWrites) {
  // scenarios/world/roads/ is generated by scripts/regimes.py ("change the script, not these
  // files"): the script, asked for the shipped firms' size into another folder, writes the same
  // four files byte for byte.
  testing::TempDir tmp("roads");
  const auto r = run_command("python3 " GLOCAL_SOURCE_DIR "/scripts/regimes.py --firm-jobs 0.002 --out " + tmp.path().string());
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* road : {"continuation", "hyperglobalization", "localization", "glocalization"}) {
    const std::string name = std::string(road) + ".toml";
    EXPECT_EQ(testing::read_text(tmp / name), testing::read_text(fs::path(GLOCAL_SOURCE_DIR "/scenarios/world/roads") / name)) << road;
  }
}

TEST(Cli, LeversStudyTakesARoadApart) {
  // hyperglobalization -> glocalization, a quick look (3 ticks, 2 runs per point): 11 levers, a
  // resolution IV fraction of 32 points; effects.csv holds, for each of the 10 indicators, the
  // whole difference, the 11 main effects and the interactions' part.
  testing::TempDir tmp("levers");
  const auto out = tmp / "levers";
  const std::string world = GLOCAL_SOURCE_DIR "/scenarios/world/";
  const auto r = run_command(
      glocal("study levers -q -r 2 --ticks 3 " + world + "hyperglobalization.toml " + world + "glocalization.toml --out " + out.string()));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(line_count(out / "design.csv"), 1U + 32U);
  EXPECT_EQ(line_count(out / "effects.csv"), 1U + 10U * 13U);
  const std::string report = testing::read_text(out / "report.md");
  EXPECT_NE(report.find("11 levers, 32 design points (resolution IV fraction)"), std::string::npos);
  EXPECT_NE(report.find("| governance.floor_tax |"), std::string::npos);
  // The same scenario twice has no lever; a different world is refused; nothing is written.
  EXPECT_EQ(run_command(
                glocal("study levers -q " + world + "glocalization.toml " + world + "glocalization.toml --out " + (tmp / "none").string()))
                .status,
            2);
  EXPECT_EQ(run_command(glocal("study levers -q " + world + "glocalization.toml " + kDefault + " --out " + (tmp / "none").string())).status,
            2);
  EXPECT_FALSE(fs::exists(tmp / "none"));
}

TEST(Cli, UnknownSubcommandOrOptionIsAnError) {
  EXPECT_EQ(run_command(glocal("frobnicate")).status, 2);
  EXPECT_EQ(run_command(glocal("run " + kDefault + " --no-such-option")).status, 2);
}

TEST(ResultsWriter, AFailedRunIsRecordedWithItsErrorNextToTheOthers) {
  testing::TempDir tmp("failed");
  const Scenario s = Scenario::parse("[culture]\n", "s.toml");
  std::vector<RunResult> runs(2);
  runs[0].run_id = 0;
  runs[0].stop_reason = "ticks";
  runs[0].ticks = 1;
  std::vector<double> metrics(metric_columns(s).size(), 1.0);
  metrics[metrics.size() - 2] = std::numeric_limits<double>::quiet_NaN();  // a missing value: an empty cell
  runs[0].series.push_back({1, metrics});
  runs[1].run_id = 1;
  runs[1].replicate = 1;
  runs[1].status = RunStatus::failed;
  runs[1].error = "out of memory, with a comma";
  write_results(tmp.path(), s, runs, Invocation{});
  const std::string outcomes = testing::read_text(tmp / "outcomes.csv");
  EXPECT_NE(outcomes.find("0,0,0,ok,ticks,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,,1,\n"), std::string::npos) << outcomes;
  EXPECT_NE(outcomes.find("1,0,1,failed,,,,,,,,,,,,,,,,,,,\"out of memory, with a comma\"\n"), std::string::npos) << outcomes;
}

TEST(ResultsWriter, SubnormalAndInfiniteMetricsReachSqliteExactly) {
  // A metric of 5e-324 (subnormal) or infinity once made the SQLite writer's re-parse throw after
  // every run had finished, losing them all.
  testing::TempDir tmp("subnormal");
  const Scenario s = Scenario::parse("[culture]\n", "s.toml");
  std::vector<RunResult> runs(1);
  runs[0].stop_reason = "ticks";
  runs[0].ticks = 1;
  std::vector<double> metrics(metric_columns(s).size(), 1.0);
  metrics[0] = std::numeric_limits<double>::denorm_min();
  metrics[1] = std::numeric_limits<double>::infinity();
  runs[0].series.push_back({1, metrics});
  ASSERT_NO_THROW(write_results(tmp.path(), s, runs, Invocation{}));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((tmp / "results.sqlite").string().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT regions, zones FROM outcomes", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_double(statement, 0), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(sqlite3_column_double(statement, 1), std::numeric_limits<double>::infinity());
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

}  // namespace
}  // namespace glocal
