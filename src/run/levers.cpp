#include "glocal/run/levers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <stdexcept>

namespace glocal {

namespace {

/// The lever a key belongs to: its sub-table when it has one (a.b.c -> a.b), else the key.
std::string lever_of(const std::string& key) {
  const auto last = key.rfind('.');
  return key.find('.') != last ? key.substr(0, last) : key;
}

bool same_schedules(const Scenario& a, const Scenario& b, const std::string& key) {
  std::vector<const Schedule*> of_a, of_b;
  for (const auto& s : a.schedules())
    if (s.key == key) of_a.push_back(&s);
  for (const auto& s : b.schedules())
    if (s.key == key) of_b.push_back(&s);
  return std::equal(of_a.begin(), of_a.end(), of_b.begin(), of_b.end(),
                    [](const Schedule* x, const Schedule* y) { return x->mode == y->mode && x->points == y->points; });
}

bool same_nations(const Scenario& a, const Scenario& b) {
  return std::equal(a.nations().begin(), a.nations().end(), b.nations().begin(), b.nations().end(), [](const auto& x, const auto& y) {
    return x.name == y.name && x.bloc == y.bloc && x.group == y.group && x.localities == y.localities && x.population == y.population &&
           x.productivity == y.productivity && x.locality_names == y.locality_names;
  });
}

}  // namespace

std::vector<Lever> levers_between(const Scenario& from, const Scenario& to) {
  if (from.processes() != to.processes()) {
    throw std::invalid_argument(fmt::format("the two scenarios enable different processes ({} and {}): levers act on one model",
                                            fmt::join(from.processes(), ", "), fmt::join(to.processes(), ", ")));
  }
  if (!same_nations(from, to)) throw std::invalid_argument("the two scenarios describe different nations: levers act on one world");
  std::map<std::string, std::vector<std::string>> grouped;  // lever name -> keys, in key order
  for (const auto& spec : from.schema().parameters()) {
    const std::string& key = spec.key;
    if (spec.bookkeeping) continue;
    if (from.value(key) == to.value(key) && same_schedules(from, to, key)) continue;
    if (key.rfind("world.", 0) == 0 || key.rfind("run.", 0) == 0) {
      throw std::invalid_argument(fmt::format("the two scenarios differ in '{}': levers act on one world and one run", key));
    }
    grouped[lever_of(key)].push_back(key);
  }
  std::vector<Lever> levers;
  for (auto& [name, keys] : grouped) {
    // A sub-table moves whole: every key of it, changed or not (its weights are checked together).
    if (name != keys.front()) {
      keys.clear();
      for (const auto& spec : from.schema().parameters())
        if (spec.key.rfind(name + ".", 0) == 0) keys.push_back(spec.key);
    }
    levers.push_back({name, keys});
  }
  return levers;
}

Scenario with_levers(const Scenario& from, const Scenario& to, const std::vector<Lever>& levers, const std::vector<bool>& high) {
  std::vector<std::string> keys;
  for (std::size_t j = 0; j < levers.size(); ++j) {
    if (high[j]) keys.insert(keys.end(), levers[j].keys.begin(), levers[j].keys.end());
  }
  Scenario point = from;
  if (!keys.empty()) point.adopt(to, keys);
  return point;
}

std::vector<std::vector<bool>> two_level_design(std::size_t factors) {
  if (factors == 0) return {{}};
  // Columns as subsets of m base columns: the full factorial uses the m single columns; the
  // fraction adds odd-weight subsets of three or more, in increasing weight, then value.
  std::size_t base = factors;
  std::vector<std::uint32_t> columns;
  if (factors > 6) {
    base = 1;
    while ((std::size_t{1} << (base - 1)) < factors) ++base;
  }
  for (std::size_t b = 0; b < base; ++b) columns.push_back(std::uint32_t{1} << b);
  for (int weight = 3; columns.size() < factors; weight += 2) {
    for (std::uint32_t subset = 0; subset < (std::uint32_t{1} << base) && columns.size() < factors; ++subset) {
      if (std::popcount(subset) == weight) columns.push_back(subset);
    }
  }
  std::vector<std::vector<bool>> rows(std::size_t{1} << base, std::vector<bool>(factors));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t j = 0; j < factors; ++j) {
      // The product of the base columns in the subset, with +1 where the base bit is set: an odd
      // number of -1 gives -1.
      const auto minus = static_cast<std::uint32_t>(std::popcount(~static_cast<std::uint32_t>(r) & columns[j]));
      rows[r][j] = minus % 2 == 0;
    }
  }
  return rows;
}

LeverEffects lever_effects(const std::vector<std::vector<bool>>& design, const std::vector<std::vector<double>>& y) {
  const std::size_t rows = design.size();
  const std::size_t factors = design.front().size();
  const std::size_t replicates = y.front().size();
  std::vector<std::vector<double>> main(factors, std::vector<double>(replicates));
  std::vector<double> whole(replicates), interactions(replicates);
  for (std::size_t r = 0; r < replicates; ++r) {
    double sum_of_main = 0;
    for (std::size_t j = 0; j < factors; ++j) {
      double effect = 0;
      for (std::size_t i = 0; i < rows; ++i) effect += (design[i][j] ? 1.0 : -1.0) * y[i][r];
      main[j][r] = 2.0 * effect / static_cast<double>(rows);
      sum_of_main += main[j][r];
    }
    whole[r] = y[rows - 1][r] - y[0][r];
    interactions[r] = whole[r] - sum_of_main;
  }
  LeverEffects out;
  for (const auto& values : main) out.main.push_back(estimate_mean(values));
  out.whole = estimate_mean(whole);
  out.interactions = estimate_mean(interactions);
  return out;
}

}  // namespace glocal
