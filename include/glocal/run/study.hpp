#pragma once
// Studies (`glocal study FILE.toml`): scenarios of one world compared on indicators, with means and
// 95 % confidence intervals over replicates and a check of whether their ranking survives changes
// to the parameters it depends on most. A study is a data file; the essay's question, the same world
// under hyperglobalization, localization and glocalization compared on the dimensions of human
// security the essay takes from Scholte, is the shipped studies/three-roads.toml.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
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

/// A rerun of every scenario with one key changed: its value times `factor`, or `value` (when not
/// empty) as written; `with` holds further assignments ("key=value") the change needs (a rule and
/// its parameter).
struct StudyVariant {
  std::string key;
  double factor = 1.0;
  std::string value;
  std::vector<std::string> with;
};

/// A study (docs/experiments.md, "Studies"): scenarios of one world compared on indicators, with
/// replicates on shared streams and a sensitivity check of the rankings.
struct StudyScenario {
  std::string name;            ///< as reported ("hyperglobalization")
  std::filesystem::path file;  ///< the scenario file (relative paths are resolved against the study file)
};
/// Robustness over parameter draws: the study repeated at `draws` points of a Latin hypercube over
/// uncertain keys (a design parameter file: uniform ranges or normal means and standard errors,
/// such as a calibration's), each with `replicates` runs per scenario; a ranking is robust where it
/// holds in at least 90 % of the draws.
struct StudyUncertainty {
  std::filesystem::path parameters;  ///< the design parameter file ([[parameter]] tables, docs/experiments.md)
  /// Or the points themselves (a design CSV: a header of keys, a row per point), e.g. a
  /// calibration's confidence set (scripts/confidence_set.py): the first `draws` rows are used.
  std::filesystem::path points;
  /// With `parameters`: the Latin hypercube's points; with `points`: the first this many rows (0: all).
  std::uint64_t draws = 20;
  std::uint64_t seed = 1;
  std::uint64_t replicates = 4;
};

struct Study {
  std::string name;
  std::string title;                     ///< the report's heading
  std::string description;               ///< a paragraph of the report
  std::vector<std::string> assumptions;  ///< what the results rest on, listed by the report
  std::uint64_t replicates = 10;
  std::vector<StudyScenario> scenarios;
  std::vector<StudyIndicator> indicators;  ///< in report order
  std::vector<StudyVariant> sensitivity;
  std::optional<StudyUncertainty> uncertainty;
};

/// Reads a study file. Throws ScenarioError (file:line, field, what was expected) for a malformed
/// file, a missing field, an unknown field or a scenario file that does not exist.
[[nodiscard]] Study load_study(const std::filesystem::path& path);

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

/// The final value of `metric` in each successful run, keyed by its replicate (a scenario of one
/// parameter point, as a study's are: with a sweep, replicates of different points would collide).
[[nodiscard]] std::map<std::uint64_t, double> final_values_by_replicate(const Scenario& scenario, const std::vector<RunResult>& runs,
                                                                        const std::string& metric);
/// The paired difference a - b: the mean over the replicates both ran (scenarios on shared streams
/// meet the same random numbers in replicate r, so each difference removes what they share) with
/// its 95 % interval (Student's t). Replicates missing from either side or with a NaN are skipped.
[[nodiscard]] Estimate paired_difference(const std::map<std::uint64_t, double>& a, const std::map<std::uint64_t, double>& b);
/// Whether a paired difference tells two scenarios apart: its interval excludes 0.
[[nodiscard]] bool distinguishable(const Estimate& difference);
/// A ranking (best first) with each neighbour pair joined by " > " where their paired difference
/// tells them apart and " ~ " where it does not (indistinguishable on these runs). `differences`
/// [a][b] is the paired difference a - b.
/// The pairs (better, worse) that paired differences tell apart on an indicator (`differences`
/// [a][b] = a - b): the orders a ranking must keep to agree with what the runs established.
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> established_pairs(const std::vector<std::vector<Estimate>>& differences,
                                                                                 bool higher_is_better);
/// Whether a ranking (best first) puts every established pair's better scenario before its worse;
/// indistinguishable pairs may come in either order.
[[nodiscard]] bool keeps_established(const std::vector<std::size_t>& order, const std::vector<std::pair<std::size_t, std::size_t>>& pairs);
[[nodiscard]] std::string tiered_ranking(const std::vector<std::size_t>& order, const std::vector<std::string>& names,
                                         const std::vector<std::vector<Estimate>>& differences);

}  // namespace glocal
