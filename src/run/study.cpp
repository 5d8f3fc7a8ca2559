#include "glocal/run/study.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <toml++/toml.h>

#include "glocal/model/scenario.hpp"

namespace glocal {

namespace {

[[noreturn]] void fail_at(const std::filesystem::path& path, const toml::source_region& where, const std::string& field,
                          const std::string& message) {
  throw ScenarioError(SourceLocation{path.string(), static_cast<int>(where.begin.line), static_cast<int>(where.begin.column)}, field,
                      message);
}

/// Every field of `table` is one of `known` (a misspelt field is an error, not a default).
void only_fields(const toml::table& table, const std::filesystem::path& path, const std::string& what,
                 const std::vector<std::string>& known) {
  for (auto&& [name, value] : table) {
    if (std::find(known.begin(), known.end(), std::string(name.str())) == known.end()) {
      fail_at(path, value.source(), std::string(name.str()),
              fmt::format("unknown field of {} (expected one of: {})", what, fmt::join(known, ", ")));
    }
  }
}

std::string text_field(const toml::table& table, const std::filesystem::path& path, const std::string& what, const std::string& field) {
  const auto value = table[field].value<std::string>();
  if (!value || value->empty()) fail_at(path, table.source(), field, fmt::format("{} needs {} = \"...\"", what, field));
  return *value;
}

/// An optional integer field of at least `least`: written to `out` when present.
void integer_field(const toml::table& table, const std::filesystem::path& path, const char* field, std::int64_t least, std::uint64_t& out) {
  const toml::node* value = table[field].node();
  if (value == nullptr) return;
  const auto* integer = value->as_integer();
  if (integer == nullptr || integer->get() < least)
    fail_at(path, value->source(), field, fmt::format("expected an integer of at least {}", least));
  out = static_cast<std::uint64_t>(integer->get());
}

// The strings of a TOML array; `list_error` where the node is no array, `item_error` at an item
// that is no string or that `valid` refuses.
std::vector<std::string> string_list(const toml::node& node, const std::filesystem::path& path, const char* field,
                                     const std::string& list_error, const std::string& item_error,
                                     bool (*valid)(const std::string&) = nullptr) {
  const toml::array* list = node.as_array();
  if (list == nullptr) fail_at(path, node.source(), field, list_error);
  std::vector<std::string> out;
  for (const toml::node& item : *list) {
    const auto* text = item.as_string();
    if (text == nullptr || (valid != nullptr && !valid(text->get()))) fail_at(path, item.source(), field, item_error);
    out.push_back(text->get());
  }
  return out;
}

}  // namespace

Study load_study(const std::filesystem::path& path) {
  toml::table root;
  try {
    root = toml::parse_file(path.string());
  } catch (const toml::parse_error& error) {
    fail_at(path, error.source(), "", fmt::format("malformed TOML: {}", error.description()));
  }
  only_fields(root, path, "a study file", {"study", "scenario", "indicator", "sensitivity", "uncertainty"});
  Study study;
  const toml::table* head = root["study"].as_table();
  if (head == nullptr) fail_at(path, root.source(), "study", "expected a [study] table with name and title");
  only_fields(*head, path, "[study]", {"name", "title", "description", "replicates", "assumptions"});
  study.name = text_field(*head, path, "[study]", "name");
  study.title = text_field(*head, path, "[study]", "title");
  study.description = (*head)["description"].value_or<std::string>("");
  integer_field(*head, path, "replicates", 2, study.replicates);  // an interval needs two runs
  if (const toml::node* node = (*head)["assumptions"].node()) {
    study.assumptions = string_list(*node, path, "assumptions", "expected a list of strings", "expected a list of strings");
  }
  const auto tables = [&](const char* name, const char* what) -> const toml::array& {
    static const toml::array empty;
    const toml::array* array = root[name].as_array();
    if (array == nullptr) {
      if (root[name]) fail_at(path, root[name].node()->source(), name, fmt::format("expected [[{}]] tables", name));
      return empty;
    }
    for (const auto& node : *array) {
      if (!node.is_table()) fail_at(path, node.source(), name, fmt::format("expected a table ({})", what));
    }
    return *array;
  };
  for (const auto& node : tables("scenario", "name and file")) {
    const toml::table& t = *node.as_table();
    only_fields(t, path, "a [[scenario]]", {"name", "file"});
    StudyScenario scenario{text_field(t, path, "a [[scenario]]", "name"), text_field(t, path, "a [[scenario]]", "file")};
    if (scenario.file.is_relative()) scenario.file = path.parent_path() / scenario.file;
    if (!std::filesystem::exists(scenario.file)) {
      fail_at(path, t["file"].node()->source(), "file", fmt::format("no such scenario file: {}", scenario.file.string()));
    }
    for (const auto& other : study.scenarios) {
      if (other.name == scenario.name) fail_at(path, t.source(), "name", fmt::format("two scenarios are named \"{}\"", scenario.name));
    }
    study.scenarios.push_back(std::move(scenario));
  }
  if (study.scenarios.size() < 2) fail_at(path, root.source(), "scenario", "a study compares at least two [[scenario]] tables");
  for (const auto& node : tables("indicator", "dimension, metric, better")) {
    const toml::table& t = *node.as_table();
    only_fields(t, path, "an [[indicator]]", {"dimension", "metric", "better"});
    StudyIndicator indicator{text_field(t, path, "an [[indicator]]", "dimension"), text_field(t, path, "an [[indicator]]", "metric"), true};
    const std::string better = text_field(t, path, "an [[indicator]]", "better");
    if (better == "lower") {
      indicator.higher_is_better = false;
    } else if (better == "none") {
      indicator.ranked = false;
    } else if (better != "higher") {
      fail_at(path, t["better"].node()->source(), "better",
              fmt::format("\"{}\": expected \"higher\", \"lower\" or \"none\" (reported, not ranked)", better));
    }
    study.indicators.push_back(std::move(indicator));
  }
  if (study.indicators.empty()) fail_at(path, root.source(), "indicator", "a study needs at least one [[indicator]]");
  for (const auto& node : tables("sensitivity", "key and factor or value")) {
    const toml::table& t = *node.as_table();
    only_fields(t, path, "a [[sensitivity]]", {"key", "factor", "value", "with"});
    StudyVariant variant{text_field(t, path, "a [[sensitivity]]", "key"), 1.0, "", {}};
    const auto factor = t["factor"].value<double>();
    const toml::node* value = t["value"].node();
    if (factor.has_value() == (value != nullptr)) {
      fail_at(path, t.source(), variant.key, "a [[sensitivity]] needs exactly one of factor (times the scenario's value) or value");
    }
    if (factor) {
      variant.factor = *factor;
    } else if (const auto* text = value->as_string()) {
      variant.value = text->get();
    } else if (const auto* integer = value->as_integer()) {
      variant.value = std::to_string(integer->get());
    } else if (const auto* real = value->as_floating_point()) {
      variant.value = fmt::format("{}", real->get());
    } else if (const auto* flag = value->as_boolean()) {
      variant.value = flag->get() ? "true" : "false";
    } else {
      fail_at(path, value->source(), "value", "expected a number, a boolean or a string");
    }
    if (const toml::node* with = t["with"].node()) {
      variant.with = string_list(*with, path, "with", "expected an array of \"key=value\" strings",
                                 "expected \"key=value\" strings (the assignments the variant also makes)",
                                 [](const std::string& text) { return text.find('=') != std::string::npos && text.front() != '='; });
    }
    study.sensitivity.push_back(std::move(variant));
  }
  if (const toml::node* node = root["uncertainty"].node()) {
    const toml::table* t = node->as_table();
    if (t == nullptr) fail_at(path, node->source(), "uncertainty", "expected an [uncertainty] table");
    only_fields(*t, path, "[uncertainty]", {"parameters", "points", "draws", "seed", "replicates"});
    StudyUncertainty uncertainty;
    if (t->contains("parameters") == t->contains("points")) {
      fail_at(path, node->source(), "uncertainty",
              "give the draws one way: parameters = \"FILE.toml\" (distributions, drawn by a Latin hypercube) or points = \"FILE.csv\"");
    }
    const char* field = t->contains("points") ? "points" : "parameters";
    std::filesystem::path file = text_field(*t, path, "[uncertainty]", field);
    if (file.is_relative()) file = path.parent_path() / file;
    if (!std::filesystem::exists(file)) fail_at(path, (*t)[field].node()->source(), field, fmt::format("no such file: {}", file.string()));
    (t->contains("points") ? uncertainty.points : uncertainty.parameters) = file;
    if (!uncertainty.points.empty()) uncertainty.draws = 0;  // every point, unless draws says fewer
    integer_field(*t, path, "draws", 2, uncertainty.draws);
    integer_field(*t, path, "seed", 0, uncertainty.seed);
    integer_field(*t, path, "replicates", 1, uncertainty.replicates);
    study.uncertainty = uncertainty;
  }
  return study;
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

std::map<std::uint64_t, double> final_values_by_replicate(const Scenario& scenario, const std::vector<RunResult>& runs,
                                                          const std::string& metric) {
  const std::size_t column = metric_index(scenario, metric);
  std::map<std::uint64_t, double> values;
  for (const auto& run : runs) {
    if (run.status == RunStatus::ok && !run.series.empty()) values[run.replicate] = run.series.back().metrics[column];
  }
  return values;
}

Estimate paired_difference(const std::map<std::uint64_t, double>& a, const std::map<std::uint64_t, double>& b) {
  std::vector<double> differences;
  for (const auto& [replicate, value] : a) {
    const auto other = b.find(replicate);
    if (other != b.end()) differences.push_back(value - other->second);  // a NaN on either side: skipped by estimate_mean
  }
  return estimate_mean(differences);
}

bool distinguishable(const Estimate& difference) { return difference.runs >= 2 && (difference.low > 0.0 || difference.high < 0.0); }

std::vector<std::pair<std::size_t, std::size_t>> established_pairs(const std::vector<std::vector<Estimate>>& differences,
                                                                   bool higher_is_better) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < differences.size(); ++a) {
    for (std::size_t b = a + 1; b < differences.size(); ++b) {
      const Estimate& d = differences[a][b];
      if (!distinguishable(d)) continue;
      const bool a_better = (d.mean > 0.0) == higher_is_better;
      pairs.emplace_back(a_better ? a : b, a_better ? b : a);
    }
  }
  return pairs;
}

bool keeps_established(const std::vector<std::size_t>& order, const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  std::vector<std::size_t> position(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
  return std::all_of(pairs.begin(), pairs.end(), [&](const auto& pair) { return position[pair.first] < position[pair.second]; });
}

std::string tiered_ranking(const std::vector<std::size_t>& order, const std::vector<std::string>& names,
                           const std::vector<std::vector<Estimate>>& differences) {
  std::string text;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k > 0) text += distinguishable(differences[order[k - 1]][order[k]]) ? " > " : " ~ ";
    text += names[order[k]];
  }
  return text;
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
