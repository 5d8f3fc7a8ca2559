#pragma once
// Sensitivity indices from a sampled design and its outputs (issue 15):
//  - Sobol' first-order (Saltelli et al. 2010, eq. (b) of table 2) and total (Jansen 1999)
//    indices from Saltelli's A / AB / B layout;
//  - Morris (1991) elementary effects: mu, mu* (Campolongo et al. 2007) and sigma.
// Confidence intervals by bootstrap over the base samples (Sobol') or trajectories (Morris), the
// half-width z * sd of the bootstrap estimates, as SALib reports them.
#include <cstdint>
#include <vector>

#include "glocal/run/design.hpp"

namespace glocal {

struct SobolIndices {
  std::vector<double> first;       ///< S_i
  std::vector<double> first_conf;  ///< half-width of its interval
  std::vector<double> total;       ///< ST_i
  std::vector<double> total_conf;
};

/// y: one output per design row, in the design's order (N base samples of D + 2 rows, or 2D + 2
/// with second_order). Throws std::invalid_argument on a size mismatch or an output without
/// variance.
[[nodiscard]] SobolIndices sobol_indices(const std::vector<double>& y, std::size_t parameters, bool second_order,
                                         std::size_t bootstrap = 1000, double confidence = 0.95, std::uint64_t seed = 1);

struct MorrisIndices {
  std::vector<double> mu;
  std::vector<double> mu_star;
  std::vector<double> sigma;
  std::vector<double> mu_star_conf;
};

/// The elementary effect of each step of each trajectory: (y_after - y_before) / (the change of
/// the moved factor in unit coordinates, from the design's values; integer rounding included).
/// Throws std::invalid_argument when the design is not a Morris design or y does not match.
[[nodiscard]] MorrisIndices morris_indices(const Design& design, const std::vector<double>& y, std::size_t bootstrap = 1000,
                                           double confidence = 0.95, std::uint64_t seed = 1);

}  // namespace glocal
