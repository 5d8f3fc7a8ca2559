// Sampled designs and sensitivity indices: Sobol' points against scipy, Latin hypercube strata,
// Morris trajectories, the file forms (glocal's and SALib's), and the indices against analytic
// results (Ishigami's Sobol' indices, a linear function's elementary effects, the g-function's
// ordering). Tolerances and sample sizes are stated before the runs, in each test.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <set>

#include "glocal/core/error.hpp"
#include "glocal/run/design.hpp"
#include "glocal/run/sensitivity.hpp"
#include "support/command.hpp"

namespace glocal {
namespace {

namespace fs = std::filesystem;

std::vector<DesignParameter> unit_cube(std::size_t d, double lo = 0.0, double hi = 1.0) {
  std::vector<DesignParameter> out;
  for (std::size_t j = 0; j < d; ++j) out.push_back({fmt::format("x{}", j + 1), Distribution::uniform, lo, hi, false, ""});
  return out;
}

TEST(Sobol, PointsEqualScipysUnscrambledSequence) {
  // scipy.stats.qmc.Sobol(d, scramble=False).random(n): reference values printed by scipy 1.10.1.
  SobolSequence three(3);
  const double expected[8][3] = {{0, 0, 0},
                                 {0.5, 0.5, 0.5},
                                 {0.75, 0.25, 0.25},
                                 {0.25, 0.75, 0.75},
                                 {0.375, 0.375, 0.625},
                                 {0.875, 0.875, 0.125},
                                 {0.625, 0.125, 0.875},
                                 {0.125, 0.625, 0.375}};
  for (const auto& row : expected) {
    const auto x = three.next();
    for (int j = 0; j < 3; ++j) EXPECT_EQ(x[j], row[j]);
  }
  SobolSequence wide(200);
  wide.skip(1023);
  const auto x1023 = wide.next();
  const double at1023[] = {0.0009765625, 0.7529296875, 0.6123046875, 0.1455078125, 0.1865234375};
  for (int j = 0; j < 5; ++j) EXPECT_EQ(x1023[j], at1023[j]) << j;
  wide.skip(1099 - 1024);
  const auto x1099 = wide.next();
  EXPECT_EQ(x1099[0], 0.46240234375);
  EXPECT_EQ(x1099[9], 0.64794921875);
  EXPECT_EQ(x1099[57], 0.42333984375);
  EXPECT_EQ(x1099[199], 0.66162109375);
  SobolSequence widest(1000);
  widest.skip(63);
  const auto x63 = widest.next();
  EXPECT_EQ(x63[998], 0.890625);
  EXPECT_EQ(x63[999], 0.046875);
  EXPECT_THROW(SobolSequence(1001), std::invalid_argument);
}

TEST(Design, ALatinHypercubeHasOnePointInEachStratumOfEachColumn) {
  const Design design = make_design(unit_cube(4, -2.0, 6.0), {DesignMethod::lhs, 50, 9});
  ASSERT_EQ(design.rows(), 50U);
  for (std::size_t j = 0; j < 4; ++j) {
    std::set<int> strata;
    for (const auto& row : design.values) strata.insert(static_cast<int>(std::floor((row[j] + 2.0) / 8.0 * 50)));
    EXPECT_EQ(strata.size(), 50U) << j;
  }
  // The same seed gives the same design; another seed another.
  EXPECT_EQ(make_design(unit_cube(4, -2.0, 6.0), {DesignMethod::lhs, 50, 9}).values, design.values);
  EXPECT_NE(make_design(unit_cube(4, -2.0, 6.0), {DesignMethod::lhs, 50, 10}).values, design.values);
}

TEST(Design, MorrisTrajectoriesMoveOneFactorAtATimeByTheGridStep) {
  const Design design = make_design(unit_cube(5), {DesignMethod::morris, 20, 3, false, 4});
  ASSERT_EQ(design.rows(), 20U * 6U);
  for (std::size_t t = 0; t < 20; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t k = 0; k < 5; ++k) {
      const auto& a = design.values[t * 6 + k];
      const auto& b = design.values[t * 6 + k + 1];
      for (std::size_t j = 0; j < 5; ++j) {
        if (a[j] != b[j]) {
          moved.insert(j);
          EXPECT_NEAR(std::abs(b[j] - a[j]), 2.0 / 3.0, 1e-12);  // p = 4: step p / (2 (p - 1))
        }
      }
    }
    EXPECT_EQ(moved.size(), 5U) << "trajectory " << t;
  }
}

TEST(Design, SaltelliRowsFollowSalibsLayout) {
  const Design design = make_design(unit_cube(3), {DesignMethod::sobol, 8, 1});
  ASSERT_EQ(design.rows(), 8U * 5U);
  for (std::size_t i = 0; i < 8; ++i) {
    const auto& a = design.values[i * 5];
    const auto& b = design.values[i * 5 + 4];
    for (std::size_t j = 0; j < 3; ++j) {
      for (std::size_t k = 0; k < 3; ++k) EXPECT_EQ(design.values[i * 5 + 1 + j][k], k == j ? b[k] : a[k]);
    }
  }
  EXPECT_EQ(make_design(unit_cube(3), {DesignMethod::sobol, 8, 1, true}).rows(), 8U * 8U);
}

TEST(Sensitivity, IshigamiIndicesMatchTheAnalyticValues) {
  // Ishigami and Homma (1990), a = 7, b = 0.1, x uniform on [-pi, pi]^3. Stated before the run:
  // N = 4096 base samples (20,480 evaluations), every index within +-0.03 of its analytic value.
  constexpr double a = 7.0;
  constexpr double b = 0.1;
  const double pi = std::numbers::pi;
  const Design design = make_design(unit_cube(3, -pi, pi), {DesignMethod::sobol, 4096, 1});
  std::vector<double> y;
  for (const auto& x : design.values)
    y.push_back(std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) + b * std::pow(x[2], 4) * std::sin(x[0]));
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const SobolIndices s = sobol_indices(y, 3, false, 200);
  const double first[] = {v1 / v, v2 / v, 0.0};
  const double total[] = {(v1 + v13) / v, v2 / v, v13 / v};
  for (int j = 0; j < 3; ++j) {
    fmt::print("Ishigami x{}: S1 {:.4f} +- {:.4f} (analytic {:.4f}), ST {:.4f} +- {:.4f} (analytic {:.4f})\n", j + 1, s.first[j],
               s.first_conf[j], first[j], s.total[j], s.total_conf[j], total[j]);
    EXPECT_NEAR(s.first[j], first[j], 0.03) << "S" << j + 1;
    EXPECT_NEAR(s.total[j], total[j], 0.03) << "ST" << j + 1;
    EXPECT_GT(s.first_conf[j], 0.0);
    EXPECT_LT(s.first_conf[j], 0.1);
  }
}

