#pragma once
// Sampled designs for experiments over many parameters (issue 15): Latin hypercube, Saltelli's
// scheme on Sobol' points (for Sobol' indices) and Morris trajectories (for elementary effects),
// with SALib's parameter-file and sample-matrix layouts so that designs move either way.
//
// A design is a matrix: one row per parameter point, one column per parameter. Each parameter has
// a distribution; the sampling works on the unit cube and maps each coordinate through the
// distribution's quantile function (integer keys rounded to the nearest integer). See
// docs/experiments.md, "Designs and sensitivity".
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "glocal/model/scenario.hpp"

namespace glocal {

enum class Distribution {
  uniform,     ///< a = lower, b = upper
  loguniform,  ///< uniform in log: a = lower > 0, b = upper
  normal,      ///< a = mean, b = standard deviation
  lognormal,   ///< log of it normal: a = mean of the log, b = sd of the log
};

struct DesignParameter {
  std::string key;  ///< a scenario key (integer or real)
  Distribution distribution = Distribution::uniform;
  double a = 0.0;
  double b = 1.0;
  bool integer = false;  ///< the key is an integer: values are rounded
  std::string group;     ///< SALib's group column ("" when none)

  /// The value at unit coordinate u in (0, 1) (or [0, 1] for bounded distributions).
  [[nodiscard]] double value_at(double u) const;
  /// The unit coordinate of a value (the inverse of value_at before rounding).
  [[nodiscard]] double unit_of(double value) const;
};

/// Reads the parameters of a design: glocal's TOML form ([[parameter]] tables with key, min, max
/// and distribution, or mean and sd) or SALib's text form (`name lower upper [group] [dist]` per
/// line, dist one of unif, logunif, norm, lognorm). Every key must be a declared integer or real
/// scenario key. Throws ScenarioError naming file and line.
[[nodiscard]] std::vector<DesignParameter> read_design_parameters(const std::filesystem::path& path);
/// Writes SALib's parameter-file form. Throws OutputError.
void write_salib_parameters(const std::filesystem::path& path, const std::vector<DesignParameter>& parameters);

enum class DesignMethod { lhs, sobol, morris };
[[nodiscard]] const char* to_string(DesignMethod method) noexcept;

struct DesignSpec {
  DesignMethod method = DesignMethod::lhs;
  std::uint64_t n = 0;  ///< lhs: rows; sobol: base samples N (rows N (D + 2), or N (2D + 2)); morris: trajectories r (rows r (D + 1))
  std::uint64_t seed = 1;
  bool second_order = false;  ///< sobol: SALib's layout with the BA rows (second-order indices are not estimated)
  unsigned levels = 4;        ///< morris: grid levels p (even); the step is p / (2 (p - 1))
};

struct Design {
  DesignSpec spec;
  std::vector<DesignParameter> parameters;
  std::vector<std::vector<double>> values;  ///< rows x parameters, in the parameters' units
  [[nodiscard]] std::size_t rows() const noexcept { return values.size(); }
};

/// Samples a design. Throws std::invalid_argument for an impossible specification.
[[nodiscard]] Design make_design(const std::vector<DesignParameter>& parameters, const DesignSpec& spec);

/// design.csv: comment lines ("# ...") with the method and each parameter's distribution, then a
/// header of keys and one row per point. pandas: pd.read_csv("design.csv", comment="#").
void write_design_csv(const std::filesystem::path& path, const Design& design);
/// Reads design.csv back. A file without glocal's comment lines is a plain list of points (method
/// lhs, each parameter uniform over its column's range): any table of keys can be run. Throws
/// ScenarioError naming file and line.
[[nodiscard]] Design read_design_csv(const std::filesystem::path& path);
/// SALib's sample-matrix form (numpy.savetxt: values separated by spaces, no header).
void write_salib_matrix(const std::filesystem::path& path, const Design& design);
/// Reads a SALib sample matrix for the given parameters and layout. Throws ScenarioError.
[[nodiscard]] Design read_salib_matrix(const std::filesystem::path& path, const std::vector<DesignParameter>& parameters,
                                       const DesignSpec& spec);

/// The design's points as a scenario's point table (integer keys as integers).
[[nodiscard]] PointTable point_table_of(const Design& design, std::string source);

/// Sobol' points without scrambling (Joe and Kuo 2008's direction numbers, new-joe-kuo-6, up to
/// 1,000 dimensions; Bratley and Fox's Gray-code order), the sequence scipy.stats.qmc.Sobol gives
/// with scramble=False.
class SobolSequence {
 public:
  explicit SobolSequence(unsigned dimensions);
  /// The next point (the first is the origin).
  std::vector<double> next();
  /// Skips `count` points.
  void skip(std::uint64_t count);
  static constexpr unsigned kMaxDimensions = 1000;

 private:
  unsigned dimensions_;
  std::vector<std::uint32_t> directions_;  ///< dimension-major, 32 per dimension
  std::vector<std::uint32_t> state_;
  std::uint64_t index_ = 0;
};

/// The standard normal quantile function (Acklam's approximation refined by one Halley step:
/// relative error below 1e-15). p in (0, 1).
[[nodiscard]] double normal_quantile(double p);

}  // namespace glocal
