#pragma once
// Small, dependency-free statistics for the validation tests.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "glocal/core/rng.hpp"

namespace glocal::testing {

[[nodiscard]] inline double mean(const std::vector<double>& x) {
  double s = 0;
  for (const double v : x) s += v;
  return x.empty() ? 0.0 : s / static_cast<double>(x.size());
}

[[nodiscard]] inline double standard_deviation(const std::vector<double>& x) {
  if (x.size() < 2) return 0.0;
  const double m = mean(x);
  double s = 0;
  for (const double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

/// Spearman's rank correlation of x and y (ties get their mean rank).
[[nodiscard]] inline double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const auto ranks = [](const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> out(values.size());
    for (std::size_t k = 0; k < order.size();) {
      std::size_t end = k;
      while (end < order.size() && values[order[end]] == values[order[k]]) ++end;
      for (std::size_t j = k; j < end; ++j) out[order[j]] = 0.5 * static_cast<double>(k + end + 1);
      k = end;
    }
    return out;
  };
  const std::vector<double> rx = ranks(x), ry = ranks(y);
  const double m = 0.5 * static_cast<double>(x.size() + 1);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    sxy += (rx[k] - m) * (ry[k] - m);
    sxx += (rx[k] - m) * (rx[k] - m);
    syy += (ry[k] - m) * (ry[k] - m);
  }
  return sxy / std::sqrt(sxx * syy);
}

struct KsResult {
  double statistic = 0;  ///< D = sup |F1 - F2|
  double p_value = 1;    ///< asymptotic (Kolmogorov distribution); conservative for discrete data
};

/// Two-sample Kolmogorov-Smirnov test. Ties are handled by evaluating both empirical CDFs after
/// every distinct value.
[[nodiscard]] inline KsResult kolmogorov_smirnov(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double na = static_cast<double>(a.size());
  const double nb = static_cast<double>(b.size());
  std::size_t i = 0;
  std::size_t j = 0;
  double d = 0;
  while (i < a.size() && j < b.size()) {
    const double v = std::min(a[i], b[j]);
    while (i < a.size() && a[i] == v) ++i;
    while (j < b.size() && b[j] == v) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
  }
  const double ne = na * nb / (na + nb);
  const double lambda = (std::sqrt(ne) + 0.12 + 0.11 / std::sqrt(ne)) * d;  // Stephens (1970)
  double p = 0;
  for (int k = 1; k <= 100; ++k) {
    p += 2 * ((k % 2) ? 1.0 : -1.0) * std::exp(-2.0 * k * k * lambda * lambda);
  }
  return {d, std::clamp(lambda < 1e-3 ? 1.0 : p, 0.0, 1.0)};
}

/// The central `coverage` interval of the mean of `sample_size` draws (with replacement) from
/// `values`, by bootstrap with `resamples` resamples from a fixed Philox stream.
[[nodiscard]] inline std::pair<double, double> bootstrap_mean_interval(const std::vector<double>& values, std::size_t sample_size,
                                                                       double coverage, std::size_t resamples, std::uint64_t seed) {
  const Rng rng(seed, 0);
  RandomStream stream(rng, 0, 0, Purpose::network_build);
  std::vector<double> means(resamples);
  for (auto& m : means) {
    double s = 0;
    for (std::size_t k = 0; k < sample_size; ++k) s += values[stream.next_below(values.size())];
    m = s / static_cast<double>(sample_size);
  }
  std::sort(means.begin(), means.end());
  const double tail = (1.0 - coverage) / 2.0;
  const auto at = [&](double q) {
    return means[std::min(means.size() - 1, static_cast<std::size_t>(q * static_cast<double>(means.size())))];
  };
  return {at(tail), at(1.0 - tail)};
}

}  // namespace glocal::testing
