// Redistribution at each scale (economy.chi_local, each nation's chi from the policy table,
// economy.chi_global): relaxation of wealth toward each place's mean (the Affine Wealth Model), or a
// flat tax on income with equal transfers (economy.redistribute = "income").
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
void EconomyProcess::at_each_scale(Relax&& relax) const {
  if (params_.chi_local > 0.0) {
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

void EconomyProcess::redistribute_income() {
  // Each scale maps y to k y + (1 - k) m, so each locality's composed rule is slope y + intercept,
  // which its agents expect to meet again when they spend next tick (jobs from demand).
  const std::uint32_t localities = places_->count(Scale::locality);
  std::vector<double> slope(localities, 1.0);
  std::vector<double> intercept(localities, 0.0);
  bool taxed = false;
  at_each_scale([&](AgentRange place, double chi) {
    if (chi <= 0.0 || place.size == 0) return;
    taxed = true;
    const double keep = std::exp(-chi);  // 1 - the tax rate
    double* y = income_.data() + place.first;
    double* w = wealth_.data() + place.first;
    const double mean = std::accumulate(y, y + place.size, 0.0) / static_cast<double>(place.size);
    for (AgentIndex i = 0; i < place.size; ++i) {
      const double transfer = mean + (y[i] - mean) * keep - y[i];
      y[i] += transfer;
      w[i] += params_.save * transfer;
    }
    const Places::IndexRange within = places_->within(place, Scale::locality);
    for (std::uint32_t l = within.first; l <= within.last; ++l) {
      slope[l] *= keep;
      intercept[l] = keep * intercept[l] + (1.0 - keep) * mean;
    }
  });
  if (!taxed) {  // the identity: nothing to expect
    slope.clear();
    intercept.clear();
  }
  production_.expect_transfers(std::move(slope), std::move(intercept));
}

}  // namespace glocal::economy