TEST(Sensitivity, ALinearFunctionsElementaryEffectsAreItsSlopes) {
  // y = 3 x1 - 2 x2 + 0 x3 on [0, 10] x [0, 10] x [0, 10]: every elementary effect, in unit
  // coordinates, is the slope times the range, exactly: mu = (30, -20, 0), mu* = |mu|, sigma 0.
  const Design design = make_design(unit_cube(3, 0.0, 10.0), {DesignMethod::morris, 10, 5, false, 4});
  std::vector<double> y;
  for (const auto& x : design.values) y.push_back(3 * x[0] - 2 * x[1]);
  const MorrisIndices m = morris_indices(design, y, 100);
  const double slope[] = {30.0, -20.0, 0.0};
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(m.mu[j], slope[j], 1e-9);
    EXPECT_NEAR(m.mu_star[j], std::abs(slope[j]), 1e-9);
    EXPECT_NEAR(m.sigma[j], 0.0, 1e-9);
  }
}

TEST(Sensitivity, MorrisRanksTheGFunctionsFactorsInTheirKnownOrder) {
  // Sobol's g-function with a = (0, 1, 9, 99): the smaller a_i, the more x_i matters. Stated
  // before the run: r = 50 trajectories, p = 4; mu* strictly decreasing along the factors, and x4's
  // mu* below a tenth of x1's.
  const double a[] = {0.0, 1.0, 9.0, 99.0};
  const Design design = make_design(unit_cube(4), {DesignMethod::morris, 50, 11, false, 4});
  std::vector<double> y;
  for (const auto& x : design.values) {
    double g = 1.0;
    for (int j = 0; j < 4; ++j) g *= (std::abs(4 * x[j] - 2) + a[j]) / (1 + a[j]);
    y.push_back(g);
  }
  const MorrisIndices m = morris_indices(design, y, 100);
  for (int j = 0; j < 3; ++j) EXPECT_GT(m.mu_star[j], m.mu_star[j + 1]) << j;
  EXPECT_LT(m.mu_star[3], 0.1 * m.mu_star[0]);
}

