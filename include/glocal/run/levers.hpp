#pragma once
// Taking a road apart lever by lever (`glocal study levers FROM TO`; docs/experiments.md,
// "Levers"). Two scenarios of one world that differ in several policy levers (the three roads move
// five to eight at once) are crossed in a two-level factorial design: each lever at FROM's setting
// (-) or TO's (+). A lever's main effect on an indicator is the mean of the indicator where the
// lever is at + minus its mean where it is at -; the road's whole difference, TO minus FROM, less the
// sum of the main effects, is what the levers do together (their interactions).
//
// The design is the full factorial up to six levers, and beyond that a resolution IV fraction: the
// full factorial of m base levers, every other lever set to the product of an odd number (3, 5,
// ...) of base columns (Box, Hunter & Hunter 2005, ch. 6, the fold-over construction), m the least
// with 2^(m-1) >= k. The product of two odd-weight words has even weight, so no main effect is
// aliased with a two-lever interaction. The design holds FROM (every lever -) and TO (every +).
#include <cstddef>
#include <string>
#include <vector>

#include "glocal/model/scenario.hpp"
#include "glocal/run/study.hpp"

namespace glocal {

/// One lever: the keys that move together (a sub-table such as economy.reach.* is one lever: its
/// weights are only valid together).
struct Lever {
  std::string name;               ///< the key, or the sub-table ("economy.reach")
  std::vector<std::string> keys;  ///< the keys it sets, each with its value and schedule
};

/// The levers in which `to` differs from `from`: every key whose value or schedule differs, a
/// key of a sub-table (two dots or more) joined with the others of its sub-table. Throws
/// std::invalid_argument when the two enable different processes or differ in a world key or in
/// their nations (the levers must act on one world).
[[nodiscard]] std::vector<Lever> levers_between(const Scenario& from, const Scenario& to);

/// `from` with the levers whose entry of `high` is true set as in `to`.
[[nodiscard]] Scenario with_levers(const Scenario& from, const Scenario& to, const std::vector<Lever>& levers,
                                   const std::vector<bool>& high);

/// A two-level design for `factors` levers: one row per point, true where the lever is at +. Full
/// factorial for factors <= 6 (2^factors rows); else the resolution IV fold-over fraction (2^m
/// rows). Row 0 is every lever at -, the last row every lever at +.
[[nodiscard]] std::vector<std::vector<bool>> two_level_design(std::size_t factors);

/// The main effect of each lever and the interactions' part of the whole difference, estimated
/// from replicates that share their random streams across points (run.streams = "shared"): the
/// effect in replicate r is (2/N) sum_i x_i y_ir (x = +-1, N rows); the estimate is the mean over
/// replicates with its 95 % interval (Student's t), so the pairing of the replicates is kept.
struct LeverEffects {
  std::vector<Estimate> main;  ///< per lever
  Estimate whole;              ///< y(every +) - y(every -): TO minus FROM
  Estimate interactions;       ///< whole minus the sum of the main effects
};
/// `y[row][replicate]`: the indicator at each design point in each replicate (rows as the design).
[[nodiscard]] LeverEffects lever_effects(const std::vector<std::vector<bool>>& design, const std::vector<std::vector<double>>& y);

}  // namespace glocal
