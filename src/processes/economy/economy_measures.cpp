// The economy's metrics (declared with process_info in economy.cpp): inequality of the measured
// quantity, income in both price systems, the groups' means, and each place's.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include "glocal/metrics/inequality.hpp"
#include "processes/economy/economy.hpp"  // IWYU pragma: associated

namespace glocal::economy {

EconomyProcess::WorldMetrics EconomyProcess::measure_all() const {
  WorldMetrics out;
  const std::span<const double> w = measures_income() ? std::span<const double>(income_) : std::span<const double>(wealth_);
  const auto agents = static_cast<double>(w.size());
  const SortedValues measured(w);  // sorted once for the four statistics below
  out.gini = measured.gini();
  out.top1_share = measured.share_of_highest(0.01);
  out.quintile_ratio = measured.quintile_ratio();
  const std::uint32_t nations = places_->count(Scale::nation);
  std::vector<CountryIncome> countries(nations);
  std::vector<std::uint32_t> nation_of(w.size());
  // Per group (0 other, 1 north, 2 south): agents, income, wealth.
  std::array<double, 3> heads{}, group_income{}, group_wealth{};
  for (std::uint32_t n = 0; n < nations; ++n) {
    const AgentRange range = places_->place(Scale::nation, n);
    double sum = 0, income = 0, wealth = 0;
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {
      sum += w[i];
      income += income_[i];
      wealth += wealth_[i];
      nation_of[i] = n;
    }
    countries[n] = {static_cast<double>(range.size), range.size > 0 ? sum / range.size : 0.0};
    heads[group_[n]] += range.size;
    group_income[group_[n]] += income;
    group_wealth[group_[n]] += wealth;
  }
  out.country_ratio = country_ratio(countries);
  const TheilIndex t = theil(w, nation_of, nations);
  out.theil = t.total;
  out.theil_between = t.between;
  out.theil_within = t.within;
  out.poverty = measured.poverty_rate(params_.poverty_line);
  const double total = std::accumulate(wealth_.begin(), wealth_.end(), 0.0);
  out.mean_wealth = wealth_.empty() ? 0.0 : total / agents;
  out.oligarch_share = wealth_.empty() ? 0.0 : *std::max_element(wealth_.begin(), wealth_.end()) / total;
  out.negative_share =
      wealth_.empty() ? 0.0 : static_cast<double>(std::count_if(wealth_.begin(), wealth_.end(), [](double x) { return x < 0.0; })) / agents;
  out.exchanges = static_cast<double>(exchanges_);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  out.mean_income = income_.empty() ? 0.0 : std::accumulate(income_.begin(), income_.end(), 0.0) / agents;
  out.underemployment = production_.on() ? production_.underemployment({0, static_cast<AgentIndex>(wealth_.size())}) : kNaN;
  out.income_north = heads[1] > 0 ? group_income[1] / heads[1] : kNaN;
  out.income_south = heads[2] > 0 ? group_income[2] / heads[2] : kNaN;
  out.wealth_north = heads[1] > 0 ? group_wealth[1] / heads[1] : kNaN;
  out.wealth_south = heads[2] > 0 ? group_wealth[2] / heads[2] : kNaN;
  out.foreign_jobs = production_.on() ? production_.foreign_job_share() : 0.0;
  out.profit_outflow = production_.on() ? production_.outflow_share() : 0.0;
  out.local_tax = local_tax_in({0, static_cast<AgentIndex>(wealth_.size())});
  // Income in both price systems: at PPP, and at market exchange rates through the price levels.
  if (!production_.on()) {
    for (double WorldMetrics::*field : {&WorldMetrics::gini_ppp, &WorldMetrics::gini_xr, &WorldMetrics::country_ratio_ppp,
                                        &WorldMetrics::country_ratio_xr, &WorldMetrics::theil_between_ppp, &WorldMetrics::theil_within_ppp,
                                        &WorldMetrics::theil_between_xr, &WorldMetrics::theil_within_xr}) {
      out.*field = kNaN;
    }
    out.disasters = 0.0;
    return out;
  }
  std::vector<double> at_rates(income_.size());
  std::vector<CountryIncome> ppp(nations);
  std::vector<CountryIncome> xr(nations);
  for (std::uint32_t n = 0; n < nations; ++n) {
    const AgentRange range = places_->place(Scale::nation, n);
    const double price = production_.price_level(n);
    double sum = 0;
    for (AgentIndex i = range.first; i < range.first + range.size; ++i) {
      at_rates[i] = income_[i] * price;
      sum += income_[i];
    }
    const double mean = range.size > 0 ? sum / range.size : 0.0;
    ppp[n] = {static_cast<double>(range.size), mean};
    xr[n] = {static_cast<double>(range.size), mean * price};
  }
  out.gini_ppp = measures_income() ? out.gini : gini(income_);  // income at PPP is what gini measured then
  out.gini_xr = gini(at_rates);
  out.country_ratio_ppp = country_ratio(ppp);
  out.country_ratio_xr = country_ratio(xr);
  const TheilIndex t_ppp = measures_income() ? t : theil(income_, nation_of, nations);
  const TheilIndex t_xr = theil(at_rates, nation_of, nations);
  out.theil_between_ppp = t_ppp.between;
  out.theil_within_ppp = t_ppp.within;
  out.theil_between_xr = t_xr.between;
  out.theil_within_xr = t_xr.within;
  out.disasters = static_cast<double>(production_.disasters());
  return out;
}

double EconomyProcess::local_tax_in(AgentRange place) const {
  if (local_tax_.empty() || place.size == 0) return 0.0;  // no income tax levied (yet)
  const auto [first, last] = places_->within(place, Scale::locality);
  double taxed = 0;
  for (std::uint32_t l = first; l <= last; ++l) taxed += local_tax_[l] * static_cast<double>(places_->place(Scale::locality, l).size);
  return taxed / static_cast<double>(place.size);
}

EconomyProcess::PlaceMetrics EconomyProcess::measure_place_all(AgentRange place) const {
  PlaceMetrics out;
  out.local_tax = local_tax_in(place);
  const std::vector<double>& measured = measures_income() ? income_ : wealth_;
  const std::span<const double> w(measured.data() + place.first, place.size);
  const auto mean = [&](const std::vector<double>& x) {
    return place.size > 0
               ? std::accumulate(x.begin() + place.first, x.begin() + place.first + place.size, 0.0) / static_cast<double>(place.size)
               : 0.0;
  };
  out.gini = gini(w);
  out.mean_wealth = mean(wealth_);
  out.mean_income = mean(income_);
  out.underemployment = production_.on() ? production_.underemployment(place) : std::numeric_limits<double>::quiet_NaN();
  if (!production_.on()) {
    out.income_ppp = out.income_xr = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  // At market exchange rates: each nation's incomes times its price level.
  double at_rates = 0;
  const auto [first, last] = places_->within(place, Scale::nation);
  for (std::uint32_t n = first; n <= last; ++n) {
    const AgentRange nation = places_->place(Scale::nation, n);
    const AgentIndex from = std::max(nation.first, place.first);
    const AgentIndex to = std::min(nation.first + nation.size, place.first + place.size);
    double sum = 0;
    for (AgentIndex i = from; i < to; ++i) sum += income_[i];
    at_rates += sum * production_.price_level(n);
  }
  out.income_ppp = out.mean_income;
  out.income_xr = place.size > 0 ? at_rates / static_cast<double>(place.size) : 0.0;
  return out;
}

}  // namespace glocal::economy
