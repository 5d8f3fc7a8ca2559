#pragma once
// Running a scenario in-process and collecting final metrics, for the validation tests.
#include <stdexcept>
#include <string>
#include <vector>

#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal::testing {

/// Final metrics of every run of a batch.
struct Outcomes {
  std::vector<MetricSpec> columns;
  std::vector<std::vector<double>> rows;

  /// One metric over all runs.
  [[nodiscard]] std::vector<double> column(const std::string& name) const {
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (columns[k].name != name) continue;
      std::vector<double> values;
      for (const auto& row : rows) values.push_back(row[k]);
      return values;
    }
    throw std::invalid_argument("no metric " + name);
  }
};

/// Runs `replicates` runs of the scenario on two threads; the final metrics of each.
inline Outcomes run_outcomes_of(const Scenario& scenario, std::uint64_t replicates) {
  BatchOptions options;
  options.threads = 2;
  Outcomes out{metric_columns(scenario), {}};
  for (const auto& run : run_batch(scenario, replicates, options)) {
    if (run.status != RunStatus::ok) throw std::runtime_error("run failed: " + run.error);
    out.rows.push_back(run.series.back().metrics);
  }
  return out;
}

/// Runs `replicates` runs of the scenario file with `--set`-style overrides, on two threads.
inline Outcomes run_outcomes(const std::string& scenario_path, const std::vector<std::string>& overrides, std::uint64_t replicates) {
  Scenario scenario = Scenario::load_file(scenario_path);
  scenario.set_all(overrides);
  return run_outcomes_of(scenario, replicates);
}

}  // namespace glocal::testing
