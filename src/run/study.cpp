#include "glocal/run/study.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "glocal/model/scenario.hpp"

namespace glocal {

const std::vector<StudyIndicator>& three_roads_indicators() {
  static const std::vector<StudyIndicator> indicators = {
      {"ecological integrity", "integrity", true},
      {"poverty", "poverty", false},
      {"employment (underemployment)", "underemployment", false},
      {"inequality (Gini)", "gini", false},
      {"inequality (country ratio)", "country_ratio", false},
      {"identity and local knowledge (heritage retained)", "heritage_retention", true},
      {"identity and local knowledge (places distinct: overlap within / between localities)", "overlap_ratio", true},
      // Reported, never ranked: the count of distinct vectors is highest in an unconverged
      // transient and in fragmentation, so more is not more identity.
      {"distinct cultures (reported, not ranked)", "cultures", true, false},
      {"output (mean income)", "mean_income", true},
      {"governance (race to the bottom)", "race_to_bottom", false},
  };
  return indicators;
}

double t_quantile_975(std::size_t df) {
  // Two-sided 95 %: exact to three decimals for df <= 30, then the normal's 1.960 approached as
  // 1.960 + 2.4 / df (within 0.002 for df > 30).
  static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                                 2.120,  2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) throw std::invalid_argument("t quantile needs at least one degree of freedom");
  if (df <= 30) return table[df - 1];
  return 1.960 + 2.4 / static_cast<double>(df);
}

Estimate estimate_mean(const std::vector<double>& values) {
  std::vector<double> x;
  for (const double v : values) {
    if (!std::isnan(v)) x.push_back(v);
  }
  Estimate e;
  e.runs = x.size();
  if (x.empty()) return {std::nan(""), std::nan(""), std::nan(""), 0};
  e.mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  if (x.size() == 1) {
    e.low = e.high = e.mean;
    return e;
  }
  double ss = 0;
  for (const double v : x) ss += (v - e.mean) * (v - e.mean);
  const double se = std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
  const double half = t_quantile_975(x.size() - 1) * se;
  e.low = e.mean - half;
  e.high = e.mean + half;
  return e;
}

std::vector<double> final_values(const Scenario& scenario, const std::vector<RunResult>& runs, const std::string& metric) {
  const std::size_t column = metric_index(scenario, metric);
  std::vector<double> values;
  for (const auto& run : runs) {
    if (run.status == RunStatus::ok && !run.series.empty()) values.push_back(run.series.back().metrics[column]);
  }
  return values;
}

std::vector<std::size_t> ranking(const std::vector<Estimate>& by_regime, bool higher_is_better) {
  std::vector<std::size_t> order(by_regime.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return higher_is_better ? by_regime[a].mean > by_regime[b].mean : by_regime[a].mean < by_regime[b].mean;
  });
  return order;
}

}  // namespace glocal
