#pragma once
// The share of agents that firms employ at the end of scenarios/examples/firms-and-culture.toml
// (4 runs), with the product's cultural fit setting a firm's margin or its sales, and with or
// without the glocal strategy (economy.adaptation): the fast test of FirmsAndCulture and its long
// twin share it.
#include <string>

#include "support/scenario_runs.hpp"
#include "support/stats.hpp"

namespace glocal::testing {

/// Every locality's local jobs are exactly 0.6 of it in that world, so firms employ 0.4 minus the
/// underemployed share.
inline double firm_job_share(const std::string& acceptance, double adaptation) {
  const auto runs = run_outcomes(GLOCAL_SOURCE_DIR "/scenarios/examples/firms-and-culture.toml",
                                 {"economy.acceptance=" + acceptance, "economy.adaptation=" + std::to_string(adaptation)}, 4);
  return 0.4 - mean(runs.column("underemployment"));
}

}  // namespace glocal::testing
