// Governance's best responses against the model's definitions: the regulation that maximises
// N s(r) (tax + omega) + lambda (1 - exp(-g r)) on [0, regulation_max] against a brute-force
// search of the same objective, and the corner cases stated in governance.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "processes/governance/governance.hpp"

namespace glocal::governance {
namespace {

double objective(const RegulationProblem& p, double r) {
  const double s = 1.0 / (1.0 + std::exp(p.beta * (p.tax + p.kappa * r) + p.log_others));
  return p.nations * s * (p.tax + p.omega) + p.environment_weight * (1.0 - std::exp(-p.regulation_effect * r));
}

/// The maximiser of the objective over a grid of 2^20 + 1 points on [0, regulation_max].
double brute_force(const RegulationProblem& p) {
  constexpr int points = 1 << 20;
  double best = 0.0;
  double best_value = objective(p, 0.0);
  for (int k = 1; k <= points; ++k) {
    const double r = p.regulation_max * k / points;
    const double v = objective(p, r);
    if (v > best_value) {
      best = r;
      best_value = v;
    }
  }
  return best;
}

RegulationProblem problem(double beta, double kappa, double tax, double omega, double nations, double lambda, double g) {
  // The others: N - 1 nations at the cost tax + kappa 0.2 each.
  const double log_others = std::log(nations - 1.0) - beta * (tax + kappa * 0.2);
  return {.beta = beta,
          .kappa = kappa,
          .tax = tax,
          .omega = omega,
          .log_others = log_others,
          .nations = nations,
          .environment_weight = lambda,
          .regulation_effect = g,
          .regulation_max = 1.0};
}

TEST(BestResponseRegulation, MaximisesTheObjectiveOverTheRange) {
  // Interior maxima, maxima at 0 and at the top (where the objective rises again after its local
  // maximum: the nation gives up its firms), for several elasticities and weights. Within the
  // grid's spacing of the brute-force maximiser, and never worse than it.
  int interior = 0, at_zero = 0, at_top = 0;
  for (const double beta : {0.5, 3.3, 8.0}) {
    for (const double lambda : {0.05, 0.3, 1.0, 3.0}) {
      for (const double g : {1.0, 4.0, 10.0}) {
        for (const double omega : {0.0, 1.4}) {
          const RegulationProblem p = problem(beta, 2.0, 0.3, omega, 5.0, lambda, g);
          const double r = best_response_regulation(p);
          const double grid = brute_force(p);
          EXPECT_NEAR(r, grid, 2.0 / (1 << 20)) << "beta " << beta << " lambda " << lambda << " g " << g << " omega " << omega;
          EXPECT_GE(objective(p, r), objective(p, grid) - 1e-12);
          interior += r > 0.0 && r < 1.0 ? 1 : 0;
          at_zero += r == 0.0 ? 1 : 0;
          at_top += r == 1.0 ? 1 : 0;
        }
      }
    }
  }
  // The cases span all three kinds of answer.
  EXPECT_GT(interior, 0);
  EXPECT_GT(at_zero, 0);
  EXPECT_GT(at_top, 0);
}

TEST(BestResponseRegulation, TheInteriorRootIsWhereTheMarginsMeet) {
  // At an interior answer the marginal value of protection lambda g exp(-g r) equals the marginal
  // loss of capital N beta kappa s (1 - s) (tax + omega), to rounding.
  const RegulationProblem p = problem(3.3, 2.0, 0.3788, 0.0, 5.0, 1.0, 10.0);
  const double r = best_response_regulation(p);
  ASSERT_GT(r, 0.0);
  ASSERT_LT(r, 1.0);
  const double s = 1.0 / (1.0 + std::exp(p.beta * (p.tax + p.kappa * r) + p.log_others));
  EXPECT_NEAR(p.environment_weight * p.regulation_effect * std::exp(-p.regulation_effect * r),
              p.nations * p.beta * p.kappa * s * (1.0 - s) * (p.tax + p.omega), 1e-12);
}

TEST(BestResponseRegulation, CornerCases) {
  RegulationProblem p = problem(3.3, 2.0, 0.3, 1.0, 5.0, 1.0, 4.0);
  p.beta = 0.0;  // capital does not move: regulate to the top
  EXPECT_EQ(best_response_regulation(p), 1.0);
  p = problem(3.3, 2.0, 0.3, 1.0, 5.0, 0.0, 4.0);  // protection worth nothing
  EXPECT_EQ(best_response_regulation(p), 0.0);
  p = problem(3.3, 2.0, 0.3, 1.0, 5.0, 1.0, 0.0);  // regulation protects nothing
  EXPECT_EQ(best_response_regulation(p), 0.0);
  p = problem(3.3, 2.0, 0.3, 1.0, 5.0, 1.0, 4.0);
  p.kappa = std::numeric_limits<double>::infinity();  // no firm would profit there even unregulated
  EXPECT_EQ(best_response_regulation(p), 1.0);
  p = problem(3.3, 2.0, 0.3, 1.0, 5.0, 1.0, 4.0);
  p.omega = std::numeric_limits<double>::infinity();  // a firm's jobs are worth everything
  EXPECT_EQ(best_response_regulation(p), 0.0);
  p = problem(3.3, 2.0, 0.3, 1.0, 5.0, 1.0, 4.0);
  p.log_others = -std::numeric_limits<double>::infinity();  // no other nation attracts a firm
  EXPECT_EQ(best_response_regulation(p), 1.0);
}

}  // namespace
}  // namespace glocal::governance
