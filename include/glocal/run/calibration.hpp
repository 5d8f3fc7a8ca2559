#pragma once
// Calibration by the simulated method of moments (docs/model/calibration.md; McFadden 1989,
// Pakes & Pollard 1989, Gourieroux & Monfort 1996): the free parameters theta of a scenario are
// chosen to minimise
//     J(theta) = sum_j ((m_j(theta) - v_j) / s_j)^2
// over the fitted targets j, m_j the mean of a moment over R runs that share their random streams
// (common random numbers, so J is smooth in theta), v_j the target and s_j its uncertainty. The
// minimum is found by Nelder & Mead (1965) on the parameters mapped to the real line (logit of
// their bounds). At the estimate, the Jacobian D of the moments gives the standard errors,
// V = (D'WD)^-1 with W = diag(1 / s_j^2), plus the simulation's own noise,
// (D'WD)^-1 D'W (Omega / R) W D (D'WD)^-1; the singular values of W^(1/2) D (per unit of each
// parameter's range) say which parameters the targets pin down. Targets marked fit = false
// (out of sample) are reported, never fitted. Thread safety: a calibration owns its runs.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "glocal/model/scenario.hpp"
#include "glocal/run/simulation.hpp"

namespace glocal {

/// A free parameter: a real scenario key and its bounds.
struct CalibrationParameter {
  std::string key;
  double min = 0.0;
  double max = 1.0;
  SourceLocation where;
};

/// A moment of the model compared with a number from data.
struct CalibrationTarget {
  enum class Kind {
    metric,           ///< a model.csv metric in `year`
    growth_spread,    ///< the spread (population sd over nations) of annual growth of income per head from `from` to `to`
    shrinking_share,  ///< the share of nations whose income per head fell from `from` to `to`
    region_share,     ///< the share of world population in bloc `region` in `year`
  };
  std::string name;
  Kind kind = Kind::metric;
  std::string metric;  ///< Kind::metric
  std::string region;  ///< Kind::region_share
  int year = 0;
  int from = 0;
  int to = 0;
  double value = 0.0;
  double sd = 1.0;   ///< the target's uncertainty: its weight is 1 / sd^2
  bool fit = true;   ///< false: out of sample, reported only
  std::string unit;  ///< free text for the report ("PPP", "exchange rates", ...)
  SourceLocation where;
};

struct CalibrationSpec {
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
  std::uint64_t replicates = 4;  ///< runs per evaluation
  std::uint64_t budget = 200;    ///< evaluations of J by the optimiser
  std::uint64_t draws = 16;      ///< runs with parameters drawn from the estimate's normal approximation (predictive bands)
  std::string source;            ///< the file

  /// Reads a calibration file ([calibration], [[parameter]], [[target]] tables). Throws
  /// ScenarioError naming file:line:column.
  [[nodiscard]] static CalibrationSpec load_file(const std::filesystem::path& path);
  [[nodiscard]] static CalibrationSpec parse(std::string_view text, const std::string& source);
  /// Checks the spec against the scenario (declared real keys, set in the scenario file so their
  /// fitted values can be written in place; metrics it records; years it runs; regions it has).
  /// Throws ScenarioError.
  void check(const Scenario& scenario) const;
};

/// The scenario every evaluation runs: `scenario` with shared streams, every tick and every nation
/// recorded, and enough ticks for the last target year.
[[nodiscard]] Scenario calibration_scenario(const Scenario& scenario, const CalibrationSpec& spec);

/// One run's value of every target (NaN where it cannot be computed).
[[nodiscard]] std::vector<double> run_moments(const Scenario& scenario, const RunResult& run,
                                              const std::vector<CalibrationTarget>& targets);

struct CalibrationEvaluation {
  std::vector<double> theta;
  double objective = 0.0;
};

struct CalibrationResult {
  std::vector<double> start;
  std::vector<double> estimate;
  double objective = 0.0;
  std::size_t fitted_targets = 0;
  std::vector<double> se;                     ///< from the targets' uncertainty alone
  std::vector<double> se_total;               ///< adding the simulation's noise (R runs per moment)
  std::vector<std::vector<double>> jacobian;  ///< [target][parameter], d m_j / d theta_i
  std::vector<double> singular_values;        ///< of W^(1/2) D scaled by each parameter's range, largest first
  std::vector<std::string> identified_by;     ///< per parameter: the fitted target it moves most (in units of sd)
  std::vector<bool> weak;                     ///< per parameter: weakly identified (se_total above a quarter of its range)
  std::vector<CalibrationEvaluation> trace;
  std::vector<double> model_mean;  ///< per target, at the estimate (the mean over the draws' runs)
  std::vector<double> band_low;    ///< per target: 5th percentile over draws from the estimate's normal approximation
  std::vector<double> band_high;   ///< per target: 95th percentile
  std::vector<std::vector<std::pair<double, double>>> profiles;  ///< per parameter: (value, J) with the others at the estimate
  std::uint64_t runs = 0;                                        ///< simulation runs in all
};

struct CalibrationOptions {
  unsigned threads = 0;
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(const std::string&)> progress;  ///< one line at a time
  std::size_t profile_points = 7;
};

/// Runs the calibration. Throws ScenarioError for a spec that does not fit the scenario, and
/// std::runtime_error when cancelled or when the runs fail.
[[nodiscard]] CalibrationResult calibrate(const Scenario& scenario, const CalibrationSpec& spec, const CalibrationOptions& options);

/// The scenario file's text with each key's value replaced, in place, by `values` (every key must
/// be set in the file, not by --set or a sweep).
[[nodiscard]] std::string scenario_text_with(const Scenario& scenario, const std::vector<std::string>& keys,
                                             const std::vector<double>& values);

}  // namespace glocal
