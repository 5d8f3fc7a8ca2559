// Sampled designs end to end: glocal design writes the points, glocal run --design runs them (the
// design travels with the results), glocal analyze computes the indices; SALib's forms in and out.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "support/command.hpp"

namespace glocal {
namespace {

namespace fs = std::filesystem;
using testing::glocal;
using testing::run_command;

/// Axelrod's model on a small lattice run to absorption (Axelrod 1997, Table 2: more traits per
/// feature give more stable regions, more features give fewer).
constexpr const char* kAxelrod = R"([scenario]
name = "axelrod-design"
[run]
stop = "absorbing"
ticks = 100000
replicates = 2
[world.lattice]
side = 8
[culture]
)";

/// culture.threads changes how the work is spread, never the results: an exact dummy.
constexpr const char* kParameters = R"([[parameter]]
key = "culture.traits"
min = 2
max = 30
[[parameter]]
key = "culture.features"
min = 2
max = 8
[[parameter]]
key = "culture.threads"
min = 1
max = 2
)";

/// The data lines of a CSV file (comments starting with '#' dropped).
std::vector<std::string> data_lines(const fs::path& path) {
  std::istringstream in(testing::read_text(path));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') lines.push_back(line);
  }
  return lines;
}

/// Indices from `glocal analyze --out`: (metric, parameter) -> the row's numbers by column name.
std::map<std::pair<std::string, std::string>, std::map<std::string, double>> read_indices(const fs::path& path) {
  const auto lines = data_lines(path);
  std::vector<std::string> header;
  std::map<std::pair<std::string, std::string>, std::map<std::string, double>> indices;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::vector<std::string> cells;
    std::istringstream row(lines[i]);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (i == 0) {
      header = cells;
      continue;
    }
    auto& entry = indices[{cells.at(0), cells.at(1)}];
    for (std::size_t c = 2; c < cells.size(); ++c) entry[header.at(c)] = std::stod(cells[c]);
  }
  return indices;
}

class Design : public ::testing::Test {
 protected:
  Design() : tmp_("design") {
    std::ofstream(at("axelrod.toml")) << kAxelrod;
    std::ofstream(at("params.toml")) << kParameters;
  }
  [[nodiscard]] fs::path at(const std::string& leaf) const { return tmp_ / leaf; }
  /// Runs `glocal ARGS` and expects success.
  testing::CommandResult ok(const std::string& args) {
    auto r = run_command(glocal(args));
    EXPECT_EQ(r.status, 0) << args << "\n" << r.output;
    return r;
  }

 private:
  testing::TempDir tmp_;
};

// Stated before the run: on the 8x8 lattice with 8 Morris trajectories (4 levels, 32 points, 2
// replicates each), the number of cultures at absorption rises with traits (mu > 0, and mu* larger
// than its 95 % interval) and falls with features (mu < 0); culture.threads has mu* = sigma = 0
// exactly, because a run's results never depend on its thread count.
TEST_F(Design, MorrisOnAxelrodFindsTheSignsOfThePaperAndAnExactDummy) {
  ok("design morris -p " + at("params.toml").string() + " -n 8 --levels 4 --seed 3 --out " + at("design.csv").string());
  ASSERT_EQ(data_lines(at("design.csv")).size(), 1u + 8 * 4);
  ok("run " + at("axelrod.toml").string() + " --design " + at("design.csv").string() + " -q -j 2 --out " + at("res").string());
  ASSERT_TRUE(fs::exists(at("res") / "design.csv"));  // the points travel with the results
  EXPECT_EQ(data_lines(at("res") / "design.csv"), data_lines(at("design.csv")));
  EXPECT_EQ(data_lines(at("res") / "outcomes.csv").size(), 1u + 32 * 2);
  const auto r = ok("analyze -d " + (at("res") / "design.csv").string() + " --results " + at("res").string() +
                    " -m cultures -m events --out " + at("indices.csv").string());
  EXPECT_NE(r.output.find("morris indices"), std::string::npos) << r.output;
  const auto indices = read_indices(at("indices.csv"));
  ASSERT_EQ(indices.size(), 6u);
  const auto& traits = indices.at({"cultures", "culture.traits"});
  const auto& features = indices.at({"cultures", "culture.features"});
  EXPECT_GT(traits.at("mu"), 0.0);
  EXPECT_GT(traits.at("mu_star"), traits.at("mu_star_conf"));
  EXPECT_LT(features.at("mu"), 0.0);
  for (const char* metric : {"cultures", "events"}) {
    const auto& threads = indices.at({metric, "culture.threads"});
    EXPECT_EQ(threads.at("mu_star"), 0.0) << metric;
    EXPECT_EQ(threads.at("sigma"), 0.0) << metric;
  }
}

