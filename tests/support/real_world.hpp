#pragma once
// The shipped real world (scenarios/world/real-1960-2010.toml), run 8 times once per test binary,
// and the data's between-nation figures for its own units (the 145 of 1960: federations
// throughout, PRK left out), computed the way data/maddison/ratios.py computes them.
#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include "glocal/metrics/inequality.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal::testing {

inline constexpr std::uint64_t kRuns = 8;

/// `runs` runs of `scenario` on 2 threads; throws if one fails.
inline std::vector<RunResult> checked_batch(const Scenario& scenario, std::uint64_t runs) {
  BatchOptions options;
  options.threads = 2;
  auto results = run_batch(scenario, runs, options);
  for (const auto& run : results) {
    if (run.status != RunStatus::ok) throw std::runtime_error(run.error);
  }
  return results;
}

/// A metric in a year (runs recorded every year from 1960), one value per run.
inline std::vector<double> metric_by_run(const Scenario& scenario, const std::vector<RunResult>& runs, const std::string& name, int year) {
  const std::size_t column = metric_index(scenario, name);
  std::vector<double> out;
  for (const auto& run : runs) out.push_back(run.series.at(static_cast<std::size_t>(year - 1960)).metrics[column]);
  return out;
}

struct RealWorld {
  Scenario scenario = Scenario::load_file(GLOCAL_SOURCE_DIR "/scenarios/world/real-1960-2010.toml");
  std::vector<RunResult> runs;
  RealWorld() {
    scenario.set_all({"run.record_every=1", "run.record_places=nation"});
    runs = checked_batch(scenario, kRuns);
  }
  /// The mean over runs of a metric in a year.
  [[nodiscard]] double metric(const std::string& name, int year) const {
    double sum = 0;
    for (const double value : metric_by_run(scenario, runs, name, year)) sum += value;
    return sum / static_cast<double>(runs.size());
  }
  /// The nations of the data world, in the model's order.
  [[nodiscard]] std::vector<const CountrySeries*> units() const {
    std::vector<const CountrySeries*> out;
    for (const auto& nation : scenario.nations()) out.push_back(nation.data_unit);
    return out;
  }
};

/// Runs a copy of `scenario` on shared streams (run r of every variant meets the same random
/// numbers), recording every year; throws if a run fails.
inline std::vector<RunResult> shared_runs(Scenario scenario, std::uint64_t runs, const std::vector<std::string>& assignments = {}) {
  std::vector<std::string> all = {"run.streams=shared", "run.record_every=1"};
  all.insert(all.end(), assignments.begin(), assignments.end());
  scenario.set_all(all);
  return checked_batch(scenario, runs);
}

inline const RealWorld& world() {
  static const RealWorld shared;  // one set of runs for every test of this file
  return shared;
}

/// The column of a per-place metric in a PlaceRecord's metrics.
inline std::size_t place_metric_index(const Scenario& scenario, std::string_view name) {
  const auto columns = place_metric_columns(scenario);
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (columns[k].name == name) return k;
  }
  throw std::invalid_argument("no place metric " + std::string(name));
}

/// The data's 20:20 ratio and between-nation Theil T for the model's units in a year.
inline std::pair<double, double> data_inequality(int year) {
  const CountryData& data = *world().scenario.country_data();
  std::vector<CountryIncome> countries;
  for (const auto* unit : world().units()) countries.push_back({data.population(*unit, year), data.gdppc(*unit, year)});
  return {country_ratio(countries), country_theil(countries)};
}

}  // namespace glocal::testing
