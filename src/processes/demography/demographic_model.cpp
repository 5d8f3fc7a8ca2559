#include "processes/demography/demographic_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

namespace glocal::demography {

namespace {
constexpr std::size_t kTerms = 5;
std::array<double, kTerms> regressors(double previous_growth, double income_per_head, int year) noexcept {
  const double x = std::log(income_per_head / 1000.0);
  return {1.0, previous_growth, x, x * x, (year - 1950) / 10.0};
}
}  // namespace

double DemographicModel::growth(double previous_growth, double income_per_head, int year) const noexcept {
  const auto r = regressors(previous_growth, income_per_head, year);
  double g = 0;
  for (std::size_t k = 0; k < kTerms; ++k) g += coefficients[k] * r[k];
  return g;
}

DemographicModel fit_demographic_model(const CountryData& data, int first_year, int last_year) {
  // Weighted normal equations X'WX beta = X'Wy, accumulated observation by observation.
  std::array<std::array<double, kTerms + 1>, kTerms> system{};  // [X'WX | X'Wy]
  std::size_t n = 0;
  double weights = 0, sum_y = 0, sum_yy = 0;
  struct Point {
    std::array<double, kTerms> x;
    double y;
    double w;
  };
  std::vector<Point> points;
  for (int year = std::max(first_year, data.first_year() + 2); year <= std::min(last_year, data.last_year()); ++year) {
    for (const auto* unit : world_units(data, year, FederationRule::as_of_year)) {
      const double p0 = data.population(*unit, year - 2);
      const double p1 = data.population(*unit, year - 1);
      const double p2 = data.population(*unit, year);
      const double y = data.gdppc(*unit, year);
      if (std::isnan(p0) || std::isnan(p1) || std::isnan(p2) || std::isnan(y)) continue;
      const double growth = p2 / p1 - 1.0;
      const auto x = regressors(p1 / p0 - 1.0, y, year);
      const double w = p1 / 1.0e6;  // people (millions) in the year before
      for (std::size_t i = 0; i < kTerms; ++i) {
        for (std::size_t j = 0; j < kTerms; ++j) system[i][j] += w * x[i] * x[j];
        system[i][kTerms] += w * x[i] * growth;
      }
      points.push_back({x, growth, w});
      weights += w;
      sum_y += w * growth;
      sum_yy += w * growth * growth;
      ++n;
    }
  }
  if (n < 10) throw std::invalid_argument("the demographic model needs at least 10 nation-years with population and GDP per head");
  // Gaussian elimination with partial pivoting.
  for (std::size_t col = 0; col < kTerms; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < kTerms; ++row) {
      if (std::abs(system[row][col]) > std::abs(system[pivot][col])) pivot = row;
    }
    if (std::abs(system[pivot][col]) < 1e-12) throw std::invalid_argument("the demographic model's normal equations are singular");
    std::swap(system[col], system[pivot]);
    for (std::size_t row = 0; row < kTerms; ++row) {
      if (row == col) continue;
      const double factor = system[row][col] / system[col][col];
      for (std::size_t k = col; k <= kTerms; ++k) system[row][k] -= factor * system[col][k];
    }
  }
  DemographicModel model;
  for (std::size_t k = 0; k < kTerms; ++k) model.coefficients[k] = system[k][kTerms] / system[k][k];
  double residual = 0;
  for (const auto& point : points) {
    double fit = 0;
    for (std::size_t k = 0; k < kTerms; ++k) fit += model.coefficients[k] * point.x[k];
    residual += point.w * (point.y - fit) * (point.y - fit);
  }
  const double mean = sum_y / weights;
  const double total = sum_yy - weights * mean * mean;
  model.observations = n;
  model.r_squared = total > 0 ? 1.0 - residual / total : 0.0;
  model.residual_sd = std::sqrt(residual / weights);
  return model;
}

}  // namespace glocal::demography
