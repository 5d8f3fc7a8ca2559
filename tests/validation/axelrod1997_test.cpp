// Axelrod (1997), "The dissemination of culture", J. Conflict Resolut. 41:203-226, Table 2:
// mean number of stable regions on a 10 x 10 open lattice with 4 neighbours, 10 runs per cell.
//
// Decided before looking: 1,000 runs per cell. The paper's 10-run mean must lie inside the
// central 99.9 % interval of the mean of 10 runs drawn from our 1,000 (bootstrap, 200,000
// resamples). 99.9 % per cell is a Bonferroni correction for 9 cells (family-wise alpha ~ 0.01).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdio>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

struct Cell {
  int features;
  int traits;
  double paper_mean;
};

void PrintTo(const Cell& cell, std::ostream* os) { *os << "F=" << cell.features << " q=" << cell.traits; }

class AxelrodTable2 : public ::testing::TestWithParam<Cell> {};

TEST_P(AxelrodTable2, PaperMeanIsAPlausibleTenRunMean) {
  constexpr int kRuns = 1000;
  constexpr double kCoverage = 0.999;
  const Cell cell = GetParam();
  const auto regions =
      testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/axelrod1997.toml",
                            {"culture.features=" + std::to_string(cell.features), "culture.traits=" + std::to_string(cell.traits)}, kRuns)
          .column("regions");
  const auto [lo, hi] = testing::bootstrap_mean_interval(regions, 10, kCoverage, 200000, 1997);
  std::printf("Axelrod Table 2 F=%d q=%d: %d runs, regions mean %.3f sd %.3f; 10-run-mean 99.9%% interval [%.2f, %.2f]; paper %.1f\n",
              cell.features, cell.traits, kRuns, testing::mean(regions), testing::standard_deviation(regions), lo, hi, cell.paper_mean);
  EXPECT_GE(cell.paper_mean, lo);
  EXPECT_LE(cell.paper_mean, hi);
}

INSTANTIATE_TEST_SUITE_P(Table2, AxelrodTable2,
                         ::testing::Values(Cell{5, 5, 1.0}, Cell{5, 10, 3.2}, Cell{5, 15, 20.0}, Cell{10, 5, 1.0}, Cell{10, 10, 1.0},
                                           Cell{10, 15, 1.4}, Cell{15, 5, 1.0}, Cell{15, 10, 1.0}, Cell{15, 15, 1.2}),
                         [](const ::testing::TestParamInfo<Cell>& cell_info) {
                           return fmt::format("F{}_q{}", cell_info.param.features, cell_info.param.traits);
                         });

}  // namespace
}  // namespace glocal
