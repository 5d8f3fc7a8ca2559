#pragma once
// Inequality measures (MODEL.md 4.2; the economy's output contract): Gini, shares of the top and
// bottom of a distribution, the UNDP's country ratio, Theil's index with its decomposition into
// between- and within-group parts, and the poverty rate. Pure functions of the values; safe from
// any thread. Shares at a boundary that falls inside one person (or one country) count that
// person (country) in part, so the results do not jump with n.
#include <cstdint>
#include <span>
#include <vector>

namespace glocal {

/// A distribution sorted once, for several statistics of the same values (the free functions below
/// each sort their own copy; the results are the same to the last bit).
class SortedValues {
 public:
  explicit SortedValues(std::span<const double> values);
  [[nodiscard]] double gini() const noexcept;
  [[nodiscard]] double share_of_lowest(double fraction) const noexcept;
  [[nodiscard]] double share_of_highest(double fraction) const noexcept;
  [[nodiscard]] double quintile_ratio() const noexcept;
  [[nodiscard]] double poverty_rate(double fraction) const noexcept;

 private:
  std::vector<double> ascending_;
  double total_ = 0.0;
};

/// Gini coefficient: G = sum_i (2i - n - 1) x_(i) / (n sum x), x ascending, i = 1..n (the mean
/// absolute difference over twice the mean). 0 for equal values; can exceed 1 with negative
/// values. NaN when the total is not positive or there are no values.
[[nodiscard]] double gini(std::span<const double> values);

/// Share of the total held by the lowest `fraction` of the population (0 <= fraction <= 1),
/// counting the person at the boundary in part. NaN when the total is not positive.
[[nodiscard]] double share_of_lowest(std::span<const double> values, double fraction);
/// Share of the total held by the highest `fraction` of the population (e.g. 0.01: top 1 %).
[[nodiscard]] double share_of_highest(std::span<const double> values, double fraction);
/// The richest 20 %'s share over the poorest 20 %'s (individuals).
[[nodiscard]] double quintile_ratio(std::span<const double> values);

/// One country for country_ratio: its population and its income per head.
struct CountryIncome {
  double population = 0.0;
  double income_per_head = 0.0;
};
/// The UNDP statistic (Human Development Report 1992, 1999): countries ranked by income per head;
/// the mean income per head of the countries holding the richest 20 % of world population over
/// that of the countries holding the poorest 20 %, the country at each boundary split by
/// population. NaN when the poorest fifth's income is not positive.
[[nodiscard]] double country_ratio(std::span<const CountryIncome> countries);

/// Theil's T between countries, each person given its country's income per head:
/// T = sum_i (p_i / P)(y_i / mu) ln(y_i / mu), mu the population-weighted mean (as
/// data/maddison/ratios.py computes it). NaN when the total is not positive.
[[nodiscard]] double country_theil(std::span<const CountryIncome> countries);

/// Theil's T index, T = (1/n) sum (x_i / mu) ln(x_i / mu) (0 ln 0 = 0), decomposed over groups:
/// T = within + between, within = sum_g s_g T_g, between = sum_g s_g ln(mu_g / mu), with s_g the
/// group's share of the total. Values must be non-negative with a positive total (else NaN).
struct TheilIndex {
  double total = 0.0;
  double within = 0.0;
  double between = 0.0;
};
/// `group[i]` is the group (0..groups-1) of value i.
[[nodiscard]] TheilIndex theil(std::span<const double> values, std::span<const std::uint32_t> group, std::uint32_t groups);

/// Hill's (1975) estimate of the exponent nu of a Pareto tail P(X > x) ~ x^-nu from the `k`
/// largest values: k / sum_{i <= k} ln(x_(i) / x_(k+1)), values in decreasing order. NaN when
/// there are not k + 1 positive values.
[[nodiscard]] double hill_tail_index(std::span<const double> values, std::size_t k);

/// Share of people whose value is below `fraction` times the median.
[[nodiscard]] double poverty_rate(std::span<const double> values, double fraction);

}  // namespace glocal