// A Sobol' design run end to end: the dummy's first-order and total indices are exactly 0 and the
// run ids are the design's points in order (analyze reads the Saltelli layout from them).
TEST_F(Design, SobolThroughTheCommandsGivesTheDummyZeroIndices) {
  std::ofstream(at("two.toml")) << "[[parameter]]\nkey = \"culture.traits\"\nmin = 2\nmax = 20\n"
                                   "[[parameter]]\nkey = \"culture.threads\"\nmin = 1\nmax = 2\n";
  std::ofstream(at("short.toml"))
      << "[scenario]\nname = \"short\"\n[run]\nticks = 40\nreplicates = 1\n[world.lattice]\nside = 10\n[culture]\n";
  ok("design sobol -p " + at("two.toml").string() + " -n 16 --out " + at("sobol.csv").string());
  ASSERT_EQ(data_lines(at("sobol.csv")).size(), 1u + 16 * 4);
  ok("run " + at("short.toml").string() + " --design " + at("sobol.csv").string() + " -q --out " + at("res").string());
  ok("analyze -d " + at("sobol.csv").string() + " --results " + (at("res") / "outcomes.csv").string() + " -m cultures --out " +
     at("indices.csv").string());
  const auto indices = read_indices(at("indices.csv"));
  const auto& threads = indices.at({"cultures", "culture.threads"});
  EXPECT_EQ(threads.at("S1"), 0.0);
  EXPECT_EQ(threads.at("ST"), 0.0);
  EXPECT_GT(indices.at({"cultures", "culture.traits"}).at("ST"), 0.5);
  // A point of the design run alone with --set gives the same run (its identity is its point).
  const auto design = data_lines(at("sobol.csv"));
  const std::string point5 = design.at(1 + 5);
  const auto comma = point5.find(',');
  ok("run " + at("short.toml").string() + " --set culture.traits=" + point5.substr(0, comma) +
     " --set culture.threads=" + point5.substr(comma + 1) + " -q --out " + at("alone").string());
  const auto without_ids = [](const std::string& row) {  // run_id, point, replicate differ
    std::size_t at = 0;
    for (int i = 0; i < 3; ++i) at = row.find(',', at) + 1;
    return row.substr(at);
  };
  EXPECT_EQ(without_ids(data_lines(at("alone") / "outcomes.csv").at(1)), without_ids(data_lines(at("res") / "outcomes.csv").at(1 + 5)));
  // The wrong method for the design is refused with a clear message.
  const auto wrong =
      run_command(glocal("analyze -d " + at("sobol.csv").string() + " --results " + at("res").string() + " --method morris"));
  EXPECT_NE(wrong.status, 0);
  EXPECT_NE(wrong.output.find("morris indices need a morris design"), std::string::npos) << wrong.output;
}

TEST_F(Design, SalibMatrixRoundTripsToTheSameDesign) {
  ok("design sobol -p " + at("params.toml").string() + " -n 8 --out " + at("a.csv").string() + " --salib-matrix " + at("X.txt").string() +
     " --salib-params " + at("problem.txt").string());
  ok("design sobol -p " + at("problem.txt").string() + " -n 8 --from-salib " + at("X.txt").string() + " --out " + at("b.csv").string());
  EXPECT_EQ(data_lines(at("a.csv")), data_lines(at("b.csv")));
}

TEST_F(Design, BadDesignsGetClearErrorsAndWriteNothing) {
  const std::string run = "run " + at("axelrod.toml").string() + " -q --design ";
  std::ofstream(at("unknown.csv")) << "culture.trait\n3\n";
  auto r = run_command(glocal(run + at("unknown.csv").string() + " --out " + at("o1").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("culture.trait"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("unknown.csv"), std::string::npos) << r.output;
  std::ofstream(at("range.csv")) << "culture.traits\n5\n-1\n";
  r = run_command(glocal(run + at("range.csv").string() + " --out " + at("o2").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("point 1"), std::string::npos) << r.output;
  std::ofstream(at("ragged.csv")) << "culture.traits,culture.features\n5,3\n7\n";
  r = run_command(glocal(run + at("ragged.csv").string() + " --out " + at("o3").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("ragged.csv:3: expected 2 values, got 1"), std::string::npos) << r.output;
  std::ofstream(at("seed.csv")) << "run.seed\n5\n";
  r = run_command(glocal(run + at("seed.csv").string() + " --out " + at("o4").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("seed.csv:1: 'run.seed': cannot be sampled"), std::string::npos) << r.output;
  std::ofstream(at("swept.toml")) << kAxelrod << "[[sweep]]\nkey = \"culture.traits\"\nvalues = [3, 5]\n";
  std::ofstream(at("good.csv")) << "culture.traits\n5\n";
  r = run_command(glocal("run " + at("swept.toml").string() + " -q --design " + at("good.csv").string() + " --out " + at("o5").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("drop the [[sweep]]"), std::string::npos) << r.output;
  for (const char* out : {"o1", "o2", "o3", "o4", "o5"}) {
    EXPECT_FALSE(fs::exists(at(out))) << out;
    EXPECT_FALSE(fs::exists(at(std::string(out) + ".partial"))) << out;
  }
  // A design's size must be given, and Morris needs bounded distributions.
  r = run_command(glocal("design lhs -p " + at("params.toml").string() + " --out " + at("x.csv").string()));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("-n N"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(at("x.csv")));
}

}  // namespace
}  // namespace glocal
