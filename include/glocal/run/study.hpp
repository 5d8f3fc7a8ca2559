#pragma once
// The three-roads study (issue 5; the essay's question): the same world under hyperglobalization,
// localization and glocalization, compared on the six dimensions of human security the essay takes
// from Scholte, with means and 95 % confidence intervals over replicates, and a check of whether the
// ranking of the regimes survives changes to the parameters it depends on most.
#include <cstdint>
#include <string>
#include <vector>

#include "glocal/run/simulation.hpp"

namespace glocal {

/// One row of the study's table: a metric standing for a dimension.
struct StudyIndicator {
  std::string dimension;  ///< e.g. "ecological integrity"
  std::string metric;     ///< the metric column, e.g. "integrity"
  bool higher_is_better;  ///< for the ranking
  bool ranked = true;     ///< false: reported with its interval, never ranked (a count that rewards a transient)
};

/// The indicators of the six dimensions, in report order.
[[nodiscard]] const std::vector<StudyIndicator>& three_roads_indicators();

/// A mean with its two-sided 95 % confidence interval (Student's t, n - 1 degrees of freedom).
struct Estimate {
  double mean = 0.0;
  double low = 0.0;
  double high = 0.0;
  std::size_t runs = 0;
};
/// The estimate of the values' mean; a single value has an interval of zero width. NaNs skipped.
[[nodiscard]] Estimate estimate_mean(const std::vector<double>& values);
/// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1).
[[nodiscard]] double t_quantile_975(std::size_t df);

/// The final value of `metric` in each successful run.
[[nodiscard]] std::vector<double> final_values(const Scenario& scenario, const std::vector<RunResult>& runs, const std::string& metric);

/// Regime indices ordered best first on an indicator (ties keep the given order).
[[nodiscard]] std::vector<std::size_t> ranking(const std::vector<Estimate>& by_regime, bool higher_is_better);

}  // namespace glocal
