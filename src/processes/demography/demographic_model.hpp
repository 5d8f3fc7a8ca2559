#pragma once
// The demographic model beyond the data (docs/model/demography.md): a nation's population growth
// rate in year t,
//     n_t = a + b n_{t-1} + c x_t + d x_t^2 + e (t - 1950) / 10,   x_t = ln(y_t / 1000),
// y_t its GDP (income) per head in 2011 international dollars (PPP): growth persists (b), its
// level follows income along the demographic transition (fertility falling as income rises; the
// quadratic lets growth first rise, then fall with income), and e is the decline at any income
// (the worldwide fall in fertility that income does not explain). Fitted by least squares with
// each nation-year weighted by its population (the quantity projected is people; unweighted, a
// few small states whose growth is migration dominate the high incomes), on every nation-year of
// the country data (federation rule as of each year, so no people are counted twice).
#include <array>
#include <cstddef>

#include "glocal/world/country_data.hpp"

namespace glocal::demography {

struct DemographicModel {
  std::array<double, 5> coefficients{};  ///< a, b, c, d, e
  double r_squared = 0.0;
  double residual_sd = 0.0;  ///< of n_t, per year (weighted)
  std::size_t observations = 0;

  /// n_t from last year's growth and this year's income per head (2011 int$ PPP).
  [[nodiscard]] double growth(double previous_growth, double income_per_head, int year) const noexcept;
};

/// Fits the model on the years first_year..last_year of n_t (each needs the two years before it
/// in the data). Throws std::invalid_argument when fewer than 10 nation-years qualify or the
/// normal equations are singular.
[[nodiscard]] DemographicModel fit_demographic_model(const CountryData& data, int first_year, int last_year);

}  // namespace glocal::demography
