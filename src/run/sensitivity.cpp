#include "glocal/run/sensitivity.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "glocal/core/rng.hpp"

namespace glocal {

namespace {

constexpr std::uint64_t kBootstrapStream = 0xB007;

double sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return 0.0;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0.0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

/// Draws `count` indices in [0, n) with replacement, for bootstrap replicate `b`.
std::vector<std::size_t> resample(std::size_t n, std::size_t b, std::uint64_t seed) {
  const Rng rng(seed, kBootstrapStream);
  RandomStream stream(rng, b, 1, Purpose::design);
  std::vector<std::size_t> out(n);
  for (auto& k : out) k = static_cast<std::size_t>(stream.next_below(n));
  return out;
}

}  // namespace

SobolIndices sobol_indices(const std::vector<double>& y, std::size_t parameters, bool second_order, std::size_t bootstrap,
                           double confidence, std::uint64_t seed) {
  const std::size_t d = parameters;
  const std::size_t per = second_order ? 2 * d + 2 : d + 2;
  if (d == 0 || y.empty() || y.size() % per != 0) {
    throw std::invalid_argument(
        fmt::format("{} outputs do not fit a Sobol' design over {} parameters ({} rows per base sample)", y.size(), d, per));
  }
  const std::size_t n = y.size() / per;
  for (const double v : y) {
    if (!std::isfinite(v)) throw std::invalid_argument("an output is missing or not finite: Sobol' indices need every point's value");
  }
  const auto a = [&](std::size_t i) { return y[i * per]; };
  const auto ab = [&](std::size_t i, std::size_t j) { return y[i * per + 1 + j]; };
  const auto b = [&](std::size_t i) { return y[i * per + per - 1]; };
  // The estimators over a list of base samples (all of them, or a bootstrap resample).
  const auto estimate = [&](const std::vector<std::size_t>& rows, std::size_t j, double& first, double& total) {
    double mean = 0.0;
    for (const std::size_t i : rows) mean += a(i) + b(i);
    mean /= 2.0 * static_cast<double>(rows.size());
    double variance = 0.0;  // of A and B together (population variance, as SALib)
    double s1 = 0.0;
    double st = 0.0;
    for (const std::size_t i : rows) {
      variance += (a(i) - mean) * (a(i) - mean) + (b(i) - mean) * (b(i) - mean);
      s1 += b(i) * (ab(i, j) - a(i));
      st += (a(i) - ab(i, j)) * (a(i) - ab(i, j));
    }
    const double count = static_cast<double>(rows.size());
    variance /= 2.0 * count;
    first = (s1 / count) / variance;
    total = 0.5 * (st / count) / variance;
  };
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  SobolIndices out;
  double first = 0.0;
  double total = 0.0;
  estimate(all, 0, first, total);
  if (!std::isfinite(first)) throw std::invalid_argument("the output does not vary over the design: no Sobol' indices");
  const double z = normal_quantile(0.5 + confidence / 2.0);
  std::vector<std::vector<double>> firsts(d), totals(d);
  for (std::size_t r = 0; r < bootstrap; ++r) {
    const auto rows = resample(n, r, seed);
    for (std::size_t j = 0; j < d; ++j) {
      estimate(rows, j, first, total);
      firsts[j].push_back(first);
      totals[j].push_back(total);
    }
  }
  for (std::size_t j = 0; j < d; ++j) {
    estimate(all, j, first, total);
    out.first.push_back(first);
    out.total.push_back(total);
    out.first_conf.push_back(z * sample_sd(firsts[j]));
    out.total_conf.push_back(z * sample_sd(totals[j]));
  }
  return out;
}

MorrisIndices morris_indices(const Design& design, const std::vector<double>& y, std::size_t bootstrap, double confidence,
                             std::uint64_t seed) {
  if (design.spec.method != DesignMethod::morris) throw std::invalid_argument("Morris indices need a Morris design");
  const std::size_t d = design.parameters.size();
  if (y.size() != design.rows() || design.rows() % (d + 1) != 0) {
    throw std::invalid_argument(fmt::format("{} outputs for a design of {} rows", y.size(), design.rows()));
  }
  const std::size_t r = design.rows() / (d + 1);
  std::vector<std::vector<double>> effects(d);  // per factor, one per trajectory (where it moved)
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t k = 0; k < d; ++k) {
      const std::size_t row = t * (d + 1) + k;
      const auto& before = design.values[row];
      const auto& after = design.values[row + 1];
      std::size_t moved = d;
      for (std::size_t j = 0; j < d; ++j) {
        if (after[j] != before[j]) {
          if (moved != d)
            throw std::invalid_argument(
                fmt::format("rows {} and {} differ in more than one factor: not a Morris trajectory", row, row + 1));
          moved = j;
        }
      }
      if (moved == d) continue;  // an integer factor whose step rounded to nothing
      if (!std::isfinite(y[row]) || !std::isfinite(y[row + 1])) throw std::invalid_argument("an output is missing or not finite");
      const DesignParameter& p = design.parameters[moved];
      const double step = p.unit_of(after[moved]) - p.unit_of(before[moved]);
      effects[moved].push_back((y[row + 1] - y[row]) / step);
    }
  }
  const double z = normal_quantile(0.5 + confidence / 2.0);
  MorrisIndices out;
  for (std::size_t j = 0; j < d; ++j) {
    const auto& e = effects[j];
    if (e.empty())
      throw std::invalid_argument("'" + design.parameters[j].key + "' never moves in the design (its range rounds to one value)");
    const double count = static_cast<double>(e.size());
    double mu = 0.0;
    double mu_star = 0.0;
    for (const double v : e) {
      mu += v;
      mu_star += std::abs(v);
    }
    out.mu.push_back(mu / count);
    out.mu_star.push_back(mu_star / count);
    out.sigma.push_back(sample_sd(e));
    std::vector<double> means;
    for (std::size_t b = 0; b < bootstrap; ++b) {
      double sum = 0.0;
      for (const std::size_t i : resample(e.size(), b, seed + j * 0x9E3779B97F4A7C15ull)) sum += std::abs(e[i]);
      means.push_back(sum / count);
    }
    out.mu_star_conf.push_back(z * sample_sd(means));
  }
  return out;
}

}  // namespace glocal
