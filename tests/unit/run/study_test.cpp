// The study's statistics against hand-computed values.
#include "glocal/run/study.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include "support/command.hpp"

namespace glocal {
namespace {

TEST(Study, StudentQuantilesAndTheirNormalLimit) {
  EXPECT_DOUBLE_EQ(t_quantile_975(1), 12.706);
  EXPECT_DOUBLE_EQ(t_quantile_975(9), 2.262);
  EXPECT_DOUBLE_EQ(t_quantile_975(30), 2.042);
  EXPECT_NEAR(t_quantile_975(120), 1.980, 0.002);  // tables: 1.980
  EXPECT_NEAR(t_quantile_975(1000000), 1.960, 1e-3);
  EXPECT_THROW((void)t_quantile_975(0), std::invalid_argument);
}

TEST(Study, MeanAndConfidenceInterval) {
  // Values 1..5: mean 3, sd sqrt(2.5), se sqrt(0.5), t(4) = 2.776.
  const Estimate e = estimate_mean({1, 2, 3, 4, 5});
  EXPECT_DOUBLE_EQ(e.mean, 3.0);
  EXPECT_NEAR(e.high - e.mean, 2.776 * std::sqrt(0.5), 1e-12);
  EXPECT_NEAR(e.mean - e.low, 2.776 * std::sqrt(0.5), 1e-12);
  EXPECT_EQ(e.runs, 5U);
  const Estimate one = estimate_mean({7.0, std::nan("")});  // NaNs are skipped
  EXPECT_EQ(one.runs, 1U);
  EXPECT_DOUBLE_EQ(one.low, 7.0);
  EXPECT_DOUBLE_EQ(one.high, 7.0);
  EXPECT_TRUE(std::isnan(estimate_mean({}).mean));
}

TEST(Study, RankingBestFirstWithStableTies) {
  const std::vector<Estimate> by_regime = {{2.0, 0, 0, 1}, {3.0, 0, 0, 1}, {2.0, 0, 0, 1}};
  EXPECT_EQ(ranking(by_regime, true), (std::vector<std::size_t>{1, 0, 2}));
  EXPECT_EQ(ranking(by_regime, false), (std::vector<std::size_t>{0, 2, 1}));
}

TEST(Study, PairedDifferencesTellApartWhatUnpairedIntervalsCannot) {
  // a and b share replicates 0-2 (b holds a's replicate-to-replicate swing less 0.5 +- 0.1);
  // replicate 3 of a is NaN and replicate 4 has no partner: both skipped. Differences 0.5, 0.6,
  // 0.4: mean 0.5, sd 0.1, t(2) = 4.303, half-width 4.303 x 0.1 / sqrt(3) = 0.24843.
  const std::map<std::uint64_t, double> a = {{0, 1.0}, {1, 2.0}, {2, 3.0}, {3, std::nan("")}};
  const std::map<std::uint64_t, double> b = {{0, 0.5}, {1, 1.4}, {2, 2.6}, {4, 9.0}};
  const Estimate d = paired_difference(a, b);
  EXPECT_EQ(d.runs, 3U);
  EXPECT_NEAR(d.mean, 0.5, 1e-12);
  EXPECT_NEAR(d.high - d.mean, 4.303 * 0.1 / std::sqrt(3.0), 1e-9);
  EXPECT_TRUE(distinguishable(d));
  // Unpaired, the same values' intervals overlap (a: 2 +- 2.48, b: 1.5 +- 2.62).
  const Estimate ea = estimate_mean({1.0, 2.0, 3.0});
  const Estimate eb = estimate_mean({0.5, 1.4, 2.6});
  EXPECT_LT(ea.low, eb.high);
  // Identical runs are indistinguishable (a zero-width interval at 0), as is a single pair.
  EXPECT_FALSE(distinguishable(paired_difference(a, a)));
  EXPECT_FALSE(distinguishable(paired_difference({{0, 2.0}}, {{0, 1.0}})));
  // A ranking's neighbours: x > y where the pair is told apart, y ~ z where it is not.
  std::vector<std::vector<Estimate>> differences(3, std::vector<Estimate>(3));
  differences[0][1] = d;
  differences[1][2] = paired_difference(a, a);
  EXPECT_EQ(tiered_ranking({0, 1, 2}, {"x", "y", "z"}, differences), "x > y ~ z");
  // What a draw must keep: x before y (told apart; x - y > 0 and higher is better), y and z in
  // either order.
  const auto pairs = established_pairs(differences, true);
  ASSERT_EQ(pairs.size(), 1U);
  EXPECT_EQ(pairs[0], (std::pair<std::size_t, std::size_t>{0, 1}));
  EXPECT_TRUE(keeps_established({0, 2, 1}, pairs));
  EXPECT_FALSE(keeps_established({1, 0, 2}, pairs));
  EXPECT_EQ(established_pairs(differences, false)[0], (std::pair<std::size_t, std::size_t>{1, 0}));  // lower is better: y first
}

TEST(Study, TheThreeRoadsAreAStudyFile) {
  const Study study = load_study(GLOCAL_SOURCE_DIR "/studies/three-roads.toml");
  EXPECT_EQ(study.name, "three-roads");
  ASSERT_EQ(study.scenarios.size(), 3U);
  EXPECT_EQ(study.scenarios[1].name, "localization");
  EXPECT_TRUE(std::filesystem::exists(study.scenarios[1].file));  // resolved against the study file's folder
  EXPECT_EQ(study.replicates, 10U);
  ASSERT_EQ(study.indicators.size(), 10U);
  EXPECT_EQ(study.indicators[1].metric, "poverty");
  EXPECT_FALSE(study.indicators[1].higher_is_better);
  EXPECT_FALSE(study.indicators[7].ranked);  // distinct cultures: reported only
  ASSERT_EQ(study.sensitivity.size(), 8U);
  EXPECT_EQ(study.sensitivity[0].factor, 0.5);
  EXPECT_EQ(study.sensitivity[7].value, "20");
  ASSERT_TRUE(study.uncertainty.has_value());
  EXPECT_EQ(study.uncertainty->draws, 20U);
  EXPECT_EQ(study.uncertainty->replicates, 4U);
  EXPECT_TRUE(std::filesystem::exists(study.uncertainty->parameters));
}

TEST(Study, TheRoadsOnTheRealWorldDrawFromTheCalibrationsConfidenceSet) {
  const Study study = load_study(GLOCAL_SOURCE_DIR "/studies/three-roads-real.toml");
  ASSERT_EQ(study.scenarios.size(), 4U);
  EXPECT_EQ(study.scenarios[0].name, "continuation");
  for (const auto& scenario : study.scenarios) EXPECT_TRUE(std::filesystem::exists(scenario.file)) << scenario.file;
  ASSERT_TRUE(study.uncertainty.has_value());
  EXPECT_TRUE(study.uncertainty->parameters.empty());
  EXPECT_TRUE(std::filesystem::exists(study.uncertainty->points));
  EXPECT_EQ(study.uncertainty->draws, 0U);  // every point of the file
  // Draws are given one way: a file of distributions or a file of points, not both.
  testing::TempDir tmp("study-points");
  std::ofstream(tmp / "points.csv") << "economy.zeta\n0.05\n";
  std::ofstream(tmp / "both.toml") << "[study]\nname = \"x\"\ntitle = \"X\"\n[[scenario]]\nname = \"a\"\nfile = \"" GLOCAL_SOURCE_DIR
                                      "/scenarios/default.toml\"\n[[scenario]]\nname = \"b\"\nfile = \"" GLOCAL_SOURCE_DIR
                                      "/scenarios/default.toml\"\n[[indicator]]\ndimension = \"d\"\nmetric = \"cultures\"\nbetter = "
                                      "\"higher\"\n[uncertainty]\npoints = \"points.csv\"\nparameters = \"points.csv\"\n";
  try {
    (void)load_study(tmp / "both.toml");
    ADD_FAILURE() << "accepted both";
  } catch (const ScenarioError& error) {
    EXPECT_NE(std::string(error.what()).find("give the draws one way"), std::string::npos) << error.what();
  }
}

/// The error of loading `text` as a study file (empty when it loads).
std::string study_error(const std::string& text) {
  testing::TempDir tmp("study-file");
  const auto path = tmp / "s.toml";
  std::ofstream(path) << text;
  try {
    (void)load_study(path);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "";
}

TEST(Study, ABadStudyFileIsRefusedWithItsLineAndField) {
  const std::string world = GLOCAL_SOURCE_DIR "/scenarios/world/";
  const std::string scenarios = "[[scenario]]\nname = \"a\"\nfile = \"" + world +
                                "localization.toml\"\n[[scenario]]\nname = \"b\"\nfile = \"" + world + "glocalization.toml\"\n";
  const std::string indicator = "[[indicator]]\ndimension = \"poverty\"\nmetric = \"poverty\"\nbetter = \"lower\"\n";
  const std::string head = "[study]\nname = \"s\"\ntitle = \"S\"\n";
  EXPECT_EQ(study_error(head + scenarios + indicator), "");
  EXPECT_NE(study_error(scenarios + indicator).find("expected a [study] table"), std::string::npos);
  EXPECT_NE(study_error(head + "colour = 1\n" + scenarios + indicator).find("s.toml:4:"), std::string::npos);  // line of the field
  EXPECT_NE(study_error(head + "colour = 1\n" + scenarios + indicator).find("unknown field of [study]"), std::string::npos);
  EXPECT_NE(study_error(head + scenarios + std::string(indicator).replace(indicator.find("lower"), 5, "more")).find("expected \"higher\""),
            std::string::npos);
  EXPECT_NE(
      study_error(head + "[[scenario]]\nname = \"a\"\nfile = \"nowhere.toml\"\n" + scenarios + indicator).find("no such scenario file"),
      std::string::npos);
  EXPECT_NE(study_error(head + scenarios).find("at least one [[indicator]]"), std::string::npos);
  EXPECT_NE(study_error(head + scenarios + indicator + "[[sensitivity]]\nkey = \"economy.zeta\"\n").find("exactly one of factor"),
            std::string::npos);
  EXPECT_NE(study_error(head + "[[scenario]]\nname = \"a\"\nfile = \"" + world + "localization.toml\"\n" + indicator).find("at least two"),
            std::string::npos);
  EXPECT_NE(study_error("[study\n").find("malformed TOML"), std::string::npos);
  EXPECT_NE(study_error(head + scenarios + indicator + "[uncertainty]\nparameters = \"nowhere.toml\"\n").find("no such file"),
            std::string::npos);
  EXPECT_NE(study_error(head + scenarios + indicator + "[uncertainty]\nparameters = \"" + GLOCAL_SOURCE_DIR +
                        "/studies/three-roads-uncertainty.toml\"\ndraws = 1\n")
                .find("'draws': expected an integer of at least 2"),
            std::string::npos);
}

}  // namespace
}  // namespace glocal
