// Redistribution at each scale (economy.chi_local, each nation's chi from the policy table,
// economy.chi_global): relaxation of wealth toward each place's mean (the Affine Wealth Model), or a
// flat tax on income with equal transfers (economy.redistribute = "income"), less a deadweight
// loss (economy.deadweight), each locality's rate fixed or its median voter's choice
// (economy.local_rule; Meltzer & Richard 1981).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>
#include <vector>

#include "processes/economy/economy.hpp"  // IWYU pragma: associated

namespace glocal::economy {

template <typename Relax>
void EconomyProcess::at_each_scale(Relax&& relax, bool localities) const {
  if (localities && params_.chi_local > 0.0) {
    for (std::uint32_t p = 0; p < places_->count(Scale::locality); ++p) relax(places_->place(Scale::locality, p), params_.chi_local);
  }
  for (std::uint32_t n = 0; n < policies_->nations(); ++n) relax(places_->place(Scale::nation, n), (*policies_)[n].chi);
  relax(places_->place(Scale::world, 0), params_.chi_global);
}

void EconomyProcess::redistribute(double duration) {
  if (params_.redistribute == Redistribute::income) return;  // the rates act on income (redistribute_income)
  at_each_scale([&](AgentRange place, double chi) {
    if (chi <= 0.0) return;
    const double keep = std::exp(-chi * duration);
    double* w = wealth_.data() + place.first;
    const double mean = std::accumulate(w, w + place.size, 0.0) / static_cast<double>(place.size);
    for (AgentIndex i = 0; i < place.size; ++i) w[i] = mean + (w[i] - mean) * keep;
  });
}

void EconomyProcess::vote_local_taxes() {
  // Meltzer & Richard (1981): a flat tax t with equal transfers of (t - delta t^2 / 2) m gives an
  // agent of income y the income (1 - t) y + (t - delta t^2 / 2) m, which the median voter (y_m)
  // maximises at t = (1 - y_m / m) / delta; with delta = 0, at 1 whenever y_m < m.
  const std::uint32_t localities = places_->count(Scale::locality);
  for (std::uint32_t l = 0; l < localities; ++l) {
    const AgentRange place = places_->place(Scale::locality, l);
    local_tax_[l] = 0.0;
    if (place.size == 0) continue;
    ballot_.assign(income_.begin() + place.first, income_.begin() + place.first + place.size);
    const double mean = std::accumulate(ballot_.begin(), ballot_.end(), 0.0) / static_cast<double>(place.size);
    const auto middle = ballot_.begin() + static_cast<std::ptrdiff_t>(place.size / 2);
    std::nth_element(ballot_.begin(), middle, ballot_.end());
    double median = *middle;
    if (place.size % 2 == 0) median = 0.5 * (median + *std::max_element(ballot_.begin(), middle));
    if (!(mean > 0.0) || median >= mean) continue;
    const double gap = 1.0 - median / mean;
    local_tax_[l] = params_.deadweight > 0.0 ? std::min(1.0, gap / params_.deadweight) : 1.0;
  }
}

void EconomyProcess::redistribute_income() {
  // Each scale maps y to k y + (1 - k)(1 - delta (1 - k) / 2) m (k = 1 - the tax rate), so each
  // locality's composed rule is slope y + intercept, which its agents expect to meet again when
  // they spend next tick (jobs from demand).
  const std::uint32_t localities = places_->count(Scale::locality);
  std::vector<double>& slope = rule_slope_;
  std::vector<double>& intercept = rule_intercept_;
  slope.assign(localities, 1.0);
  intercept.assign(localities, 0.0);
  bool taxed = false;
  const double loss = params_.deadweight;
  const auto tax = [&](AgentRange place, double keep) {
    if (place.size == 0) return;
    taxed = true;
    double* y = income_.data() + place.first;
    double* w = wealth_.data() + place.first;
    const double mean = std::accumulate(y, y + place.size, 0.0) / static_cast<double>(place.size);
    // The transfer over the mean. Without a deadweight loss both lines below keep the arithmetic
    // of the rule before it (the same results to the bit); with one, the general form.
    const double paid = loss > 0.0 ? (1.0 - keep) * (1.0 - 0.5 * loss * (1.0 - keep)) : 1.0 - keep;
    for (AgentIndex i = 0; i < place.size; ++i) {
      const double transfer = loss > 0.0 ? keep * y[i] + paid * mean - y[i] : mean + (y[i] - mean) * keep - y[i];
      y[i] += transfer;
      w[i] += params_.save * transfer;
    }
    const Places::IndexRange within = places_->within(place, Scale::locality);
    for (std::uint32_t l = within.first; l <= within.last; ++l) {
      slope[l] *= keep;
      intercept[l] = keep * intercept[l] + paid * mean;
    }
  };
  local_tax_.assign(localities, params_.chi_local > 0.0 ? -std::expm1(-params_.chi_local) : 0.0);
  const bool voting = params_.local_rule == LocalRule::median_voter;
  if (voting) {
    vote_local_taxes();
    for (std::uint32_t l = 0; l < localities; ++l) {
      if (local_tax_[l] > 0.0) tax(places_->place(Scale::locality, l), 1.0 - local_tax_[l]);
    }
  }
  at_each_scale(
      [&](AgentRange place, double chi) {
        if (chi > 0.0) tax(place, std::exp(-chi));
      },
      !voting);
  if (!taxed) {  // the identity: nothing to expect
    production_.expect_transfers({}, {});
    return;
  }
  production_.expect_transfers(slope, intercept);
}

}  // namespace glocal::economy
