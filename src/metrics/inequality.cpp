#include "glocal/metrics/inequality.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

#include "glocal/core/radix_sort.hpp"

namespace glocal {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> sorted(std::span<const double> values) {
  std::vector<double> out(values.begin(), values.end());
  sort_doubles(out);
  return out;
}

/// Sum of the lowest `people` (a real number) of ascending values: whole people, then the
/// boundary person in part.
double lowest_sum(const std::vector<double>& ascending, double people) {
  const auto whole = static_cast<std::size_t>(std::floor(people));
  double sum = std::accumulate(ascending.begin(), ascending.begin() + static_cast<std::ptrdiff_t>(std::min(whole, ascending.size())), 0.0);
  if (whole < ascending.size()) sum += (people - static_cast<double>(whole)) * ascending[whole];
  return sum;
}

}  // namespace

SortedValues::SortedValues(std::span<const double> values) : ascending_(sorted(values)) {
  total_ = std::accumulate(ascending_.begin(), ascending_.end(), 0.0);
}

double SortedValues::gini() const noexcept {
  if (ascending_.empty()) return kNaN;
  const std::vector<double>& x = ascending_;
  const auto n = static_cast<double>(x.size());
  double total = 0;
  double weighted = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    total += x[i];
    weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * x[i];
  }
  return total > 0 ? weighted / (n * total) : kNaN;
}

double SortedValues::share_of_lowest(double fraction) const noexcept {
  if (ascending_.empty() || !(total_ > 0)) return kNaN;
  return lowest_sum(ascending_, fraction * static_cast<double>(ascending_.size())) / total_;
}

double SortedValues::share_of_highest(double fraction) const noexcept {
  if (ascending_.empty() || !(total_ > 0)) return kNaN;
  return (total_ - lowest_sum(ascending_, (1.0 - fraction) * static_cast<double>(ascending_.size()))) / total_;
}

double SortedValues::quintile_ratio() const noexcept {
  const double bottom = share_of_lowest(0.2);
  const double top = share_of_highest(0.2);
  return bottom > 0 ? top / bottom : kNaN;
}

double SortedValues::poverty_rate(double fraction) const noexcept {
  if (ascending_.empty()) return kNaN;
  const std::vector<double>& x = ascending_;
  const std::size_t n = x.size();
  const double median = n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
  const double line = fraction * median;
  return static_cast<double>(std::lower_bound(x.begin(), x.end(), line) - x.begin()) / static_cast<double>(n);
}

double gini(std::span<const double> values) { return SortedValues(values).gini(); }
double share_of_lowest(std::span<const double> values, double fraction) { return SortedValues(values).share_of_lowest(fraction); }
double share_of_highest(std::span<const double> values, double fraction) { return SortedValues(values).share_of_highest(fraction); }
double quintile_ratio(std::span<const double> values) { return SortedValues(values).quintile_ratio(); }

double country_ratio(std::span<const CountryIncome> countries) {
  std::vector<CountryIncome> c(countries.begin(), countries.end());
  std::sort(c.begin(), c.end(), [](const CountryIncome& a, const CountryIncome& b) { return a.income_per_head < b.income_per_head; });
  const double population = std::accumulate(c.begin(), c.end(), 0.0, [](double s, const CountryIncome& k) { return s + k.population; });
  if (!(population > 0)) return kNaN;
  const double fifth = 0.2 * population;
  // Income of the first `people` of world population, walking countries from poorest to richest.
  const auto income_of_poorest = [&](double people) {
    double income = 0;
    for (const CountryIncome& k : c) {
      const double taken = std::min(k.population, people);
      income += taken * k.income_per_head;
      people -= taken;
      if (people <= 0) break;
    }
    return income;
  };
  const double total = income_of_poorest(population);
  const double poorest = income_of_poorest(fifth) / fifth;
  const double richest = (total - income_of_poorest(population - fifth)) / fifth;
  return poorest > 0 ? richest / poorest : kNaN;
}

double country_theil(std::span<const CountryIncome> countries) {
  double people = 0, total = 0;
  for (const auto& c : countries) {
    people += c.population;
    total += c.population * c.income_per_head;
  }
  if (!(people > 0) || !(total > 0)) return kNaN;
  const double mu = total / people;
  double t = 0;
  for (const auto& c : countries) {
    const double ratio = c.income_per_head / mu;
    if (ratio > 0) t += c.population / people * ratio * std::log(ratio);
  }
  return t;
}

TheilIndex theil(std::span<const double> values, std::span<const std::uint32_t> group, std::uint32_t groups) {
  TheilIndex out;
  const auto n = static_cast<double>(values.size());
  const double total = std::accumulate(values.begin(), values.end(), 0.0);
  const bool valid = !values.empty() && total > 0 && std::none_of(values.begin(), values.end(), [](double v) { return v < 0; });
  if (!valid) return {kNaN, kNaN, kNaN};
  const double mu = total / n;
  std::vector<double> sum(groups, 0.0);
  std::vector<double> count(groups, 0.0);
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum[group[i]] += values[i];
    count[group[i]] += 1;
  }
  const auto term = [](double ratio) { return ratio > 0 ? ratio * std::log(ratio) : 0.0; };
  std::vector<double> within_group(groups, 0.0);  // sum over the group's members of term(x / mu_g)
  for (std::size_t i = 0; i < values.size(); ++i) {
    out.total += term(values[i] / mu);
    const std::uint32_t g = group[i];
    within_group[g] += term(values[i] / (sum[g] / count[g]));
  }
  out.total /= n;
  for (std::uint32_t g = 0; g < groups; ++g) {
    if (count[g] == 0 || sum[g] <= 0) continue;
    const double share = sum[g] / total;
    const double mean = sum[g] / count[g];
    out.within += share * within_group[g] / count[g];
    out.between += share * std::log(mean / mu);
  }
  return out;
}

double hill_tail_index(std::span<const double> values, std::size_t k) {
  if (k == 0 || values.size() < k + 1) return kNaN;
  std::vector<double> x(values.begin(), values.end());
  std::partial_sort(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k + 1), x.end(), std::greater<>());
  if (!(x[k] > 0)) return kNaN;
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) sum += std::log(x[i] / x[k]);
  return sum > 0 ? static_cast<double>(k) / sum : kNaN;
}

double poverty_rate(std::span<const double> values, double fraction) { return SortedValues(values).poverty_rate(fraction); }

}  // namespace glocal
