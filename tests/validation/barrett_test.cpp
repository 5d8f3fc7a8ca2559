// Barrett's (1994) self-enforcing international environmental agreements (fast tier). Criteria
// fixed before the runs: the payoff function reproduces the Nash and full-cooperation limits and
// the signatories' first-order condition; the simulated coalition, after 300 ticks of joining and
// leaving, is the unique size that is internally and externally stable (d'Aspremont et al. 1983,
// as Barrett uses it) for gamma = 0.01, 0.1, 1, 10, 100 (N = 100), in each of 4 runs; and the
// cheap (ozone-like) agreement is larger than the costly (climate-like) one.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "processes/ecology/ecology.hpp"
#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal {
namespace {

using ecology::commons_outcome;

TEST(Barrett1994, PayoffsHaveTheNashAndCooperativeLimits) {
  const double gamma = 0.3;
  const std::uint32_t n = 20;
  // No agreement: (1/N)(a - Q) = gamma q, so q = a / (N (1 + gamma)).
  EXPECT_NEAR(commons_outcome(0, n, gamma, 1.0).abatement, n * (1.0 / (n * (1.0 + gamma))), 1e-12);
  // Everyone signs: sum_i (1/N)(a - Q) = gamma q, so Q = a N / (N + gamma).
  EXPECT_NEAR(commons_outcome(n, n, gamma, 1.0).abatement, n / (n + gamma), 1e-12);
  // The signatories' joint payoff is maximal at their abatement given the others' best responses:
  // perturbing their common q (and letting the others respond) lowers it.
  const std::uint32_t k = 7;
  const auto joint = [&](double qs) {
    const double qf = (1.0 - k * qs) / (gamma * n + n - k);  // the others' best response
    const double total = k * qs + (n - k) * qf;
    return k * ((total - total * total / 2.0) / n - gamma * qs * qs / 2.0);
  };
  const auto at = commons_outcome(k, n, gamma, 1.0);
  const double gap = 1.0 - at.abatement;
  const double qs = k * gap / (gamma * n + n - k);
  EXPECT_NEAR(joint(qs) / k, at.signatory, 1e-12);
  EXPECT_LT(joint(qs + 1e-4), joint(qs));
  EXPECT_LT(joint(qs - 1e-4), joint(qs));
}

/// Every k >= 2 that is internally (a signatory does not gain by leaving) and externally (an
/// outsider does not gain by joining) stable.
std::vector<std::uint32_t> stable_sizes(std::uint32_t n, double gamma) {
  std::vector<std::uint32_t> sizes;
  for (std::uint32_t k = 2; k <= n; ++k) {
    const bool internal = commons_outcome(k, n, gamma, 1.0).signatory >= commons_outcome(k - 1, n, gamma, 1.0).outsider;
    const bool external = k == n || commons_outcome(k, n, gamma, 1.0).outsider >= commons_outcome(k + 1, n, gamma, 1.0).signatory;
    if (internal && external) sizes.push_back(k);
  }
  return sizes;
}

TEST(Barrett1994, NationsSettleOnTheSelfEnforcingAgreement) {
  for (const double gamma : {0.01, 0.1, 1.0, 10.0, 100.0}) {
    const auto stable = stable_sizes(100, gamma);
    ASSERT_EQ(stable.size(), 1U) << "gamma " << gamma;
    const auto runs = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/barrett1994-ozone.toml",
                                            {"ecology.commons_gamma=" + std::to_string(gamma)}, 4);
    std::printf("Barrett: gamma %6.2f: stable agreement %u of 100; simulated %.0f (mean of 4), abatement %.3f of potential\n", gamma,
                stable[0], testing::mean(runs.column("coalition")), testing::mean(runs.column("abatement")));
    for (const double k : runs.column("coalition")) EXPECT_EQ(k, static_cast<double>(stable[0])) << "gamma " << gamma;
  }
  const auto ozone = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/barrett1994-ozone.toml", {}, 4);
  const auto climate = testing::run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/validation/barrett1994-climate.toml", {}, 4);
  EXPECT_GT(testing::mean(ozone.column("coalition")), testing::mean(climate.column("coalition")));
}

}  // namespace
}  // namespace glocal