TEST(Sensitivity, NormalQuantileIsExact) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-15);
  for (const double p : {1e-300, 1e-10, 0.01, 0.3, 0.7, 0.99, 1 - 1e-12}) {
    EXPECT_NEAR(0.5 * std::erfc(-normal_quantile(p) / std::sqrt(2.0)) / p, 1.0, 1e-12) << p;
  }
}

TEST(DesignFiles, ParametersReadFromTomlAndSalibFormsAndBadOnesAreLocated) {
  testing::TempDir tmp("design-files");
  std::ofstream(tmp / "p.toml") << "[[parameter]]\nkey = \"culture.traits\"\nmin = 2\nmax = 30\n"
                                   "[[parameter]]\nkey = \"culture.drift\"\ndistribution = \"loguniform\"\nmin = 1e-5\nmax = 1e-2\n";
  const auto toml = read_design_parameters(tmp / "p.toml");
  ASSERT_EQ(toml.size(), 2U);
  EXPECT_TRUE(toml[0].integer);
  EXPECT_EQ(toml[1].distribution, Distribution::loguniform);
  write_salib_parameters(tmp / "p.txt", toml);
  const auto salib = read_design_parameters(tmp / "p.txt");
  ASSERT_EQ(salib.size(), 2U);
  EXPECT_EQ(salib[1].key, "culture.drift");
  EXPECT_EQ(salib[1].distribution, Distribution::loguniform);
  EXPECT_EQ(salib[1].a, 1e-5);
  const auto error_of = [&](const std::string& text, const char* name) {
    std::ofstream(tmp / name) << text;
    try {
      (void)read_design_parameters(tmp / name);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("culture.traits 2 30\nculture.trait 1 3\n", "typo.txt")
                .find("typo.txt:2: 'culture.trait': unknown key; did you mean 'culture.traits'?"),
            std::string::npos);
  EXPECT_NE(error_of("culture.traits 2 900\n", "range.txt").find("leaves the key's range"), std::string::npos);
  EXPECT_NE(error_of("run.seed 1 9\n", "seed.txt").find("cannot be sampled"), std::string::npos);
  EXPECT_NE(error_of("culture.drift 0 1 g triang\n", "dist.txt").find("triang"), std::string::npos);
  EXPECT_NE(error_of("[[parameter]]\nkey = \"culture.drift\"\nmin = 0\n", "half.toml").find("needs min and max"), std::string::npos);
}

TEST(DesignFiles, DesignCsvAndSalibMatrixRoundTrip) {
  testing::TempDir tmp("design-roundtrip");
  std::vector<DesignParameter> p = {{"culture.traits", Distribution::uniform, 2, 30, true, ""},
                                    {"culture.drift", Distribution::loguniform, 1e-5, 1e-2, false, ""}};
  const Design design = make_design(p, {DesignMethod::morris, 6, 2, false, 4});
  write_design_csv(tmp / "d.csv", design);
  const Design back = read_design_csv(tmp / "d.csv");
  EXPECT_EQ(back.spec.method, DesignMethod::morris);
  EXPECT_EQ(back.spec.n, 6U);
  EXPECT_EQ(back.values, design.values);
  EXPECT_TRUE(back.parameters[0].integer);
  write_salib_matrix(tmp / "m.txt", design);
  const Design matrix = read_salib_matrix(tmp / "m.txt", p, {DesignMethod::morris, 0});
  EXPECT_EQ(matrix.spec.n, 6U);
  EXPECT_EQ(matrix.values, design.values);
  // A plain table of points is a design too; a short row is located.
  std::ofstream(tmp / "plain.csv") << "culture.traits,culture.features\n5,3\n10,3\n";
  EXPECT_EQ(read_design_csv(tmp / "plain.csv").rows(), 2U);
  std::ofstream(tmp / "short.csv") << "culture.traits,culture.features\n5,3\n10\n";
  EXPECT_THROW((void)read_design_csv(tmp / "short.csv"), ScenarioError);
}

}  // namespace
}  // namespace glocal
